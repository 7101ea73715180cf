/**
 * @module
 * HOTP, the HMAC-based one-time password of RFC 4226 (§5.3 generation, §7.2 validation,
 * §7.4 resynchronisation with a look-ahead window), computed by otplib with the
 * `@noble/hashes` plugin. Token comparison is otplib's constant-time comparison.
 */
import { generateSync, verifySync } from 'otplib';
import { checkInteger } from './option-checks.ts';
import type { OtpMismatchReason, OtpParameters } from './otp-parameters.ts';
import { checkParameters, cryptoPlugin, isWellFormedToken } from './otp-parameters.ts';

/** Options of {@link generateHotp}. */
export interface HotpGenerateOptions extends OtpParameters {
  /** Moving factor C, a safe non-negative integer. */
  counter: number;
}

/** Options of {@link verifyHotp}. */
export interface HotpVerifyOptions extends HotpGenerateOptions {
  /** The code the user typed. */
  token: string;
  /**
   * How many counters after `counter` are also tried (RFC 4226 §7.4 look-ahead parameter s);
   * default 0, at most 98.
   */
  lookAhead?: number;
}

/** Result of {@link verifyHotp}. */
export type HotpVerifyResult =
  | {
      ok: true;
      /** How far ahead of `counter` the token matched (0 = exactly at `counter`). */
      delta: number;
      /** The counter to store for the next verification (matched counter + 1), so the token cannot be replayed. */
      nextCounter: number;
    }
  | { ok: false; reason: OtpMismatchReason };

/**
 * The HOTP value for `counter` (RFC 4226 §5.3), `digits` long with leading zeros.
 * @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT`
 */
export function generateHotp(options: HotpGenerateOptions): string {
  const p = checkParameters(options);
  checkInteger('counter', options.counter, 0, Number.MAX_SAFE_INTEGER);
  return generateSync({ strategy: 'hotp', ...p, counter: options.counter, crypto: cryptoPlugin });
}

/**
 * Checks `token` against counters `counter` … `counter + lookAhead` (RFC 4226 §7.2, §7.4).
 * A malformed token is reported, never thrown.
 * @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT`
 */
export function verifyHotp(options: HotpVerifyOptions): HotpVerifyResult {
  const p = checkParameters(options);
  checkInteger('counter', options.counter, 0, Number.MAX_SAFE_INTEGER);
  const lookAhead = options.lookAhead ?? 0;
  checkInteger('lookAhead', lookAhead, 0, 98);
  checkInteger('counter + lookAhead', options.counter + lookAhead, 0, Number.MAX_SAFE_INTEGER);
  if (!isWellFormedToken(options.token, p.digits)) return { ok: false, reason: 'malformed' };
  const result = verifySync({
    strategy: 'hotp',
    ...p,
    counter: options.counter,
    token: options.token,
    counterTolerance: [0, lookAhead],
    crypto: cryptoPlugin,
  });
  if (!result.valid) return { ok: false, reason: 'mismatch' };
  return { ok: true, delta: result.delta, nextCounter: options.counter + result.delta + 1 };
}
