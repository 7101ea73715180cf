/**
 * @module
 * Chip access-key inputs derived from the card's printed data. ICAO Doc 9303 Part 11, 9.7.2
 * (BAC key seed from `MRZ_information` = document number + check digit + date of birth + check
 * digit + date of expiry + check digit) and 9.7.3 (PACE passwords: CAN or MRZ). For Vietnamese
 * cards the CAN is the last 6 digits of the 12-digit ID; whether the chip's MRZ key uses the
 * full 12-digit ID or the 9-digit MRZ document number is uncertain (docs/field-evidence.md §4), so both
 * forms are offered and callers try them in turn.
 */
import { assertIdNumber } from '../id-number/index.ts';
import { checkDigitChar, mrzCharValue } from './check-digit.ts';
import { NO_EXPIRY, toMrzDate } from './mrz-date.ts';
import { MrzError } from './mrz-error.ts';

/** Inputs of the MRZ-derived access key (BAC / PACE-MRZ). */
export interface MrzKey {
  /** Document number as in the MRZ (no check digit; may be longer than 9). */
  documentNumber: string;
  /** `YYMMDD`. */
  dateOfBirth: string;
  /** `YYMMDD` (`991231` for "no expiry"). */
  dateOfExpiry: string;
}

/** Callers without TypeScript get a typed error, not a TypeError, for a missing argument. */
function requireObject(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new MrzError('INVALID_FIELD', `Expected ${what} to be an object`);
  }
}

/** Which document number the chip expects: the full ID or the 9-digit MRZ document number. */
export type MrzKeyForm = '12-digit' | '9-digit';

/**
 * The Card Access Number of a Vietnamese chip card: the last 6 digits of the 12-digit ID.
 * @throws {IdNumberError} `INVALID_ID_NUMBER`
 */
export function canFromIdNumber(id: string): string {
  assertIdNumber(id);
  return id.slice(6);
}

/**
 * MRZ key of a Vietnamese card from its ID number and dates (ISO `YYYY-MM-DD` or `YYMMDD`;
 * a null expiry means "no expiry", written `991231`).
 * @throws {IdNumberError} `INVALID_ID_NUMBER`
 * @throws {MrzError} `INVALID_DATE`; `INVALID_FIELD` when `input` is not an object or `form` unknown.
 */
export function mrzKeyFromId(
  input: { idNumber: string; dateOfBirth: string; dateOfExpiry: string | null },
  form: MrzKeyForm,
): MrzKey {
  requireObject(input, 'the card data');
  assertIdNumber(input.idNumber);
  if (form !== '12-digit' && form !== '9-digit') {
    throw new MrzError('INVALID_FIELD', "The key form must be '12-digit' or '9-digit'", {
      context: { field: 'documentNumber' },
    });
  }
  return {
    documentNumber: form === '12-digit' ? input.idNumber : input.idNumber.slice(3),
    dateOfBirth: toMrzDate(input.dateOfBirth, 'dateOfBirth'),
    dateOfExpiry: input.dateOfExpiry === null ? NO_EXPIRY : toMrzDate(input.dateOfExpiry, 'dateOfExpiry'),
  };
}

/**
 * `MRZ_information` (ICAO 9303 Part 11, 9.7.2): the document number padded with `<` to at
 * least 9 characters + its check digit, date of birth + check digit, date of expiry + check
 * digit. Its SHA-1 is the BAC key seed; it is also the PACE-MRZ password input.
 * @throws {MrzError} `INVALID_FIELD`, `INVALID_DATE`
 */
export function mrzKeySeed(key: MrzKey): string {
  requireObject(key, 'the MRZ key');
  const doc = key.documentNumber;
  if (
    typeof doc !== 'string' ||
    doc.length === 0 ||
    [...doc].some((c) => mrzCharValue(c.charCodeAt(0)) < 0)
  ) {
    throw new MrzError(
      'INVALID_FIELD',
      'The document number must be non-empty MRZ characters (0-9, A-Z, <)',
      {
        context: { field: 'documentNumber' },
      },
    );
  }
  const padded = doc.padEnd(9, '<');
  const dob = toMrzDate(key.dateOfBirth, 'dateOfBirth');
  const exp = toMrzDate(key.dateOfExpiry, 'dateOfExpiry');
  return padded + checkDigitChar(padded) + dob + checkDigitChar(dob) + exp + checkDigitChar(exp);
}

/**
 * MRZ key of a parsed MRZ (its document number — the full extended number for TD1 — and raw
 * dates). For a Vietnamese card this is the 9-digit form; use {@link mrzKeyFromId} with
 * `'12-digit'` for the other candidate.
 * @throws {MrzError} `INVALID_DATE` when a date has unknown (`<`) parts; `INVALID_FIELD` when
 *   `mrz` is not an object or its document number is not a string.
 */
export function mrzKeyFromMrz(mrz: {
  documentNumber: string;
  dateOfBirth: string;
  dateOfExpiry: string;
}): MrzKey {
  requireObject(mrz, 'the MRZ');
  if (typeof mrz.documentNumber !== 'string') {
    throw new MrzError('INVALID_FIELD', 'The documentNumber must be a string', {
      context: { field: 'documentNumber' },
    });
  }
  return {
    documentNumber: mrz.documentNumber,
    dateOfBirth: toMrzDate(mrz.dateOfBirth, 'dateOfBirth'),
    dateOfExpiry: toMrzDate(mrz.dateOfExpiry, 'dateOfExpiry'),
  };
}
