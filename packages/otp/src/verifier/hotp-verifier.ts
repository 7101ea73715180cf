/**
 * @module
 * A stateful HOTP verifier (RFC 4226): §7.2 validation against the account's counter, §7.4
 * resynchronisation within a look-ahead window (a code up to `lookAhead` counters ahead is
 * accepted and moves the counter past it), one use per counter (the next expected counter is
 * kept in the store, so an accepted code and every earlier one are refused), and §7.3
 * throttling as a per-account lockout after consecutive wrong codes. Built on {@link verifyHotp}.
 */
import { verifyHotp } from '../hotp.ts';
import { checkInteger, checkOptions } from '../option-checks.ts';
import type { OtpAlgorithm } from '../otp-parameters.ts';
import { checkParameters, isWellFormedToken } from '../otp-parameters.ts';
import type { OtpVerifierFailure, OtpVerifierOptions, TokenCheck } from './account-state.ts';
import { createVerifierCore } from './account-state.ts';

/** Options of {@link createHotpVerifier}. */
export interface HotpVerifierOptions extends OtpVerifierOptions {
  /** HMAC hash function; default `SHA1`. */
  algorithm?: OtpAlgorithm;
  /** Code length, 6–8; default 6. */
  digits?: number;
  /** Counter of an account the store knows nothing about yet (its enrolment value); default 0. */
  initialCounter?: number;
  /**
   * Counters after the expected one that are also tried (RFC 4226 §7.4 look-ahead window s,
   * for a token pressed without logging in); default 10, at most 98.
   */
  lookAhead?: number;
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
  const stateTtlSeconds = options.stateTtlSeconds ?? 10 * 365 * 86_400;
  checkInteger('stateTtlSeconds', stateTtlSeconds, 3600, 100 * 365 * 86_400);
  const algorithm = options.algorithm ?? 'SHA1';
  const digits = options.digits ?? 6;
  const allowShortSecret = options.allowShortSecret ?? false;
  if (options.secret instanceof Uint8Array) {
    checkParameters({ secret: options.secret, algorithm, digits, allowShortSecret });
  } else checkParameters({ secret: new Uint8Array(20), algorithm, digits, allowShortSecret });
  const core = createVerifierCore(options, 'otp:hotp:', stateTtlSeconds * 1000);

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

  return {
    verify(input) {
      return (async () => {
        checkOptions(input, 'input');
        return core.run(input.account, input.token, (token) => isWellFormedToken(token, digits), check);
      })();
    },
  };
}
