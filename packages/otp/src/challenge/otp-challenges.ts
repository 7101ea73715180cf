/**
 * @module
 * The life cycle of SMS/e-mail one-time codes (the VNeID pattern: 6 digits, valid 3 minutes,
 * re-requestable), following the guidance of RFC 4226 §7.3 (throttling) and NIST SP 800-63B
 * §5.1.3 (out-of-band authenticators: single use, limited validity, rate limiting):
 *
 * - `issue` draws a code from a CSPRNG and stores only HMAC-SHA-256(hashKey, challenge id ‖ code);
 * - `verify` compares hashes in constant time, accepts a code once, refuses it from the instant
 *   `expiresAt = issuedAt + ttl` on, and burns the challenge at the `maxAttempts`-th wrong code;
 * - `resend` replaces the code (new expiry, fresh attempts) after a cooldown;
 * - every send (issue or resend) counts against per-recipient caps per rolling hour and day,
 *   and, when the caller names the account, against per-account caps too;
 * - codes have at least 6 digits unless shorter ones are explicitly allowed.
 *
 * Every state change is a compare-and-set on a versioned store entry, so concurrent `verify`
 * calls on one challenge can never both succeed, and attempt counts are never lost. Recipients
 * are stored only as keyed hashes; challenge ids are random and carry no personal data.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { constantTimeEqual, encodeUtf8, fromHex, toBase64, toHex } from '@vneid/core/bytes';
import { OtpError } from '../errors.ts';
import { checkInteger, checkOptionalFunction, checkOptions } from '../option-checks.ts';
import type { RandomSource } from '../otp-secret.ts';
import { defaultRandom, randomBytes } from '../otp-secret.ts';
import type { OtpStore, OtpStoreEntry } from '../store/otp-store.ts';
import { generateNumericCode } from './numeric-code.ts';
import type { OtpRecipient } from './recipient.ts';
import { normalizeRecipient } from './recipient.ts';

/** Send limits per recipient (phone number or e-mail address) or per account. */
export interface OtpSendCaps {
  /** Sends allowed in any rolling hour; default 5 per recipient, 10 per account. */
  perHour?: number;
  /** Sends allowed in any rolling 24 hours; default 10 per recipient, 20 per account. */
  perDay?: number;
}

/** Options of {@link createOtpChallenges}. */
export interface OtpChallengesOptions {
  /** Where challenges and send counters live. */
  store: OtpStore;
  /** Server secret keying the code and recipient hashes, at least 32 bytes; keep it out of the store. */
  hashKey: Uint8Array;
  /** Validity of a code in seconds (1–86400); default 180. */
  ttlSeconds?: number;
  /** Wrong codes that burn the challenge (1–100); default 5. */
  maxAttempts?: number;
  /** Minimum time between two sends to one recipient, in seconds (0–86400); default 60. */
  resendCooldownSeconds?: number;
  /** Per-recipient send caps (1–1000 each). */
  sendCaps?: OtpSendCaps;
  /** Per-account send caps (1–1000 each), for sends whose `issue` names an `account`. */
  accountSendCaps?: OtpSendCaps;
  /** Digits per code, 6–10 (4–10 with `allowShortCodes`); default 6. */
  codeLength?: number;
  /**
   * Allow codes of 4 or 5 digits (10⁴ or 10⁵ guesses: weaker than NIST SP 800-63B §5.1.3 and
   * the 6 digits of VNeID); default false.
   */
  allowShortCodes?: boolean;
  /** Current time in milliseconds; default `Date.now`. */
  now?: () => number;
  /** Random source; default `crypto.getRandomValues`. */
  random?: RandomSource;
}

/** A code that was issued (or re-issued); send `code` to the recipient and keep `challengeId`. */
export interface OtpIssued {
  ok: true;
  /** Opaque, random, URL-safe id (22 characters); contains no personal data. */
  challengeId: string;
  /** The code to deliver; it is not stored anywhere in clear. */
  code: string;
  /** How long the code is valid, in seconds (the challenge's `ttlSeconds`): pass it to `renderOtpMessage`. */
  ttlSeconds: number;
  /** First instant (ms) at which the code is refused. */
  expiresAt: number;
  /** First instant (ms) at which a resend to this recipient is allowed. */
  resendAvailableAt: number;
  /** Wrong codes still allowed. */
  attemptsRemaining: number;
}

/** A send refused by a limit. */
export interface OtpSendRefused {
  ok: false;
  /**
   * The limit that refuses for longest: the recipient's cooldown or caps, or the account's caps.
   * A resend that lost a race with a concurrent resend of the same challenge is `cooldown`.
   */
  reason: 'cooldown' | 'hourly-cap' | 'daily-cap' | 'account-hourly-cap' | 'account-daily-cap';
  /** Whole seconds until a send is allowed again. */
  retryAfterSeconds: number;
}

