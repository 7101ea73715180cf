/**
 * Edges of transliterateName / mrzNameCompatible that the mutation run (pnpm mutation) found
 * untested: every letter of the ICAO 9303 Part 3 Table A list the helper writes as something
 * other than its base letter, separators and dropped punctuation, the bounds of the options
 * and of the input, and the comparison's truncation rules.
 */
import { describe, expect, it } from 'vitest';
import { isCoreError } from '../../src/errors/index.ts';
import { mrzNameCompatible, transliterateName } from '../../src/mrz/index.ts';

function failure(fn: () => unknown): { code: string; message: string; context: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (isCoreError(e)) return e as never;
    throw e;
  }
  throw new Error('expected a throw');
}

const field = (surname: string): string => transliterateName({ surname, givenNames: '' }).field;

describe('transliterateName: letters, separators, punctuation', () => {
  // ICAO Doc 9303 Part 3, Section 6 Table A (the letters not written as their base letter).
  const table: [string, string][] = [
    ['Đ', 'D'],
    ['đ', 'D'],
    ['Ð', 'D'],
    ['ð', 'D'],
    ['Ä', 'AE'],
    ['ä', 'AE'],
    ['Å', 'AA'],
    ['å', 'AA'],
    ['Æ', 'AE'],
    ['æ', 'AE'],
    ['Ö', 'OE'],
    ['ö', 'OE'],
    ['Ø', 'OE'],
    ['ø', 'OE'],
    ['Ü', 'UE'],
    ['ü', 'UE'],
    ['ß', 'SS'],
    ['Þ', 'TH'],
    ['þ', 'TH'],
    ['Œ', 'OE'],
    ['œ', 'OE'],
    ['Ĳ', 'IJ'],
    ['ĳ', 'IJ'],
    ['Ł', 'L'],
    ['ł', 'L'],
    ['Ħ', 'H'],
    ['ħ', 'H'],
    ['ı', 'I'],
  ];
  it.each(table)('%s → %s', (letter, expected) => {
    expect(field(`X${letter}X`)).toBe(`X${expected}X`);
  });

  it.each(['-', '‐', '‑', '‒', '–', '—', ',', '\t', '  '])('separator %j → one <', (sep) => {
    expect(field(`AN${sep}NA`)).toBe('AN<NA');
  });

  it.each(["'", '’', '.', '(', '\u200b', '\u00ad'])('drops %j', (c) => {
    expect(field(`AN${c}NA`)).toBe('ANNA');
  });

  it('collapses runs of separators and trims them at both ends of a part', () => {
    expect(transliterateName({ surname: '-Lê--Thị-', givenNames: ' , An ,' }).field).toBe('LE<THI<<AN');
  });

  it('names the position of a character it cannot write, never the name', () => {
    const e = failure(() => transliterateName('Nguyễn Văn 7'));
    expect(e.code).toBe('INVALID_CHARACTER');
    expect(e.context).toEqual({ field: 'name', position: 5 });
    expect(e.message).toMatch(/Character 5 of the givenNames/);
    const s = failure(() => transliterateName({ surname: 'Ng7', givenNames: 'An' }));
    expect(s.context).toEqual({ field: 'name', position: 3 });
    expect(s.message).toMatch(/of the surname/);
  });
});

