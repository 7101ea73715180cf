import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { isCoreError } from '../../src/errors/index.ts';
import { formatVietnamTd1, mrzNameCompatible, parseMrz, transliterateName } from '../../src/mrz/index.ts';
import { decodeTlv, findTlv } from '../../src/tlv/index.ts';

interface Vector {
  name: string | { surname: string; givenNames: string };
  surnameWords?: number;
  length?: number;
  expected: string;
  truncated?: boolean;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isCoreError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('transliterateName (ICAO 9303 Part 3, 4.6 and 6)', () => {
  const { vectors } = loadVectors<Vector>(import.meta.url, 'transliteration');
  it.each(vectors)('$name → $expected', (v) => {
    const options = {
      ...(v.length === undefined ? {} : { length: v.length }),
      ...(v.surnameWords === undefined ? {} : { surnameWords: v.surnameWords }),
    };
    const out = transliterateName(v.name, options);
    expect(out.field).toBe(v.expected);
    expect(out.truncated).toBe(v.truncated ?? false);
  });

  it('reports the parts as parseMrz does', () => {
    expect(transliterateName('Trần Thị Ánh Tuyết')).toEqual({
      field: 'TRAN<<THI<ANH<TUYET',
      surname: 'TRAN',
      givenNames: 'THI ANH TUYET',
      truncated: false,
    });
  });

  it('gives the same field for NFC and NFD input', () => {
    const nfc = 'Nguyễn Thị Hường';
    expect(transliterateName(nfc.normalize('NFD')).field).toBe(transliterateName(nfc).field);
  });

  it('gives the name line a Vietnamese TD1 carries, which parseMrz reads back', () => {
    const name = transliterateName('Đỗ Thị Thu Hà', { length: 30 });
    const lines = formatVietnamTd1({
      idNumber: '079190012345',
      dateOfBirth: '1990-03-04',
      sex: 'female',
      dateOfExpiry: '2030-03-04',
      surname: name.surname,
      givenNames: name.givenNames,
    });
    expect(lines[2]).toBe(name.field);
    const mrz = parseMrz(lines, { now: () => Date.UTC(2026, 0, 1) });
    expect([mrz.surname, mrz.givenNames]).toEqual(['DO', 'THI THU HA']);
  });

  it('always yields MRZ characters only, within the field length', () => {
    const letters = fc.constantFrom(
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ',
    );
    const word = fc.array(letters, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 44 }),
        (words, length) => {
          const out = transliterateName(words.join(' '), { length });
          expect(out.field).toMatch(/^[A-Z<]+$/);
          expect(out.field.length).toBe(length);
          expect(out.field.startsWith('<')).toBe(false);
        },
      ),
    );
  });

  it.each([
    ['a digit', 'Nguyễn Văn 2'],
    ['a non-Latin letter', 'Nguyễn 阮'],
    ['no letters', " ' "],
    ['an empty name', ''],
    ['a number', 42],
    ['null', null],
    ['parts that are not strings', { surname: 1, givenNames: 'x' }],
    ['an over-long name', 'A'.repeat(300)],
  ])('rejects %s with a typed error', (_label, name) => {
    expect(['INVALID_CHARACTER', 'INVALID_FIELD']).toContain(codeOf(() => transliterateName(name as never)));
  });

  it.each([
    [{ length: 0 }],
    [{ length: 30.5 }],
    [{ length: '30' }],
    [{ surnameWords: 0 }],
    [{ surnameWords: null }],
    [null],
  ])('rejects options %j with INVALID_ARGUMENT', (options) => {
    expect(codeOf(() => transliterateName('Nguyễn Văn An', options as never))).toBe('INVALID_ARGUMENT');
  });
});

describe('mrzNameCompatible', () => {
  it('matches a name field exactly, fillers ignored', () => {
    expect(mrzNameCompatible('NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<', 'Nguyễn Văn An')).toBe('match');
  });

  it('accepts a full field cut at its end, or given names shortened to initials', () => {
    const full = 'Nguyễn Hoàng Phương Thảo Nguyên Khôi';
    expect(mrzNameCompatible('NGUYEN<<HOANG<PHUONG<THAO<NGUY', full)).toBe('truncated-match');
    expect(mrzNameCompatible('NGUYEN<<HOANG<PHUONG<THAO<N<KH', full)).toBe('truncated-match');
  });

  it('does not accept a shorter name whose field is not full (nothing was cut)', () => {
    expect(mrzNameCompatible('NGUYEN<<HOANG<<<<<<<<<<<<<<<<<', 'Nguyễn Hoàng Phương')).toBe('mismatch');
  });

  it('tells different names apart, including a different split of the family name', () => {
    expect(mrzNameCompatible('NGUYEN<<VAN<ANH<<<<<<<<<<<<<<<', 'Nguyễn Văn An')).toBe('mismatch');
    expect(mrzNameCompatible('NGUYEN<VAN<<AN<<<<<<<<<<<<<<<<', 'Nguyễn Văn An')).toBe('mismatch');
    expect(mrzNameCompatible('TRAN<<VAN<AN<<<<<<<<<<<<<<<<<<', 'Nguyễn Văn An')).toBe('mismatch');
  });
});

describe('transliterateName against real specimen MRZs (interop samples)', () => {
  const root = '/work/shared/data/interop-samples';
  const samples: [string, string, { surname: string; givenNames: string }][] = [
    [
      'BSI 2008 test passport (DE)',
      `${root}/bsi2008/EF_DG1.bin`,
      { surname: 'Mustermann', givenNames: 'Erika' },
    ],
    [
      'Dutch 2006 specimen (NL)',
      `${root}/nl-specimen-2006/EF_DG1_0101.bin`,
      { surname: 'Meulendijk', givenNames: 'Loes Albertine' },
    ],
  ];
  for (const [label, file, name] of samples) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch {
      bytes = undefined;
    }
    it.skipIf(bytes === undefined)(`${label}: the printed name gives the DG1 name field`, () => {
      if (bytes === undefined) return;
      const text = new TextDecoder().decode(findTlv(decodeTlv(bytes), 0x5f1f)?.value);
      const mrz = parseMrz(text, { now: () => Date.UTC(2026, 0, 1) });
      expect(transliterateName(name, { length: 39 }).field).toBe(mrz.lines[0]!.slice(5));
      expect(mrzNameCompatible(mrz.lines[0]!.slice(5), name)).toBe('match');
    });
    if (bytes === undefined) it.skip(`${label}: sample not present at ${file}`, () => {});
  }
});
