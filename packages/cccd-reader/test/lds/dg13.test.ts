import { fromHex, toHex } from '@vneid/core/bytes';
import { encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { buildDg13, type Dg13Fields, dg13DateToIso, LdsError, parseDg13 } from '../../src/lds/index.ts';

interface Dg13Vector {
  name: string;
  hex: string;
  expect: Record<string, unknown> & {
    unknownFields?: { field: number; text: string[]; valuesHex: string[] }[];
  };
}

const { vectors } = loadVectors<Dg13Vector>(import.meta.url, 'dg13');

describe('parseDg13 on synthetic card layouts', () => {
  for (const v of vectors) {
    it(v.name, () => {
      const bytes = fromHex(v.hex);
      const dg13 = parseDg13(bytes);
      expect(dg13.raw).toBe(bytes);
      expect(dg13.version).toBe(1);
      expect(dg13.oid).toBe('1.0.10646.1.0.8');
      const { unknownFields, ...rest } = v.expect;
      for (const [key, value] of Object.entries(rest)) {
        expect((dg13 as unknown as Record<string, unknown>)[key], key).toEqual(value);
      }
      if (unknownFields) {
        expect(
          dg13.unknownFields.map((u) => ({ field: u.field, text: u.text, valuesHex: u.values.map(toHex) })),
        ).toEqual(unknownFields);
      }
    });
  }

  it('reads the long-form (> 127 byte) residence', () => {
    const dg13 = parseDg13(fromHex(vectors[0]!.hex));
    expect(new TextEncoder().encode(dg13.placeOfResidence).length).toBeGreaterThan(127);
  });

  it('rebuilds the nested vector byte for byte', () => {
    const bytes = fromHex(vectors[0]!.hex);
    const parsed = parseDg13(bytes);
    expect(toHex(buildDg13(parsed, { parentsLayout: 'nested' }))).toBe(vectors[0]!.hex);
  });

  it('converts dd/mm/yyyy dates and rejects impossible ones', () => {
    expect(dg13DateToIso('29/02/2024')).toBe('2024-02-29');
    expect(dg13DateToIso('29/02/2023')).toBeNull();
    expect(dg13DateToIso('00/00/1950')).toBeNull();
    expect(dg13DateToIso('1950')).toBeNull();
    expect(dg13DateToIso('Không thời hạn')).toBeNull();
  });
});

const OID = '060628d316010008';
const wrap = (set: string): Uint8Array =>
  encodeTlv(0x6d, [encodeTlv(0x30, [fromHex('020101'), fromHex(OID), encodeTlv(0x31, fromHex(set))])]);
const field = (n: number, ...values: string[]): string =>
  toHex(encodeTlv(0x30, [fromHex(`0201${n.toString(16).padStart(2, '0')}`), ...values.map(fromHex)]));

describe('parseDg13 invalid inputs', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not bytes', 'hello', 'LDS_INVALID_INPUT'],
    ['empty', new Uint8Array(0), 'LDS_INVALID_TLV'],
    ['truncated', fromHex(vectors[0]!.hex).subarray(0, 100), 'LDS_INVALID_TLV'],
    ['wrong outer tag', fromHex('6e00'), 'LDS_UNEXPECTED_TAG'],
    ['garbage after', new Uint8Array([...fromHex(vectors[2]!.hex), 0x01]), 'LDS_TRAILING_BYTES'],
    ['empty 6D', fromHex('6d00'), 'LDS_INVALID_STRUCTURE'],
    [
      'no OID',
      encodeTlv(0x6d, [encodeTlv(0x30, [fromHex('020101'), fromHex('3100')])]),
      'LDS_INVALID_STRUCTURE',
    ],
  ];
  for (const [name, input, code] of cases) {
    it(`${name} → ${code}`, () => {
      let error: unknown;
      try {
        parseDg13(input as Uint8Array);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LdsError);
      expect((error as LdsError).code).toBe(code);
    });
  }

  it('accepts 00/FF padding after the file', () => {
    const bytes = new Uint8Array([...fromHex(vectors[2]!.hex), 0, 0, 0, 0]);
    expect(parseDg13(bytes).fullName).toBe('Nguyễn Thị Ánh');
  });

  it('empty text field reads as the empty string', () => {
    expect(parseDg13(wrap(field(10))).identifyingMarks).toBe('');
  });
});

const hexOf = (text: string): string => toHex(new TextEncoder().encode(text));
const utf8 = (text: string): string => toHex(encodeTlv(0x0c, new TextEncoder().encode(text)));
const printable = (text: string): string => toHex(encodeTlv(0x13, new TextEncoder().encode(text)));
/** Two good fields around the one under test: they must survive whatever the middle one holds. */
const GOOD_BEFORE = field(1, printable('001099012345'));
const GOOD_AFTER = field(5, utf8('Việt Nam'));

