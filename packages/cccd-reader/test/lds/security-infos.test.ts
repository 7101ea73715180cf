import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '@vneid/core/bytes';
import { encodeOid, encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir } from '../../../../test/support/vectors.ts';
import { NAMED_CURVES, oidName } from '../../src/lds/oids.ts';
import {
  type ChipAuthenticationPublicKeyInfo,
  paceInfos,
  parseCardSecurity,
  parseSecurityInfos,
  type SecurityInfo,
  SecurityInfosError,
} from '../../src/lds/security-infos.ts';

/** EF.CardAccess as read from Vietnamese CCCD chips (SPEC-NOTES §4). */
const CCCD_CARD_ACCESS =
  '3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d';

const seq = (...items: Uint8Array[]): Uint8Array => encodeTlv(0x30, items);
const oid = (o: string): Uint8Array => encodeTlv(0x06, encodeOid(o));
const int = (n: number): Uint8Array => encodeTlv(0x02, n < 128 ? Uint8Array.of(n) : Uint8Array.of(0, n));
const set = (...items: Uint8Array[]): Uint8Array => encodeTlv(0x31, items);
const big = (n: bigint): Uint8Array => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return encodeTlv(0x02, fromHex(hex));
};
const fixed = (n: bigint, len: number): Uint8Array => fromHex(n.toString(16).padStart(len * 2, '0'));

describe('parseSecurityInfos: CCCD EF.CardAccess (SPEC-NOTES §4)', () => {
  const parsed = parseSecurityInfos(fromHex(CCCD_CARD_ACCESS));
  it('finds TA, CA-ECDH-AES-128 and PACE-ECDH-GM-AES-128 with parameter ID 13', () => {
    expect(parsed.infos.map((i) => i.type)).toEqual([
      'TerminalAuthenticationInfo',
      'ChipAuthenticationInfo',
      'PACEInfo',
    ]);
    const [ta, ca, pace] = parsed.infos as [SecurityInfo, SecurityInfo, SecurityInfo];
    expect(ta).toMatchObject({ oid: '0.4.0.127.0.7.2.2.2', version: 1, efCvca: undefined });
    expect(ca).toMatchObject({
      oidName: 'id-CA-ECDH-AES-CBC-CMAC-128',
      version: 1,
      keyId: undefined,
      keyAgreement: 'ECDH',
      cipher: 'AES',
      keyLength: 128,
    });
    expect(pace).toMatchObject({
      oid: '0.4.0.127.0.7.2.2.4.2.2',
      oidName: 'id-PACE-ECDH-GM-AES-CBC-CMAC-128',
      version: 2,
      parameterId: 13,
      keyAgreement: 'ECDH',
      mapping: 'GM',
      cipher: 'AES',
      keyLength: 128,
    });
    expect(toHex(pace.raw)).toBe('3012060a04007f0007020204020202010202010d');
    expect(paceInfos(parsed)).toEqual([pace]);
  });
});