/** A resend refused because of the challenge's state. */
export interface OtpResendRefused {
  ok: false;
  reason: 'not-found' | 'used' | 'too-many-attempts';
}

/** Result of `verify`. */
export type OtpVerifyResult =
  | { ok: true; challengeId: string }
  | {
      ok: false;
      reason: 'expired' | 'wrong-code' | 'too-many-attempts' | 'not-found' | 'used';
      /** Wrong codes still allowed for this challenge's current code (0 unless `wrong-code`). */
      attemptsRemaining: number;
    };

/** The challenge operations. */
export interface OtpChallenges {
  /**
   * Starts a challenge for `recipient`, unless a send limit refuses. With `account` (your user
   * id, 1–256 characters; stored only as a keyed hash) the send, and every resend of the
   * challenge, also counts against the account's caps.
   */
  issue(recipient: OtpRecipient, options?: { account?: string }): Promise<OtpIssued | OtpSendRefused>;
  /**
   * Checks `code`. With `recipient`, a challenge issued to someone else is `not-found`.
   * Order of checks: not-found, used, too-many-attempts, expired, then the code.
   */
  verify(input: { challengeId: string; code: string; recipient?: OtpRecipient }): Promise<OtpVerifyResult>;
  /** Replaces the code of a pending (possibly expired) challenge, unless a limit refuses. */
  resend(input: { challengeId: string }): Promise<OtpIssued | OtpSendRefused | OtpResendRefused>;
}

type ChallengeState = 'pending' | 'used' | 'burned';

interface ChallengeRecord {
  v: 1;
  /** Hex HMAC of the canonical recipient. */
  recipient: string;
  /** Hex HMAC of the account id, when the issue named one. */
  account?: string;
  /** Number of resends so far: a resend writes only over the generation it started from. */
  gen?: number;
  /** Hex HMAC of challenge id and code. */
  codeHash: string;
  expiresAt: number;
  failedAttempts: number;
  state: ChallengeState;
}

