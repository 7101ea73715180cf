/**
 * @module
 * The 6-digit passcode of an eID account (IDENTITY-NOTES §2: set during activation, asked
 * before sensitive actions such as changing the password, reset with an SMS OTP). Stored as
 * `mac('passcode', accountId + ':' + passcode)` in table `passcodes` with a failure counter:
 * after `policy.passcode.maxAttempts` consecutive wrong passcodes the passcode is locked until
 * it is reset through `POST /v1/passcode/reset` (OTP to the registered phone). Trivial
 * passcodes (one digit repeated, ascending/descending runs, short repeated patterns, the
 * birth date, the end of the personal ID or phone) are refused.
 */
import type { RequestContext } from '../http/context.ts';
import { isProblemError, ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { hitLimit } from '../store/rate-limits.ts';
import { createOtpChallenge, type OtpChallengeView, otpMessage, registerOtpPurpose } from './otp.ts';
import { hasSecurityAnswers, type SecurityAnswer, securityAnswersMatch } from './security-questions.ts';

/** The documented passcode the eID seed gives seeded `active` accounts that have none. */
export const SEEDED_PASSCODE = '246813';

export type PasscodeRule =
  | 'format'
  | 'same_digit'
  | 'sequence'
  | 'repeated_pattern'
  | 'birth_date'
  | 'personal_data';

export interface PasscodeOwner {
  /** `YYYY-MM-DD`. */
  birthDate?: string | null;
  personalId?: string | null;
  phone?: string | null;
}

/** The first rule `passcode` breaks, or null when it is acceptable. */
export function passcodeRuleBroken(
  passcode: string,
  length: number,
  owner: PasscodeOwner = {},
): PasscodeRule | null {
  if (!new RegExp(`^[0-9]{${length}}$`).test(passcode)) return 'format';
  const digits = [...passcode].map(Number);
  if (digits.every((d) => d === digits[0])) return 'same_digit';
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  for (let period = 2; period <= length / 2; period++) {
    if (length % period === 0 && passcode === passcode.slice(0, period).repeat(length / period))
      return 'repeated_pattern';
  }
  if (owner.birthDate && birthDatePatterns(owner.birthDate).includes(passcode)) return 'birth_date';
  for (const value of [owner.personalId, owner.phone]) {
    if (value && value.length >= length && value.endsWith(passcode)) return 'personal_data';
  }
  return null;
}

/** ddmmyy, mmddyy, yymmdd, yyyymm… of a `YYYY-MM-DD` date, as 6-digit strings. */
function birthDatePatterns(birthDate: string): string[] {
  const m = /^([0-9]{2})([0-9]{2})-([0-9]{2})-([0-9]{2})$/.exec(birthDate);
  if (m === null) return [];
  const [, cc, yy, mm, dd] = m as unknown as [string, string, string, string, string];
  return [dd + mm + yy, mm + dd + yy, yy + mm + dd, cc + yy + mm, dd + mm + cc, mm + cc + yy];
}

export function checkPasscodePolicy(rc: RequestContext, passcode: string, owner: PasscodeOwner = {}): void {
  const rule = passcodeRuleBroken(passcode, rc.policy.passcode.length, owner);
  if (rule !== null) throw new ProblemError('passcode_policy_violation', { extra: { rule } });
}

const macOf = (rc: Pick<RequestContext, 'secrets'>, accountId: string, passcode: string) =>
  rc.secrets.mac('passcode', `${accountId}:${passcode}`);

/** Sets (or replaces) the passcode and clears the failure counter and the lock. */
export async function setPasscode(
  tx: Queryable,
  rc: Pick<RequestContext, 'secrets' | 'at'>,
  accountId: string,
  passcode: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO passcodes (account_id, passcode_mac, failed_attempts, locked_at, updated_at)
     VALUES ($1, $2, 0, NULL, $3)
     ON CONFLICT (account_id) DO UPDATE SET passcode_mac = $2, failed_attempts = 0, locked_at = NULL, updated_at = $3`,
    [accountId, macOf(rc, accountId, passcode), rc.at],
  );
}

export async function hasPasscode(q: Queryable, accountId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM passcodes WHERE account_id = $1', [accountId]);
  return rows.length > 0;
}

/**
 * Checks `passcode` for `accountId` (row locked FOR UPDATE, so concurrent wrong tries each
 * count). A wrong passcode increments the counter and throws `passcode_invalid` with
 * `attemptsRemaining`; the try that exhausts the limit, and every try after it, throws
 * `passcode_locked`. No passcode set → `conflict`.
 *
 * The counter is written with `tx` and then the function throws, so a caller whose
 * transaction rolls back on the throw loses the count (a brute-force hole). Either catch the
 * problem inside the transaction and rethrow it after the commit, or call
 * {@link checkPasscode} (its own transaction, done that way) before the work it protects.
 */
export async function verifyPasscode(
  tx: Queryable,
  rc: Pick<RequestContext, 'secrets' | 'at' | 'policy'>,
  accountId: string,
  passcode: string,
): Promise<void> {
  const { rows } = await tx.query<{ passcode_mac: string; failed_attempts: number; locked_at: Date | null }>(
    'SELECT passcode_mac, failed_attempts, locked_at FROM passcodes WHERE account_id = $1 FOR UPDATE',
    [accountId],
  );
  const row = rows[0];
  if (row === undefined)
    throw new ProblemError('conflict', { detail: 'no passcode is set for this account' });
  const max = rc.policy.passcode.maxAttempts;
  if (row.locked_at !== null || row.failed_attempts >= max) throw new ProblemError('passcode_locked');
  const candidate = typeof passcode === 'string' ? passcode : '';
  if (rc.secrets.macEquals('passcode', `${accountId}:${candidate}`, row.passcode_mac)) {
    if (row.failed_attempts > 0)
      await tx.query('UPDATE passcodes SET failed_attempts = 0 WHERE account_id = $1', [accountId]);
    return;
  }
  const failed = row.failed_attempts + 1;
  await tx.query(
    'UPDATE passcodes SET failed_attempts = $2::int, locked_at = CASE WHEN $2::int >= $3::int THEN $4::timestamptz ELSE NULL END WHERE account_id = $1',
    [accountId, failed, max, rc.at],
  );
  if (failed >= max) throw new ProblemError('passcode_locked');
  throw new ProblemError('passcode_invalid', { attemptsRemaining: max - failed });
}

/** {@link verifyPasscode} in a transaction of its own, so that a failure is always counted. */
export async function checkPasscode(rc: RequestContext, accountId: string, passcode: string): Promise<void> {
  let failure: unknown;
  await rc.db.transaction(async (tx) => {
    try {
      await verifyPasscode(tx, rc, accountId, passcode);
    } catch (error) {
      // A problem: commit the counter, then throw outside the transaction.
      if (!isProblemError(error)) throw error;
      failure = error;
    }
  });
  if (failure !== undefined) throw failure;
}

// ── forgot passcode: OTP to the registered phone, then a new passcode ───────────────────────

/** How long a passcode reset may take. */
export const PASSCODE_RESET_TTL_SECONDS = 15 * 60;

export interface PasscodeResetView {
  resetId: string;
  state: 'otp_sent' | 'otp_verified' | 'completed' | 'failed';
  expiresAt: string;
  otp?: OtpChallengeView;
}

interface AccountForPasscode {
  id: string;
  phone: string;
  birth_date: string | null;
  personal_id: string;
  state: string;
}

async function accountForPasscode(
  q: Queryable,
  accountId: string,
  lock = false,
): Promise<AccountForPasscode> {
  const { rows } = await q.query<AccountForPasscode>(
    `SELECT id, phone, birth_date, personal_id, state FROM accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [accountId],
  );
  if (rows[0] === undefined) throw new ProblemError('unauthorized');
  if (rows[0].state !== 'active') throw new ProblemError('account_not_activated');
  return rows[0];
}