describe('parseSecurityInfos: other inputs', () => {
  it('parses several PACEInfos in file order (CAM, GM)', () => {
    const two = parseSecurityInfos(
      fromHex('31283012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D'),
    );
    expect(paceInfos(two).map((p) => [p.mapping, p.parameterId])).toEqual([
      ['GM', 13],
      ['CAM', 13],
    ]);
  });

  it('accepts the DG14 wrapper 6E', () => {
    const inner = fromHex(CCCD_CARD_ACCESS);
    const dg14 = encodeTlv(0x6e, inner);
    expect(parseSecurityInfos(dg14).infos).toEqual(parseSecurityInfos(inner).infos);
  });

  it('parses ActiveAuthenticationInfo and TerminalAuthenticationInfo with efCVCA', () => {
    const aa = seq(oid('2.23.136.1.1.5'), int(1), oid('0.4.0.127.0.7.1.1.4.1.3'));
    const ta = seq(
      oid('0.4.0.127.0.7.2.2.2'),
      int(1),
      seq(encodeTlv(0x04, fromHex('011C')), encodeTlv(0x04, fromHex('1C'))),
    );
    const [a, t] = parseSecurityInfos(set(aa, ta)).infos;
    expect(a).toMatchObject({
      type: 'ActiveAuthenticationInfo',
      version: 1,
      signatureAlgorithm: '0.4.0.127.0.7.1.1.4.1.3',
      signatureAlgorithmName: 'ecdsa-plain-SHA256',
    });
    expect(t).toMatchObject({ type: 'TerminalAuthenticationInfo', efCvca: fromHex('011C1C') });
  });

  it('parses a PACEDomainParameterInfo with a proprietary ID', () => {
    const info = seq(oid('0.4.0.127.0.7.2.2.4.2'), seq(oid('0.4.0.127.0.7.1.2'), int(13)), int(32));
    expect(parseSecurityInfos(set(info)).infos[0]).toMatchObject({
      type: 'PACEDomainParameterInfo',
      keyAgreement: 'ECDH',
      mapping: 'GM',
      domainParameters: { kind: 'standardized', parameterId: 13 },
      parameterId: 32,
    });
  });

  function explicitPk(curve: {
    p: bigint;
    a: bigint;
    b: bigint;
    gx: bigint;
    gy: bigint;
    n: bigint;
    h: bigint;
  }): Uint8Array {
    const len = Math.ceil(curve.p.toString(2).length / 8);
    const params = seq(
      int(1),
      seq(oid('1.2.840.10045.1.1'), big(curve.p)),
      seq(encodeTlv(0x04, fixed(curve.a, len)), encodeTlv(0x04, fixed(curve.b, len))),
      encodeTlv(0x04, Uint8Array.of(4, ...fixed(curve.gx, len), ...fixed(curve.gy, len))),
      big(curve.n),
      big(curve.h),
    );
    const point = Uint8Array.of(4, ...fixed(curve.gx, len), ...fixed(curve.gy, len));
    const spki = seq(seq(oid('1.2.840.10045.2.1'), params), encodeTlv(0x03, Uint8Array.of(0, ...point)));
    return seq(oid('0.4.0.127.0.7.2.2.1.2'), spki, int(1));
  }

  it('reads explicit EC parameters (p, a, b, G, n, h) and names brainpoolP256r1', () => {
    const curve = NAMED_CURVES.brainpoolP256r1 as NonNullable<(typeof NAMED_CURVES)['x']>;
    const info = parseSecurityInfos(set(explicitPk(curve))).infos[0] as ChipAuthenticationPublicKeyInfo;
    expect(info.type).toBe('ChipAuthenticationPublicKeyInfo');
    expect(info.keyId).toBe(1);
    expect(info.publicKey.algorithm).toBe('1.2.840.10045.2.1');
    expect(info.publicKey.domainParameters).toEqual({
      kind: 'ec',
      namedCurve: 'brainpoolP256r1',
      curveOid: '1.3.36.3.3.2.8.1.1.7',
      curve,
    });
    expect(info.publicKey.publicKey.length).toBe(65);
  });

  it('keeps unrecognised explicit curves without a name', () => {
    const curve = { ...(NAMED_CURVES.brainpoolP256r1 as NonNullable<(typeof NAMED_CURVES)['x']>), b: 7n };
    const info = parseSecurityInfos(set(explicitPk(curve))).infos[0] as ChipAuthenticationPublicKeyInfo;
    expect(info.publicKey.domainParameters).toMatchObject({
      kind: 'ec',
      namedCurve: undefined,
      curveOid: undefined,
    });
  });

  it('keeps unknown protocols and malformed known ones raw', () => {
    const unknown = seq(oid('1.2.3.4'), int(1));
    const badPace = seq(oid('0.4.0.127.0.7.2.2.4.2.2'), encodeTlv(0x04, Uint8Array.of(2)));
    const infos = parseSecurityInfos(set(unknown, badPace)).infos;
    expect(infos).toEqual([
      {
        type: 'UnknownSecurityInfo',
        oid: '1.2.3.4',
        oidName: undefined,
        raw: unknown,
        reason: 'UNKNOWN_PROTOCOL',
      },
      {
        type: 'UnknownSecurityInfo',
        oid: '0.4.0.127.0.7.2.2.4.2.2',
        oidName: 'id-PACE-ECDH-GM-AES-CBC-CMAC-128',
        raw: badPace,
        reason: 'MALFORMED',
      },
    ]);
  });

  it('names OIDs', () => {
    expect(oidName('0.4.0.127.0.7.2.2.4.6.4')).toBe('id-PACE-ECDH-CAM-AES-CBC-CMAC-256');
    expect(oidName('0.4.0.127.0.7.2.2.4.1.1')).toBe('id-PACE-DH-GM-3DES-CBC-CBC');
    expect(oidName('0.4.0.127.0.7.2.2.4.6.1')).toBeUndefined();
    expect(oidName('1.3.36.3.3.2.8.1.1.7')).toBe('brainpoolP256r1');
  });
});