interface RecipientRecord {
  v: 1;
  /** Times (ms) of the sends of the last 24 hours. */
  sends: number[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_CAS_ROUNDS = 100;
const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;

function corrupt(key: 'challenge' | 'recipient', cause?: unknown): never {
  throw new OtpError('STORE_CORRUPT', `store: unreadable ${key} record`, { cause, context: { field: key } });
}

function isTime(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function decodeChallenge(entry: OtpStoreEntry): ChallengeRecord {
  let r: Partial<ChallengeRecord>;
  try {
    r = JSON.parse(entry.value) as Partial<ChallengeRecord>;
  } catch (cause) {
    return corrupt('challenge', cause);
  }
  if (
    r === null ||
    typeof r !== 'object' ||
    r.v !== 1 ||
    typeof r.recipient !== 'string' ||
    !/^[0-9a-f]{64}$/.test(r.recipient) ||
    typeof r.codeHash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(r.codeHash) ||
    !isTime(r.expiresAt) ||
    !Number.isSafeInteger(r.failedAttempts) ||
    (r.account !== undefined && (typeof r.account !== 'string' || !/^[0-9a-f]{64}$/.test(r.account))) ||
    (r.gen !== undefined && !Number.isSafeInteger(r.gen)) ||
    (r.state !== 'pending' && r.state !== 'used' && r.state !== 'burned')
  ) {
    return corrupt('challenge');
  }
  return r as ChallengeRecord;
}

function decodeRecipient(entry: OtpStoreEntry | undefined): RecipientRecord {
  if (entry === undefined) return { v: 1, sends: [] };
  let r: Partial<RecipientRecord>;
  try {
    r = JSON.parse(entry.value) as Partial<RecipientRecord>;
  } catch (cause) {
    return corrupt('recipient', cause);
  }
  if (r === null || typeof r !== 'object' || r.v !== 1 || !Array.isArray(r.sends) || !r.sends.every(isTime)) {
    return corrupt('recipient');
  }
  return r as RecipientRecord;
}

/**
 * Creates the issue/verify/resend operations over `store`.
 * @throws {OtpError} `INVALID_ARGUMENT` for a missing store, a short `hashKey`, a limit out of range
 *   or a code shorter than 6 digits without `allowShortCodes`.
 */
export function createOtpChallenges(options: OtpChallengesOptions): OtpChallenges {
  checkOptions(options);
  const { store, hashKey } = options;
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof store.get !== 'function' ||
    typeof store.compareAndSet !== 'function' ||
    typeof store.delete !== 'function'
  ) {
    throw new OtpError('INVALID_ARGUMENT', 'store: expected an OtpStore', { context: { field: 'store' } });
  }
  if (!(hashKey instanceof Uint8Array) || hashKey.length < 32) {
    throw new OtpError('INVALID_ARGUMENT', 'hashKey: expected at least 32 bytes', {
      context: { field: 'hashKey' },
    });
  }
  const ttlSeconds = options.ttlSeconds ?? 180;
  checkInteger('ttlSeconds', ttlSeconds, 1, 86_400);
  const maxAttempts = options.maxAttempts ?? 5;
  checkInteger('maxAttempts', maxAttempts, 1, 100);
  const cooldownSeconds = options.resendCooldownSeconds ?? 60;
  checkInteger('resendCooldownSeconds', cooldownSeconds, 0, 86_400);
  if (options.sendCaps !== undefined) checkOptions(options.sendCaps, 'sendCaps');
  const perHour = options.sendCaps?.perHour ?? 5;
  checkInteger('sendCaps.perHour', perHour, 1, 1000);
  const perDay = options.sendCaps?.perDay ?? 10;
  checkInteger('sendCaps.perDay', perDay, 1, 1000);
  if (options.accountSendCaps !== undefined) checkOptions(options.accountSendCaps, 'accountSendCaps');
  const accountPerHour = options.accountSendCaps?.perHour ?? 10;
  checkInteger('accountSendCaps.perHour', accountPerHour, 1, 1000);
  const accountPerDay = options.accountSendCaps?.perDay ?? 20;
  checkInteger('accountSendCaps.perDay', accountPerDay, 1, 1000);
  const allowShort = options.allowShortCodes ?? false;
  if (typeof allowShort !== 'boolean') {
    throw new OtpError('INVALID_ARGUMENT', 'allowShortCodes: expected a boolean', {
      context: { field: 'allowShortCodes' },
    });
  }
  const codeLength = options.codeLength ?? 6;
  checkInteger('codeLength', codeLength, allowShort ? 4 : 6, 10);
  checkOptionalFunction('now', options.now);
  checkOptionalFunction('random', options.random);
  const now = options.now ?? Date.now;
  const random = options.random ?? defaultRandom;
  const key = hashKey.slice();
  const ttlMs = ttlSeconds * 1000;
  const cooldownMs = cooldownSeconds * 1000;

  const clock = (): number => {
    const t = now();
    if (!isTime(t))
      throw new OtpError('INVALID_ARGUMENT', 'now: expected a finite number', { context: { field: 'now' } });
    return t;
  };
  const mac = (label: string, ...parts: string[]): Uint8Array =>
    hmac(sha256, key, encodeUtf8([`vneid-otp/v1/${label}`, ...parts].join('\u0000')));
  const codeHash = (challengeId: string, code: string): Uint8Array => mac('code', challengeId, code);
  const recipientHash = (recipient: OtpRecipient): string =>
    toHex(mac('recipient', normalizeRecipient(recipient)));
  const challengeKey = (id: string): string => `otp:challenge:${id}`;
  const recipientKey = (hash: string): string => `otp:recipient:${hash}`;
  const accountKey = (hash: string): string => `otp:account:${hash}`;
  const accountHash = (account: unknown): string => {
    if (typeof account !== 'string' || account.length < 1 || account.length > 256) {
      throw new OtpError('INVALID_ARGUMENT', 'account: expected an id of 1-256 characters', {
        context: { field: 'account' },
      });
    }
    return toHex(mac('account', account));
  };

  async function write(
    storeKey: string,
    entry: OtpStoreEntry | undefined,
    value: object,
    ttl: number,
  ): Promise<boolean> {
    return store.compareAndSet(storeKey, entry?.version ?? null, JSON.stringify(value), Math.max(1, ttl));
  }

  interface Limits {
    key: string;
    cooldownMs: number;
    perHour: number;
    perDay: number;
    hourly: OtpSendRefused['reason'];
    daily: OtpSendRefused['reason'];
  }
  const recipientLimits = (hash: string): Limits => ({
    key: recipientKey(hash),
    cooldownMs,
    perHour,
    perDay,
    hourly: 'hourly-cap',
    daily: 'daily-cap',
  });
  const accountLimits = (hash: string): Limits => ({
    key: accountKey(hash),
    cooldownMs: 0,
    perHour: accountPerHour,
    perDay: accountPerDay,
    hourly: 'account-hourly-cap',
    daily: 'account-daily-cap',
  });

  /** Records a send at `t` under `limits.key`, unless its cooldown or a cap refuses. */
  async function reserveOne(limits: Limits, t: number): Promise<OtpSendRefused | undefined> {
    const k = limits.key;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const entry = await store.get(k);
      const sends = decodeRecipient(entry).sends.filter((s) => s > t - DAY);
      const refusals: OtpSendRefused[] = [];
      const refuse = (reason: OtpSendRefused['reason'], until: number): void => {
        refusals.push({ ok: false, reason, retryAfterSeconds: Math.max(1, Math.ceil((until - t) / 1000)) });
      };
      const last = sends.length === 0 ? undefined : Math.max(...sends);
      if (last !== undefined && t < last + limits.cooldownMs) refuse('cooldown', last + limits.cooldownMs);
      const lastHour = sends.filter((s) => s > t - HOUR).sort((a, b) => a - b);
      // The cap lifts when the oldest send that keeps the count at the cap leaves the window.
      if (lastHour.length >= limits.perHour)
        refuse(limits.hourly, lastHour[lastHour.length - limits.perHour]! + HOUR);
      const lastDay = [...sends].sort((a, b) => a - b);
      if (lastDay.length >= limits.perDay)
        refuse(limits.daily, lastDay[lastDay.length - limits.perDay]! + DAY);
      if (refusals.length > 0)
        return refusals.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
      const next: RecipientRecord = { v: 1, sends: [...sends, t] };
      if (await write(k, entry, next, DAY)) return undefined;
    }
    throw new OtpError('STORE_CONTENTION', 'store: compare-and-set kept failing', {
      context: { field: 'recipient' },
    });
  }

  /** Takes back one send recorded at `t` under `key` (a reservation whose send did not happen). */
  async function release(key: string, t: number): Promise<void> {
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const entry = await store.get(key);
      if (entry === undefined) return;
      const sends = decodeRecipient(entry).sends;
      const i = sends.indexOf(t);
      if (i === -1) return;
      const next: RecipientRecord = { v: 1, sends: sends.filter((_, j) => j !== i) };
      if (await write(key, entry, next, DAY)) return;
    }
    throw new OtpError('STORE_CONTENTION', 'store: compare-and-set kept failing', {
      context: { field: 'recipient' },
    });
  }

