/**
 * @module
 * Per-account state of the stateful HOTP/TOTP verifiers, kept in an {@link OtpStore}: the last
 * accepted TOTP time step or the next HOTP counter (RFC 6238 §5.2: a code is accepted only once;
 * RFC 4226 §7.2 counter synchronisation), and the consecutive-failure count with its lockout
 * (RFC 4226 §7.3 throttling; NIST SP 800-63B §5.2.2 rate limiting). Every change is one
 * compare-and-set on the account's entry, so two concurrent verifications of one code can never
 * both succeed and no failure is lost. Store keys hold a SHA-256 of the account id, never the id.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeUtf8, toHex } from '@vneid/core/bytes';
import { OtpError } from '../errors.ts';
import { checkInteger, checkOptionalFunction, checkOptions } from '../option-checks.ts';
import type { OtpAlgorithm } from '../otp-parameters.ts';
import { checkParameters, isWellFormedToken } from '../otp-parameters.ts';
import type { OtpStore, OtpStoreEntry } from '../store/otp-store.ts';

/** Looks up an account's shared secret; `undefined` when there is no such account (or no enrolment). */
export type OtpSecretLookup = (account: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

/** Lockout after repeated wrong codes. */
export interface OtpLockout {
  /** Consecutive wrong codes that lock the account (1–100); default 5. */
  maxFailures?: number;
  /** How long a lockout lasts, in seconds (1–31 536 000); default 900 (15 minutes). */
  durationSeconds?: number;
}

/** Options common to {@link createTotpVerifier} and {@link createHotpVerifier}. */
export interface OtpVerifierOptions {
  /** Where the per-account state lives (the same store as challenges is fine: keys do not clash). */
  store: OtpStore;
  /** One secret for every account (tests, a single token), or a lookup by account id. */
  secret: Uint8Array | OtpSecretLookup;
  /** Also accept secrets of 10–15 bytes (80-bit authenticator enrolments); default false. */
  allowShortSecret?: boolean;
  /** HMAC hash function; default `SHA1`. */
  algorithm?: OtpAlgorithm;
  /** Code length, 6–8; default 6. */
  digits?: number;
  /** Lockout after repeated wrong codes; default 5 failures lock for 15 minutes. */
  lockout?: OtpLockout;
  /** Current time in milliseconds; default `Date.now`. */
  now?: () => number;
  /** Prefix of the store keys (1–64 characters); default `otp:totp:` or `otp:hotp:`. */
  keyPrefix?: string;
}

/** Why a stateful verification did not accept a code. */
export type OtpVerifierRefusal =
  /** The token is not `digits` decimal digits (not counted as a failure: it cannot match). */
  | 'malformed'
  /** No step or counter in the window gives this token. */
  | 'mismatch'
  /** The token belongs to a time step or counter already accepted or passed over (RFC 6238 §5.2). */
  | 'replayed'
  /** The account is locked after too many wrong codes; the code was not checked. */
  | 'locked'
  /** The secret lookup knows no such account. */
  | 'unknown-account';

/** A refused verification. */
export interface OtpVerifierFailure {
  ok: false;
  reason: OtpVerifierRefusal;
  /** Wrong codes still allowed before a lockout (0 when locked). */
  failuresRemaining: number;
  /** With `locked` (and with the failure that caused a lockout): whole seconds until it lifts. */
  retryAfterSeconds?: number;
}

/** The decoded state of one account. */
export interface AccountState {
  v: 1;
  /** TOTP: last accepted time step; HOTP: next expected counter; null before the first success. */
  last: number | null;
  /** Consecutive wrong codes since the last success or lockout. */
  failures: number;
  /** Instant (ms) until which the account is locked; 0 when not locked. */
  lockedUntil: number;
}

/** What a verifier's check of one token against one state found. */
export type TokenCheck<R extends object> =
  | { ok: true; last: number; result: R }
  | { ok: false; reason: 'mismatch' | 'replayed' };

const MAX_CAS_ROUNDS = 100;

function decodeState(entry: OtpStoreEntry | undefined): AccountState {
  if (entry === undefined) return { v: 1, last: null, failures: 0, lockedUntil: 0 };
  let r: Partial<AccountState>;
  try {
    r = JSON.parse(entry.value) as Partial<AccountState>;
  } catch (cause) {
    throw new OtpError('STORE_CORRUPT', 'store: unreadable verifier record', {
      cause,
      context: { field: 'account' },
    });
  }
  if (
    r === null ||
    typeof r !== 'object' ||
    r.v !== 1 ||
    !(r.last === null || (Number.isSafeInteger(r.last) && (r.last as number) >= 0)) ||
    !Number.isSafeInteger(r.failures) ||
    typeof r.lockedUntil !== 'number' ||
    !Number.isFinite(r.lockedUntil)
  ) {
    throw new OtpError('STORE_CORRUPT', 'store: unreadable verifier record', {
      context: { field: 'account' },
    });
  }
  return r as AccountState;
}

/** Checks one token against one account state: its secret, last step or counter, and the time. */
export type TokenChecker<R extends object, T> = (
  secret: Uint8Array,
  last: number | null,
  t: number,
  token: T,
) => TokenCheck<R>;

/** The checked common options, and the verification loop shared by both verifiers. */
export interface VerifierCore {
  /** The checked code parameters. */
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly allowShortSecret: boolean;
  /**
   * Runs one verification of `input[field]` for `input.account`: lockout check, secret lookup,
   * `check`, then one compare-and-set of the new state (retried from a fresh read when another
   * call won).
   */
  run<R extends object, T>(
    input: unknown,
    field: 'token' | 'tokens',
    wellFormed: (token: unknown) => token is T,
    check: TokenChecker<R, T>,
  ): Promise<({ ok: true } & R) | OtpVerifierFailure>;
  /** {@link VerifierCore.run} of `input.token`, a code of `digits` decimal digits. */
  verify<R extends object>(
    input: unknown,
    check: TokenChecker<R, string>,
  ): Promise<({ ok: true } & R) | OtpVerifierFailure>;
}

/** @throws {OtpError} `INVALID_ARGUMENT` */
export function createVerifierCore(
  options: OtpVerifierOptions,
  defaultPrefix: string,
  stateTtlMs: number,
): VerifierCore {
  checkOptions(options);
  const algorithm = options.algorithm ?? 'SHA1';
  const digits = options.digits ?? 6;
  const allowShortSecret = options.allowShortSecret ?? false;
  // Checks algorithm and digits now; a looked-up secret is checked at each use.
  const sample = options.secret instanceof Uint8Array ? options.secret : new Uint8Array(20);
  checkParameters({ secret: sample, algorithm, digits, allowShortSecret });
  const { store, secret } = options;
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof store.get !== 'function' ||
    typeof store.compareAndSet !== 'function'
  ) {
    throw new OtpError('INVALID_ARGUMENT', 'store: expected an OtpStore', { context: { field: 'store' } });
  }
  if (!(secret instanceof Uint8Array) && typeof secret !== 'function') {
    throw new OtpError('INVALID_ARGUMENT', 'secret: expected a Uint8Array or a lookup function', {
      context: { field: 'secret' },
    });
  }
  if (options.lockout !== undefined) checkOptions(options.lockout, 'lockout');
  const maxFailures = options.lockout?.maxFailures ?? 5;
  checkInteger('lockout.maxFailures', maxFailures, 1, 100);
  const lockSeconds = options.lockout?.durationSeconds ?? 900;
  checkInteger('lockout.durationSeconds', lockSeconds, 1, 31_536_000);
  checkOptionalFunction('now', options.now);
  const prefix = options.keyPrefix ?? defaultPrefix;
  if (typeof prefix !== 'string' || prefix.length < 1 || prefix.length > 64) {
    throw new OtpError('INVALID_ARGUMENT', 'keyPrefix: expected 1-64 characters', {
      context: { field: 'keyPrefix' },
    });
  }
  const now = options.now ?? Date.now;
  const lockMs = lockSeconds * 1000;
  const ttl = Math.max(stateTtlMs, lockMs);
  const fixedSecret = secret instanceof Uint8Array ? secret.slice() : undefined;
  const lookup = typeof secret === 'function' ? secret : undefined;

  const clock = (): number => {
    const t = now();
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new OtpError('INVALID_ARGUMENT', 'now: expected a finite number', { context: { field: 'now' } });
    }
    return t;
  };

  async function secretOf(account: string): Promise<Uint8Array | undefined> {
    if (fixedSecret !== undefined) return fixedSecret;
    const s = await lookup!(account);
    if (s === undefined || s === null) return undefined;
    if (!(s instanceof Uint8Array)) {
      throw new OtpError('INVALID_ARGUMENT', 'secret lookup: expected a Uint8Array or undefined', {
        context: { field: 'secret' },
      });
    }
    return s;
  }

  async function run<R extends object, T>(
    input: unknown,
    field: 'token' | 'tokens',
    wellFormed: (token: unknown) => token is T,
    check: TokenChecker<R, T>,
  ): Promise<({ ok: true } & R) | OtpVerifierFailure> {
    checkOptions(input, 'input');
    const { account } = input as { account?: unknown };
    const token = (input as Record<typeof field, unknown>)[field];
    if (typeof account !== 'string' || account.length < 1 || account.length > 256) {
      throw new OtpError('INVALID_ARGUMENT', 'account: expected an id of 1-256 characters', {
        context: { field: 'account' },
      });
    }
    const key = prefix + toHex(sha256(encodeUtf8(account)));
    let accountSecret: Uint8Array | undefined;
    let looked = false;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const entry = await store.get(key);
      const state = decodeState(entry);
      const t = clock();
      if (state.lockedUntil > t) {
        return {
          ok: false,
          reason: 'locked',
          failuresRemaining: 0,
          retryAfterSeconds: Math.max(1, Math.ceil((state.lockedUntil - t) / 1000)),
        };
      }
      const failuresSoFar = state.lockedUntil > 0 ? 0 : state.failures;
      if (!wellFormed(token)) {
        return { ok: false, reason: 'malformed', failuresRemaining: maxFailures - failuresSoFar };
      }
      if (!looked) {
        accountSecret = await secretOf(account);
        looked = true;
      }
      if (accountSecret === undefined) {
        return { ok: false, reason: 'unknown-account', failuresRemaining: maxFailures - failuresSoFar };
      }
      const found = check(accountSecret, state.last, t, token);
      const expected = entry?.version ?? null;
      if (found.ok) {
        const next: AccountState = { v: 1, last: found.last, failures: 0, lockedUntil: 0 };
        if (await store.compareAndSet(key, expected, JSON.stringify(next), ttl)) {
          return { ok: true, ...found.result };
        }
        continue;
      }
      const failures = failuresSoFar + 1;
      const locks = failures >= maxFailures;
      const next: AccountState = {
        v: 1,
        last: state.last,
        failures,
        lockedUntil: locks ? t + lockMs : 0,
      };
      if (await store.compareAndSet(key, expected, JSON.stringify(next), ttl)) {
        return {
          ok: false,
          reason: found.reason,
          failuresRemaining: maxFailures - failures,
          ...(locks ? { retryAfterSeconds: lockSeconds } : {}),
        };
      }
    }
    throw new OtpError('STORE_CONTENTION', 'store: compare-and-set kept failing', {
      context: { field: 'account' },
    });
  }

  const wellFormedToken = (token: unknown): token is string => isWellFormedToken(token, digits);
  return {
    algorithm,
    digits,
    allowShortSecret,
    run,
    verify: (input, check) => run(input, 'token', wellFormedToken, check),
  };
}