describe('parseSecurityInfos: invalid inputs', () => {
  const table: Array<[string, string, string]> = [
    ['empty', '', 'INVALID_TLV'],
    ['truncated', '3134300d0608', 'INVALID_TLV'],
    ['trailing bytes', `${CCCD_CARD_ACCESS}00`, 'INVALID_TLV'],
    ['not a SET', '300d060804007f0007020202020101', 'INVALID_STRUCTURE'],
    ['primitive instead of SET', '0401ff', 'INVALID_STRUCTURE'],
    ['SET of INTEGER', '3103020101', 'INVALID_STRUCTURE'],
    ['SecurityInfo without OID', '31053003020101', 'INVALID_STRUCTURE'],
    ['empty SEQUENCE', '31023000', 'INVALID_STRUCTURE'],
    ['DG14 with two SETs', '6e0431003100', 'INVALID_STRUCTURE'],
  ];
  for (const [name, hex, code] of table) {
    it(`${name} → ${code}`, () => {
      let error: unknown;
      try {
        parseSecurityInfos(fromHex(hex));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecurityInfosError);
      expect((error as SecurityInfosError).code).toBe(code);
    });
  }

  it('random bytes give a value or a SecurityInfosError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseSecurityInfos(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(SecurityInfosError);
        }
        try {
          parseCardSecurity(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(SecurityInfosError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated CardAccess bytes give a value or a SecurityInfosError', () => {
    const base = fromHex(CCCD_CARD_ACCESS);
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const bytes = base.slice();
        bytes[i] = b;
        try {
          const parsed = parseSecurityInfos(bytes);
          expect(parsed.infos.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(SecurityInfosError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

const dir = interopSamplesDir();
describe.skipIf(dir === null)('interoperability samples (../shared/data/interop-samples)', () => {
  const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir as string, name)));

  it('bsi2008/EF_DG14.bin: CA public key with explicit brainpoolP224r1 parameters, CA 3DES, TA', () => {
    const infos = parseSecurityInfos(read('bsi2008/EF_DG14.bin')).infos;
    expect(infos.map((i) => i.type)).toEqual([
      'ChipAuthenticationPublicKeyInfo',
      'ChipAuthenticationInfo',
      'TerminalAuthenticationInfo',
    ]);
    const pk = infos[0] as ChipAuthenticationPublicKeyInfo;
    expect(pk.publicKey.domainParameters).toMatchObject({ kind: 'ec', namedCurve: 'brainpoolP224r1' });
    expect(pk.publicKey.publicKey.length).toBe(57);
    expect(infos[1]).toMatchObject({ oidName: 'id-CA-ECDH-3DES-CBC-CBC', version: 1 });
  });

  it('cardsecurity/DE_EF_CardSecurity_from_gmrtd_trace.bin: PACE GM + CAM, two CA keys', () => {
    const cs = parseCardSecurity(read('cardsecurity/DE_EF_CardSecurity_from_gmrtd_trace.bin'));
    expect(cs.contentType).toBe('0.4.0.127.0.7.3.2.1');
    expect(paceInfos(cs.securityInfos).map((p) => p.mapping)).toEqual(['GM', 'CAM']);
    const keys = cs.securityInfos.infos.filter(
      (i): i is ChipAuthenticationPublicKeyInfo => i.type === 'ChipAuthenticationPublicKeyInfo',
    );
    expect(keys.map((k) => [k.keyId, k.publicKey.domainParameters])).toEqual([
      [13, { kind: 'standardized', parameterId: 13 }],
      [72, { kind: 'standardized', parameterId: 13 }],
    ]);
  });

  it('cardsecurity/efcardsecurity.dump: TA, CA, CA domain parameters and a flattened CA key', () => {
    const cs = parseCardSecurity(read('cardsecurity/efcardsecurity.dump'));
    expect(cs.securityInfos.infos.map((i) => i.type)).toEqual([
      'TerminalAuthenticationInfo',
      'ChipAuthenticationInfo',
      'ChipAuthenticationDomainParameterInfo',
      'ChipAuthenticationPublicKeyInfo',
    ]);
    const pk = cs.securityInfos.infos[3] as ChipAuthenticationPublicKeyInfo;
    expect(pk.publicKey.publicKey.length).toBe(65);
  });

  it('every sample exists', () => {
    for (const f of ['bsi2008/EF_DG14.bin', 'cardsecurity/efcardsecurity.dump']) {
      expect(existsSync(join(dir as string, f))).toBe(true);
    }
  });
});
if (dir === null) {
  describe('interoperability samples', () => {
    it.skip('../shared/data/interop-samples is absent: SecurityInfos interop tests skipped', () => {});
  });
}

describe('parseCardSecurity: invalid inputs', () => {
  const table: Array<[string, Uint8Array, string]> = [
    ['empty', new Uint8Array(0), 'INVALID_TLV'],
    ['bare SecurityInfos', fromHex(CCCD_CARD_ACCESS), 'INVALID_STRUCTURE'],
    ['bad OID in ContentInfo', seq(encodeTlv(0x06, Uint8Array.of(0x80))), 'INVALID_STRUCTURE'],
    ['not signedData', seq(oid('1.2.840.113549.1.7.1')), 'INVALID_STRUCTURE'],
    [
      'signedData without content',
      seq(oid('1.2.840.113549.1.7.2'), encodeTlv(0xa0, [seq(int(3))])),
      'INVALID_STRUCTURE',
    ],
  ];
  for (const [name, bytes, code] of table) {
    it(`${name} → ${code}`, () => {
      expect(() => parseCardSecurity(bytes)).toThrowError(expect.objectContaining({ code }));
    });
  }
});
