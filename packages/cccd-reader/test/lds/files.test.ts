import { fromHex, toHex } from '@vneid/core/bytes';
import { formatVietnamTd1 } from '@vneid/core/mrz';
import { decodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCom,
  buildDg1,
  buildDg2,
  buildLdsSecurityObject,
  CURVE_OIDS,
  inspectFaceImage,
  LDS_FILES,
  LDS_HASH_ALGORITHMS,
  type LdsHashName,
  NAMED_CURVES,
  parseCom,
  parseDg1,
  parseDg2,
  parseDg11,
  parseDg12,
  parseDg15,
  parseFaceRecord19794,
  parseLdsFile,
  parseLdsSecurityObject,
  parsePartialDate,
  parseSod,
} from '../../src/lds/index.ts';
import { codeOf, int, oid, P, T } from './helpers.ts';

// --- synthetic images -------------------------------------------------------------------------

/** A minimal baseline JPEG header: SOI, APP0 JFIF (or APP1 Exif), SOF0, EOI. */
function jpeg(width: number, height: number, exif = false): Uint8Array {
  const app = exif
    ? [0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
    : [
        0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00,
      ];
  return Uint8Array.from([
    0xff,
    0xd8,
    ...app,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
    0xff,
    0xd9,
  ]);
}

const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** A minimal JP2: signature box, ftyp, jp2h { ihdr }. */
function jp2(width: number, height: number): Uint8Array {
  const ihdr = [
    ...u32(22),
    0x69,
    0x68,
    0x64,
    0x72,
    ...u32(height),
    ...u32(width),
    0x00,
    0x03,
    0x07,
    0x07,
    0x00,
    0x00,
  ];
  return Uint8Array.from([
    0x00,
    0x00,
    0x00,
    0x0c,
    0x6a,
    0x50,
    0x20,
    0x20,
    0x0d,
    0x0a,
    0x87,
    0x0a,
    ...u32(20),
    0x66,
    0x74,
    0x79,
    0x70,
    0x6a,
    0x70,
    0x32,
    0x20,
    ...u32(0),
    0x6a,
    0x70,
    0x32,
    0x20,
    ...u32(8 + ihdr.length),
    0x6a,
    0x70,
    0x32,
    0x68,
    ...ihdr,
  ]);
}

/** A raw J2K codestream: SOC, SIZ with an image offset. */
function j2k(width: number, height: number): Uint8Array {
  const xo = 3;
  const yo = 5;
  return Uint8Array.from([
    0xff,
    0x4f,
    0xff,
    0x51,
    0x00,
    0x29,
    0x00,
    0x00,
    ...u32(width + xo),
    ...u32(height + yo),
    ...u32(xo),
    ...u32(yo),
    ...u32(width + xo),
    ...u32(height + yo),
    ...u32(0),
    ...u32(0),
    0x00,
    0x01,
    0x07,
    0x01,
    0x01,
  ]);
}

describe('inspectFaceImage', () => {
  it('reads JPEG (JFIF, Exif), JP2 and raw J2K sizes', () => {
    expect(inspectFaceImage(jpeg(300, 400))).toEqual({
      type: 'jpeg',
      container: 'jfif',
      width: 300,
      height: 400,
    });
    expect(inspectFaceImage(jpeg(300, 400, true))).toEqual({
      type: 'jpeg',
      container: 'exif',
      width: 300,
      height: 400,
    });
    expect(inspectFaceImage(jp2(413, 531))).toEqual({
      type: 'jpeg2000',
      container: 'jp2',
      width: 413,
      height: 531,
    });
    expect(inspectFaceImage(j2k(640, 480))).toEqual({
      type: 'jpeg2000',
      container: 'j2k',
      width: 640,
      height: 480,
    });
  });
  it('flags unrecognised and corrupt images', () => {
    expect(inspectFaceImage(new Uint8Array(10)).problem).toBe('IMAGE_UNRECOGNISED');
    expect(inspectFaceImage(jpeg(300, 400).subarray(0, 25)).problem).toBe('IMAGE_CORRUPT');
    expect(inspectFaceImage(jp2(1, 1).subarray(0, 40)).problem).toBe('IMAGE_CORRUPT');
    expect(inspectFaceImage(j2k(1, 1).subarray(0, 20)).problem).toBe('IMAGE_CORRUPT');
  });
});

// --- DG2 --------------------------------------------------------------------------------------

describe('DG2', () => {
  it('buildDg2 → parseDg2 gives back image, type and size (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xffff }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.constantFrom('jpeg' as const, 'jpeg2000' as const),
        fc.uint8Array({ maxLength: 300 }),
        (width, height, imageType, tail) => {
          const head = imageType === 'jpeg' ? jpeg(width, height) : jp2(width, height);
          const image = new Uint8Array([...head, ...tail]);
          const dg2 = parseDg2(buildDg2({ image, width, height, imageType }));
          expect(dg2.faces).toHaveLength(1);
          const face = dg2.faces[0]!;
          expect(toHex(face.image)).toBe(toHex(image));
          expect(face).toMatchObject({ format: '19794-5', imageType, width, height, headerMismatch: false });
          expect(face.header).toMatchObject({ version: '010', width, height, imageDataType: imageType });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('trusts the image over a disagreeing header (the CCCD case)', () => {
    const face = parseDg2(buildDg2({ image: jpeg(300, 400), width: 240, height: 320, imageType: 'jpeg' }))
      .faces[0]!;
    expect([face.width, face.height]).toEqual([300, 400]);
    expect([face.header.width, face.header.height]).toEqual([240, 320]);
    expect(face.headerMismatch).toBe(true);
  });

  const record = (): Uint8Array => {
    const dg2 = decodeTlv(buildDg2({ image: jpeg(10, 10), width: 10, height: 10, imageType: 'jpeg' }));
    return dg2.children![0]!.children![1]!.children![1]!.value.slice();
  };
  const withRecord = (rec: Uint8Array): Uint8Array =>
    T(0x75, T(0x7f61, int(1), T(0x7f60, T(0xa1, fromHex('87020101'), fromHex('88020008')), P(0x5f2e, rec))));

  it('19794-5 invalid records', () => {
    const rec = record();
    const lengthPlus = rec.slice();
    new DataView(lengthPlus.buffer).setUint32(8, rec.length + 1);
    const lengthMinus = rec.slice();
    new DataView(lengthMinus.buffer).setUint32(8, rec.length - 1);
    const faceLong = rec.slice();
    new DataView(faceLong.buffer).setUint32(14, rec.length);
    const faceShort = rec.slice();
    new DataView(faceShort.buffer).setUint32(14, rec.length - 14 - 1);
    const twoFaces = rec.slice();
    new DataView(twoFaces.buffer).setUint16(12, 2);
    const v020 = rec.slice();
    v020[5] = 0x32;
    const cases: Array<[string, Uint8Array, string]> = [
      ['no FAC', new Uint8Array(20), 'LDS_UNSUPPORTED_FORMAT'],
      ['version 020', v020, 'LDS_UNSUPPORTED_FORMAT'],
      ['too short', rec.subarray(0, 6), 'LDS_TRUNCATED_RECORD'],
      ['record cut', rec.subarray(0, rec.length - 3), 'LDS_TRUNCATED_RECORD'],
      ['declared longer', lengthPlus, 'LDS_TRUNCATED_RECORD'],
      ['declared shorter (overlong)', lengthMinus, 'LDS_RECORD_LENGTH_MISMATCH'],
      ['face past the record', faceLong, 'LDS_TRUNCATED_RECORD'],
      ['face shorter than the record', faceShort, 'LDS_RECORD_LENGTH_MISMATCH'],
      ['second face missing', twoFaces, 'LDS_TRUNCATED_RECORD'],
    ];
    for (const [name, bytes, code] of cases) {
      expect(
        codeOf(() => parseFaceRecord19794(bytes)),
        name,
      ).toBe(code);
      expect(
        codeOf(() => parseDg2(withRecord(bytes))),
        `DG2 ${name}`,
      ).toBe(code);
    }
  });

  it('DG2 structure errors', () => {
    const rec = record();
    const cases: Array<[string, Uint8Array, string]> = [
      ['wrong tag', fromHex('7500'.replace('75', '61')), 'LDS_UNEXPECTED_TAG'],
      ['empty', fromHex('7500'), 'LDS_INVALID_STRUCTURE'],
      [
        'count 2, one template',
        T(0x75, T(0x7f61, int(2), T(0x7f60, T(0xa1), P(0x5f2e, rec)))),
        'LDS_INVALID_STRUCTURE',
      ],
      ['no header template', T(0x75, T(0x7f61, int(1), T(0x7f60, P(0x5f2e, rec)))), 'LDS_INVALID_STRUCTURE'],
      ['no data block', T(0x75, T(0x7f61, int(1), T(0x7f60, T(0xa1)))), 'LDS_INVALID_STRUCTURE'],
    ];
    for (const [name, bytes, code] of cases)
      expect(
        codeOf(() => parseDg2(bytes)),
        name,
      ).toBe(code);
  });
});

// --- LDSSecurityObject and SOD ------------------------------------------------------------------

const hashNames = Object.keys(LDS_HASH_ALGORITHMS) as LdsHashName[];
const lsoArb = fc
  .record({
    hashAlgorithm: fc.constantFrom(...hashNames),
    groups: fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 16 }),
    seed: fc.integer(),
    withVersion: fc.boolean(),
  })
  .map(({ hashAlgorithm, groups, seed, withVersion }) => ({
    hashAlgorithm,
    dataGroupHashes: groups.map((dataGroup) => ({
      dataGroup,
      hash: Uint8Array.from(
        { length: LDS_HASH_ALGORITHMS[hashAlgorithm].length },
        (_, i) => (seed + i * 31 + dataGroup) & 0xff,
      ),
    })),
    ...(withVersion ? { ldsVersion: { ldsVersion: '0108', unicodeVersion: '040000' } } : {}),
  }));

/** A CMS SignedData EF.SOD around an eContent, written by hand, optionally with BER indefinite lengths. */
function sodAround(eContent: Uint8Array, ber: boolean): { sod: Uint8Array; signedAttrs: Uint8Array } {
  const signedAttrs = T(
    0xa0,
    T(0x30, oid('1.2.840.113549.1.9.3'), T(0x31, oid('2.23.136.1.1.1'))),
    T(0x30, oid('1.2.840.113549.1.9.5'), T(0x31, P(0x17, new TextEncoder().encode('260101120000Z')))),
    T(0x30, oid('1.2.840.113549.1.9.4'), T(0x31, P(0x04, new Uint8Array(32).fill(7)))),
  );
  const name = T(0x30, T(0x31, T(0x30, oid('2.5.4.6'), P(0x13, new TextEncoder().encode('VN')))));
  const cert = T(0x30, T(0x30, int(2)), T(0x30, oid('1.2.840.10045.4.3.2')), P(0x03, fromHex('0001')));
  const signerInfo = T(
    0x30,
    int(1),
    T(0x30, name, int(0x1234)),
    T(0x30, oid('2.16.840.1.101.3.4.2.1')),
    signedAttrs,
    T(0x30, oid('1.2.840.10045.4.3.2')),
    P(0x04, new Uint8Array(64).fill(9)),
  );
  const indef = (tag: number, ...parts: Uint8Array[]): Uint8Array =>
    ber ? Uint8Array.from([tag, 0x80, ...parts.flatMap((p) => [...p]), 0, 0]) : T(tag, ...parts);
  const sod = indef(
    0x77,
    indef(
      0x30,
      oid('1.2.840.113549.1.7.2'),
      indef(
        0xa0,
        indef(
          0x30,
          int(3),
          T(0x31, T(0x30, oid('2.16.840.1.101.3.4.2.1'))),
          indef(0x30, oid('2.23.136.1.1.1'), indef(0xa0, P(0x04, eContent))),
          T(0xa0, cert),
          T(0x31, signerInfo),
        ),
      ),
    ),
  );
  return { sod, signedAttrs };
}

describe('LDSSecurityObject and EF.SOD', () => {
  it('buildLdsSecurityObject → parseLdsSecurityObject gives back the values (property)', () => {
    fc.assert(
      fc.property(lsoArb, (values) => {
        const bytes = buildLdsSecurityObject(values);
        const lso = parseLdsSecurityObject(bytes);
        expect(lso.raw).toBe(bytes);
        expect(lso.version).toBe(values.ldsVersion ? 1 : 0);
        expect(lso.hashAlgorithm.name).toBe(values.hashAlgorithm);
        expect(lso.dataGroupHashes.map((h) => [h.dataGroup, toHex(h.hash)])).toEqual(
          values.dataGroupHashes.map((h) => [h.dataGroup, toHex(h.hash)]),
        );
        expect(lso.ldsVersionInfo).toEqual(values.ldsVersion);
      }),
      { numRuns: 200 },
    );
  });

  it('parses a DER SOD keeping eContent and signedAttrs bytes exact; the BER (indefinite-length) form is rejected as not DER', () => {
    const eContent = buildLdsSecurityObject({
      hashAlgorithm: 'SHA-256',
      dataGroupHashes: [1, 2, 13, 14, 15].map((dataGroup) => ({
        dataGroup,
        hash: new Uint8Array(32).fill(dataGroup),
      })),
    });
    // ICAO Doc 9303 Part 10 §4.6.2: security objects SHALL be DER.
    expect(() => parseSod(sodAround(eContent, true).sod)).toThrowError(
      expect.objectContaining({ code: 'LDS_INVALID_TLV', context: expect.objectContaining({ rule: 'der' }) }),
    );
    for (const ber of [false]) {
      const { sod, signedAttrs } = sodAround(eContent, ber);
      const parsed = parseSod(sod);
      expect(parsed.raw).toBe(sod);
      expect(toHex(parsed.signedData.eContent)).toBe(toHex(eContent));
      expect(parsed.ldsSecurityObject.dataGroupHashes.map((h) => h.dataGroup)).toEqual([1, 2, 13, 14, 15]);
      const [si] = parsed.signedData.signerInfos;
      expect(toHex(si!.signedAttrs!)).toBe(toHex(signedAttrs));
      expect(si!.sid.serialNumber).toEqual(fromHex('1234'));
      expect(si!.digestAlgorithm).toEqual({ oid: '2.16.840.1.101.3.4.2.1' });
      expect(si!.signatureAlgorithm.oid).toBe('1.2.840.10045.4.3.2');
      expect(si!.signingTime).toBe('2026-01-01T12:00:00Z');
      expect(si!.messageDigest).toEqual(new Uint8Array(32).fill(7));
      expect(si!.contentType).toBe('2.23.136.1.1.1');
      expect(si!.signature).toHaveLength(64);
      expect(parsed.signedData.certificates).toHaveLength(1);
      expect(parsed.signedData.version).toBe(3);
    }
  });

  it('invalid SOD and LDSSecurityObject inputs', () => {
    const good = buildLdsSecurityObject({
      hashAlgorithm: 'SHA-1',
      dataGroupHashes: [{ dataGroup: 1, hash: new Uint8Array(20) }],
    });
    const unknownHash = T(
      0x30,
      int(0),
      T(0x30, oid('1.2.3.4')),
      T(0x30, T(0x30, int(1), P(0x04, new Uint8Array(20)))),
    );
    const shortHash = T(
      0x30,
      int(0),
      T(0x30, oid('1.3.14.3.2.26')),
      T(0x30, T(0x30, int(1), P(0x04, new Uint8Array(19)))),
    );
    const dg17 = T(
      0x30,
      int(0),
      T(0x30, oid('1.3.14.3.2.26')),
      T(0x30, T(0x30, int(17), P(0x04, new Uint8Array(20)))),
    );
    const dup = T(
      0x30,
      int(0),
      T(0x30, oid('1.3.14.3.2.26')),
      T(0x30, T(0x30, int(1), P(0x04, new Uint8Array(20))), T(0x30, int(1), P(0x04, new Uint8Array(20)))),
    );
    const lsoCases: Array<[string, unknown, string]> = [
      ['not bytes', null, 'LDS_INVALID_INPUT'],
      ['empty', new Uint8Array(0), 'LDS_INVALID_TLV'],
      ['truncated', good.subarray(0, good.length - 1), 'LDS_INVALID_TLV'],
      ['not a SEQUENCE', fromHex('0400'), 'LDS_INVALID_STRUCTURE'],
      ['unknown hash', unknownHash, 'LDS_UNSUPPORTED_ALGORITHM'],
      ['hash of wrong length', shortHash, 'LDS_INVALID_STRUCTURE'],
      ['data group 17', dg17, 'LDS_INVALID_STRUCTURE'],
      ['duplicate data group', dup, 'LDS_INVALID_STRUCTURE'],
    ];
    for (const [name, input, code] of lsoCases)
      expect(
        codeOf(() => parseLdsSecurityObject(input as Uint8Array)),
        name,
      ).toBe(code);
    const { sod } = sodAround(good, false);
    const sodCases: Array<[string, Uint8Array, string]> = [
      ['wrong tag', fromHex('7700'.replace('77', '30')), 'LDS_UNEXPECTED_TAG'],
      ['empty 77', fromHex('7700'), 'LDS_INVALID_STRUCTURE'],
      ['truncated', sod.subarray(0, sod.length - 5), 'LDS_INVALID_TLV'],
      [
        'not SignedData',
        T(0x77, T(0x30, oid('1.2.840.113549.1.7.1'), T(0xa0, T(0x30)))),
        'LDS_INVALID_STRUCTURE',
      ],
      ['bad eContent', sodAround(fromHex('3000'), false).sod, 'LDS_INVALID_STRUCTURE'],
    ];
    for (const [name, input, code] of sodCases)
      expect(
        codeOf(() => parseSod(input)),
        name,
      ).toBe(code);
  });
});

// --- DG1 and EF.COM -----------------------------------------------------------------------------

describe('DG1', () => {
  const lines = formatVietnamTd1({
    idNumber: '001099012345',
    dateOfBirth: '1999-03-05',
    sex: 'female',
    dateOfExpiry: '2039-03-05',
    surname: 'TRAN',
    givenNames: 'THI MAU',
  });
  it('buildDg1 → parseDg1 (Vietnamese TD1)', () => {
    const dg1 = parseDg1(buildDg1(lines));
    expect(dg1.mrzText).toBe(lines.join(''));
    expect(dg1.mrz.format).toBe('TD1');
    expect(dg1.mrz.vietnam?.idNumber).toBe('001099012345');
    expect(dg1.mrz.dateOfBirthIso).toBe('1999-03-05');
  });
  it('invalid DG1 inputs', () => {
    const text = lines.join('');
    const badCheck = `${text.slice(0, 14)}${text[14] === '0' ? '1' : '0'}${text.slice(15)}`;
    expect(codeOf(() => parseDg1(T(0x61, P(0x5f1f, new TextEncoder().encode(badCheck)))))).toBe(
      'LDS_INVALID_MRZ',
    );
    expect(codeOf(() => parseDg1(T(0x61, P(0x5f1f, fromHex('ff')))))).toBe('LDS_INVALID_TEXT');
    expect(codeOf(() => parseDg1(T(0x61)))).toBe('LDS_INVALID_STRUCTURE');
    expect(codeOf(() => parseDg1(fromHex('6101')))).toBe('LDS_INVALID_TLV');
    expect(codeOf(() => buildDg1('SHORT'))).toBe('LDS_INVALID_INPUT');
  });
});

describe('EF.COM, DG11, DG12 (two-byte tags 5F01…5F1B)', () => {
  it('buildCom → parseCom (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { maxLength: 16 }), (dataGroups) => {
        const com = parseCom(buildCom({ dataGroups }));
        expect(com.dataGroups).toEqual(dataGroups);
        expect(com.ldsVersion).toBe('0107');
      }),
    );
  });
  it('DG11 with BCD and partial dates, DG12', () => {
    const te = (s: string): Uint8Array => new TextEncoder().encode(s);
    const dg11 = parseDg11(
      T(
        0x6b,
        P(0x5c, fromHex('5f0e5f2b5f11')),
        P(0x5f0e, te('MAU<<THI')),
        P(0x5f2b, fromHex('19990305')),
        P(0x5f11, te('HA NOI<VIET NAM')),
      ),
    );
    expect(dg11.fullDateOfBirth).toMatchObject({ encoding: 'bcd', iso: '1999-03-05' });
    expect(dg11.placeOfBirth).toEqual(['HA NOI', 'VIET NAM']);
    const dg12 = parseDg12(T(0x6c, P(0x5c, fromHex('5f26')), P(0x5f26, te('2021<<<<'))));
    expect(dg12.dateOfIssue).toMatchObject({ encoding: 'text', year: 2021, month: null, iso: null });
  });
});

