import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '@vneid/core/bytes';
import type { MrzKey } from '@vneid/core/mrz';
import { encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir, loadVectors } from '../../../../test/support/vectors.ts';
import { paceInfos, parseCardSecurity, parseSecurityInfos } from '../../src/lds/security-infos.ts';
import {
  type PaceSessionKeys,
  type PerformPaceOptions,
  performPace,
  selectPaceInfo,
  verifyPaceCam,
} from '../../src/protocols/pace/index.ts';
import type { ApduTransport } from '../../src/transport/index.ts';

const H = (b: Uint8Array): string => toHex(b).toUpperCase();

interface Exchange {
  step?: string;
  command: string;
  response: string;
}

/** A card that expects exactly these commands, in order, and answers with these responses. */
function scriptedCard(exchanges: readonly Exchange[]): ApduTransport & { sent: string[]; done(): boolean } {
  const sent: string[] = [];
  let i = 0;
  return {
    sent,
    done: () => i === exchanges.length,
    async transceive(command: Uint8Array): Promise<Uint8Array> {
      const e = exchanges[i++];
      sent.push(H(command));
      if (e === undefined) throw new Error(`unexpected command ${H(command)}`);
      expect(H(command)).toBe(e.command.toUpperCase());
      return fromHex(e.response);
    },
  };
}

/** `random(n)` that replays the given values and checks the requested lengths. */
function replayRandom(values: readonly string[]): (n: number) => Uint8Array {
  let i = 0;
  return (n: number) => {
    const v = values[i++];
    if (v === undefined) throw new Error('random called too often');
    const bytes = fromHex(v);
    expect(bytes.length).toBe(n);
    return bytes;
  };
}

function capture(): { keys: PaceSessionKeys[]; options: Pick<PerformPaceOptions, 'createChannel'> } {
  const keys: PaceSessionKeys[] = [];
  return {
    keys,
    options: {
      createChannel: (inner, k) => {
        keys.push(k);
        return inner as never;
      },
    },
  };
}

/** The hex of a GENERAL AUTHENTICATE (INS 86) with class `cla` carrying `objects` in a 7C template, Le 00. */
const ga = (cla: string, objects: Uint8Array): string => {
  const data = encodeTlv(0x7c, [objects]);
  return `${cla}860000${H(Uint8Array.of(data.length))}${H(data)}00`;
};

/** What a replayed vector gives the terminal: the password and its two private keys, in order. */
interface TerminalSide {
  password: Parameters<typeof performPace>[1];
  terminalMappingPrivateKey: string;
  terminalEphemeralPrivateKey: string;
}

/**
 * performPace with the vector's terminal keys replayed as its randomness and the channel
 * captured (keys discarded); `options` add to or replace those, `password` replaces the vector's.
 */
function replayPace(
  v: TerminalSide,
  card: ApduTransport,
  info: Parameters<typeof performPace>[2],
  options: PerformPaceOptions = {},
  password: Parameters<typeof performPace>[1] = v.password,
): ReturnType<typeof performPace> {
  return performPace(card, password, info, {
    random: replayRandom([v.terminalMappingPrivateKey, v.terminalEphemeralPrivateKey]),
    ...capture().options,
    ...options,
  });
}

interface GmVector {
  name: string;
  protocolOid: string;
  parameterId: number;
  cardAccess: string;
  password: MrzKey | { can: string };
  terminalMappingPrivateKey: string;
  terminalEphemeralPrivateKey: string;
  kEnc: string;
  kMac: string;
  chipMappingPublicKey?: string;
  chipEphemeralPublicKey?: string;
  apdus: Exchange[];
}

