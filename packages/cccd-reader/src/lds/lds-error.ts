/**
 * @module
 * Errors of the LDS layer (ICAO Doc 9303 Part 10, Logical Data Structure): one class with a
 * stable code union and a typed, non-personal context (file, tag, offset, DG13 field number).
 * Messages say what was expected and what came; they never carry file contents.
 */
import { VneidError } from '@vneid/core/errors';

/** Codes of {@link LdsError}. */
export type LdsErrorCode =
  /** The argument is not a `Uint8Array` (or a builder got a value of the wrong type). */
  | 'LDS_INVALID_INPUT'
  /** The bytes are not valid BER-TLV (the `TlvError` is the `cause`). */
  | 'LDS_INVALID_TLV'
  /** The file's outer tag is not the one its file ID requires. */
  | 'LDS_UNEXPECTED_TAG'
  /** Bytes other than `00`/`FF` padding after the file's TLV. */
  | 'LDS_TRAILING_BYTES'
  /** Well-formed TLV, but not the structure the standard defines (missing or misplaced element). */
  | 'LDS_INVALID_STRUCTURE'
  /** A text element that is not valid UTF-8 or not a string type. */
  | 'LDS_INVALID_TEXT'
  /** DG1's MRZ does not parse (the `MrzError` is the `cause`). */
  | 'LDS_INVALID_MRZ'
  /** A DG13 field has a shape its number does not allow. */
  | 'LDS_INVALID_FIELD'
  /** The same DG13 field number appears twice. */
  | 'LDS_DUPLICATE_FIELD'
  /** A biometric record ends before the lengths it declares. */
  | 'LDS_TRUNCATED_RECORD'
  /** A biometric record declares a length that disagrees with its container (overlong). */
  | 'LDS_RECORD_LENGTH_MISMATCH'
  /** A record format or version this parser does not know. */
  | 'LDS_UNSUPPORTED_FORMAT'
  /** A hash or key algorithm this parser does not know. */
  | 'LDS_UNSUPPORTED_ALGORITHM'
  /** `parseLdsFile` got a file identifier or data-group number it does not know. */
  | 'LDS_UNKNOWN_FILE';

/** Non-personal details of an {@link LdsError}. */
export interface LdsErrorContext {
  /** The file: `COM`, `SOD`, `DG1` … `DG16`, `CardAccess`, `CardSecurity`. */
  file?: string;
  /** The tag involved, as its encoded bytes read big-endian. */
  tag?: number;
  /** Byte offset within the file or record. */
  offset?: number;
  /** DG13 field number. */
  field?: number;
  /** Expected length or count. */
  expected?: number;
  /** Actual length or count. */
  actual?: number;
  /** The rule of the standard the input broke (CMS: a `CmsRule` of EF.SOD's parser). */
  rule?: string;
}

/** Error thrown by every LDS parser and builder. */
export class LdsError extends VneidError<LdsErrorCode, LdsErrorContext> {}
