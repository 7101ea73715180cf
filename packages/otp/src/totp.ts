/**
 * @module
 * TOTP, the time-based one-time password of RFC 6238 (§4 algorithm: T = floor((now − T0) / X),
 * then HOTP with T as the counter; §5.2 validation window for clock skew and transmission
 * delay; §5.2 one-use rule through `afterTimeStep`). Any period from 1 s to 1 hour (including
 * the 180 s SMS-style period), SHA-1/256/512 and 6–8 digits; computed by otplib with the
 * `@noble/hashes` plugin. The clock is injectable (`now`, milliseconds, default `Date.now`).
 */
import { generateSync, verifySync } from 'otplib';
import { OtpError } from './errors.ts';
import { checkInteger, checkOptionalFunction, checkOptions } from './option-checks.ts';
import type { OtpMismatchReason, OtpParameters } from './otp-parameters.ts';
import { checkParameters, cryptoPlugin, isWellFormedToken } from './otp-parameters.ts';

/** Time parameters of TOTP. */
export interface TotpClock {
  /** Time step X in seconds, 1–3600; default 30. */
  period?: number;
  /** Unix time T0 (seconds) from which steps are counted; default 0. */
  t0?: number;
  /** Current time in milliseconds since the Unix epoch; default `Date.now`. */
  now?: () => number;
}

/** Options of {@link generateTotp}. */
export interface TotpGenerateOptions extends OtpParameters, TotpClock {}

/** Verification window in time steps on either side of the current step. */
export interface TotpWindow {
  /** Steps before the current one that are accepted (client clock behind, or slow delivery). */
  past: number;
  /** Steps after the current one that are accepted (client clock ahead). */
  future: number;
}

/** Options of {@link verifyTotp}. */
export interface TotpVerifyOptions extends TotpGenerateOptions {
  /** The code the user typed. */
  token: string;
  /**
   * Steps accepted around the current one: a number `n` means `{ past: n, future: n }`.
   * Default 1 (RFC 6238 §5.2 recommends at most one step of network delay). At most 98 in all.
   */
  window?: number | TotpWindow;
  /**
   * Last time step that was already accepted for this secret: steps ≤ this are refused so
   * that a code is used only once (RFC 6238 §5.2). Store `timeStep` from each success.
   */
  afterTimeStep?: number;
}

/** Result of {@link verifyTotp}. */
export type TotpVerifyResult =
  | {
      ok: true;
      /** Matched step minus current step: negative when the client's clock is behind. */
      delta: number;
      /** The matched time step T; pass it as `afterTimeStep` next time. */
      timeStep: number;
    }
  | { ok: false; reason: OtpMismatchReason };

interface CheckedClock {
  period: number;
  t0: number;
  epoch: number;
}

function checkClock(options: TotpClock): CheckedClock {
  checkOptions(options);
  checkOptionalFunction('now', options.now);
  const period = options.period ?? 30;
  checkInteger('period', period, 1, 3600);
  const t0 = options.t0 ?? 0;
  checkInteger('t0', t0, 0, Number.MAX_SAFE_INTEGER);
  const ms = (options.now ?? Date.now)();
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < t0 * 1000) {
    throw new OtpError('INVALID_ARGUMENT', 'now: expected a finite time in milliseconds not before t0', {
      context: { field: 'now' },
    });
  }
  return { period, t0, epoch: Math.floor(ms / 1000) };
}

/**
 * The current time step T = floor((now − T0) / X) of RFC 6238 §4.2.
 * @throws {OtpError} `INVALID_ARGUMENT`
 */
export function totpTimeStep(options: TotpClock = {}): number {
  const { period, t0, epoch } = checkClock(options);
  return Math.floor((epoch - t0) / period);
}

/**
 * The TOTP value for the current time step (RFC 6238 §4.2).
 * @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT`
 */
export function generateTotp(options: TotpGenerateOptions): string {
  const p = checkParameters(options);
  const { period, t0, epoch } = checkClock(options);
  return generateSync({ strategy: 'totp', ...p, period, t0, epoch, crypto: cryptoPlugin });
}

/**
 * Checks `token` against the time steps in the window around now (RFC 6238 §5.2).
 * Malformed tokens and replays (`afterTimeStep`) are reported, never thrown.
 * @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT`
 */
export function verifyTotp(options: TotpVerifyOptions): TotpVerifyResult {
  const p = checkParameters(options);
  const { period, t0, epoch } = checkClock(options);
  const w = options.window ?? 1;
  if (typeof w !== 'number' && (typeof w !== 'object' || w === null)) {
    throw new OtpError('INVALID_ARGUMENT', 'window: expected a number or { past, future }', {
      context: { field: 'window' },
    });
  }
  const { past, future } = typeof w === 'number' ? { past: w, future: w } : w;
  checkInteger('window.past', past, 0, 98);
  checkInteger('window.future', future, 0, 98);
  checkInteger('window', past + future, 0, 98);
  const after = options.afterTimeStep;
  if (after !== undefined) checkInteger('afterTimeStep', after, 0, Number.MAX_SAFE_INTEGER);
  if (!isWellFormedToken(options.token, p.digits)) return { ok: false, reason: 'malformed' };
  const lastStep = Math.floor((epoch + future * period - t0) / period);
  // Every step in the window has already been used: nothing can match (otplib would throw).
  if (after !== undefined && after >= lastStep) return { ok: false, reason: 'mismatch' };
  const result = verifySync({
    strategy: 'totp',
    ...p,
    period,
    t0,
    epoch,
    token: options.token,
    epochTolerance: [past * period, future * period],
    ...(after === undefined ? {} : { afterTimeStep: after }),
    crypto: cryptoPlugin,
  });
  if (!result.valid) return { ok: false, reason: 'mismatch' };
  const timeStep = 'timeStep' in result ? result.timeStep : Math.floor((epoch - t0) / period) + result.delta;
  return { ok: true, delta: result.delta, timeStep };
}
