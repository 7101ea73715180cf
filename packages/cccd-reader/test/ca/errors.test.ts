/**
 * Chip Authentication failures: every one a ReaderError('CA_FAILED') naming the step and the
 * status word; card-side command reading and key checks; fuzz of the DG14 selection and the
 * card-side command reader.
 */
import { concatBytes, fromHex } from '@vneid/core/bytes';
import { encodeOid, encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReaderError } from '../../src/errors.ts';
import { NAMED_CURVES } from '../../src/lds/oids.ts';
import {
  performChipAuthentication,
  selectChipAuthentication,
  selectFileProbe,
} from '../../src/protocols/ca.ts';
import {
  chipAuthenticationCardStep,
  chipAuthenticationSuite,
  readChipAuthenticationCommand,
} from '../../src/protocols/card/ca-card.ts';
import { ecDomain } from '../../src/protocols/pace/domain-parameters.ts';
import type { SecureMessagingKeys } from '../../src/sm/keys.ts';
import { type ApduTransport, buildResponseApdu } from '../../src/transport/index.ts';
import { CA_OID, chipKey, chipSpki, dg14, testCard } from './card.ts';

const brainpool = ecDomain(NAMED_CURVES.brainpoolP256r1 as never);
const key = chipKey(brainpool);
const goodDg14 = dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(key) }]);

/** A plain (no SM) channel answering each command with the next scripted response. */
function plainChannel(responses: Array<Uint8Array | Error>) {
  const sent: Uint8Array[] = [];
  let rekeyed: SecureMessagingKeys | undefined;
  const channel: ApduTransport & { rekey(k: SecureMessagingKeys): void } = {
    async transceive(c) {
      sent.push(c);
      const r = responses.shift();
      if (r === undefined) throw new Error('no more responses');
      if (r instanceof Error) throw r;
      return r;
    },
    rekey(k) {
      rekeyed = k;
    },
  };
  return {
    channel,
    sent,
    get rekeyed() {
      return rekeyed;
    },
  };
}
const ok = (data: Uint8Array = new Uint8Array(0)): Uint8Array => buildResponseApdu(data, 0x9000);
const sw = (s: number) => buildResponseApdu(new Uint8Array(0), s);

describe('SETUP failures (nothing sent)', () => {
  const point = key.publicKey.slice();
  point[10] = (point[10] as number) ^ 1;
  const table: Array<[string, Uint8Array]> = [
    ['DG14 not TLV', fromHex('6E05')],
    ['DG14 with a wrong tag', fromHex('6F023100')],
    ['DG14 without Chip Authentication key', dg14([{ oid: CA_OID.ecdhAes128 }], [])],
    [
      'ChipAuthenticationInfo for DH only, key is ECDH',
      dg14([{ oid: CA_OID.dhAes128 }], [{ spki: chipSpki(key) }]),
    ],
    [
      'chip public key not on the curve',
      dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki({ ...key, publicKey: point }) }]),
    ],
    [
      'unknown standardized domain parameter ID',
      dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(key, { standardized: 5 }) }]),
    ],
    [
      'several keys without distinct IDs',
      dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(key) }, { spki: chipSpki(chipKey(brainpool)) }]),
    ],
  ];
  for (const [name, doc] of table) {
    it(name, async () => {
      const p = plainChannel([]);
      await expect(performChipAuthentication(p.channel, { dg14: doc })).rejects.toMatchObject({
        code: 'CA_FAILED',
        context: { step: 'SETUP' },
      });
      expect(p.sent.length).toBe(0);
    });
  }
  it("keyReference 'always' without a key ID", async () => {
    await expect(
      performChipAuthentication(plainChannel([]).channel, { dg14: goodDg14, keyReference: 'always' }),
    ).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'SETUP' },
    });
  });
  it('messages carry no key material', async () => {
    try {
      await performChipAuthentication(plainChannel([]).channel, {
        dg14: dg14([{ oid: CA_OID.dhAes128 }], [{ spki: chipSpki(key) }]),
      });
    } catch (e) {
      expect(String((e as Error).message)).not.toMatch(/[0-9a-f]{16}/i);
    }
  });
});