describe('partial dates', () => {
  it('text, fillers and BCD', () => {
    const te = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(parsePartialDate(te('19990305'))).toMatchObject({
      year: 1999,
      month: 3,
      day: 5,
      iso: '1999-03-05',
    });
    expect(parsePartialDate(te('1999<<<<'))).toMatchObject({ year: 1999, month: null, day: null, iso: null });
    expect(parsePartialDate(te('19990000'))).toMatchObject({ year: 1999, month: null, day: null, iso: null });
    expect(parsePartialDate(te('19990231'))).toMatchObject({ year: 1999, month: 2, day: null, iso: null });
    expect(parsePartialDate(fromHex('20240229'))).toMatchObject({ encoding: 'bcd', iso: '2024-02-29' });
    expect(parsePartialDate(te('5 March'))).toBeNull();
  });
});

// --- DG15 ---------------------------------------------------------------------------------------

describe('DG15', () => {
  it('RSA key: modulus bits and exponent', () => {
    const modulus = new Uint8Array(224).fill(0xab); // 1792 bits
    const rsa = T(0x30, P(0x02, new Uint8Array([0, ...modulus])), P(0x02, fromHex('010001')));
    const spki = T(
      0x30,
      T(0x30, oid('1.2.840.113549.1.1.1'), fromHex('0500')),
      P(0x03, new Uint8Array([0, ...rsa])),
    );
    const { publicKey } = parseDg15(T(0x6f, spki));
    expect(publicKey).toMatchObject({ algorithm: 'rsa', modulusBits: 1792, publicExponent: 65537 });
    expect(toHex(publicKey.spki)).toBe(toHex(spki));
  });
  it('EC key: named curve and explicit brainpoolP256r1 parameters', () => {
    const point = new Uint8Array([4, ...new Uint8Array(64).fill(1)]);
    const named = T(
      0x30,
      T(0x30, oid('1.2.840.10045.2.1'), oid(CURVE_OIDS.secp256r1 as string)),
      P(0x03, new Uint8Array([0, ...point])),
    );
    expect(parseDg15(T(0x6f, named)).publicKey).toMatchObject({ algorithm: 'ec', curveName: 'secp256r1' });
    const c = NAMED_CURVES.brainpoolP256r1!;
    const big = (n: bigint): Uint8Array => fromHex(n.toString(16).padStart(64, '0'));
    const int0 = (n: bigint): Uint8Array => P(0x02, new Uint8Array([0, ...big(n)]));
    const params = T(
      0x30,
      int(1),
      T(0x30, oid('1.2.840.10045.1.1'), int0(c.p)),
      T(0x30, P(0x04, big(c.a)), P(0x04, big(c.b))),
      P(0x04, new Uint8Array([4, ...big(c.gx), ...big(c.gy)])),
      int0(c.n),
      int(1),
    );
    const explicit = T(
      0x30,
      T(0x30, oid('1.2.840.10045.2.1'), params),
      P(0x03, new Uint8Array([0, ...point])),
    );
    expect(parseDg15(T(0x6f, explicit)).publicKey).toMatchObject({
      algorithm: 'ec',
      curveName: 'brainpoolP256r1',
      curveOid: CURVE_OIDS.brainpoolP256r1,
    });
  });
  it('invalid DG15 inputs', () => {
    const dsa = T(0x30, T(0x30, oid('1.2.840.10040.4.1')), P(0x03, fromHex('0000')));
    expect(codeOf(() => parseDg15(T(0x6f, dsa)))).toBe('LDS_UNSUPPORTED_ALGORITHM');
    expect(codeOf(() => parseDg15(T(0x6f)))).toBe('LDS_INVALID_STRUCTURE');
    const rsaGarbage = T(0x30, T(0x30, oid('1.2.840.113549.1.1.1')), P(0x03, fromHex('00ff')));
    expect(codeOf(() => parseDg15(T(0x6f, rsaGarbage)))).toBe('LDS_INVALID_TLV');
  });
});

// --- dispatcher and file table -------------------------------------------------------------------

describe('file table and parseLdsFile', () => {
  it('has EF.COM 011E, EF.SOD 011D, DG1–DG16 0101–0110 with SFIs', () => {
    const byName = Object.fromEntries(LDS_FILES.map((f) => [f.name, f]));
    expect(byName.COM).toMatchObject({ fid: 0x011e, sfi: 0x1e, tag: 0x60 });
    expect(byName.SOD).toMatchObject({ fid: 0x011d, sfi: 0x1d, tag: 0x77 });
    expect(byName.CardAccess).toMatchObject({ fid: 0x011c, location: 'master' });
    expect(byName.DG13).toMatchObject({ fid: 0x010d, sfi: 0x0d, tag: 0x6d });
    expect(byName.DG16).toMatchObject({ fid: 0x0110, sfi: 0x10, tag: 0x70 });
  });
  it('unknown identifiers', () => {
    expect(codeOf(() => parseLdsFile(0x0200, new Uint8Array(0)))).toBe('LDS_UNKNOWN_FILE');
    expect(codeOf(() => parseLdsFile(17, new Uint8Array(0)))).toBe('LDS_UNKNOWN_FILE');
  });
});