describe('transliterateName: bounds and parts', () => {
  it('takes field lengths 2–1000 and 1–10 surname words', () => {
    expect(transliterateName('Lê An', { length: 2 }).field).toBe('LE');
    expect(transliterateName('Lê An', { length: 1000 }).field).toHaveLength(1000);
    expect(transliterateName('A B C D E F G H I J K', { surnameWords: 10 }).field).toBe(
      'A<B<C<D<E<F<G<H<I<J<<K',
    );
    for (const options of [{ length: 1 }, { length: 1001 }, { surnameWords: 11 }, { surnameWords: 1.5 }]) {
      const e = failure(() => transliterateName('Lê An', options));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(/Expected options\.(length|surnameWords)/);
    }
  });

  it('takes names up to 256 characters, in either form', () => {
    expect(transliterateName('A'.repeat(256)).surname).toHaveLength(256);
    expect(
      transliterateName({ surname: 'A'.repeat(200), givenNames: 'B'.repeat(56) }).givenNames,
    ).toHaveLength(56);
    const long = failure(() => transliterateName('A'.repeat(257)));
    expect(long).toMatchObject({ code: 'INVALID_FIELD', context: { field: 'name', length: 257 } });
    expect(long.message).toMatch(/at most 256/);
    const parts = failure(() => transliterateName({ surname: 'A'.repeat(200), givenNames: 'B'.repeat(57) }));
    expect(parts).toMatchObject({ code: 'INVALID_FIELD', context: { field: 'name' } });
    expect(parts.message).toMatch(/at most 256/);
  });

  it('rejects other shapes and names without letters with INVALID_FIELD naming the field', () => {
    for (const name of [null, 42, { surname: 'A' }, { givenNames: 'A' }, { surname: 'A', givenNames: 1 }]) {
      const e = failure(() => transliterateName(name as never));
      expect(e).toMatchObject({ code: 'INVALID_FIELD', context: { field: 'name' } });
      expect(e.message).toMatch(/string or \{ surname, givenNames \}/);
    }
    const empty = failure(() => transliterateName({ surname: '-', givenNames: "'" }));
    expect(empty).toMatchObject({ code: 'INVALID_FIELD', context: { field: 'name' } });
    expect(empty.message).toMatch(/no letters/);
  });

  it('cuts only what does not fit, and reads the parts of what is left', () => {
    expect(transliterateName('Lê Văn An', { length: 9 })).toEqual({
      field: 'LE<<VAN<A',
      surname: 'LE',
      givenNames: 'VAN A',
      truncated: true,
    });
    expect(transliterateName('Lê Văn An', { length: 10 })).toMatchObject({
      field: 'LE<<VAN<AN',
      truncated: false,
    });
    expect(transliterateName('Lê Văn An', { length: 3 })).toEqual({
      field: 'LE<',
      surname: 'LE',
      givenNames: '',
      truncated: true,
    });
    expect(transliterateName({ surname: '', givenNames: 'An' })).toEqual({
      field: '<<AN',
      surname: '',
      givenNames: 'AN',
      truncated: false,
    });
    expect(transliterateName('Mai', { length: 5 })).toEqual({
      field: 'MAI<<',
      surname: 'MAI',
      givenNames: '',
      truncated: false,
    });
  });
});

describe('mrzNameCompatible: the truncation rules', () => {
  it('needs a string field', () => {
    expect(failure(() => mrzNameCompatible(42 as never, 'Lê An'))).toMatchObject({
      code: 'INVALID_FIELD',
      context: { field: 'name' },
    });
  });

  it('takes the family-name length from surnameWords', () => {
    expect(mrzNameCompatible('TON<NU<<THI<BICH', 'Tôn Nữ Thị Bích', { surnameWords: 2 })).toBe('match');
    expect(mrzNameCompatible('TON<NU<<THI<BICH', 'Tôn Nữ Thị Bích')).toBe('mismatch');
  });

  it('sees truncation only in a field whose last character is not a filler', () => {
    const full = 'Lê Văn Anh Tuấn';
    expect(mrzNameCompatible('LE<<VAN<ANH<TU', full)).toBe('truncated-match');
    expect(mrzNameCompatible('LE<<VAN<ANH<TU<', full)).toBe('mismatch');
    expect(mrzNameCompatible('', full)).toBe('mismatch');
    expect(mrzNameCompatible('LE<<VAN<ANH<TUAN', full)).toBe('match');
  });

  it('accepts shortened given names only as prefixes, in order, with the surname whole', () => {
    const full = 'Lê Văn Anh Tuấn';
    expect(mrzNameCompatible('LE<<V<A<T', full)).toBe('truncated-match');
    expect(mrzNameCompatible('LE<<VA<AN', full)).toBe('truncated-match');
    expect(mrzNameCompatible('LE<<A<V<T', full)).toBe('mismatch');
    expect(mrzNameCompatible('LE<<V<A<T<X', full)).toBe('mismatch');
    expect(mrzNameCompatible('L<<V<A<T', full)).toBe('mismatch');
    expect(mrzNameCompatible('LEE<<V<A<T', full)).toBe('mismatch');
    // A field with no given-names part cannot be a shortened one.
    expect(mrzNameCompatible('LX', full)).toBe('mismatch');
    expect(mrzNameCompatible('LEVANANHTUAN', full)).toBe('mismatch');
  });
});
