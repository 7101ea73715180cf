import { equalBytes, toHex } from '@vneid/core/bytes';
import { mrzKeyFromId } from '@vneid/core/mrz';
import { encodeOid, encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  EMRTD_AID,
} from '../../src/emulator/index.ts';
import { parseDg13 } from '../../src/lds/index.ts';
import { performActiveAuthentication } from '../../src/protocols/aa.ts';
import {
  cipherSuite,
  domainForParameterId,
  drawPrivateKey,
  encodePoint,
  kdf,
  performBac,
  performPace,
  sharedSecret,
  verifyChipAuthenticationMapping,
} from '../../src/protocols/index.ts';
import { readFile, selectApplication } from '../../src/reading/index.ts';
import type { SecureChannel } from '../../src/sm/index.ts';
import { type ApduTransport, buildCommandApdu, parseResponseApdu } from '../../src/transport/index.ts';
import { filesFor, SW_OK, seeded, send } from './helpers.ts';

const FIDS: ReadonlyArray<readonly [number, (f: CardFiles) => Uint8Array]> = [
  [0x011e, (f) => f.com],
  [0x011d, (f) => f.sod],
  [0x0101, (f) => f.dataGroups.get(1) as Uint8Array],
  [0x0102, (f) => f.dataGroups.get(2) as Uint8Array],
  [0x010d, (f) => f.dataGroups.get(13) as Uint8Array],
  [0x010e, (f) => f.dataGroups.get(14) as Uint8Array],
  [0x010f, (f) => f.dataGroups.get(15) as Uint8Array],
];

async function readAll(channel: ApduTransport, f: CardFiles): Promise<void> {
  await selectApplication(channel);
  for (const [fid, expected] of FIDS) {
    if (fid < 0x011d && !f.dataGroups.has(fid - 0x100)) continue;
    expect(equalBytes(await readFile(channel, fid), expected(f))).toBe(true);
  }
}

const pace = (
  card: ApduTransport,
  f: CardFiles,
  password: Parameters<typeof performPace>[1] = { can: f.access.can },
) => performPace(card, password, f.pace as { oid: string; parameterId: number });

let files: CardFiles;
beforeAll(async () => {
  files = await filesFor();
});