describe('chip refusals', () => {
  it('AES: MSE:Set AT 6A80 → CA_FAILED MSE_SET_AT 6A80, keys unchanged', async () => {
    const p = plainChannel([sw(0x6a80)]);
    await expect(performChipAuthentication(p.channel, { dg14: goodDg14 })).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'MSE_SET_AT', sw: 0x6a80 },
    });
    expect(p.rekeyed).toBeUndefined();
  });
  it('GENERAL AUTHENTICATE 6300 → CA_FAILED GENERAL_AUTHENTICATE 6300', async () => {
    const card = testCard({ keys: new Map([[-1, key]]), gaSw: 0x6300 });
    await expect(performChipAuthentication(card.channel, { dg14: goodDg14 })).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'GENERAL_AUTHENTICATE', sw: 0x6300 },
    });
  });
  it('GENERAL AUTHENTICATE answering data that is not 7C', async () => {
    const p = plainChannel([ok(), ok(fromHex('8000'))]);
    await expect(performChipAuthentication(p.channel, { dg14: goodDg14 })).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'GENERAL_AUTHENTICATE' },
    });
    expect(p.rekeyed).toBeUndefined();
  });
  it('an empty GA response (some chips) or 7C 00 is accepted; the channel gets SSC 0', async () => {
    for (const data of [new Uint8Array(0), fromHex('7C00')]) {
      const p = plainChannel([ok(), ok(data)]);
      const r = await performChipAuthentication(p.channel, { dg14: goodDg14 });
      expect(r.ok).toBe(true);
      expect(p.rekeyed?.ssc).toEqual(new Uint8Array(16));
      expect(p.rekeyed?.cipher).toBe('aes');
      expect(p.rekeyed?.kEnc.length).toBe(16);
    }
  });
  it('KAT refused → CA_FAILED MSE_SET_KAT', async () => {
    const p = plainChannel([sw(0x6a80)]);
    await expect(
      performChipAuthentication(p.channel, { dg14: dg14([], [{ spki: chipSpki(key) }]) }),
    ).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'MSE_SET_KAT', sw: 0x6a80 },
    });
  });
  it('a transport failure → CA_FAILED with the step; an SM error of the channel passes through (send-step policy)', async () => {
    const lost = new ReaderError('TRANSPORT_FAILED', 'lost');
    await expect(
      performChipAuthentication(plainChannel([lost]).channel, { dg14: goodDg14 }),
    ).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'MSE_SET_AT' },
      cause: lost,
    });
    const mac = new ReaderError('SM_MAC_MISMATCH', 'mac');
    await expect(performChipAuthentication(plainChannel([mac]).channel, { dg14: goodDg14 })).rejects.toBe(
      mac,
    );
  });
  it('a probe failing for transport reasons → CA_FAILED PROBE', async () => {
    const p = plainChannel([ok(), ok(), new ReaderError('TRANSPORT_FAILED', 'lost')]);
    await expect(
      performChipAuthentication(p.channel, { dg14: goodDg14, probe: selectFileProbe(0x011e) }),
    ).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'PROBE' },
    });
  });
  it('abort before and during', async () => {
    const c = new AbortController();
    c.abort();
    await expect(
      performChipAuthentication(plainChannel([]).channel, { dg14: goodDg14, signal: c.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    const p = plainChannel([new ReaderError('ABORTED', 'aborted')]);
    await expect(performChipAuthentication(p.channel, { dg14: goodDg14 })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('card side', () => {
  it('chipAuthenticationSuite', () => {
    expect(chipAuthenticationSuite(CA_OID.ecdhAes256)).toEqual({
      keyAgreement: 'ECDH',
      cipher: 'aes',
      keyBits: 256,
    });
    expect(chipAuthenticationSuite(CA_OID.dh3des)).toEqual({
      keyAgreement: 'DH',
      cipher: '3des',
      keyBits: 128,
    });
    expect(chipAuthenticationSuite('0.4.0.127.0.7.2.2.4.2.2')).toBeUndefined();
  });
  it('an invalid terminal key → CA_FAILED with 6A80 for the card to answer', () => {
    const bad = key.publicKey.slice();
    bad[5] = (bad[5] as number) ^ 1;
    for (const pk of [bad, new Uint8Array(0), fromHex('00'), fromHex('04')]) {
      expect(() => chipAuthenticationCardStep(key.d, brainpool, pk, 'aes')).toThrow(
        expect.objectContaining({ code: 'CA_FAILED', context: expect.objectContaining({ sw: 0x6a80 }) }),
      );
    }
  });
  const oidDo = encodeTlv(0x80, encodeOid(CA_OID.ecdhAes128));
  const table: Array<[string, string, unknown]> = [
    [
      'MSE:Set AT',
      `002241A40C${Buffer.from(oidDo).toString('hex')}`,
      { kind: 'MSE_SET_AT', oid: CA_OID.ecdhAes128, keyId: undefined },
    ],
    [
      'MSE:Set AT with 84 00C3',
      `002241A410${Buffer.from(oidDo).toString('hex')}840200C3`,
      { kind: 'MSE_SET_AT', oid: CA_OID.ecdhAes128, keyId: 195 },
    ],
    ['MSE:Set AT with a PACE OID', '002241A40C800A04007F00070202040202', undefined],
    ['MSE:Set AT without 80', '002241A403840101', undefined],
    ['MSE:Set AT with broken TLV', '002241A403800A04', undefined],
    [
      'GA 7C{80}',
      '008600000A7C088006040102030405',
      { kind: 'GENERAL_AUTHENTICATE', ephemeralPublicKey: fromHex('040102030405') },
    ],
    ['GA chained (CLA 10) is not CA', '108600000A7C088006040102030405', undefined],
    ['GA without 80', '00860000027C00', undefined],
    [
      'MSE:Set KAT',
      '002241A609910404010203840101',
      { kind: 'MSE_SET_KAT', ephemeralPublicKey: fromHex('04010203'), keyId: 1 },
    ],
    ['READ BINARY', '00B0000000', undefined],
    ['garbage', '00', undefined],
  ];
  for (const [name, hex, expected] of table) {
    it(`readChipAuthenticationCommand: ${name}`, () =>
      expect(readChipAuthenticationCommand(fromHex(hex))).toEqual(expected));
  }
});

describe('fuzz', () => {
  it('readChipAuthenticationCommand never throws', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.constantFrom('002241A4', '002241A6', '00860000', '10860000'),
        (body, head) => {
          readChipAuthenticationCommand(body);
          readChipAuthenticationCommand(concatBytes(fromHex(head), Uint8Array.of(body.length), body));
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('selectChipAuthentication on random or mutated DG14 throws only CA_FAILED', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 120 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, pos, mask) => {
          const mutated = goodDg14.slice();
          const i = pos % mutated.length;
          mutated[i] = (mutated[i] as number) ^ mask;
          for (const doc of [bytes, mutated]) {
            try {
              selectChipAuthentication(doc);
            } catch (e) {
              if (!(e instanceof ReaderError && e.code === 'CA_FAILED')) throw e;
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