/** `PUT /v1/passcode`: sets the first passcode, or changes it (the current one is then required). */
export async function changePasscode(
  rc: RequestContext,
  accountId: string,
  input: { passcode: string; currentPasscode?: string },
): Promise<void> {
  const account = await accountForPasscode(rc.db, accountId);
  const exists = await hasPasscode(rc.db, accountId);
  if (exists) {
    if (input.currentPasscode === undefined)
      throw new ProblemError('invalid_request', {
        detail: 'currentPasscode is required to change the passcode',
        extra: { pointer: '/currentPasscode' },
      });
    await checkPasscode(rc, accountId, input.currentPasscode);
  }
  checkPasscodePolicy(rc, input.passcode, {
    birthDate: account.birth_date,
    personalId: account.personal_id,
    phone: account.phone,
  });
  await rc.db.transaction((tx) => setPasscode(tx, rc, accountId, input.passcode));
}

export async function startPasscodeReset(rc: RequestContext, accountId: string): Promise<PasscodeResetView> {
  return rc.db.transaction(async (tx) => {
    const account = await accountForPasscode(tx, accountId, true);
    await tx.query(
      `UPDATE passcode_resets SET state = 'superseded' WHERE account_id = $1 AND state IN ('otp_sent', 'otp_verified')`,
      [accountId],
    );
    const id = randomId();
    const expiresAt = new Date(rc.at.getTime() + PASSCODE_RESET_TTL_SECONDS * 1000);
    const otp = await createOtpChallenge(tx, rc, {
      purpose: 'passcode_reset',
      phone: account.phone,
      accountId,
      subject: `passcode_reset:${accountId}`,
      delivery: 'sms',
      message: otpMessage(rc, 'đặt lại mật mã (passcode)'),
      data: { resetId: id },
    });
    await tx.query(
      `INSERT INTO passcode_resets (id, account_id, state, otp_challenge_id, created_at, expires_at)
       VALUES ($1, $2, 'otp_sent', $3, $4, $5)`,
      [id, accountId, otp.challengeId, rc.at, expiresAt],
    );
    return { resetId: id, state: 'otp_sent', expiresAt: expiresAt.toISOString(), otp };
  });
}