  /**
   * Records a send to `recipient` (and `account`) at `t`, unless a limit refuses. The account is
   * reserved first and given back when the recipient refuses, so a refusal never counts.
   */
  async function reserveSend(
    recipient: string,
    account: string | undefined,
    t: number,
  ): Promise<{ refused: OtpSendRefused } | { release: () => Promise<void> }> {
    if (account !== undefined) {
      const byAccount = await reserveOne(accountLimits(account), t);
      if (byAccount !== undefined) return { refused: byAccount };
    }
    const byRecipient = await reserveOne(recipientLimits(recipient), t);
    if (byRecipient !== undefined) {
      if (account !== undefined) await release(accountKey(account), t);
      return { refused: byRecipient };
    }
    return {
      release: async () => {
        await release(recipientKey(recipient), t);
        if (account !== undefined) await release(accountKey(account), t);
      },
    };
  }

  function issued(challengeId: string, code: string, t: number): OtpIssued {
    return {
      ok: true,
      challengeId,
      code,
      ttlSeconds,
      expiresAt: t + ttlMs,
      resendAvailableAt: t + cooldownMs,
      attemptsRemaining: maxAttempts,
    };
  }

  async function issue(
    recipient: OtpRecipient,
    issueOptions: { account?: string } = {},
  ): Promise<OtpIssued | OtpSendRefused> {
    checkOptions(issueOptions, 'options');
    const r = recipientHash(recipient);
    const a = issueOptions.account === undefined ? undefined : accountHash(issueOptions.account);
    const t = clock();
    const reserved = await reserveSend(r, a, t);
    if ('refused' in reserved) return reserved.refused;
    const challengeId = toBase64(randomBytes(random, 16), { url: true }).replace(/=+$/, '');
    const code = generateNumericCode(codeLength, random);
    const record: ChallengeRecord = {
      v: 1,
      recipient: r,
      ...(a === undefined ? {} : { account: a }),
      codeHash: toHex(codeHash(challengeId, code)),
      expiresAt: t + ttlMs,
      failedAttempts: 0,
      state: 'pending',
    };
    // Kept for one more TTL after expiry so that late attempts learn "expired", not "not-found".
    if (!(await write(challengeKey(challengeId), undefined, record, 2 * ttlMs))) {
      throw new OtpError('STORE_CONTENTION', 'store: a fresh challenge id was already taken', {
        context: { field: 'challengeId' },
      });
    }
    return issued(challengeId, code, t);
  }

