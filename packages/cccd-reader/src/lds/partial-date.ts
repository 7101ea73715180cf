/**
 * @module
 * Dates of DG11 / DG12 (ICAO Doc 9303 Part 10 §4.7.11–4.7.12): `YYYYMMDD` text where unknown
 * parts may be fillers (`<`, `0`, space), or the same digits BCD-packed into 4 bytes as some
 * issuers write them. Known parts are kept; the ISO date exists only for a full calendar date.
 */
import { assertBytes } from './lds-tlv.ts';

/** A possibly partial date. */
export interface PartialDate {
  /** The digits as stored (BCD unpacked to 8 digits). */
  text: string;
  /** How the date was stored. */
  encoding: 'text' | 'bcd';
  year: number | null;
  month: number | null;
  day: number | null;
  /** `YYYY-MM-DD` when year, month and day are all known and form a real date. */
  iso: string | null;
}

function part(s: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Parses a DG11/DG12 date; returns null when the bytes are neither 8 characters nor 4 BCD bytes. */
export function parsePartialDate(value: Uint8Array): PartialDate | null {
  assertBytes(value, 'partial date');
  let text: string;
  let encoding: PartialDate['encoding'];
  if (value.length === 4 && value.every((b) => b >> 4 <= 9 && (b & 0x0f) <= 9)) {
    text = [...value].map((b) => b.toString(16).padStart(2, '0')).join('');
    encoding = 'bcd';
  } else if (value.length === 8 && value.every((b) => (b >= 0x30 && b <= 0x39) || b === 0x3c || b === 0x20)) {
    text = String.fromCharCode(...value);
    encoding = 'text';
  } else {
    return null;
  }
  const year = part(text.slice(0, 4), 1, 9999);
  const month = part(text.slice(4, 6), 1, 12);
  let day = part(text.slice(6, 8), 1, 31);
  let iso: string | null = null;
  if (year !== null && month !== null && day !== null) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day <= days) iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
    else day = null;
  }
  return { text, encoding, year, month, day, iso };
}
