/**
 * performActiveAuthentication: the INTERNAL AUTHENTICATE APDU (short and extended Le), a
 * software card answering with the card-side signer, chip errors, a cloned chip, and the real
 * session recorded in gmrtd's test suite (response decrypted here with the 3DES SM key).
 */
import { fromHex, toHex } from '@vneid/core/bytes';
import { decodeTlvSequence, type Tlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { ReaderError } from '../../src/errors.ts';
import { performActiveAuthentication, verifyActiveAuthentication } from '../../src/protocols/aa.ts';
import { type AaRsaPrivateKey, signActiveAuthentication } from '../../src/protocols/card/aa-card.ts';
import { cipherSuite, decryptBlocks, unpadIso9797 } from '../../src/protocols/pace/cipher-suite.ts';
import { createSecureChannel } from '../../src/sm/index.ts';
import {
  type ApduTransport,
  buildResponseApdu,
  createScriptedTransport,
  parseCommandApdu,
} from '../../src/transport/index.ts';
import { nodeRsaKey } from './helpers.ts';

interface TraceVector {
  name: string;
  dg15: string;
  challenge: string;
  sm: { cipher: '3des' | 'aes'; kEnc: string; kMac: string; ssc: string };
  exchanges: Array<{ command: string; response: string }>;
}
const traces = loadVectors<TraceVector>(import.meta.url, 'aa-trace');

/** A card that answers INTERNAL AUTHENTICATE with `key`, recording the commands. */
function aaCard(key: AaRsaPrivateKey, sw = 0x9000) {
  const commands: Uint8Array[] = [];
  const transport: ApduTransport = {
    async transceive(command) {
      commands.push(command);
      const c = parseCommandApdu(command);
      if (c.ins !== 0x88 || c.data?.length !== 8) return buildResponseApdu(new Uint8Array(0), 0x6d00);
      if (sw !== 0x9000) return buildResponseApdu(new Uint8Array(0), sw);
      return buildResponseApdu(signActiveAuthentication(key, c.data), 0x9000);
    },
  };
  return { transport, commands };
}

const fixed = (hex: string) => () => fromHex(hex);

describe('performActiveAuthentication against a software card', () => {
  it('RSA-2048: 00 88 00 00 08 <challenge> 00 and a verified report', async () => {
    const key = nodeRsaKey(2048);
    const card = aaCard(key.privateKey);
    const result = await performActiveAuthentication(card.transport, {
      dg15: key.dg15,
      random: fixed('0102030405060708'),
    });
    expect(toHex(card.commands[0] as Uint8Array).toUpperCase()).toBe('0088000008010203040506070800');
    expect(result).toEqual({
      ok: true,
      algorithm: 'RSA-ISO9796-2',
      hash: 'SHA-1',
      keyBits: 2048,
      challenge: fromHex('0102030405060708'),
    });
  });

  it('RSA-3072: extended Le 0000', async () => {
    const key = nodeRsaKey(3072);
    const card = aaCard(key.privateKey);
    const result = await performActiveAuthentication(card.transport, {
      dg15: key.dg15,
      random: fixed('0102030405060708'),
    });
    expect(toHex(card.commands[0] as Uint8Array).toUpperCase()).toBe('0088000000000801020304050607080000');
    expect(result.ok).toBe(true);
  });

  it('a cloned chip (another private key) gives ok: false, not an exception', async () => {
    const key = nodeRsaKey(2048);
    const clone = nodeRsaKey(2048, true);
    const result = await performActiveAuthentication(aaCard(clone.privateKey).transport, { dg15: key.dg15 });
    expect(result.ok).toBe(false);
    expect(result.reason).toBeDefined();
    expect(result.challenge.length).toBe(8);
  });

  it('the chip refusing (6982) throws AA_FAILED with step and status word', async () => {
    const key = nodeRsaKey(1024);
    await expect(
      performActiveAuthentication(aaCard(key.privateKey, 0x6982).transport, { dg15: key.dg15 }),
    ).rejects.toMatchObject({
      code: 'AA_FAILED',
      context: { step: 'INTERNAL_AUTHENTICATE', sw: 0x6982 },
    });
  });

  it('a transport failure throws AA_FAILED; a secure-messaging error passes through', async () => {
    const key = nodeRsaKey(1024);
    const failing = (e: Error): ApduTransport => ({
      transceive: async () => {
        throw e;
      },
    });
    await expect(
      performActiveAuthentication(failing(new Error('lost')), { dg15: key.dg15 }),
    ).rejects.toMatchObject({
      code: 'AA_FAILED',
    });
    await expect(
      performActiveAuthentication(failing(new ReaderError('SM_MAC_MISMATCH', 'mac')), { dg15: key.dg15 }),
    ).rejects.toMatchObject({ code: 'SM_MAC_MISMATCH' });
    await expect(
      performActiveAuthentication({ transceive: async () => Uint8Array.of(0x90) }, { dg15: key.dg15 }),
    ).rejects.toMatchObject({ code: 'AA_FAILED' });
  });

  it('an aborted signal stops before sending', async () => {
    const key = nodeRsaKey(1024);
    const card = aaCard(key.privateKey);
    const controller = new AbortController();
    controller.abort();
    await expect(
      performActiveAuthentication(card.transport, { dg15: key.dg15, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(card.commands.length).toBe(0);
  });

  it('a malformed DG15 throws AA_FAILED before anything is sent', async () => {
    const card = aaCard(nodeRsaKey(1024).privateKey);
    await expect(
      performActiveAuthentication(card.transport, { dg15: fromHex('6F03020100') }),
    ).rejects.toMatchObject({
      code: 'AA_FAILED',
      context: { step: 'DG15' },
    });
    expect(card.commands.length).toBe(0);
  });
});

describe(`real session (${traces.source.slice(0, 40)}…)`, () => {
  for (const v of traces.vectors) {
    it(`${v.name}: the decrypted signature verifies against DG15 and RND.IFD`, () => {
      // Protected response: 87 (padding indicator 01 ‖ 3DES-CBC ciphertext, IV 0) 99 8E.
      const ex = v.exchanges[0] as { command: string; response: string };
      const raw = fromHex(ex.response);
      const do87 = decodeTlvSequence(raw.subarray(0, raw.length - 2))[0] as Tlv;
      expect(do87.tag).toBe(0x87);
      const plain = unpadIso9797(
        decryptBlocks(cipherSuite('3des', 128), fromHex(v.sm.kEnc), do87.value.subarray(1)),
      );
      expect(plain).toBeDefined();
      const report = verifyActiveAuthentication({
        dg15: fromHex(v.dg15),
        challenge: fromHex(v.challenge),
        response: plain as Uint8Array,
      });
      // The chip signs with SHA-256 (explicit trailer 34 CC), which the digest check confirms.
      expect(report).toEqual({ ok: true, algorithm: 'RSA-ISO9796-2', hash: 'SHA-256', keyBits: 1792 });
      expect(
        verifyActiveAuthentication({
          dg15: fromHex(v.dg15),
          challenge: fromHex('96302b0f3d7e7865'),
          response: plain as Uint8Array,
        }).ok,
      ).toBe(false);
    });
  }
});

describe(`real session replayed through the secure channel (${traces.source.slice(0, 24)}…)`, () => {
  for (const v of traces.vectors) {
    it(`${v.name}: INTERNAL AUTHENTICATE byte for byte, signature verified`, async () => {
      const card = createScriptedTransport(v.exchanges);
      const channel = createSecureChannel(card, {
        cipher: v.sm.cipher,
        keyBits: 128,
        kEnc: fromHex(v.sm.kEnc),
        kMac: fromHex(v.sm.kMac),
        ssc: fromHex(v.sm.ssc),
      });
      const result = await performActiveAuthentication(channel, {
        dg15: fromHex(v.dg15),
        random: () => fromHex(v.challenge),
      });
      expect(card.remaining).toBe(0);
      expect(result).toEqual({
        ok: true,
        algorithm: 'RSA-ISO9796-2',
        hash: 'SHA-256',
        keyBits: 1792,
        challenge: fromHex(v.challenge),
      });
    });
  }
});

describe('fuzz: verifyActiveAuthentication never crashes', () => {
  const rsa = nodeRsaKey(1024);
  const isReaderError = (e: unknown) =>
    e instanceof ReaderError && (e.code === 'AA_FAILED' || e.code === 'INVALID_ARGUMENT');
  it('random responses and challenges with a valid DG15 give a report with ok false', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        (response, challenge) => {
          const r = verifyActiveAuthentication({ dg15: rsa.dg15, challenge, response });
          expect(r.ok).toBe(false);
          expect(r.reason).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
  it('random 128-byte responses (RSA length) are reported, not thrown', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 128, maxLength: 128 }), (response) => {
        expect(
          verifyActiveAuthentication({ dg15: rsa.dg15, challenge: fromHex('0011223344556677'), response }).ok,
        ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  it('random DG15 bytes and mutated DG15s throw only ReaderError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, pos, mask) => {
          const mutated = rsa.dg15.slice();
          const i = pos % mutated.length;
          mutated[i] = (mutated[i] as number) ^ mask;
          for (const dg15 of [bytes, Uint8Array.of(0x6f, bytes.length, ...bytes.subarray(0, 127)), mutated]) {
            try {
              verifyActiveAuthentication({ dg15, challenge: fromHex('0011223344556677'), response: bytes });
            } catch (e) {
              if (!isReaderError(e)) throw e;
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
  it('non-byte arguments throw INVALID_ARGUMENT', () => {
    expect(() =>
      verifyActiveAuthentication({ dg15: rsa.dg15, challenge: 'x' as never, response: new Uint8Array(1) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      verifyActiveAuthentication({
        dg15: 42 as never,
        challenge: new Uint8Array(8),
        response: new Uint8Array(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