  async function verify(input: {
    challengeId: string;
    code: string;
    recipient?: OtpRecipient;
  }): Promise<OtpVerifyResult> {
    checkOptions(input, 'input');
    const { challengeId, code } = input;
    if (typeof code !== 'string') {
      throw new OtpError('INVALID_ARGUMENT', 'code: expected a string', { context: { field: 'code' } });
    }
    type Refusal = Extract<OtpVerifyResult, { ok: false }>;
    const refused = (reason: Refusal['reason'], attemptsRemaining = 0): Refusal => ({
      ok: false,
      reason,
      attemptsRemaining,
    });
    if (typeof challengeId !== 'string' || !CHALLENGE_ID.test(challengeId)) return refused('not-found');
    const expectedRecipient =
      input.recipient === undefined ? undefined : fromHex(recipientHash(input.recipient));
    const presented = codeHash(challengeId, code.length <= 64 ? code : '');
    const k = challengeKey(challengeId);
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const entry = await store.get(k);
      if (entry === undefined) return refused('not-found');
      const record = decodeChallenge(entry);
      if (expectedRecipient !== undefined && !constantTimeEqual(expectedRecipient, fromHex(record.recipient)))
        return refused('not-found');
      if (record.state === 'used') return refused('used');
      if (record.state === 'burned') return refused('too-many-attempts');
      const t = clock();
      if (t >= record.expiresAt) return refused('expired');
      const retainMs = record.expiresAt + ttlMs - t;
      const match = constantTimeEqual(presented, fromHex(record.codeHash)) && code.length <= 64;
      if (match) {
        if (await write(k, entry, { ...record, state: 'used' }, retainMs)) return { ok: true, challengeId };
        continue;
      }
      const failedAttempts = record.failedAttempts + 1;
      const burned = failedAttempts >= maxAttempts;
      const next: ChallengeRecord = { ...record, failedAttempts, state: burned ? 'burned' : 'pending' };
      if (await write(k, entry, next, retainMs)) {
        return burned ? refused('too-many-attempts') : refused('wrong-code', maxAttempts - failedAttempts);
      }
    }
    throw new OtpError('STORE_CONTENTION', 'store: compare-and-set kept failing', {
      context: { field: 'challengeId' },
    });
  }

  async function resend(input: {
    challengeId: string;
  }): Promise<OtpIssued | OtpSendRefused | OtpResendRefused> {
    checkOptions(input, 'input');
    const { challengeId } = input;
    const notFound: OtpResendRefused = { ok: false, reason: 'not-found' };
    if (typeof challengeId !== 'string' || !CHALLENGE_ID.test(challengeId)) return notFound;
    const k = challengeKey(challengeId);
    const stateRefusal = (record: ChallengeRecord): OtpResendRefused | undefined =>
      record.state === 'used'
        ? { ok: false, reason: 'used' }
        : record.state === 'burned'
          ? { ok: false, reason: 'too-many-attempts' }
          : undefined;
    const first = await store.get(k);
    if (first === undefined) return notFound;
    const firstRecord = decodeChallenge(first);
    const early = stateRefusal(firstRecord);
    if (early !== undefined) return early;
    const t = clock();
    const reserved = await reserveSend(firstRecord.recipient, firstRecord.account, t);
    if ('refused' in reserved) return reserved.refused;
    const code = generateNumericCode(codeLength, random);
    const hash = toHex(codeHash(challengeId, code));
    const gen = firstRecord.gen ?? 0;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const entry = round === 0 ? first : await store.get(k);
      const record = entry === undefined ? undefined : decodeChallenge(entry);
      const late = record === undefined ? notFound : stateRefusal(record);
      // Another resend of this challenge replaced the code since we read it: exactly one
      // resend per generation wins; the loser's send is given back and it is told to wait.
      const superseded = record !== undefined && (record.gen ?? 0) !== gen;
      if (late !== undefined || superseded) {
        await reserved.release();
        return (
          late ?? {
            ok: false,
            reason: 'cooldown',
            retryAfterSeconds: Math.max(1, Math.ceil(cooldownMs / 1000)),
          }
        );
      }
      const next: ChallengeRecord = {
        ...record!,
        codeHash: hash,
        expiresAt: t + ttlMs,
        failedAttempts: 0,
        gen: gen + 1,
      };
      if (await write(k, entry, next, 2 * ttlMs)) return issued(challengeId, code, t);
    }
    throw new OtpError('STORE_CONTENTION', 'store: compare-and-set kept failing', {
      context: { field: 'challengeId' },
    });
  }

  return { issue, verify, resend };
}
