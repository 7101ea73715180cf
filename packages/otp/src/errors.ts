/**
 * @module
 * Errors of `@vneid/otp`: thrown for misuse and bad configuration (an option out of range, a
 * secret of the wrong size, malformed Base32 or otpauth:// URIs, a store that returns corrupt
 * records). A code that simply does not match, has expired or was already used is never thrown:
 * it is reported in the result of `verifyHotp`, `verifyTotp` or a challenge's `verify`.
 * Messages never contain secrets, one-time codes, phone numbers or e-mail addresses.
 */
import { VneidError } from '@vneid/core/errors';

/** Stable codes of {@link OtpError}. */
export type OtpErrorCode =
  /** An option is missing, has the wrong type or is out of its documented range. */
  | 'INVALID_ARGUMENT'
  /** A shared secret is not 16–64 bytes (RFC 4226 §4 R6 asks for at least 128 bits), or 10–64 with `allowShortSecret`. */
  | 'INVALID_SECRET'
  /** A text is not strict RFC 4648 §6 Base32 (upper case, optional correct padding). */
  | 'INVALID_BASE32'
  /** A phone number or e-mail address cannot be normalised. */
  | 'INVALID_RECIPIENT'
  /** The injected `random` returned the wrong number of bytes or never produced a usable byte. */
  | 'RANDOM_FAILED'
  /** A store record could not be decoded (written by something else, or corrupted). */
  | 'STORE_CORRUPT'
  /** Compare-and-set kept failing because of concurrent writers. */
  | 'STORE_CONTENTION'
  /** The store under test broke the `OtpStore` contract (from `@vneid/otp/testing`). */
  | 'STORE_CONTRACT'
  /** The database or Redis server refused a command or returned an answer of the wrong shape. */
  | 'STORE_FAILED'
  /** The text does not start with `otpauth://`. */
  | 'URI_SCHEME'
  /** The type is not `totp` or `hotp`. */
  | 'URI_TYPE'
  /** The label is missing, empty, badly percent-encoded or has more than one `:`. */
  | 'URI_LABEL'
  /** A query parameter is malformed, unknown, repeated or badly percent-encoded. */
  | 'URI_PARAMETER'
  /** `secret` is missing or is not a Base32 secret (either case) of 10–64 bytes. */
  | 'URI_SECRET'
  /** `algorithm` is not SHA1, SHA256 or SHA512. */
  | 'URI_ALGORITHM'
  /** `digits` is not 6, 7 or 8. */
  | 'URI_DIGITS'
  /** `period` is not an integer number of seconds in 1–3600, or appears in an HOTP URI. */
  | 'URI_PERIOD'
  /** `counter` is missing from an HOTP URI, is not a safe non-negative integer, or appears in a TOTP URI. */
  | 'URI_COUNTER'
  /** The issuer prefix of the label and the `issuer` parameter differ. */
  | 'URI_ISSUER';

/** Non-personal details of an {@link OtpError}. */
export interface OtpErrorContext {
  /** The option or URI part that was bad (`digits`, `ttlSeconds`, `label`, `period`, …). */
  field?: string;
  /** A length in bytes or characters, where relevant. */
  length?: number;
  /** An offset in the input, where relevant. */
  offset?: number;
}

/**
 * The brand every {@link OtpError} carries, shared through the global symbol registry so that
 * errors from two copies of this package (a duplicated dependency, a bundle and its source, a
 * worker) are recognised alike; `instanceof` is not (each copy has its own class).
 */
export const OTP_ERROR_BRAND: unique symbol = Symbol.for('@vneid/otp/error');

/**
 * Error thrown by `@vneid/otp`. Recognise one with {@link isOtpError} (brand and code), not
 * `instanceof`.
 */
export class OtpError extends VneidError<OtpErrorCode, OtpErrorContext> {
  static {
    // The `@vneid/otp` brand, on the prototype: not enumerable, not copied by JSON.
    Object.defineProperty(OtpError.prototype, OTP_ERROR_BRAND, { value: true });
  }
}

/**
 * True when `value` is an {@link OtpError} from any copy of this package (tested by its brand,
 * `Symbol.for('@vneid/otp/error')`, and its string `code`, never by `instanceof` or the class
 * name, which minifiers rename), and, when `code` is given, has that code (or one of them).
 */
export function isOtpError<C extends OtpErrorCode = OtpErrorCode>(
  value: unknown,
  code?: C | readonly C[],
): value is OtpError & { readonly code: C } {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  let actual: unknown;
  try {
    if ((value as Record<symbol, unknown>)[OTP_ERROR_BRAND] !== true) return false;
    actual = (value as { code?: unknown }).code;
  } catch {
    // A hostile proxy or getter: not one of ours.
    return false;
  }
  if (typeof actual !== 'string') return false;
  if (code === undefined) return true;
  return typeof code === 'string' ? actual === code : Array.isArray(code) && code.includes(actual as C);
}
