/**
 * @module
 * Argument checks shared by every public function of the package (JavaScript callers may pass
 * anything: a typed `OtpError` beats a TypeError from inside), and the secret-length bounds of
 * RFC 4226 §4 R6. Kept apart from `otp-parameters.ts`, which imports otplib, so that the
 * challenge and store layers (and their browser bundles) do not pull otplib in.
 */
import { OtpError } from './errors.ts';

/** Smallest and largest secret otplib's guardrails accept, in bytes. */
export const MIN_SECRET_BYTES = 16;
export const MAX_SECRET_BYTES = 64;
/**
 * Smallest secret accepted with `allowShortSecret`: the 80-bit (16 Base32 characters) secrets
 * many authenticator set-ups were made with, below RFC 4226 §4 R6's 128 bits.
 */
export const MIN_SHORT_SECRET_BYTES = 10;

/**
 * @throws {OtpError} `INVALID_ARGUMENT` unless `options` is an object (JavaScript callers may pass
 * anything; a typed error beats a TypeError from inside).
 */
export function checkOptions(options: unknown, field = 'options'): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new OtpError('INVALID_ARGUMENT', `${field}: expected an object`, { context: { field } });
  }
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `value` is a function or undefined (an optional callback). */
export function checkOptionalFunction(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new OtpError('INVALID_ARGUMENT', `${field}: expected a function`, { context: { field } });
  }
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `value` is an integer in `[min, max]`. */
export function checkInteger(
  field: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new OtpError('INVALID_ARGUMENT', `${field}: expected an integer in ${min}-${max}`, {
      context: { field },
    });
  }
}