describe('parseDg13: one bad field gives a per-field warning and keeps the others', () => {
  // Each of these made the whole group fail before (the code it threw is the warning's code now).
  const cases: Array<[string, string, number | null, string, string | null]> = [
    // name, field entry hex, warned field number, code, key that must stay absent
    ['field not a SEQUENCE', '0c00', null, 'LDS_INVALID_FIELD', null],
    ['field without number', '30020c00', null, 'LDS_INVALID_FIELD', null],
    ['negative field number', '30030201ff', null, 'LDS_INVALID_FIELD', null],
    ['two values in a text field', field(2, '0c0141', '0c0142'), 2, 'LDS_INVALID_FIELD', 'fullName'],
    ['integer as text', field(2, '020101'), 2, 'LDS_INVALID_TEXT', 'fullName'],
    ['bad UTF-8', field(2, '0c02c328'), 2, 'LDS_INVALID_TEXT', 'fullName'],
    ['UTF-8 bytes in a PrintableString', field(3, `1302${hexOf('é')}`), 3, 'LDS_INVALID_TEXT', 'dateOfBirth'],
    ['8-bit byte in an IA5String', field(7, '160180'), 7, 'LDS_INVALID_TEXT', 'religion'],
    ['T61String with an escape sequence', field(6, '14031b2841'), 6, 'LDS_INVALID_TEXT', 'ethnicity'],
    ['one parent only', field(13, '0c0141'), 13, 'LDS_INVALID_FIELD', 'fatherName'],
    ['mixed parent layouts', field(13, '0c0141', '30030c0142'), 13, 'LDS_INVALID_FIELD', 'motherName'],
    [
      'parent SEQUENCE with two names',
      field(13, '30060c01410c0142', '3000'),
      13,
      'LDS_INVALID_FIELD',
      'fatherName',
    ],
    ['parent with bad UTF-8', field(13, '30040c02c328', '3000'), 13, 'LDS_INVALID_TEXT', 'motherName'],
    ['two spouses', field(14, '0c0141', '0c0142'), 14, 'LDS_INVALID_FIELD', 'spouseName'],
    ['spouse as INTEGER', field(14, '020101'), 14, 'LDS_INVALID_FIELD', 'spouseName'],
  ];
  for (const [name, entry, warned, code, absent] of cases) {
    it(`${name} → warning ${code}`, () => {
      const dg13 = parseDg13(wrap(GOOD_BEFORE + entry + GOOD_AFTER));
      expect(dg13.warnings).toEqual([{ field: warned, code, offset: expect.any(Number) }]);
      expect(dg13.idNumber).toBe('001099012345');
      expect(dg13.nationality).toBe('Việt Nam');
      if (absent !== null) expect(absent in dg13, absent).toBe(false);
      if (absent === 'fatherName' || absent === 'motherName') expect('parentsLayout' in dg13).toBe(false);
    });
  }

  it('a duplicated number drops every copy (ambiguous) and keeps the rest', () => {
    const dg13 = parseDg13(wrap(GOOD_BEFORE + field(2, utf8('A')) + GOOD_AFTER + field(2, utf8('B'))));
    expect(dg13.warnings.map((w) => [w.field, w.code])).toEqual([
      [2, 'LDS_DUPLICATE_FIELD'],
      [2, 'LDS_DUPLICATE_FIELD'],
    ]);
    expect('fullName' in dg13).toBe(false);
    expect(dg13.fieldOrder).toEqual([1, 2, 5, 2]);
    expect([dg13.idNumber, dg13.nationality]).toEqual(['001099012345', 'Việt Nam']);
  });

  it('an unknown number is kept raw with an LDS_UNKNOWN_FIELD warning; undecodable text → text null', () => {
    const dg13 = parseDg13(wrap(GOOD_BEFORE + field(17, utf8('O')) + field(18, '0c02c328') + GOOD_AFTER));
    expect(dg13.warnings.map((w) => [w.field, w.code])).toEqual([
      [17, 'LDS_UNKNOWN_FIELD'],
      [18, 'LDS_UNKNOWN_FIELD'],
    ]);
    expect(dg13.unknownFields.map((u) => [u.field, u.text])).toEqual([
      [17, ['O']],
      [18, null],
    ]);
  });

  it('warnings carry no field value', () => {
    const name = 'Nguyễn Văn Bí Mật';
    const dg13 = parseDg13(
      wrap(field(2, utf8(name), utf8(name)) + field(9, '0c02c328') + field(20, utf8(name))),
    );
    expect(dg13.warnings).toHaveLength(3);
    const json = JSON.stringify(dg13.warnings);
    expect(json).not.toContain('Nguy');
    expect(Object.keys(dg13.warnings[0]!).sort()).toEqual(['code', 'field', 'offset']);
  });

  it('the envelope stays strict: a broken TLV still fails the whole group', () => {
    expect(() => parseDg13(fromHex(vectors[0]!.hex).subarray(0, 100))).toThrowError(LdsError);
  });
});

