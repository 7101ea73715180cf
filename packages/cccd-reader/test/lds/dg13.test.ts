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
    ['field not a SEQUENCE', wrap('0c00'), 'LDS_INVALID_STRUCTURE'],
    ['field without number', wrap('30020c00'), 'LDS_INVALID_STRUCTURE'],
    ['duplicate field', wrap(field(1, '1300') + field(1, '1300')), 'LDS_DUPLICATE_FIELD'],
    ['two values in a text field', wrap(field(2, '0c0141', '0c0142')), 'LDS_INVALID_FIELD'],
    ['integer as text', wrap(field(2, '020101')), 'LDS_INVALID_TEXT'],
    ['bad UTF-8', wrap(field(2, '0c02c328')), 'LDS_INVALID_TEXT'],
    ['one parent only', wrap(field(13, '0c0141')), 'LDS_INVALID_FIELD'],
    ['mixed parent layouts', wrap(field(13, '0c0141', '30030c0142')), 'LDS_INVALID_FIELD'],
    ['parent SEQUENCE with two names', wrap(field(13, '30060c01410c0142', '3000')), 'LDS_INVALID_FIELD'],
    ['two spouses', wrap(field(14, '0c0141', '0c0142')), 'LDS_INVALID_FIELD'],
    ['spouse as INTEGER', wrap(field(14, '020101')), 'LDS_INVALID_FIELD'],
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