describe('performPace: ICAO 9303-11 Appendix G.1 (ECDH GM, brainpoolP256r1) replayed byte for byte', () => {
  const { source, vectors } = loadVectors<GmVector>(import.meta.url, 'pace-ecdh-gm');
  const v = vectors[0] as GmVector;
  /** replayPace over the vector's protocol with parameter ID 13 (brainpoolP256r1). */
  const pace13 = (card: ApduTransport, options?: PerformPaceOptions, password?: TerminalSide['password']) =>
    replayPace(v, card, { oid: v.protocolOid, parameterId: 13 }, options, password);
  it(`${v.name} (${source.slice(0, 60)}…)`, async () => {
    const card = scriptedCard(v.apdus);
    const cap = capture();
    const [paceInfo] = paceInfos(parseSecurityInfos(fromHex(v.cardAccess)));
    const result = await replayPace(v, card, paceInfo as NonNullable<typeof paceInfo>, cap.options);
    expect(card.done()).toBe(true);
    expect(cap.keys).toHaveLength(1);
    const keys = cap.keys[0] as PaceSessionKeys;
    expect(H(keys.kEnc)).toBe(v.kEnc);
    expect(H(keys.kMac)).toBe(v.kMac);
    expect(H(keys.ssc)).toBe('00000000000000000000000000000000');
    expect(keys.cipher).toBe('aes');
    expect(keys.keyBits).toBe(128);
    expect(result).toMatchObject({
      oid: v.protocolOid,
      parameterId: 13,
      keyAgreement: 'ECDH',
      mapping: 'GM',
      passwordType: 'MRZ',
      parameterIdSent: false,
      chipAuthenticationData: undefined,
    });
    expect(H(result.chipEphemeralPublicKey)).toBe(v.chipEphemeralPublicKey);
    expect(H(result.chipMappingPublicKey as Uint8Array)).toBe(v.chipMappingPublicKey);
  });

  it('accepts a bare { oid, parameterId }', async () => {
    const card = scriptedCard(v.apdus);
    const cap = capture();
    await pace13(card, cap.options);
    expect(H((cap.keys[0] as PaceSessionKeys).kEnc)).toBe(v.kEnc);
  });

  const steps = [
    'MSE_SET_AT',
    'ENCRYPTED_NONCE',
    'MAP_NONCE',
    'KEY_AGREEMENT',
    'MUTUAL_AUTHENTICATION',
  ] as const;
  for (const [i, step] of steps.entries()) {
    it(`reports the step and status word when the card refuses ${step}`, async () => {
      const script = v.apdus.slice(0, i + 1).map((e, j) => (j === i ? { ...e, response: '6982' } : e));
      const card = scriptedCard(script);
      await expect(pace13(card)).rejects.toMatchObject({
        code: 'PACE_FAILED',
        context: { step, sw: 0x6982 },
      });
    });
  }

  it('fails MUTUAL_AUTHENTICATION on a wrong chip token (constant-time check)', async () => {
    const script = v.apdus.map((e, j) => (j === 4 ? { ...e, response: '7C0A86083ABB9674BCE93C099000' } : e));
    await expect(pace13(scriptedCard(script))).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'MUTUAL_AUTHENTICATION' },
    });
  });

  it('detects a wrong password at MUTUAL_AUTHENTICATION', async () => {
    const wrong = { ...(v.password as MrzKey), dateOfBirth: '640813' };
    // With another K_π the nonce, mapping and keys differ: the commands after the first GA
    // differ, so the scripted card cannot check them; answer anything in order.
    const responses = v.apdus.map((e) => fromHex(e.response));
    let i = 0;
    const card: ApduTransport = { transceive: async () => responses[i++] as Uint8Array };
    await expect(pace13(card, undefined, wrong)).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'MUTUAL_AUTHENTICATION' },
    });
  });

  it('rejects a chip mapping key equal to the terminal key, or not on the curve', async () => {
    const own = v.apdus[2]?.command.slice(16, 16 + 2 * 0x45) as string; // 7C43 81 41 04…
    const echo = `7C4382${own.slice(6)}9000`;
    for (const response of [echo, `${v.apdus[2]?.response.slice(0, -6)}009000`]) {
      const script = v.apdus.slice(0, 3).map((e, j) => (j === 2 ? { ...e, response } : e));
      await expect(
        pace13(scriptedCard(script), { random: replayRandom([v.terminalMappingPrivateKey]) }),
      ).rejects.toMatchObject({ code: 'PACE_FAILED', context: { step: 'MAP_NONCE' } });
    }
  });

  it('retries MSE:Set AT with the parameter ID on 6A87', async () => {
    const withId = '0022C1A412800A04007F00070202040202830101' + '84010D';
    const script = [
      { command: v.apdus[0]?.command as string, response: '6A87' },
      { command: withId, response: '9000' },
      ...v.apdus.slice(1),
    ];
    const card = scriptedCard(script);
    const result = await pace13(card);
    expect(card.done()).toBe(true);
    expect(result.parameterIdSent).toBe(true);
  });

  it("sends 84 first with parameterIdReference 'always' and falls back without it", async () => {
    const withId = '0022C1A412800A04007F00070202040202830101' + '84010D';
    const script = [{ command: withId, response: '6A80' }, ...v.apdus];
    const card = scriptedCard(script);
    const result = await pace13(card, { parameterIdReference: 'always' });
    expect(card.done()).toBe(true);
    expect(result.parameterIdSent).toBe(false);
  });

  it('retries a GENERAL AUTHENTICATE without Le on 6700', async () => {
    const ga1 = v.apdus[1] as Exchange;
    const script = [
      v.apdus[0] as Exchange,
      { command: ga1.command, response: '6700' },
      { command: ga1.command.slice(0, -2), response: ga1.response },
      ...v.apdus.slice(2),
    ];
    const card = scriptedCard(script);
    await pace13(card);
    expect(card.done()).toBe(true);
  });

  it('refuses unsupported protocols and parameters before talking to the card', async () => {
    const card = scriptedCard([]);
    for (const info of [
      { oid: '0.4.0.127.0.7.2.2.3.2.2', parameterId: 13 },
      { oid: v.protocolOid, parameterId: 5 },
      { oid: v.protocolOid, parameterId: 0 },
      { oid: v.protocolOid },
    ]) {
      await expect(performPace(card, v.password, info)).rejects.toMatchObject({
        code: 'PACE_FAILED',
        context: { step: 'SETUP' },
      });
    }
    await expect(
      performPace(card, { can: '12345' }, { oid: v.protocolOid, parameterId: 13 }),
    ).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'SETUP' },
    });
    expect(card.sent).toEqual([]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      performPace(
        scriptedCard(v.apdus),
        v.password,
        { oid: v.protocolOid, parameterId: 13 },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'ReaderError', code: 'ABORTED' });
  });
});