describe('parseDg13: strings decoded by their ASN.1 type', () => {
  it('T61String (TeletexString) is read as Latin-1, not as UTF-8', () => {
    // "Nguyên" in Latin-1: ê = EA, a byte that is not valid UTF-8 here.
    const dg13 = parseDg13(
      wrap(GOOD_BEFORE + field(2, '14064e677579ea6e') + field(8, '1405c0e9fcdf41') + GOOD_AFTER),
    );
    expect(dg13.fullName).toBe('Nguyên');
    expect(dg13.placeOfOrigin).toBe('ÀéüßA');
    expect(dg13.warnings).toEqual([]);
  });

  it('T61String bytes that are also valid UTF-8 still read as Latin-1', () => {
    // C3 A9 is "é" in UTF-8 but "Ã©" in Latin-1.
    expect(parseDg13(wrap(field(2, '1402c3a9'))).fullName).toBe('Ã©');
  });

  it('PrintableString: ASCII outside the set is kept with LDS_TEXT_OUTSIDE_CHARSET', () => {
    const dg13 = parseDg13(wrap(field(16, printable('ABC_DEF@0123')) + GOOD_AFTER));
    expect(dg13.unknown16).toBe('ABC_DEF@0123');
    expect(dg13.warnings.map((w) => [w.field, w.code])).toEqual([[16, 'LDS_TEXT_OUTSIDE_CHARSET']]);
  });

  it('IA5String and VisibleString are read as ASCII', () => {
    const dg13 = parseDg13(wrap(field(4, '16034e616d') + field(7, '1a054b68696e68')));
    expect([dg13.sex, dg13.religion]).toEqual(['Nam', 'Khinh']);
    expect(dg13.warnings).toEqual([]);
  });

  it('property: any bytes in any string type never throw; the other field survives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x0c, 0x13, 0x14, 0x16, 0x1a),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 2, max: 40 }),
        (tag, value, n) => {
          const dg13 = parseDg13(wrap(GOOD_BEFORE + field(n, toHex(encodeTlv(tag, value)))));
          expect(dg13.idNumber).toBe('001099012345');
          for (const w of dg13.warnings) expect(w.field).toBe(n);
        },
      ),
      { numRuns: 400 },
    );
  });
});

const text = fc.string({
  unit: fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬỲÝỶỸỴ 0123456789/,.-'.split('')),
  maxLength: 200,
});
const fieldsArb: fc.Arbitrary<Dg13Fields & { layout: 'nested' | 'flat' }> = fc
  .record(
    {
      idNumber: fc.stringMatching(/^\d{12}$/),
      fullName: text,
      dateOfBirth: text,
      sex: text,
      nationality: text,
      ethnicity: text,
      religion: text,
      placeOfOrigin: text,
      placeOfResidence: fc.string({ minLength: 0, maxLength: 400 }),
      identifyingMarks: text,
      issueDate: text,
      expiryDate: text,
      fatherName: text,
      motherName: text,
      spouseName: fc.option(text, { nil: null }),
      oldIdNumber: fc.stringMatching(/^\d{9}$/),
      unknown16: text,
      layout: fc.constantFrom('nested' as const, 'flat' as const),
    },
    { requiredKeys: ['layout'] },
  )
  .map((f) => {
    // Flat layout has no way to write "no name": keep names as text there.
    if (f.layout === 'flat') {
      if (f.spouseName === null) delete f.spouseName;
    }
    return f;
  });

describe('buildDg13 / parseDg13 round trip', () => {
  it('any fields come back the same (NFC)', () => {
    fc.assert(
      fc.property(
        fieldsArb,
        fc.array(fc.integer({ min: 17, max: 300 }), { maxLength: 3 }),
        (f, unknownNumbers) => {
          const { layout, ...fields } = f;
          const unknownFields = [...new Set(unknownNumbers)].map((n) => ({
            field: n,
            values: [encodeTlv(0x0c, new TextEncoder().encode(`v${n}`))],
            text: [`v${n}`],
          }));
          const bytes = buildDg13({ ...fields, unknownFields }, { parentsLayout: layout });
          const parsed = parseDg13(bytes);
          for (const [key, value] of Object.entries(fields)) {
            const expected = typeof value === 'string' ? value.normalize('NFC') : value;
            expect((parsed as unknown as Record<string, unknown>)[key], key).toEqual(expected);
          }
          if (fields.fatherName !== undefined || fields.motherName !== undefined)
            expect(parsed.parentsLayout).toBe(layout);
          expect(parsed.unknownFields.map((u) => u.field)).toEqual(
            unknownFields.map((u) => u.field).sort((a, b) => a - b),
          );
          expect(toHex(buildDg13(parsed, { parentsLayout: layout }))).toBe(toHex(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
