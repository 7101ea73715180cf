/**
 * @module
 * Expiry of a Vietnamese ID card. Law on Citizen Identification 2014 (Art. 21): the card is
 * renewed at ages 25, 40 and 60; a card issued or renewed within 2 years before one of these
 * ages stays valid until the next one; after 60 it does not expire. Law on Identification 2023
 * (in force 1 July 2024, Art. 21) adds age 14. The expiry is the holder's birthday at that
 * age (28 February when born on 29 February and the year is not a leap year — an assumption:
 * the law does not say).
 */
import { optionalOneOf, optionsObject } from '../errors/arguments.ts';
import { isCalendarDate, parseIsoDate } from './mrz-date.ts';
import { mrzArgumentError } from './mrz-error.ts';

/** Which law's milestones apply. `auto` = 2023 law for cards issued from 2024-07-01. */
export type CardExpiryLaw = '2014' | '2023' | 'auto';

const MILESTONES: Readonly<Record<'2014' | '2023', readonly number[]>> = {
  '2014': [25, 40, 60],
  '2023': [14, 25, 40, 60],
};

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Expected expiry (ISO) of a card issued on `issueDate` to someone born on `dateOfBirth`
 * (both ISO `YYYY-MM-DD`), or null when the card does not expire.
 * @throws {MrzError} `INVALID_DATE`; `INVALID_ARGUMENT` when `options` is not an object or
 *   `options.law` is not `'2014'`, `'2023'` or `'auto'`.
 */
export function expectedExpiry(
  dateOfBirth: string,
  issueDate: string,
  options?: { law?: CardExpiryLaw },
): string | null {
  const opts = optionsObject(options, mrzArgumentError);
  optionalOneOf(opts.law, ['2014', '2023', 'auto'], 'options.law', mrzArgumentError);
  const b = parseIsoDate(dateOfBirth, 'dateOfBirth');
  parseIsoDate(issueDate, 'issueDate');
  const law = opts.law ?? 'auto';
  const milestones = MILESTONES[law === 'auto' ? (issueDate >= '2024-07-01' ? '2023' : '2014') : law];
  const birthday = (age: number): string => {
    const y = b.year + age;
    const day = isCalendarDate(y, b.month, b.day) ? b.day : 28;
    return `${pad(y, 4)}-${pad(b.month, 2)}-${pad(day, 2)}`;
  };
  for (const age of milestones) {
    // Issued strictly before the birthday two years ahead of the milestone → expires at it.
    if (issueDate < birthday(age - 2)) return birthday(age);
  }
  return null;
}
