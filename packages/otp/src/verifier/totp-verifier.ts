/**
 * @module
 * A stateful TOTP verifier (RFC 6238): §5.2 validation window (look-around only within the
 * configured steps), §5.2 one-use rule (the last accepted time step of each account is kept in
 * the store and every step ≤ it is refused, so a code cannot be replayed within its window),
 * and a per-account lockout after consecutive wrong codes. Built on {@link verifyTotp}.
 */

import { OtpError } from '../errors.ts';
import { checkInteger, checkOptions } from '../option-checks.ts';
import type { TotpWindow } from '../totp.ts';
import { verifyTotp } from '../totp.ts';
import type { OtpVerifierFailure, OtpVerifierOptions, TokenCheck } from './account-state.ts';
import { createVerifierCore } from './account-state.ts';

/** Options of {@link createTotpVerifier}. */
export interface TotpVerifierOptions extends OtpVerifierOptions {
  /** Time step X in seconds, 1–3600; default 30. */
  period?: number;
  /** Unix time T0 (seconds) from which steps are counted; default 0. */
  t0?: number;
  /**
   * Steps accepted around the current one: `n` means `{ past: n, future: n }`; default 1
   * (RFC 6238 §5.2 recommends at most one step of network delay). At most 98 in all.
   */
  window?: number | TotpWindow;
  /**
   * How long an account's state is kept after its last change, in seconds (1 hour to 10 years);
   * default 30 days. It is always kept at least as long as the window and the lockout need.
   */
  stateTtlSeconds?: number;
}

/** Result of a TOTP verifier's `verify`. */
export type TotpVerifierResult =
  | {
      ok: true;
      /** The matched time step T (refused from now on for this account). */
      timeStep: number;
      /** Matched step minus current step: negative when the client's clock is behind. */
      delta: number;
    }
  | OtpVerifierFailure;

/** A stateful TOTP verifier. */
export interface TotpVerifier {
  /** Checks `token` for `account` (your user id, 1–256 characters; stored only as a hash). */
  verify(input: { account: string; token: string }): Promise<TotpVerifierResult>;
}

/**
 * A TOTP verifier that refuses replays and locks accounts after repeated wrong codes.
 * @throws {OtpError} `INVALID_ARGUMENT`, `INVALID_SECRET`; `verify` rejects with
 *   `INVALID_ARGUMENT`, `STORE_CORRUPT` or `STORE_CONTENTION`.
 */
export function createTotpVerifier(options: TotpVerifierOptions): TotpVerifier {
  checkOptions(options);
  const period = options.period ?? 30;
  checkInteger('period', period, 1, 3600);
  const t0 = options.t0 ?? 0;
  checkInteger('t0', t0, 0, Number.MAX_SAFE_INTEGER);
  const w = options.window ?? 1;
  if (typeof w !== 'number' && (typeof w !== 'object' || w === null)) {
    throw new OtpError('INVALID_ARGUMENT', 'window: expected a number or { past, future }', {
      context: { field: 'window' },
    });
  }
  const window = typeof w === 'number' ? { past: w, future: w } : { past: w.past, future: w.future };
  checkInteger('window.past', window.past, 0, 98);
  checkInteger('window.future', window.future, 0, 98);
  checkInteger('window', window.past + window.future, 0, 98);
  const stateTtlSeconds = options.stateTtlSeconds ?? 30 * 86_400;
  checkInteger('stateTtlSeconds', stateTtlSeconds, 3600, 10 * 365 * 86_400);
  // A step stays refusable while it can still fall inside the window.
  const spanMs = (window.past + window.future + 2) * period * 1000;
  const core = createVerifierCore(options, 'otp:totp:', Math.max(stateTtlSeconds * 1000, spanMs));
  const { algorithm, digits, allowShortSecret } = core;

  const check = (
    secret: Uint8Array,
    last: number | null,
    t: number,
    token: string,
  ): TokenCheck<{ timeStep: number; delta: number }> => {
    const common = { secret, allowShortSecret, algorithm, digits, period, t0, window, token, now: () => t };
    const r = verifyTotp(last === null ? common : { ...common, afterTimeStep: last });
    if (r.ok) return { ok: true, last: r.timeStep, result: { timeStep: r.timeStep, delta: r.delta } };
    if (last !== null) {
      const again = verifyTotp(common);
      if (again.ok && again.timeStep <= last) return { ok: false, reason: 'replayed' };
    }
    return { ok: false, reason: 'mismatch' };
  };

  return { verify: (input) => core.verify(input, check) };
}
