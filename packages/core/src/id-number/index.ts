/**
 * @module
 * The 12-digit personal identification number (số định danh cá nhân, printed on the CCCD /
 * Căn cước card): Decree 137/2015/NĐ-CP Art. 13 and Circular 07/2016/TT-BCA (amended by
 * 59/2021/TT-BCA). Layout `PPP S YY RRRRRR`: PPP the province (or country) of birth
 * registration, S century and sex, YY the last two digits of the birth year, RRRRRR a random
 * serial. There is no check digit: any 12 digits are structurally valid, so this module only
 * decodes; it never "validates" a number beyond its shape. The birth-registration code is
 * reported against both the historical list of 63 provinces and the 34 units in force since the
 * 2025 reorganisation (Resolution 202/2025/QH15; `provinces-2025.ts`).
 */
import { CoreError } from '../errors/index.ts';
import { COUNTRY_CODE_RANGE, PROVINCE_CODES } from './province-codes.ts';
import { province2025Of } from './provinces-2025.ts';

export { COUNTRY_CODE_RANGE, PROVINCE_CODES } from './province-codes.ts';
export { PROVINCES_2025, PROVINCES_2025_SOURCE, type Province2025 } from './provinces-2025.ts';

/** Codes of {@link IdNumberError}. */
export type IdNumberErrorCode = 'INVALID_ID_NUMBER';

/** Error thrown when a string is not 12 ASCII digits. The message never contains the input. */
export class IdNumberError extends CoreError<IdNumberErrorCode, { length?: number; offset?: number }> {}

/** The unit in force since 1 July 2025 that covers a historical province. */
export interface CurrentProvince {
  /** Name under Resolution 202/2025/QH15 (e.g. `Hồ Chí Minh` for Bình Dương's code 074). */
  name: string;
  /** `city` (centrally-run) or `province`. */
  kind: 'city' | 'province';
  /** True when the historical province was merged with others (or into another). */
  merged: boolean;
}

/** Where the birth was registered, from the first three digits. */
export interface IdNumberRegion {
  /** `province` for 001–096 in the code list, `country` for 101–295, else `unknown`. */
  kind: 'province' | 'country' | 'unknown';
  /** The three digits. */
  code: string;
  /**
   * Historical province name, as the code list (Circular 07/2016/TT-BCA) names it — where the
   * birth was registered at the time — or null (countries and unknown codes).
   */
  name: string | null;
  /** The province or city covering that place since the 2025 reorganisation, or null. */
  current: CurrentProvince | null;
}

/** Everything the number itself says about its holder. */
export interface IdNumberInfo {
  idNumber: string;
  region: IdNumberRegion;
  sex: 'male' | 'female';
  /** First year of the century, e.g. 1900 or 2000. */
  century: number;
  /** Full birth year, e.g. 1990. */
  birthYear: number;
}

const ID_RE = /^[0-9]{12}$/;

/** True when `s` has the shape of a 12-digit ID number (12 ASCII digits). */
export function isIdNumber(s: unknown): s is string {
  return typeof s === 'string' && ID_RE.test(s);
}

/**
 * Asserts the shape of an ID number.
 * @throws {IdNumberError} `INVALID_ID_NUMBER`
 */
export function assertIdNumber(id: unknown): asserts id is string {
  if (typeof id !== 'string') {
    throw new IdNumberError('INVALID_ID_NUMBER', `Expected the ID number as a string, got ${typeof id}`);
  }
  if (id.length !== 12) {
    throw new IdNumberError('INVALID_ID_NUMBER', `Expected 12 digits, got ${id.length} characters`, {
      context: { length: id.length },
    });
  }
  for (let i = 0; i < 12; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) {
      throw new IdNumberError('INVALID_ID_NUMBER', `Expected an ASCII digit at position ${i}`, {
        context: { offset: i, length: 12 },
      });
    }
  }
}

/**
 * Decodes the region code (first three digits): the historical province and the province or
 * city covering it since the 2025 reorganisation. Never throws for a string; codes that are
 * not in the province list or the country range decode as `kind: 'unknown'`.
 * @throws {IdNumberError} `INVALID_ID_NUMBER` when `code` is not a string.
 */
export function decodeRegionCode(code: string): IdNumberRegion {
  if (typeof code !== 'string') {
    throw new IdNumberError('INVALID_ID_NUMBER', 'Expected the region code as a string of three digits');
  }
  const name = Object.hasOwn(PROVINCE_CODES, code) ? PROVINCE_CODES[code] : undefined;
  if (name !== undefined) {
    const now = province2025Of(code);
    const current =
      now === undefined ? null : { name: now.name, kind: now.kind, merged: now.historicalCodes.length > 1 };
    return { kind: 'province', code, name, current };
  }
  const n = /^[0-9]{3}$/.test(code) ? Number(code) : Number.NaN;
  if (n >= COUNTRY_CODE_RANGE[0] && n <= COUNTRY_CODE_RANGE[1]) {
    return { kind: 'country', code, name: null, current: null };
  }
  return { kind: 'unknown', code, name: null, current: null };
}

/**
 * Decodes a 12-digit ID number: region of birth registration, sex, century and birth year.
 * Unknown region codes decode as `kind: 'unknown'` (the code list has expired and may grow).
 * @throws {IdNumberError} `INVALID_ID_NUMBER` when `id` is not exactly 12 ASCII digits.
 */
export function decodeIdNumber(id: string): IdNumberInfo {
  assertIdNumber(id);
  const s = id.charCodeAt(3) - 48;
  const century = 1900 + Math.floor(s / 2) * 100;
  return {
    idNumber: id,
    region: decodeRegionCode(id.slice(0, 3)),
    sex: s % 2 === 0 ? 'male' : 'female',
    century,
    birthYear: century + Number(id.slice(4, 6)),
  };
}

/**
 * The century-and-sex digit for a birth year and sex (inverse of {@link decodeIdNumber}).
 * @throws {IdNumberError} `INVALID_ID_NUMBER` for years outside 1900–2399.
 */
export function centurySexDigit(birthYear: number, sex: 'male' | 'female'): number {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2399) {
    throw new IdNumberError('INVALID_ID_NUMBER', 'Birth year outside 1900–2399 cannot be encoded');
  }
  return Math.floor((birthYear - 1900) / 100) * 2 + (sex === 'female' ? 1 : 0);
}
