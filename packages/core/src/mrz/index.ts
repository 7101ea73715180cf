/**
 * @module
 * Machine-readable zone (ICAO Doc 9303 Parts 3, 4, 5 and Part 11 §9.7 key inputs): TD1 and TD3
 * parsing with every check digit verified, formatting (the exact inverse), the Vietnamese
 * `IDVNM` TD1 layout, card expiry rules, the chip access-key inputs (CAN, MRZ key) and the
 * transliteration of names to the MRZ form (Part 3, 4.6 and 6).
 */
export {
  canFromIdNumber,
  type MrzKey,
  type MrzKeyForm,
  mrzKeyFromId,
  mrzKeyFromMrz,
  mrzKeySeed,
} from './access-key.ts';
export { type CardExpiryLaw, expectedExpiry } from './card-expiry.ts';
export { checkDigit, checkDigitChar } from './check-digit.ts';
export {
  type FormatMrzOptions,
  formatMrz,
  formatVietnamTd1,
  type MrzFields,
  type VietnamTd1Fields,
} from './format-mrz.ts';
export { NO_EXPIRY, toMrzDate } from './mrz-date.ts';
export { MrzError, type MrzErrorCode, type MrzErrorContext, type MrzField } from './mrz-error.ts';
export { type MrzResult, type MrzSex, type ParseMrzOptions, parseMrz, type VietnamMrz } from './parse-mrz.ts';
export {
  type MrzName,
  type MrzNameComparison,
  mrzNameCompatible,
  type TransliterateNameOptions,
  transliterateName,
} from './transliterate-name.ts';
