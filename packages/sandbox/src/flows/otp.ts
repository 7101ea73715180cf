/**
 * @module
 * SMS one-time codes (IDENTITY-NOTES §2: 6 digits, valid 3 minutes, "Gửi lại mã" with a
 * countdown) as rows of `otp_challenges`, moved only under `SELECT … FOR UPDATE`, so that of two
 * concurrent verifies exactly one wins on PostgreSQL as on PGlite. The code is stored as an HMAC
 * bound to the challenge id and compared in constant time. A challenge expires `ttlSeconds`
 * after it was (re)sent: a verify at `expiresAt − 1 s` is accepted, at `expiresAt` it is
 * `otp_expired`. Every wrong code counts; the `maxAttempts`-th wrong code answers `otp_invalid`
 * with `attemptsRemaining: 0` and exhausts the challenge, every later verify (even with the right
 * code) is `otp_attempts_exceeded` until a resend. Sends (the first one and every resend) are
 * capped per subject and per phone in fixed windows (table `rate_limits`); a resend waits for
 * the cooldown. What a verified challenge does is up to its purpose ({@link registerOtpPurpose}),
 * run inside the same transaction as the verify.
 */
import type { DirectContext, DirectHandler, RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomDigits, randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { hitLimit } from '../store/rate-limits.ts';
import { maskPhone, sendSms } from './sms.ts';

export type OtpDelivery = 'sms' | 'bound_device';

/** The openapi `OtpChallenge`. */
export interface OtpChallengeView {
  challengeId: string;
  expiresAt: string;
  resendAfter: string;
  maskedPhone: string;
  attemptsRemaining: number;
  delivery: OtpDelivery;
}

export interface CreateOtpInput {
  /** `registration`, `login_device`, `password_reset`, `activation`, `passcode_reset`, … */
  purpose: string;
  phone: string;
  accountId?: string | null;
  /** What the send caps count per (besides the phone), e.g. `registration:<personal ID>`. */
  subject: string;
  delivery?: OtpDelivery;
  /** The message text for a code (see {@link otpMessage}). */
  message: (code: string) => string;
  data?: Record<string, unknown>;
  /** The challenge id, when the caller must store it before the challenge exists. */
  id?: string;
  /** No (re)send makes the code valid at or after this time (e.g. the registration's expiry). */
  notAfter?: Date;
  /**
   * A challenge that sends nothing and accepts no code, answered exactly like a real one (a
   * password reset for an unknown account: no enumeration). Counts against the same caps.
   */
  decoy?: boolean;
}

export interface VerifiedChallenge {
  id: string;
  purpose: string;
  accountId: string | null;
  phone: string;
  data: Record<string, unknown>;
}

export type OtpVerifiedHandler = (
  tx: Queryable,
  rc: RequestContext,
  challenge: VerifiedChallenge,
) => Promise<{ status?: number; body: unknown }>;

export interface OtpPurposeOptions {
  /**
   * Whether the handler writes, and so runs in the verify's transaction (the default). A purpose
   * whose only effect is the verified challenge itself (the registration: its next step checks
   * the challenge) declares `false`: the verify is then a single statement, and the handler,
   * called after it with the database, only answers.
   */
  transaction?: boolean;
}

const handlers = new Map<string, { onVerified: OtpVerifiedHandler; transaction: boolean }>();

/** What a verified challenge of `purpose` answers; registering a purpose again replaces it. */
export function registerOtpPurpose(
  purpose: string,
  onVerified: OtpVerifiedHandler,
  options: OtpPurposeOptions = {},
): void {
  handlers.set(purpose, { onVerified, transaction: options.transaction ?? true });
}

/** The SMS text of IDENTITY-NOTES §2 for a request (`đăng ký tài khoản`, `kích hoạt lại thiết bị`, …). */
export function otpMessage(rc: Pick<RequestContext, 'policy'>, request: string): (code: string) => string {
  const minutes = Math.max(1, Math.round(rc.policy.otp.ttlSeconds / 60));
  return (code) =>
    `VNeID: Mã OTP ${code} có hiệu lực trong ${minutes} phút, sử dụng để xác thực cho yêu cầu ${request}. Vì lý do bảo mật, tuyệt đối không được cung cấp mã OTP này cho bất kỳ ai.`;
}

const CODE_MARK = '{{code}}';

interface OtpRow {
  id: string;
  purpose: string;
  subject: string;
  account_id: string | null;
  phone: string;
  delivery: OtpDelivery;
  template: string;
  code_mac: string;
  attempts: number;
  state: 'pending' | 'verified' | 'exhausted' | 'cancelled';
  data: Record<string, unknown>;
  expires_at: Date;
  resend_after: Date;
  not_after: Date | null;
}

/** Whole seconds from `at` until `t`, at least 1. */
export function secondsUntil(t: Date, at: Date): number {
  return Math.max(1, Math.ceil((new Date(t).getTime() - at.getTime()) / 1000));
}

/** A fresh code's expiry: `ttlSeconds` from now, but never past the challenge's `notAfter`. */
function expiryOf(rc: RequestContext, notAfter: Date | null): Date {
  const expiry = rc.at.getTime() + rc.policy.otp.ttlSeconds * 1000;
  return new Date(notAfter === null ? expiry : Math.min(expiry, new Date(notAfter).getTime()));
}

const macOf = (rc: Pick<RequestContext, 'secrets'>, id: string, code: string): string =>
  rc.secrets.mac('otp', `${id}:${code}`);

async function countSend(tx: Queryable, rc: RequestContext, subject: string, phone: string): Promise<void> {
  const { sendWindowSeconds, maxSendsPerWindow } = rc.policy.otp;
  for (const key of [`otp-send:subject:${subject}`, `otp-send:phone:${phone}`]) {
    const hit = await hitLimit(tx, key, sendWindowSeconds, rc.at);
    if (hit.count > maxSendsPerWindow)
      throw new ProblemError('otp_send_limit', { retryAfter: secondsUntil(hit.resetsAt, rc.at) });
  }
}

function viewOf(
  rc: RequestContext,
  row: Pick<OtpRow, 'id' | 'phone' | 'delivery' | 'attempts' | 'expires_at' | 'resend_after'>,
): OtpChallengeView {
  return {
    challengeId: row.id,
    expiresAt: new Date(row.expires_at).toISOString(),
    resendAfter: new Date(row.resend_after).toISOString(),
    maskedPhone: maskPhone(row.phone),
    attemptsRemaining: Math.max(0, rc.policy.otp.maxAttempts - row.attempts),
    delivery: row.delivery,
  };
}

async function deliver(
  tx: Queryable,
  rc: RequestContext,
  row: Pick<OtpRow, 'phone' | 'template' | 'purpose'>,
  code: string,
): Promise<void> {
  await sendSms(
    tx,
    { phone: row.phone, body: row.template.split(CODE_MARK).join(code), code, purpose: row.purpose },
    rc.at,
  );
}

/**
 * Creates a challenge and sends its code (to the SMS outbox; `bound_device` deliveries are
 * recorded there too, with the challenge's purpose). Throws `otp_send_limit` (with
 * `retryAfter`) when the subject or the phone has had `maxSendsPerWindow` sends in the window.
 */
export async function createOtpChallenge(
  tx: Queryable,
  rc: RequestContext,
  input: CreateOtpInput,
): Promise<OtpChallengeView> {
  await countSend(tx, rc, input.subject, input.phone);
  const id = input.id ?? randomId();
  const code = randomDigits(rc.policy.otp.length);
  const row = {
    id,
    purpose: input.purpose,
    phone: input.phone,
    delivery: input.delivery ?? 'sms',
    template: input.message(CODE_MARK),
    attempts: 0,
    expires_at: expiryOf(rc, input.notAfter ?? null),
    resend_after: new Date(rc.at.getTime() + rc.policy.otp.resendCooldownSeconds * 1000),
  };
  // A decoy's MAC is of a random 256-bit value: no code matches it.
  const codeMac = input.decoy === true ? macOf(rc, id, randomId(32)) : macOf(rc, id, code);
  await tx.query(
    `INSERT INTO otp_challenges (id, purpose, subject, account_id, phone, delivery, template, code_mac, state, data,
       created_at, expires_at, resend_after, not_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12, $13)`,
    [
      id,
      row.purpose,
      input.subject,
      input.accountId ?? null,
      row.phone,
      row.delivery,
      row.template,
      codeMac,
      JSON.stringify({ ...(input.data ?? {}), ...(input.decoy === true ? { decoy: true } : {}) }),
      rc.at,
      row.expires_at,
      row.resend_after,
      input.notAfter ?? null,
    ],
  );
  if (input.decoy !== true) await deliver(tx, rc, row, code);
  return viewOf(rc, row);
}

/** Ends a pending challenge (a verify or resend then answers `otp_expired`). */
export async function cancelOtpChallenge(tx: Queryable, challengeId: string): Promise<void> {
  await tx.query(
    `UPDATE otp_challenges SET state = 'cancelled' WHERE id = $1 AND state IN ('pending', 'exhausted')`,
    [challengeId],
  );
}

/** The current view of a challenge, or null. */
export async function getOtpChallenge(
  q: Queryable,
  rc: RequestContext,
  challengeId: string,
): Promise<OtpChallengeView | null> {
  const { rows } = await q.query<OtpRow>('SELECT * FROM otp_challenges WHERE id = $1', [challengeId]);
  return rows[0] === undefined ? null : viewOf(rc, rows[0]);
}

async function lockChallenge(tx: Queryable, challengeId: string): Promise<OtpRow> {
  const { rows } = await tx.query<OtpRow>('SELECT * FROM otp_challenges WHERE id = $1 FOR UPDATE', [
    challengeId,
  ]);
  const row = rows[0];
  if (row === undefined) throw new ProblemError('not_found', { detail: 'no such one-time code challenge' });
  return row;
}

function assertOpen(row: OtpRow): void {
  if (row.state === 'verified') throw new ProblemError('otp_already_used');
  if (row.state === 'cancelled')
    throw new ProblemError('otp_expired', { detail: 'the challenge was replaced' });
}

/** The purposes (of `expected`, when given) whose verify is one statement without a transaction. */
function singleStatementPurposes(expected?: readonly string[]): string[] {
  return [...handlers]
    .filter(([p, h]) => !h.transaction && (expected === undefined || expected.includes(p)))
    .map(([p]) => p);
}

/** What a purpose's handler is told about the challenge its code verified. */
function verifiedChallengeOf(
  row: Pick<OtpRow, 'id' | 'purpose' | 'account_id' | 'phone' | 'data'>,
): VerifiedChallenge {
  return {
    id: row.id,
    purpose: row.purpose,
    accountId: row.account_id,
    phone: row.phone,
    data: row.data ?? {},
  };
}

/** Why a challenge that the verify statement did not move cannot take a code. */
async function refusal(
  q: Queryable,
  rc: RequestContext,
  challengeId: string,
  expectedPurposes: readonly string[] | undefined,
): Promise<ProblemError> {
  const { rows } = await q.query<OtpRow>('SELECT * FROM otp_challenges WHERE id = $1', [challengeId]);
  const row = rows[0];
  if (row === undefined || (expectedPurposes !== undefined && !expectedPurposes.includes(row.purpose)))
    return new ProblemError('not_found', { detail: 'no such one-time code challenge' });
  if (row.state === 'verified') return new ProblemError('otp_already_used');
  if (row.state === 'cancelled')
    return new ProblemError('otp_expired', { detail: 'the challenge was replaced' });
  if (row.state === 'exhausted' || row.attempts >= rc.policy.otp.maxAttempts)
    return new ProblemError('otp_attempts_exceeded', { attemptsRemaining: 0 });
  return new ProblemError('otp_expired');
}

/**
 * Checks `code` (attempts, expiry, single use) and answers with the purpose's handler inside
 * the same transaction. `expectedPurposes` restricts which purposes the caller accepts (a login
 * challenge verifies only `login_device` codes).
 *
 * One statement moves the challenge: it takes the row lock, checks state, purpose, attempts and
 * expiry, and either marks it verified or counts the wrong code, so two concurrent verifies of
 * one code accept exactly once. The code is compared as `HMAC(key, id:code)` with the stored
 * MAC of the real code: the comparison runs on keyed MACs that the caller cannot predict, so its
 * timing tells nothing about the code (the MAC-then-compare construction).
 */
export async function verifyOtp(
  rc: RequestContext,
  challengeId: string,
  code: string,
  expectedPurposes?: readonly string[],
): Promise<{ status?: number; body: unknown }> {
  const candidate = macOf(rc, challengeId, code);
  const { maxAttempts } = rc.policy.otp;
  type Moved = { problem: ProblemError } | { onVerified: OtpVerifiedHandler; challenge: VerifiedChallenge };
  // Moves a pending challenge of one of `purposes`; undefined when none matched.
  const move = async (q: Queryable, purposes: readonly string[] | null): Promise<Moved | undefined> => {
    const { rows } = await q.query<OtpRow & { matched: boolean }>(
      `UPDATE otp_challenges SET
         attempts = CASE WHEN code_mac = $2 THEN attempts ELSE attempts + 1 END,
         state = CASE WHEN code_mac = $2 THEN 'verified' WHEN attempts + 1 >= $3::int THEN 'exhausted' ELSE 'pending' END,
         verified_at = CASE WHEN code_mac = $2 THEN $4::timestamptz ELSE verified_at END
       WHERE id = $1 AND state = 'pending' AND attempts < $3::int AND expires_at > $4::timestamptz
         AND ($5::text[] IS NULL OR purpose = ANY($5::text[]))
       RETURNING id, purpose, account_id, phone, data, attempts, state = 'verified' AS matched`,
      [challengeId, candidate, maxAttempts, rc.at, purposes],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    if (!row.matched) {
      // Returned, not thrown: the counted attempt must be committed.
      return {
        problem: new ProblemError('otp_invalid', {
          attemptsRemaining: Math.max(0, maxAttempts - row.attempts),
        }),
      };
    }
    const purpose = handlers.get(row.purpose);
    if (purpose === undefined) throw new Error(`no handler for one-time code purpose ${row.purpose}`);
    return { onVerified: purpose.onVerified, challenge: verifiedChallengeOf(row) };
  };
  // Purposes without a transaction first: one statement, committed on its own.
  const single = singleStatementPurposes(expectedPurposes);
  const quick = single.length > 0 ? await move(rc.db, single) : undefined;
  const outcome =
    quick !== undefined
      ? 'problem' in quick
        ? quick
        : { result: await quick.onVerified(rc.db, rc, quick.challenge) }
      : await rc.db.transaction(async (tx) => {
          const moved =
            (await move(tx, expectedPurposes ?? null)) ??
            ({ problem: await refusal(tx, rc, challengeId, expectedPurposes) } as const);
          return 'problem' in moved ? moved : { result: await moved.onVerified(tx, rc, moved.challenge) };
        });
  if ('problem' in outcome) throw outcome.problem;
  return outcome.result;
}

/**
 * The common verify in one round trip (a {@link DirectHandler} of `POST /v1/otp/{id}/verify`):
 * the right code for a pending challenge of a purpose without a transaction, when no fault is
 * armed. The statement reads the application clock (real time plus the offset of the clock
 * control) and the armed faults itself, so the request needs no separate context read. Anything
 * else (a wrong code, which must be counted; an expired, used or exhausted challenge; a purpose
 * with a transaction; an armed fault) matches no row, leaves the database as it was and answers
 * undefined, and {@link verifyOtp} then runs in the full request context.
 */
export async function verifyOtpDirect(
  dc: DirectContext,
  challengeId: string,
  code: string,
): Promise<{ status?: number; body: unknown } | undefined> {
  const purposes = singleStatementPurposes();
  if (purposes.length === 0) return undefined;
  const { rows } = await dc.db.query<OtpRow & { at: Date }>(
    `UPDATE otp_challenges c SET state = 'verified', verified_at = s.at
     FROM (SELECT $4::timestamptz + clock_offset_ms * interval '1 millisecond' AS at FROM sandbox_state
           WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM sandbox_faults WHERE remaining > 0)) s
     WHERE c.id = $1 AND c.code_mac = $2 AND c.state = 'pending' AND c.attempts < $3::int
       AND c.expires_at > s.at AND c.purpose = ANY($5::text[])
     RETURNING c.id, c.purpose, c.account_id, c.phone, c.data, s.at`,
    [challengeId, macOf(dc, challengeId, code), dc.policy.otp.maxAttempts, new Date(), purposes],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return handlers
    .get(row.purpose)!
    .onVerified(dc.db, { ...dc, at: new Date(row.at) }, verifiedChallengeOf(row));
}

/**
 * Sends a new code for the challenge: after the cooldown (`otp_resend_too_soon` with
 * `retryAfter`), within the send caps (`otp_send_limit`). The new code has a fresh lifetime and
 * fresh attempts; the old code stops working.
 */
export async function resendOtp(rc: RequestContext, challengeId: string): Promise<OtpChallengeView> {
  return rc.db.transaction(async (tx) => {
    const row = await lockChallenge(tx, challengeId);
    assertOpen(row);
    if (rc.at.getTime() < new Date(row.resend_after).getTime())
      throw new ProblemError('otp_resend_too_soon', { retryAfter: secondsUntil(row.resend_after, rc.at) });
    await countSend(tx, rc, row.subject, row.phone);
    const code = randomDigits(rc.policy.otp.length);
    const decoy = row.data?.['decoy'] === true;
    const next = {
      ...row,
      attempts: 0,
      expires_at: expiryOf(rc, row.not_after),
      resend_after: new Date(rc.at.getTime() + rc.policy.otp.resendCooldownSeconds * 1000),
    };
    await tx.query(
      `UPDATE otp_challenges SET code_mac = $2, attempts = 0, state = 'pending', sends = sends + 1,
         expires_at = $3, resend_after = $4 WHERE id = $1`,
      [row.id, macOf(rc, row.id, decoy ? randomId(32) : code), next.expires_at, next.resend_after],
    );
    if (!decoy) await deliver(tx, rc, row, code);
    return viewOf(rc, next);
  });
}