async function lockReset(
  tx: Queryable,
  rc: Pick<RequestContext, 'at'>,
  resetId: string,
  accountId: string | null,
  expected: 'otp_sent' | 'otp_verified',
): Promise<{ id: string; account_id: string; expires_at: Date }> {
  const { rows } = await tx.query<{ id: string; account_id: string; state: string; expires_at: Date }>(
    'SELECT id, account_id, state, expires_at FROM passcode_resets WHERE id = $1 FOR UPDATE',
    [resetId],
  );
  const row = rows[0];
  if (row === undefined || (accountId !== null && row.account_id !== accountId))
    throw new ProblemError('not_found');
  if (row.state !== expected)
    throw new ProblemError('conflict', {
      detail: `the passcode reset is ${row.state}`,
      extra: { state: row.state },
    });
  if (new Date(row.expires_at).getTime() <= rc.at.getTime())
    throw new ProblemError('conflict', { detail: 'the passcode reset has expired; start again' });
  return row;
}

registerOtpPurpose('passcode_reset', async (tx, rc, challenge) => {
  const resetId = String((challenge.data as { resetId?: unknown } | null)?.resetId ?? '');
  const row = await lockReset(tx, rc, resetId, null, 'otp_sent');
  await tx.query(`UPDATE passcode_resets SET state = 'otp_verified' WHERE id = $1`, [row.id]);
  const view: PasscodeResetView = {
    resetId: row.id,
    state: 'otp_verified',
    expiresAt: new Date(row.expires_at).toISOString(),
  };
  return { status: 200, body: { passcodeReset: view } };
});

/** Wrong security-answer pairs a passcode reset allows; the last one ends it `failed`. */
export const MAX_SECURITY_ANSWER_ATTEMPTS = 3;

/**
 * The new passcode after a verified reset OTP; clears the lock. An account with security
 * answers (chosen at activation) must give both; a wrong pair counts (committed), the
 * {@link MAX_SECURITY_ANSWER_ATTEMPTS}-th ends the reset.
 */
export async function completePasscodeReset(
  rc: RequestContext,
  accountId: string,
  resetId: string,
  passcode: string,
  securityAnswers?: readonly SecurityAnswer[],
): Promise<PasscodeResetView> {
  const outcome = await rc.db.transaction(async (tx) => {
    const row = await lockReset(tx, rc, resetId, accountId, 'otp_verified');
    const account = await accountForPasscode(tx, accountId);
    if (await hasSecurityAnswers(tx, accountId)) {
      if (securityAnswers === undefined)
        throw new ProblemError('invalid_request', {
          detail: 'this account has security questions: securityAnswers is required',
          extra: { pointer: '/securityAnswers' },
        });
      if (!(await securityAnswersMatch(tx, rc, accountId, securityAnswers))) {
        const hit = await hitLimit(tx, `security-answer:${row.id}`, PASSCODE_RESET_TTL_SECONDS, rc.at);
        const attemptsRemaining = Math.max(0, MAX_SECURITY_ANSWER_ATTEMPTS - hit.count);
        if (attemptsRemaining === 0)
          await tx.query(`UPDATE passcode_resets SET state = 'failed' WHERE id = $1`, [row.id]);
        // Returned, not thrown: the counted attempt must be committed.
        return { problem: new ProblemError('security_answer_invalid', { attemptsRemaining }) };
      }
    }
    checkPasscodePolicy(rc, passcode, {
      birthDate: account.birth_date,
      personalId: account.personal_id,
      phone: account.phone,
    });
    await setPasscode(tx, rc, accountId, passcode);
    await tx.query(`UPDATE passcode_resets SET state = 'completed' WHERE id = $1`, [row.id]);
    const view: PasscodeResetView = {
      resetId: row.id,
      state: 'completed',
      expiresAt: new Date(row.expires_at).toISOString(),
    };
    return { view };
  });
  if ('problem' in outcome) throw outcome.problem;
  return outcome.view;
}
