/**
 * @module
 * The MRZ check digit: ICAO Doc 9303 Part 3, 4.9 ("Check digits in the MRZ"). Characters are
 * valued `0–9` → 0–9, `A–Z` → 10–35, filler `<` → 0, multiplied by the repeating weights
 * 7, 3, 1, summed, and reduced modulo 10.
 */
import { MrzError, type MrzField } from './mrz-error.ts';

const WEIGHTS = [7, 3, 1] as const;

/** Value of one MRZ character, or -1 when it is not in `0–9 A–Z <`. */
export function mrzCharValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code === 60) return 0;
  return -1;
}

/**
 * Check digit of `s` (ICAO 9303 Part 3, 4.9, weights 7-3-1).
 * @throws {MrzError} `INVALID_CHARACTER` when `s` has a character outside `0–9 A–Z <`;
 *   `INVALID_FIELD` when `s` is not a string.
 */
export function checkDigit(s: string, field?: MrzField): number {
  if (typeof s !== 'string') {
    throw new MrzError('INVALID_FIELD', 'Expected a string of MRZ characters', {
      context: typeof field === 'string' ? { field } : {},
    });
  }
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const v = mrzCharValue(s.charCodeAt(i));
    if (v < 0) {
      throw new MrzError('INVALID_CHARACTER', `Character ${i + 1} is not an MRZ character (0-9, A-Z, <)`, {
        context: { position: i + 1, ...(typeof field === 'string' ? { field } : {}) },
      });
    }
    sum += v * WEIGHTS[i % 3]!;
  }
  return sum % 10;
}

/**
 * `checkDigit(s)` as a one-character string.
 * @throws {MrzError} as {@link checkDigit}
 */
export function checkDigitChar(s: string, field?: MrzField): string {
  return String(checkDigit(s, field));
}
