/**
 * @module
 * MRZ dates: ICAO Doc 9303 Part 3, 4.7 — six characters `YYMMDD`; unknown parts are filled
 * with `<`. The two-digit year needs a century: for dates of birth the latest year not in the
 * future, for expiry dates a year at most 50 years ahead (both relative to an injectable
 * clock). `991231` in the expiry field means "no expiry" on Vietnamese cards.
 */
import { MrzError, type MrzField } from './mrz-error.ts';

const ISO_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const YYMMDD_RE = /^[0-9]{6}$/;

/** The YYMMDD value written for "no expiry" on Vietnamese cards. */
export const NO_EXPIRY = '991231';

/** True when year/month/day form a real Gregorian date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Validates a raw MRZ date field: `YYMMDD` must be a calendar date (checked against both
 * candidate centuries' leap years: `000229` is valid as 2000-02-29); `<` fillers are allowed
 * for an unknown day, or month and day (Part 3, 4.7).
 * @throws {MrzError} `INVALID_DATE`
 */
export function assertMrzDate(raw: string, field: MrzField): void {
  const bad = (): MrzError =>
    new MrzError('INVALID_DATE', `The ${field} field is not a YYMMDD date`, { context: { field } });
  if (raw.length !== 6) throw bad();
  if (YYMMDD_RE.test(raw)) {
    const yy = Number(raw.slice(0, 2));
    const mm = Number(raw.slice(2, 4));
    const dd = Number(raw.slice(4, 6));
    if (!isCalendarDate(2000 + yy, mm, dd) && !isCalendarDate(1900 + yy, mm, dd)) throw bad();
    return;
  }
  if (/^[0-9]{2}(<<<<|[0-9]{2}<<)$/.test(raw)) {
    const mm = raw[2] === '<' ? 1 : Number(raw.slice(2, 4));
    if (mm < 1 || mm > 12) throw bad();
    return;
  }
  if (raw === '<<<<<<') return;
  throw bad();
}

/**
 * ISO date of a complete YYMMDD value for a given century (e.g. 1900), or null when the value
 * has fillers or is not a calendar date in that century.
 */
export function mrzDateToIso(raw: string, century: number): string | null {
  if (!YYMMDD_RE.test(raw)) return null;
  const year = century + Number(raw.slice(0, 2));
  const mm = Number(raw.slice(2, 4));
  const dd = Number(raw.slice(4, 6));
  if (!isCalendarDate(year, mm, dd)) return null;
  return `${String(year).padStart(4, '0')}-${raw.slice(2, 4)}-${raw.slice(4, 6)}`;
}

/** Century for a date of birth: the latest one that does not put the year after `nowYear`. */
export function birthCentury(yy: number, nowYear: number): number {
  const base = Math.floor(nowYear / 100) * 100;
  return base + yy <= nowYear ? base : base - 100;
}

/** Century for an expiry date: the latest one that puts the year at most 50 years after `nowYear`. */
export function expiryCentury(yy: number, nowYear: number): number {
  const base = Math.floor(nowYear / 100) * 100;
  if (base + 100 + yy <= nowYear + 50) return base + 100;
  return base + yy <= nowYear + 50 ? base : base - 100;
}

/**
 * Accepts `YYMMDD` or ISO `YYYY-MM-DD` and returns `YYMMDD`.
 * @throws {MrzError} `INVALID_DATE` when it is neither, or not a calendar date.
 */
export function toMrzDate(date: string, field: MrzField): string {
  const iso = ISO_RE.exec(date);
  if (iso) {
    if (!isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) {
      throw new MrzError('INVALID_DATE', `The ${field} date is not a calendar date`, { context: { field } });
    }
    return iso[1]!.slice(2) + iso[2]! + iso[3]!;
  }
  if (YYMMDD_RE.test(date)) {
    assertMrzDate(date, field);
    return date;
  }
  throw new MrzError('INVALID_DATE', `Expected the ${field} as YYYY-MM-DD or YYMMDD`, { context: { field } });
}

/**
 * Parses an ISO `YYYY-MM-DD` calendar date into its parts.
 * @throws {MrzError} `INVALID_DATE`
 */
export function parseIsoDate(date: string, field: MrzField): { year: number; month: number; day: number } {
  const m = ISO_RE.exec(date);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new MrzError('INVALID_DATE', `Expected the ${field} as a YYYY-MM-DD calendar date`, {
      context: { field },
    });
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}