interface ImVector {
  name: string;
  protocolOid: string;
  parameterId: number;
  password: { can: string };
  encryptedNonce: string;
  terminalNonce: string;
  terminalEphemeralPrivateKey: string;
  terminalEphemeralPublicKey: string;
  chipEphemeralPublicKey: string;
  kEnc: string;
  kMac: string;
  terminalToken: string;
  chipToken: string;
}

describe('performPace: ICAO 9303-11 Appendix H.1 (ECDH IM, CAN) replayed', () => {
  const { vectors } = loadVectors<ImVector>(import.meta.url, 'pace-ecdh-im');
  const v = vectors[0] as ImVector;
  it(v.name, async () => {
    const script: Exchange[] = [
      { command: '0022C1A40F800A04007F00070202040402830102', response: '9000' },
      { command: '10860000027C0000', response: `7C128010${v.encryptedNonce}9000` },
      { command: ga('10', encodeTlv(0x81, fromHex(v.terminalNonce))), response: '7C009000' },
      {
        command: ga('10', encodeTlv(0x83, fromHex(v.terminalEphemeralPublicKey))),
        response: `${H(encodeTlv(0x7c, [encodeTlv(0x84, fromHex(v.chipEphemeralPublicKey))]))}9000`,
      },
      {
        command: ga('00', encodeTlv(0x85, fromHex(v.terminalToken))),
        response: `${H(encodeTlv(0x7c, [encodeTlv(0x86, fromHex(v.chipToken))]))}9000`,
      },
    ];
    const card = scriptedCard(script);
    const cap = capture();
    const result = await performPace(
      card,
      v.password,
      { oid: v.protocolOid, parameterId: v.parameterId },
      {
        random: replayRandom([v.terminalNonce, v.terminalEphemeralPrivateKey]),
        ...cap.options,
      },
    );
    expect(card.done()).toBe(true);
    expect(H((cap.keys[0] as PaceSessionKeys).kEnc)).toBe(v.kEnc);
    expect(H((cap.keys[0] as PaceSessionKeys).kMac)).toBe(v.kMac);
    expect(result).toMatchObject({ mapping: 'IM', passwordType: 'CAN', chipMappingPublicKey: undefined });
  });
});