describe('sessions with the terminal-side protocols', () => {
  it('PACE-CAN opens AES secure messaging and every file reads back exactly', async () => {
    const card = createEmulatedCard(files);
    const result = await pace(card, files);
    expect(result).toMatchObject({ passwordType: 'CAN', mapping: 'GM', cipher: 'aes', keyBits: 128 });
    expect(card.state.access).toBe('pace');
    await readAll(result.channel, files);
    expect(card.stats.smResponses).toBeGreaterThan(60);
  });

  it('PACE-MRZ works with the key form the chip uses and fails with the other one', async () => {
    const card = createEmulatedCard(files);
    expect((await pace(card, files, files.access.mrzKey)).passwordType).toBe('MRZ');
    const p = files.person;
    const twelve = mrzKeyFromId(
      { idNumber: p.idNumber, dateOfBirth: p.dateOfBirth, dateOfExpiry: p.dateOfExpiry },
      '12-digit',
    );
    await expect(pace(createEmulatedCard(files), files, twelve)).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'MUTUAL_AUTHENTICATION', sw: 0x6300 },
    });
  });

  it('a wrong CAN fails at mutual authentication with 6300 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[0-9]{6}$/), async (can) => {
        fc.pre(can !== files.access.can);
        await expect(pace(createEmulatedCard(files), files, { can })).rejects.toMatchObject({
          code: 'PACE_FAILED',
          context: { step: 'MUTUAL_AUTHENTICATION', sw: 0x6300 },
        });
      }),
      { numRuns: 5 },
    );
  });

  it('PACE on a BAC-only chip fails at MSE:Set AT; BAC on a PACE-only chip fails at EXTERNAL AUTHENTICATE', async () => {
    await expect(pace(createEmulatedCard(files, { access: 'bac-only' }), files)).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'MSE_SET_AT', sw: 0x6a80 },
    });
    const paceOnly = createEmulatedCard(files, { access: 'pace-only' });
    await selectApplication(paceOnly);
    await expect(performBac(paceOnly, files.access.mrzKey)).rejects.toMatchObject({
      code: 'BAC_FAILED',
      context: { sw: 0x6d00 },
    });
  });

  it('MSE:Set AT parameter ID: required or rejected forms are negotiated by performPace', async () => {
    const required = createEmulatedCard(files, { parameterIdReference: 'required' });
    expect((await pace(required, files)).parameterIdSent).toBe(true);
    const rejected = createEmulatedCard(files, { parameterIdReference: 'rejected' });
    const r = await performPace(rejected, { can: files.access.can }, files.pace as never, {
      parameterIdReference: 'always',
    });
    expect(r.parameterIdSent).toBe(false);
  });

  it('BAC with the MRZ key opens 3DES secure messaging and every file reads back exactly', async () => {
    const card = createEmulatedCard(files);
    await selectApplication(card);
    const bac = await performBac(card, files.access.mrzKey);
    expect(card.state.access).toBe('bac');
    await readAll(bac.channel, files);
    // BAC cannot be re-run inside the session.
    await send(bac.channel, { cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 });
    expect(
      (await send(bac.channel, { cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(40), le: 40 })).sw,
    ).toBe(0x6985);
    const wrong = createEmulatedCard(files);
    await selectApplication(wrong);
    await expect(performBac(wrong, { ...files.access.mrzKey, dateOfBirth: '000101' })).rejects.toMatchObject({
      code: 'BAC_FAILED',
      context: { sw: 0x6300 },
    });
  });

  it('PACE integrated mapping and chip authentication mapping (CAM data verifies against DG14 key)', async () => {
    for (const mapping of ['IM', 'CAM'] as const) {
      const f = await createCardFiles(createSyntheticPerson(8, { faceBytes: 0 }), {
        signer: 'ecdsa-p256',
        paceMapping: mapping,
        aa: false,
      });
      const r = await pace(createEmulatedCard(f), f);
      expect(r.mapping).toBe(mapping);
      await readAll(r.channel, f);
      if (mapping === 'CAM') {
        const domain = domainForParameterId(13);
        if (domain.kind !== 'ec') throw new Error('EC expected');
        const key = f.keys.ca?.publicKey as Uint8Array;
        expect(
          verifyChipAuthenticationMapping(
            domain,
            r.chipAuthenticationData as bigint,
            r.chipMappingPublicKey as Uint8Array,
            key,
          ),
        ).toBe(true);
        // A cloned chip answers CAM with another key: the check fails.
        const cloned = createEmulatedCard(f, { faults: { clonedChip: true } });
        const c = await pace(cloned, f);
        expect(
          verifyChipAuthenticationMapping(
            domain,
            c.chipAuthenticationData as bigint,
            c.chipMappingPublicKey as Uint8Array,
            key,
          ),
        ).toBe(false);
      }
    }
  });

  it('replays byte for byte with the same randomness on both sides (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const transcript = async (): Promise<string> => {
          const card = createEmulatedCard(files, { random: seeded(seed) });
          const log: string[] = [];
          const spy: ApduTransport = {
            async transceive(c, o) {
              const r = await card.transceive(c, o);
              log.push(toHex(c), toHex(r));
              return r;
            },
          };
          const r = await performPace(spy, { can: files.access.can }, files.pace as never, {
            random: seeded(seed + 1),
          });
          await selectApplication(r.channel);
          await readFile(r.channel, 0x0101);
          return log.join('|');
        };
        expect(await transcript()).toBe(await transcript());
      }),
      { numRuns: 3 },
    );
  });

  it('SM limits: a short protected READ BINARY returns at most 223 bytes (AES); more is 6700 or 6CDF', async () => {
    for (const style of ['wrong-length', 'exact-length'] as const) {
      const card = createEmulatedCard(files, { leErrorStyle: style });
      const { channel } = await pace(card, files);
      await selectApplication(channel);
      await send(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(1, 2) });
      expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 223 })).data).toHaveLength(223);
      expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 224 })).sw).toBe(
        style === 'wrong-length' ? 0x6700 : 0x6cdf,
      );
      // An extended-length request on a chip without it: refused, session intact.
      expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1000, extended: true })).sw).toBe(
        0x6700,
      );
      expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 16 })).sw).toBe(SW_OK);
    }
    const bac = createEmulatedCard(files);
    await selectApplication(bac);
    const { channel } = await performBac(bac, files.access.mrzKey);
    await send(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(1, 2) });
    expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 231 })).data).toHaveLength(231);
    expect((await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 232 })).sw).toBe(0x6700);
  });

  it('extended length under SM: a whole DG2 in one READ BINARY', async () => {
    const card = createEmulatedCard(files, { extendedLength: true });
    const { channel } = await pace(card, files);
    await selectApplication(channel);
    await send(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(1, 2) });
    const before = card.stats.apdus;
    const dg2 = files.dataGroups.get(2) as Uint8Array;
    const r = await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536, extended: true });
    expect(r).toEqual({ data: dg2, sw: SW_OK });
    expect(card.stats.apdus - before).toBe(1);
    const limited = createEmulatedCard(files, { extendedLength: true, maxLe: 1024 });
    const l = await pace(limited, files);
    await selectApplication(l.channel);
    expect(equalBytes(await readFile(l.channel, 0x0102), dg2)).toBe(true);
  });

  it('DG3 answers 6982 under SM and the other files still read', async () => {
    const card = createEmulatedCard(files);
    const { channel } = await pace(card, files);
    await selectApplication(channel);
    await expect(readFile(channel, 0x0103)).rejects.toMatchObject({ code: 'SECURITY_STATUS_NOT_SATISFIED' });
    expect(parseDg13(await readFile(channel, 0x010d)).idNumber).toBe(files.person.idNumber);
  });

  it('a plain command ends secure messaging: protected commands then answer 6988 and plain reads 6982', async () => {
    const card = createEmulatedCard(files);
    const { channel } = await pace(card, files);
    await selectApplication(channel);
    expect((await send(card, '00A4020C020101')).sw).toBe(SW_OK);
    expect(card.state.access).toBe('none');
    expect((await send(card, '00B0000004')).sw).toBe(0x6982);
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({
      code: 'SM_REJECTED',
      context: { sw: 0x6988 },
    });
  });

  it('a protected command with a wrong MAC is answered 6988 and the session is gone', async () => {
    const card = createEmulatedCard(files);
    const { channel } = await pace(card, files);
    await selectApplication(channel);
    const raw = buildCommandApdu({
      cla: 0x0c,
      ins: 0xb0,
      p1: 0,
      p2: 0,
      data: Uint8Array.of(0x97, 1, 4, 0x8e, 8, 1, 2, 3, 4, 5, 6, 7, 8),
      le: 256,
    });
    expect(parseResponseApdu(await card.transceive(raw)).sw).toBe(0x6988);
    expect(card.state.access).toBe('none');
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({ code: 'SM_REJECTED' });
    // …and keeps answering 6988 until a new session is opened.
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({ code: 'SM_REJECTED' });
    const again = await pace(card, files);
    await selectApplication(again.channel);
    expect(equalBytes(await readFile(again.channel, 0x0101), files.dataGroups.get(1) as Uint8Array)).toBe(
      true,
    );
  });
});

