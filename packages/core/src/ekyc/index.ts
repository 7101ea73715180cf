/**
 * @module
 * What eKYC needs beyond parsing: {@link crossCheck} compares the card's QR code, printed MRZ
 * and chip data groups (DG1, DG13) field by field with a strict `ok`. The MRZ name
 * transliteration it relies on is `transliterateName` in `@vneid/core/mrz` (ICAO Doc 9303
 * Part 3, 4.6 and 6), re-exported here.
 */

export {
  type MrzName,
  type MrzNameComparison,
  mrzNameCompatible,
  type TransliterateNameOptions,
  transliterateName,
} from '../mrz/transliterate-name.ts';
export {
  type CrossCheckBasis,
  type CrossCheckChip,
  type CrossCheckComparison,
  type CrossCheckDg13,
  type CrossCheckField,
  type CrossCheckFieldReport,
  type CrossCheckInput,
  type CrossCheckMrz,
  type CrossCheckMrzInput,
  type CrossCheckOptions,
  type CrossCheckProblem,
  type CrossCheckQr,
  type CrossCheckReport,
  type CrossCheckSource,
  type CrossCheckStatus,
  crossCheck,
  EkycError,
  type EkycErrorCode,
} from './cross-check.ts';
