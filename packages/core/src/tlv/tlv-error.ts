/**
 * @module
 * Errors of the BER-TLV layer (ISO/IEC 7816-4 §5.2, ITU-T X.690 §8.1). Context carries the
 * byte offset, tag and depth; messages never carry content bytes (they may be chip data).
 */
import { CoreError } from '../errors/index.ts';

/** Codes of {@link TlvError}. */
export type TlvErrorCode =
  /** Input is not a `Uint8Array`. */
  | 'TLV_INVALID_INPUT'
  /** The input ends inside a tag, a length, or before an end-of-contents marker. */
  | 'TLV_TRUNCATED'
  /** Tag `00` outside an end-of-contents marker, a tag longer than 4 bytes, or an unencodable tag number. */
  | 'TLV_INVALID_TAG'
  /** A multi-byte tag with a leading `80` byte or encoding a number below 31. */
  | 'TLV_NON_MINIMAL_TAG'
  /** Length byte `80` (indefinite) without `{ ber: true }`, or on a primitive encoding. */
  | 'TLV_INDEFINITE_LENGTH'
  /** A long-form length that a shorter form could express (strict mode). */
  | 'TLV_NON_MINIMAL_LENGTH'
  /** A length of more than 4 bytes (or `FF`), or a value too large to encode. */
  | 'TLV_LENGTH_TOO_LARGE'
  /** A length that runs past the end of the input or of the enclosing TLV. */
  | 'TLV_LENGTH_OVERRUN'
  /** Bytes left after the single TLV expected by `decodeTlv`. */
  | 'TLV_TRAILING_BYTES'
  /** Nesting deeper than `maxDepth`. */
  | 'TLV_TOO_DEEP'
  /** More TLVs than `maxNodes`. */
  | 'TLV_TOO_MANY_NODES'
  /** `requireTlv` did not find the tag. */
  | 'TLV_NOT_FOUND'
  /** A primitive value that is not a valid OBJECT IDENTIFIER / INTEGER, or children for a primitive tag. */
  | 'TLV_INVALID_VALUE';

/** Structured details of a {@link TlvError}. */
export interface TlvErrorContext {
  /** Byte offset (in the decoded buffer) where the problem starts. */
  offset?: number;
  /** The tag involved, as its encoded bytes read big-endian (e.g. `0x5F1F`). */
  tag?: number;
  /** Nesting depth (top-level TLVs are at depth 1). */
  depth?: number;
}

/** Error thrown by the TLV layer. */
export class TlvError extends CoreError<TlvErrorCode, TlvErrorContext> {}