describe('Active Authentication and Chip Authentication', () => {
  it('AA: the RSA-2048 signature verifies against DG15; a cloned chip is detected', async () => {
    const card = createEmulatedCard(files, { extendedLength: true });
    const { channel } = await pace(card, files);
    const dg15 = files.dataGroups.get(15) as Uint8Array;
    const ok = await performActiveAuthentication(channel, { dg15 });
    expect(ok).toMatchObject({ ok: true, algorithm: 'RSA-ISO9796-2', keyBits: 2048, hash: 'SHA-1' });
    card.faults.clonedChip = true;
    const clone = await performActiveAuthentication(channel, { dg15 });
    expect(clone.ok).toBe(false);
    expect(clone.reason).toBeDefined();
  });

  it('AA with SHA-256 and with an ECDSA key', async () => {
    const card = createEmulatedCard(files, { extendedLength: true, aaHash: 'SHA-256' });
    const { channel } = await pace(card, files);
    expect(
      await performActiveAuthentication(channel, { dg15: files.dataGroups.get(15) as Uint8Array }),
    ).toMatchObject({ ok: true, hash: 'SHA-256' });
    const f = await createCardFiles(createSyntheticPerson(9, { faceBytes: 0 }), {
      signer: 'ecdsa-p256',
      aaKey: 'ecdsa',
    });
    const ec = await pace(createEmulatedCard(f), f);
    const report = await performActiveAuthentication(ec.channel, {
      dg15: f.dataGroups.get(15) as Uint8Array,
      dg14: f.dataGroups.get(14) as Uint8Array,
    });
    expect(report).toMatchObject({ ok: true, algorithm: 'ECDSA', hash: 'SHA-256', signatureFormat: 'plain' });
  });

  /** Terminal side of CA done by hand (MSE:Set AT 41A4, GA 7C{80 PK}), then rekey. */
  async function chipAuthenticate(
    channel: SecureChannel,
    f: CardFiles,
    random = seeded(77),
  ): Promise<number> {
    const domain = domainForParameterId(13);
    const sk = drawPrivateKey(domain, random);
    if (domain.kind !== 'ec') throw new Error('EC expected');
    const pk = encodePoint(domain.Point.BASE.multiply(sk));
    const mse = await send(channel, {
      cla: 0,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa4,
      data: encodeTlv(0x80, encodeOid(f.caProtocol as string)),
    });
    if (mse.sw !== SW_OK) return mse.sw;
    const ga = await send(channel, {
      cla: 0,
      ins: 0x86,
      p1: 0,
      p2: 0,
      data: encodeTlv(0x7c, [encodeTlv(0x80, pk)]),
      le: 256,
    });
    if (ga.sw !== SW_OK) return ga.sw;
    expect(toHex(ga.data)).toBe('7c00');
    const k = sharedSecret(domain, sk, f.keys.ca?.publicKey as Uint8Array);
    const suite = cipherSuite('AES', 128);
    channel.rekey({
      cipher: 'aes',
      keyBits: 128,
      kEnc: kdf(suite, k, 1),
      kMac: kdf(suite, k, 2),
      ssc: new Uint8Array(16),
    });
    return ga.sw;
  }

  it('CA after PACE and after BAC switches secure messaging to the new keys', async () => {
    const card = createEmulatedCard(files);
    const { channel } = await pace(card, files);
    expect(await chipAuthenticate(channel, files)).toBe(SW_OK);
    expect(card.state.chipAuthenticated).toBe(true);
    await readAll(channel, files);

    const bacCard = createEmulatedCard(files);
    await selectApplication(bacCard);
    const bac = await performBac(bacCard, files.access.mrzKey);
    expect(await chipAuthenticate(bac.channel, files)).toBe(SW_OK);
    await readAll(bac.channel, files); // now AES after 3DES
  });

  it('CA refusals: plain MSE (6982), wrong OID (6A80), bad GA data (6A80); a cloned chip breaks the next exchange', async () => {
    const card = createEmulatedCard(files);
    expect(
      (
        await send(card, {
          cla: 0,
          ins: 0x22,
          p1: 0x41,
          p2: 0xa4,
          data: encodeTlv(0x80, encodeOid(files.caProtocol as string)),
        })
      ).sw,
    ).toBe(0x6982);
    const { channel } = await pace(card, files);
    expect(
      (
        await send(channel, {
          cla: 0,
          ins: 0x22,
          p1: 0x41,
          p2: 0xa4,
          data: encodeTlv(0x80, encodeOid('0.4.0.127.0.7.2.2.3.2.4')),
        })
      ).sw,
    ).toBe(0x6a80);
    await send(channel, {
      cla: 0,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa4,
      data: encodeTlv(0x80, encodeOid(files.caProtocol as string)),
    });
    expect(
      (
        await send(channel, {
          cla: 0,
          ins: 0x86,
          p1: 0,
          p2: 0,
          data: Uint8Array.of(0x7c, 0x03, 0x80, 0x01, 0x04),
          le: 256,
        })
      ).sw,
    ).toBe(0x6a80);

    const cloned = createEmulatedCard(files, { faults: { clonedChip: true } });
    const c = await pace(cloned, files);
    expect(await chipAuthenticate(c.channel, files)).toBe(SW_OK);
    await expect(selectApplication(c.channel)).rejects.toMatchObject({
      code: 'SM_REJECTED',
      context: { sw: 0x6988 },
    });
  });

  it('SM keys never appear in the card object', async () => {
    const card = createEmulatedCard(files);
    await pace(card, files);
    expect(JSON.stringify({ state: card.state, stats: card.stats, faults: card.faults })).not.toMatch(
      /kEnc|kMac/,
    );
    expect(toHex(EMRTD_AID)).toBe('a0000002471001');
  });
});