interface DhGmVector extends ImVector {
  terminalMappingPrivateKey: string;
  terminalMappingPublicKey: string;
  chipMappingPublicKey: string;
  password: { can: string };
}

describe('performPace: ICAO 9303-11 Appendix G.2 (DH GM, 1024-bit MODP) replayed', () => {
  const { vectors } = loadVectors<DhGmVector>(import.meta.url, 'pace-dh-gm');
  const v = vectors[0] as DhGmVector;
  it(v.name, async () => {
    const reply = (tag: number, hex: string): string =>
      `${H(encodeTlv(0x7c, [encodeTlv(tag, fromHex(hex))]))}9000`;
    const script: Exchange[] = [
      { command: '0022C1A40F800A04007F00070202040102830101', response: '9000' },
      { command: '10860000027C0000', response: reply(0x80, v.encryptedNonce) },
      {
        command: ga('10', encodeTlv(0x81, fromHex(v.terminalMappingPublicKey))),
        response: reply(0x82, v.chipMappingPublicKey),
      },
      {
        command: ga('10', encodeTlv(0x83, fromHex(v.terminalEphemeralPublicKey))),
        response: reply(0x84, v.chipEphemeralPublicKey),
      },
      { command: ga('00', encodeTlv(0x85, fromHex(v.terminalToken))), response: reply(0x86, v.chipToken) },
    ];
    const card = scriptedCard(script);
    const cap = capture();
    await replayPace(v, card, { oid: v.protocolOid, parameterId: 0 }, cap.options);
    expect(card.done()).toBe(true);
    expect(H((cap.keys[0] as PaceSessionKeys).kEnc)).toBe(v.kEnc);
    expect(H((cap.keys[0] as PaceSessionKeys).kMac)).toBe(v.kMac);
  });
});

interface CamVector extends GmVector {
  firstSecureCommand: { plain: string; command: string; response: string };
}

describe('performPace: PACE-CAM real-card trace (gmrtd, German eID) replayed byte for byte', () => {
  const { vectors } = loadVectors<CamVector>(import.meta.url, 'pace-ecdh-cam');
  const v = vectors[0] as CamVector;
  it(v.name, async () => {
    const card = scriptedCard(v.apdus);
    const cap = capture();
    const infos = paceInfos(parseSecurityInfos(fromHex(v.cardAccess)));
    const cam = infos.find((p) => p.mapping === 'CAM');
    const result = await replayPace(v, card, cam as NonNullable<typeof cam>, cap.options);
    expect(card.done()).toBe(true);
    expect(H((cap.keys[0] as PaceSessionKeys).kEnc)).toBe(v.kEnc);
    expect(H((cap.keys[0] as PaceSessionKeys).kMac)).toBe(v.kMac);
    expect(result.mapping).toBe('CAM');
    expect(typeof result.chipAuthenticationData).toBe('bigint');
  });
});

