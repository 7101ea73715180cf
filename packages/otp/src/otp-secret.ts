/**
 * @module
 * Shared-secret generation for HOTP/TOTP enrolment (RFC 4226 §4 R6–R7: at least 128 bits from a
 * cryptographically strong random source; 160 bits recommended). Randomness is injectable
 * (`random(n)`), with `globalThis.crypto.getRandomValues` as the default.
 */
import { OtpError } from './errors.ts';
import {
  checkInteger,
  checkOptionalFunction,
  checkOptions,
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
} from './option-checks.ts';

/** A source of `n` cryptographically strong random bytes. */
export type RandomSource = (n: number) => Uint8Array;

/** The platform CSPRNG (`crypto.getRandomValues`), available in browsers, Node ≥ 20 and workers. */
export const defaultRandom: RandomSource = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * Draws exactly `n` bytes from `random`.
 * @throws {OtpError} `RANDOM_FAILED`; `INVALID_ARGUMENT` when `random` is not a function.
 */
export function randomBytes(random: RandomSource, n: number): Uint8Array {
  if (typeof random !== 'function') {
    throw new OtpError('INVALID_ARGUMENT', 'random: expected a function (n) => Uint8Array', {
      context: { field: 'random' },
    });
  }
  const bytes = random(n);
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new OtpError('RANDOM_FAILED', `random: expected ${n} bytes`, { context: { length: n } });
  }
  return bytes;
}

/** Options of {@link generateOtpSecret}. */
export interface GenerateOtpSecretOptions {
  /** Secret length in bytes, 16–64; default 20 (160 bits, RFC 4226 §4 R6). */
  bytes?: number;
  /** Random source; default `crypto.getRandomValues`. */
  random?: RandomSource;
}

/**
 * A fresh shared secret for an authenticator app; show it with `buildOtpauthUri` or `encodeBase32`.
 * @throws {OtpError} `INVALID_ARGUMENT`, `RANDOM_FAILED`
 */
export function generateOtpSecret(options: GenerateOtpSecretOptions = {}): Uint8Array {
  checkOptions(options);
  checkOptionalFunction('random', options.random);
  const n = options.bytes ?? 20;
  checkInteger('bytes', n, MIN_SECRET_BYTES, MAX_SECRET_BYTES);
  return randomBytes(options.random ?? defaultRandom, n);
}
