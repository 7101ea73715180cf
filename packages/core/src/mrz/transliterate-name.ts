/**
 * @module
 * Names in the MRZ: ICAO Doc 9303 Part 3, 4.6 (the name is written as the primary identifier,
 * `<<`, then the secondary identifier's components separated by `<`; spaces and hyphens
 * become `<`, apostrophes and other punctuation are dropped) and 6 Table A (transliteration
 * of Latin letters with diacritics: the base letter, with a few letters written as two —
 * `Ä`→`AE`, `Ø`→`OE`, `ß`→`SS`, `Þ`→`TH`). For Vietnamese names this means dropping every
 * tone and vowel mark (`Ă Â Ê Ô Ơ Ư` and the five tones) and writing `Đ`/`đ` as `D`; the family
 * name is the first word of the full name (docs/field-evidence.md §3). A name longer than
 * its field is cut at the field's end, so the field ends in a letter or a component filler
 * (the truncation Part 4, 4.2.3 and Part 5 allow; an issuer may instead shorten given names to
 * initials, which {@link mrzNameCompatible} also accepts when comparing).
 */
import { optionsObject } from '../errors/arguments.ts';
import { MrzError, mrzArgumentError } from './mrz-error.ts';

/** Letters that Doc 9303 Part 3, 6 Table A writes as something other than their base letter. */
const SPECIAL: Readonly<Record<string, string>> = Object.freeze({
  Đ: 'D',
  đ: 'D',
  Ð: 'D',
  ð: 'D',
  Ä: 'AE',
  ä: 'AE',
  Å: 'AA',
  å: 'AA',
  Æ: 'AE',
  æ: 'AE',
  Ö: 'OE',
  ö: 'OE',
  Ø: 'OE',
  ø: 'OE',
  Ü: 'UE',
  ü: 'UE',
  ß: 'SS',
  Þ: 'TH',
  þ: 'TH',
  Œ: 'OE',
  œ: 'OE',
  Ĳ: 'IJ',
  ĳ: 'IJ',
  Ł: 'L',
  ł: 'L',
  Ħ: 'H',
  ħ: 'H',
  ı: 'I',
});

/** Longest name accepted (far beyond any MRZ field; bounds the work on hostile input). */
const MAX_NAME_LENGTH = 256;

/** Options of {@link transliterateName}. */
export interface TransliterateNameOptions {
  /**
   * Length of the MRZ name field: 30 for TD1 (the Vietnamese card), 39 for TD3. When given,
   * a longer name is cut and the field is padded with `<` to exactly this length. Default:
   * no limit, no padding.
   */
  length?: number;
  /**
   * How many leading words of a full name form the primary identifier (family name). Default
   * 1, the Vietnamese convention (`Nguyễn Văn An` → `NGUYEN<<VAN<AN`).
   */
  surnameWords?: number;
}

/** A name in MRZ form. */
export interface MrzName {
  /** The name field: `NGUYEN<<VAN<AN`, padded with `<` to `length` when one was given. */
  field: string;
  /** Primary identifier with `<` read as space (as {@link parseMrz} reports it): `NGUYEN`. */
  surname: string;
  /** Secondary identifier with `<` read as space: `VAN AN`. */
  givenNames: string;
  /** True when the name did not fit `length` and was cut. */
  truncated: boolean;
}

/** One word (or name part) in MRZ letters, separators as `<`; throws on a digit or unknown letter. */
function transliteratePart(text: string, what: 'surname' | 'givenNames'): string {
  let out = '';
  let position = 0;
  for (const ch of text.normalize('NFC')) {
    position++;
    const special = SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    if (/^[\s\-‐‑‒–—,]$/u.test(ch)) {
      out += '<';
      continue;
    }
    if (/^[\p{P}\p{S}\p{Cf}]$/u.test(ch)) continue; // apostrophes, periods, other punctuation
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    if (/^[A-Z]+$/.test(base)) {
      out += base;
      continue;
    }
    throw new MrzError(
      'INVALID_CHARACTER',
      `Character ${position} of the ${what} has no MRZ transliteration (a digit, or not a Latin letter)`,
      { context: { field: 'name', position } },
    );
  }
  return out.replace(/<+/g, '<').replace(/^<|<$/g, '');
}

/**
 * Writes a name in its MRZ form (ICAO 9303 Part 3, 4.6 and 6): diacritics removed, `Đ` → `D`,
 * upper case, primary identifier `<<` secondary identifier, spaces and hyphens as `<`.
 * `name` is either a full name, split after its first word(s) (`surnameWords`), or the two
 * parts. `transliterateName('Nguyễn Thị Ánh Tuyết', { length: 30 }).field` is
 * `NGUYEN<<THI<ANH<TUYET` padded with `<` to 30.
 * @throws {MrzError} `INVALID_CHARACTER` for a digit or a letter outside the Latin scripts;
 *   `INVALID_FIELD` for an empty or over-long name or a non-string part; `INVALID_ARGUMENT`
 *   for bad options.
 */