describe('performPace: PACE GM with 3DES, real-card trace (gmrtd, NZ passport) replayed byte for byte', () => {
  const { vectors } = loadVectors<GmVector>(import.meta.url, 'pace-ecdh-gm-3des');
  const v = vectors[0] as GmVector;
  it(v.name, async () => {
    const card = scriptedCard(v.apdus);
    const cap = capture();
    const [info] = paceInfos(parseSecurityInfos(fromHex(v.cardAccess)));
    const result = await replayPace(v, card, info as NonNullable<typeof info>, cap.options);
    expect(card.done()).toBe(true);
    const keys = cap.keys[0] as PaceSessionKeys;
    expect([H(keys.kEnc), H(keys.kMac), H(keys.ssc)]).toEqual([v.kEnc, v.kMac, '0000000000000000']);
    expect(result.cipher).toBe('3des');
  });
});

describe('performPace: hostile card answers', () => {
  const { vectors } = loadVectors<GmVector>(import.meta.url, 'pace-ecdh-gm');
  const v = vectors[0] as GmVector;
  it('random responses at any step end in PACE_FAILED with the step, never another error', async () => {
    const { ReaderError } = await import('../../src/errors.ts');
    await fc.assert(
      fc.asyncProperty(fc.nat(4), fc.uint8Array({ maxLength: 90 }), async (step, garbage) => {
        const responses = v.apdus.map((e) => fromHex(e.response));
        responses[step] = garbage;
        let i = 0;
        const card: ApduTransport = { transceive: async () => responses[i++] ?? new Uint8Array(0) };
        try {
          await replayPace(v, card, { oid: v.protocolOid, parameterId: 13 });
          // Only the untouched script can succeed.
          expect(H(garbage)).toBe(v.apdus[step]?.response);
        } catch (e) {
          expect(e).toBeInstanceOf(ReaderError);
          expect((e as InstanceType<typeof ReaderError>).code).toBe('PACE_FAILED');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('selectPaceInfo and verifyPaceCam', () => {
  it('prefers CAM, then GM; ECDH over DH; skips unknown parameter IDs', () => {
    const infos = paceInfos(
      parseSecurityInfos(
        fromHex(
          '313C3012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D3012060A04007F00070202040102020102020100',
        ),
      ),
    );
    expect(selectPaceInfo(infos)?.mapping).toBe('CAM');
    expect(selectPaceInfo(infos, ['GM'])?.keyAgreement).toBe('ECDH');
    expect(selectPaceInfo(infos, ['IM'])).toBeUndefined();
    const cccd = paceInfos(
      parseSecurityInfos(
        fromHex(
          '3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d',
        ),
      ),
    );
    expect(selectPaceInfo(cccd)?.parameterId).toBe(13);
  });

  const dir = interopSamplesDir();
  it.skipIf(dir === null)(
    'verifies the CAM trace against its EF.CardSecurity, and a tampered CA_IC fails',
    async () => {
      const { vectors } = loadVectors<CamVector>(import.meta.url, 'pace-ecdh-cam');
      const v = vectors[0] as CamVector;
      const [, cam] = paceInfos(parseSecurityInfos(fromHex(v.cardAccess)));
      const result = await replayPace(v, scriptedCard(v.apdus), cam as NonNullable<typeof cam>);
      const cs = parseCardSecurity(
        new Uint8Array(
          readFileSync(join(dir as string, 'cardsecurity/DE_EF_CardSecurity_from_gmrtd_trace.bin')),
        ),
      );
      const report = verifyPaceCam(result, cs.securityInfos);
      expect(report.ok).toBe(true);
      expect([13, 72]).toContain(report.keyId);
      const cloned = { ...result, chipAuthenticationData: (result.chipAuthenticationData as bigint) + 1n };
      expect(verifyPaceCam(cloned, cs.securityInfos)).toEqual({
        ok: false,
        keyId: undefined,
        reason: 'MISMATCH',
      });
      expect(verifyPaceCam({ ...result, mapping: 'GM' }, cs.securityInfos).reason).toBe('NOT_CAM');
      expect(verifyPaceCam(result, []).reason).toBe('NO_KEY');
    },
  );
});
