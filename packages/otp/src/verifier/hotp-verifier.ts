/**
 * @module
 * A stateful HOTP verifier (RFC 4226): §7.2 validation against the account's counter, §7.4
 * resynchronisation within a look-ahead window (a code up to `lookAhead` counters ahead is
 * accepted and moves the counter past it), one use per counter (the next expected counter is
 * kept in the store, so an accepted code and every earlier one are refused), and §7.3
 * throttling as a per-account lockout after consecutive wrong codes. Built on {@link verifyHotp}.
 * `resync` is §7.4's second mechanism for a token far out of step: two consecutive codes,
 * searched over a larger window (`resyncWindow`), move the counter past the second one.
 */
import { constantTimeEqual, encodeUtf8 } from '@vneid/core/bytes';
import { generateHotp, verifyHotp } from '../hotp.ts';
import { checkInteger, checkOptions } from '../option-checks.ts';
import { isWellFormedToken } from '../otp-parameters.ts';
import type { OtpVerifierFailure, OtpVerifierOptions, TokenCheck } from './account-state.ts';
import { createVerifierCore } from './account-state.ts';

/** Options of {@link createHotpVerifier}. */
export interface HotpVerifierOptions extends OtpVerifierOptions {
  /** Counter of an account the store knows nothing about yet (its enrolment value); default 0. */
  initialCounter?: number;
  /**
   * Counters after the expected one that are also tried (RFC 4226 §7.4 look-ahead window s,
   * for a token pressed without logging in); default 10, at most 98.
   */
  lookAhead?: number;
  /**
   * Counters after the expected one searched by `resync` for two consecutive codes (RFC 4226
   * §7.4), 1–10 000; default 1000.
   */
  resyncWindow?: number;
  /**
   * How long an account's counter is kept after its last change, in seconds (1 hour to 100
   * years); default 10 years. An account whose entry expired starts again at `initialCounter`.
   */
  stateTtlSeconds?: number;
}

/** Result of an HOTP verifier's `verify`. */
export type HotpVerifierResult =
  | {
      ok: true;
      /** The counter the token matched. */
      counter: number;
      /** How far ahead of the expected counter it matched (0 = in sync). */
      delta: number;
      /** The counter expected next (matched + 1). */
      nextCounter: number;
    }
  | OtpVerifierFailure;

/** A stateful HOTP verifier. */
export interface HotpVerifier {
  /** Checks `token` for `account` (your user id, 1–256 characters; stored only as a hash). */
  verify(input: { account: string; token: string }): Promise<HotpVerifierResult>;
  /**
   * Resynchronises a token that is further ahead than `lookAhead` (RFC 4226 §7.4): `tokens` are
   * two codes the user generated one after the other; when they match counters c and c + 1
   * within `resyncWindow` after the expected one, the counter moves to c + 2 (the result's
   * `counter` is c + 1). A failed resync counts as one wrong code.
   */
  resync(input: { account: string; tokens: [string, string] }): Promise<HotpVerifierResult>;
}

/**
 * An HOTP verifier that keeps each account's counter, resynchronises within `lookAhead`,
 * refuses used codes and locks accounts after repeated wrong codes.
 * @throws {OtpError} `INVALID_ARGUMENT`, `INVALID_SECRET`; `verify` rejects with
 *   `INVALID_ARGUMENT`, `STORE_CORRUPT` or `STORE_CONTENTION`.
 */
export function createHotpVerifier(options: HotpVerifierOptions): HotpVerifier {
  checkOptions(options);
  const initialCounter = options.initialCounter ?? 0;
  checkInteger('initialCounter', initialCounter, 0, Number.MAX_SAFE_INTEGER - 99);
  const lookAhead = options.lookAhead ?? 10;
  checkInteger('lookAhead', lookAhead, 0, 98);
  const resyncWindow = options.resyncWindow ?? 1000;
  checkInteger('resyncWindow', resyncWindow, 1, 10_000);
  const stateTtlSeconds = options.stateTtlSeconds ?? 10 * 365 * 86_400;
  checkInteger('stateTtlSeconds', stateTtlSeconds, 3600, 100 * 365 * 86_400);
  const core = createVerifierCore(options, 'otp:hotp:', stateTtlSeconds * 1000);
  const { algorithm, digits, allowShortSecret } = core;

  const check = (
    secret: Uint8Array,
    last: number | null,
    _t: number,
    token: string,
  ): TokenCheck<{ counter: number; delta: number; nextCounter: number }> => {
    const counter = last ?? initialCounter;
    const ahead = Math.min(lookAhead, Number.MAX_SAFE_INTEGER - counter);
    const r = verifyHotp({ secret, allowShortSecret, algorithm, digits, counter, lookAhead: ahead, token });
    if (r.ok) {
      return {
        ok: true,
        last: r.nextCounter,
        result: { counter: counter + r.delta, delta: r.delta, nextCounter: r.nextCounter },
      };
    }
    // An already accepted code: one of the counters just before the expected one.
    const back = Math.min(counter - initialCounter, lookAhead + 1);
    if (last !== null && back > 0) {
      const old = verifyHotp({
        secret,
        allowShortSecret,
        algorithm,
        digits,
        counter: counter - back,
        lookAhead: back - 1,
        token,
      });
      if (old.ok) return { ok: false, reason: 'replayed' };
    }
    return { ok: false, reason: 'mismatch' };
  };

  const wellFormedPair = (tokens: unknown): tokens is [string, string] =>
    Array.isArray(tokens) &&
    tokens.length === 2 &&
    isWellFormedToken(tokens[0], digits) &&
    isWellFormedToken(tokens[1], digits);

  const checkPair = (
    secret: Uint8Array,
    last: number | null,
    _t: number,
    tokens: [string, string],
  ): TokenCheck<{ counter: number; delta: number; nextCounter: number }> => {
    const first = encodeUtf8(tokens[0]);
    const second = encodeUtf8(tokens[1]);
    const counter = last ?? initialCounter;
    const end = Math.min(counter + resyncWindow, Number.MAX_SAFE_INTEGER - 1);
    const code = (c: number): Uint8Array =>
      encodeUtf8(generateHotp({ secret, allowShortSecret, algorithm, digits, counter: c }));
    let found = -1;
    let next = code(counter);
    for (let c = counter; c <= end; c++) {
      const current = next;
      next = code(c + 1);
      // Every counter is compared (no early exit), in constant time per code.
      const hit = constantTimeEqual(current, first) && constantTimeEqual(next, second);
      if (hit && found === -1) found = c;
    }
    if (found === -1) return { ok: false, reason: 'mismatch' };
    return {
      ok: true,
      last: found + 2,
      result: { counter: found + 1, delta: found + 1 - counter, nextCounter: found + 2 },
    };
  };

  return {
    resync: (input) => core.run(input, 'tokens', wellFormedPair, checkPair),
    verify: (input) => core.verify(input, check),
  };
}