export function transliterateName(
  name: string | { surname: string; givenNames: string },
  options?: TransliterateNameOptions,
): MrzName {
  const opts = optionsObject(options, mrzArgumentError);
  const length = opts.length;
  if (length !== undefined && !(Number.isInteger(length) && length >= 2 && length <= 1000)) {
    throw mrzArgumentError('Expected options.length to be an integer field length (e.g. 30 or 39)');
  }
  const surnameWords = opts.surnameWords === undefined ? 1 : opts.surnameWords;
  if (!(Number.isInteger(surnameWords) && surnameWords >= 1 && surnameWords <= 10)) {
    throw mrzArgumentError('Expected options.surnameWords to be an integer from 1 to 10');
  }
  let surnameText: string;
  let givenText: string;
  if (typeof name === 'string') {
    if (name.length > MAX_NAME_LENGTH) {
      throw new MrzError('INVALID_FIELD', `Expected a name of at most ${MAX_NAME_LENGTH} characters`, {
        context: { field: 'name', length: name.length },
      });
    }
    const words = name
      .normalize('NFC')
      .trim()
      .split(/\s+/u)
      .filter((w) => w !== '');
    surnameText = words.slice(0, surnameWords).join(' ');
    givenText = words.slice(surnameWords).join(' ');
  } else if (
    typeof name === 'object' &&
    name !== null &&
    typeof name.surname === 'string' &&
    typeof name.givenNames === 'string'
  ) {
    if (name.surname.length + name.givenNames.length > MAX_NAME_LENGTH) {
      throw new MrzError('INVALID_FIELD', `Expected a name of at most ${MAX_NAME_LENGTH} characters`, {
        context: { field: 'name' },
      });
    }
    surnameText = name.surname;
    givenText = name.givenNames;
  } else {
    throw new MrzError('INVALID_FIELD', 'Expected the name as a string or { surname, givenNames } strings', {
      context: { field: 'name' },
    });
  }
  const surname = transliteratePart(surnameText, 'surname');
  const given = transliteratePart(givenText, 'givenNames');
  if (surname === '' && given === '') {
    throw new MrzError('INVALID_FIELD', 'The name has no letters', { context: { field: 'name' } });
  }
  let text = given === '' ? surname : `${surname}<<${given}`;
  let truncated = false;
  if (length !== undefined && text.length > length) {
    text = text.slice(0, length);
    truncated = true;
  }
  const sep = text.indexOf('<<');
  const head = sep < 0 ? text : text.slice(0, sep);
  const tail = sep < 0 ? '' : text.slice(sep + 2);
  const spaced = (s: string): string => s.replace(/<+/g, ' ').trim();
  return {
    field: length === undefined ? text : text.padEnd(length, '<'),
    surname: spaced(head),
    givenNames: spaced(tail),
    truncated,
  };
}

/** How a name read from an MRZ relates to a name written out in full. */
export type MrzNameComparison = 'match' | 'truncated-match' | 'mismatch';

/**
 * Compares the name of an MRZ (its name field, e.g. line 3 of a TD1, fillers included) with a
 * full name, transliterated by {@link transliterateName}. `match`: the same field text;
 * `truncated-match`: the MRZ field is full (its last character is not a filler, the mark of a
 * possibly truncated name) and it is the full name cut at the field's end, or with components
 * shortened (each MRZ component a prefix of the full one, e.g. an initial); else `mismatch`.
 * @throws {MrzError} as {@link transliterateName} for `fullName`.
 */
export function mrzNameCompatible(
  mrzField: string,
  fullName: string | { surname: string; givenNames: string },
  options?: Pick<TransliterateNameOptions, 'surnameWords'>,
): MrzNameComparison {
  if (typeof mrzField !== 'string') {
    throw new MrzError('INVALID_FIELD', 'Expected the MRZ name field as a string', {
      context: { field: 'name' },
    });
  }
  const opts = optionsObject(options, mrzArgumentError);
  const full = transliterateName(
    fullName,
    opts.surnameWords === undefined ? {} : { surnameWords: opts.surnameWords },
  );
  const written = mrzField.replace(/<+$/, '');
  if (written === full.field) return 'match';
  const maybeTruncated = mrzField.length > 0 && !mrzField.endsWith('<');
  if (!maybeTruncated) return 'mismatch';
  if (full.field.startsWith(written)) return 'truncated-match';
  const parts = (s: string): [string[], string[]] => {
    const i = s.indexOf('<<');
    const words = (t: string): string[] => t.split('<').filter((w) => w !== '');
    return i < 0 ? [words(s), []] : [words(s.slice(0, i)), words(s.slice(i + 2))];
  };
  const [ms, mg] = parts(written);
  const [fs, fg] = parts(full.field);
  const prefixes = (m: string[], f: string[]): boolean =>
    m.length <= f.length && m.every((w, i) => f[i]!.startsWith(w));
  // Shortened components: the surname kept whole, each given name a prefix (an initial at least).
  return ms.join('<') === fs.join('<') && mg.length > 0 && prefixes(mg, fg) ? 'truncated-match' : 'mismatch';
}
