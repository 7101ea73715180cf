/**
 * @module
 * eID activation of an approved account (IDENTITY-NOTES §2), a state machine in table
 * `eid_activations`: personal ID + phone → `otp_sent` (SMS OTP, purpose `activation`) →
 * `otp_verified` → `password_set` (only when the account has no password) → `passcode_set` →
 * `completed` (two security questions answered; the account becomes `active`). Every
 * transition locks the row FOR UPDATE and checks the state, so a step is accepted once and a
 * step out of order is `conflict`.
 *
 * Existence: an unknown personal ID and a phone that is not the account's get exactly the
 * answer of an app-only account (`account_not_identified`, same body, no SMS), so only someone
 * who knows both the ID and the registered phone learns the account's state
 * (`already_activated`, `account_locked`, `card_expired`, or an OTP sent to that phone). Starts are limited per
 * personal ID and per client address (`rate_limited`).
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { hitLimit } from '../store/rate-limits.ts';
import { cancelOtpChallenge, createOtpChallenge, type OtpChallengeView, registerOtpPurpose } from './otp.ts';
import { checkPasscodePolicy, setPasscode } from './passcode.ts';
import { assertPasswordPolicy } from './password.ts';
import { type SecurityAnswer, storeSecurityAnswers } from './security-questions.ts';
import { maskPhone } from './sms.ts';

/** How long an activation may take from the first request to the last step. */
export const ACTIVATION_TTL_SECONDS = 30 * 60;
/** Starts per personal ID and per client address in {@link START_WINDOW_SECONDS}. */
export const MAX_STARTS_PER_ID = 10;
export const MAX_STARTS_PER_IP = 200;
export const START_WINDOW_SECONDS = 3600;

export type ActivationState = 'otp_sent' | 'otp_verified' | 'password_set' | 'passcode_set' | 'completed';
export type ActivationStep = 'otp' | 'password' | 'passcode' | 'security_questions' | 'login';

export interface ActivationView {
  activationId: string;
  state: ActivationState;
  nextStep: ActivationStep;
  /** The device is bound to another eID account; the SMS OTP confirms activation here. */
  deviceBoundElsewhere: boolean;
  /** The account has no password yet, so the `password` step comes after the OTP. */
  passwordRequired: boolean;
  maskedPhone: string;
  expiresAt: string;
  otp?: OtpChallengeView;
}

interface ActivationRow {
  id: string;
  account_id: string;
  device_bound_elsewhere: boolean;
  needs_password: boolean;
  state: ActivationState | 'superseded';
  expires_at: Date;
  phone: string;
}

/** The activation SMS of IDENTITY-NOTES §2 (minutes from the OTP policy; 3 by default). */
export const activationOtpText =
  (rc: Pick<RequestContext, 'policy'>) =>
  (code: string): string =>
    `VNeID: Mã OTP ${code} có hiệu lực trong ${Math.max(1, Math.round(rc.policy.otp.ttlSeconds / 60))} phút, sử dụng để xác thực cho yêu cầu kích hoạt tài khoản.`;

function nextStepOf(state: ActivationState, needsPassword: boolean): ActivationStep {
  switch (state) {
    case 'otp_sent':
      return 'otp';
    case 'otp_verified':
      return needsPassword ? 'password' : 'passcode';
    case 'password_set':
      return 'passcode';
    case 'passcode_set':
      return 'security_questions';
    case 'completed':
      return 'login';
  }
}

function viewOf(row: ActivationRow, otp?: OtpChallengeView): ActivationView {
  const state = row.state === 'superseded' ? 'otp_sent' : row.state;
  return {
    activationId: row.id,
    state,
    nextStep: nextStepOf(state, row.needs_password),
    deviceBoundElsewhere: row.device_bound_elsewhere,
    passwordRequired: row.needs_password,
    maskedPhone: maskPhone(row.phone),
    expiresAt: new Date(row.expires_at).toISOString(),
    ...(otp !== undefined ? { otp } : {}),
  };
}

/**
 * Whether `deviceId` is the bound device of an eID account (level ≥ 1) other than `accountId`.
 * Reads ACCOUNTS' `devices` table.
 */
async function deviceBoundElsewhere(q: Queryable, deviceId: string, accountId: string): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM devices d JOIN accounts a ON a.id = d.account_id
     WHERE d.device_id = $1 AND d.account_id <> $2 AND a.level >= 1 AND d.unbound_at IS NULL LIMIT 1`,
    [deviceId, accountId],
  );
  return rows.length > 0;
}

export interface StartActivationInput {
  personalId: string;
  phone: string;
  device: { id: string; name: string };
}

export async function startActivation(
  rc: RequestContext,
  input: StartActivationInput,
): Promise<ActivationView> {
  // Counted outside the flow's transaction so that a refused start still counts.
  const [byId, byIp] = await Promise.all([
    hitLimit(rc.db, `eid-activation:id:${input.personalId}`, START_WINDOW_SECONDS, rc.at),
    hitLimit(rc.db, `eid-activation:ip:${rc.ip}`, START_WINDOW_SECONDS, rc.at),
  ]);
  for (const [hit, max] of [
    [byId, MAX_STARTS_PER_ID],
    [byIp, MAX_STARTS_PER_IP],
  ] as const) {
    if (hit.count > max)
      throw new ProblemError('rate_limited', {
        retryAfter: Math.ceil((hit.resetsAt.getTime() - rc.at.getTime()) / 1000),
      });
  }
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      phone: string;
      state: string;
      level: number;
      password_hash: string | null;
    }>('SELECT id, phone, state, level, password_hash FROM accounts WHERE personal_id = $1 FOR UPDATE', [
      input.personalId,
    ]);
    const account = rows[0];
    // Unknown ID, wrong phone and app-only account: one answer (see the module comment).
    if (account === undefined || account.phone !== input.phone)
      throw new ProblemError('account_not_identified');
    if (account.state === 'active') throw new ProblemError('already_activated');
    if (account.state === 'locked') throw new ProblemError('account_locked');
    if (account.state === 'card_expired') throw new ProblemError('card_expired');
    if (account.state !== 'approved' || account.level < 1) throw new ProblemError('account_not_identified');

    const open = await tx.query<{ otp_challenge_id: string | null }>(
      `UPDATE eid_activations SET state = 'superseded', updated_at = $2
       WHERE account_id = $1 AND state NOT IN ('completed', 'superseded') RETURNING otp_challenge_id`,
      [account.id, rc.at],
    );
    for (const { otp_challenge_id } of open.rows)
      if (otp_challenge_id !== null) await cancelOtpChallenge(tx, otp_challenge_id);
    const row: ActivationRow = {
      id: randomId(),
      account_id: account.id,
      device_bound_elsewhere: await deviceBoundElsewhere(tx, input.device.id, account.id),
      needs_password: account.password_hash === null,
      state: 'otp_sent',
      expires_at: new Date(rc.at.getTime() + ACTIVATION_TTL_SECONDS * 1000),
      phone: account.phone,
    };
    const otp = await createOtpChallenge(tx, rc, {
      purpose: 'activation',
      phone: account.phone,
      accountId: account.id,
      subject: `activation:${account.id}`,
      delivery: 'sms',
      message: activationOtpText(rc),
      data: { activationId: row.id },
    });
    await tx.query(
      `INSERT INTO eid_activations (id, account_id, device_id, device_name, device_bound_elsewhere, needs_password,
         state, otp_challenge_id, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'otp_sent', $7, $8, $8, $9)`,
      [
        row.id,
        account.id,
        input.device.id,
        input.device.name,
        row.device_bound_elsewhere,
        row.needs_password,
        otp.challengeId,
        rc.at,
        row.expires_at,
      ],
    );
    return viewOf(row, otp);
  });
}

async function lockActivation(tx: Queryable, id: string): Promise<ActivationRow> {
  const { rows } = await tx.query<ActivationRow>(
    `SELECT e.id, e.account_id, e.device_bound_elsewhere, e.needs_password, e.state, e.expires_at, a.phone
     FROM eid_activations e JOIN accounts a ON a.id = e.account_id WHERE e.id = $1 FOR UPDATE OF e`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw new ProblemError('not_found');
  return row;
}

/** Locks the activation and checks that it is in `expected` and not expired. */
async function transition(
  tx: Queryable,
  rc: RequestContext,
  id: string,
  expected: readonly ActivationState[],
): Promise<ActivationRow> {
  const row = await lockActivation(tx, id);
  if (row.state === 'superseded')
    throw new ProblemError('conflict', { detail: 'a newer activation was started for this account' });
  if (!expected.includes(row.state))
    throw new ProblemError('conflict', {
      detail: `the activation is at step ${nextStepOf(row.state, row.needs_password)}`,
      extra: { state: row.state, nextStep: nextStepOf(row.state, row.needs_password) },
    });
  if (new Date(row.expires_at).getTime() <= rc.at.getTime())
    throw new ProblemError('conflict', { detail: 'the activation has expired; start again' });
  return row;
}

async function moveTo(tx: Queryable, rc: RequestContext, row: ActivationRow, state: ActivationState) {
  await tx.query('UPDATE eid_activations SET state = $2, updated_at = $3 WHERE id = $1', [
    row.id,
    state,
    rc.at,
  ]);
  return viewOf({ ...row, state });
}

export async function getActivation(rc: RequestContext, id: string): Promise<ActivationView> {
  const { rows } = await rc.db.query<ActivationRow>(
    `SELECT e.id, e.account_id, e.device_bound_elsewhere, e.needs_password, e.state, e.expires_at, a.phone
     FROM eid_activations e JOIN accounts a ON a.id = e.account_id WHERE e.id = $1`,
    [id],
  );
  if (rows[0] === undefined) throw new ProblemError('not_found');
  return viewOf(rows[0]);
}

registerOtpPurpose('activation', async (tx, rc, challenge) => {
  const activationId = String((challenge.data as { activationId?: unknown } | null)?.activationId ?? '');
  const row = await transition(tx, rc as RequestContext, activationId, ['otp_sent']);
  return { status: 200, body: { activation: await moveTo(tx, rc as RequestContext, row, 'otp_verified') } };
});

/** The password step is only for an OTP-verified activation of an account without a password. */
async function passwordStep(tx: Queryable, rc: RequestContext, id: string): Promise<ActivationRow> {
  const row = await transition(tx, rc, id, ['otp_verified']);
  if (!row.needs_password)
    throw new ProblemError('conflict', {
      detail: 'the account already has a password',
      extra: { state: row.state, nextStep: 'passcode' },
    });
  return row;
}

export async function setActivationPassword(
  rc: RequestContext,
  id: string,
  password: string,
): Promise<ActivationView> {
  // Step order first (a read-only check), then the rule, then the hash outside the transaction.
  const row = await rc.db.transaction((tx) => passwordStep(tx, rc, id));
  const { rows } = await rc.db.query<{ personal_id: string; phone: string }>(
    'SELECT personal_id, phone FROM accounts WHERE id = $1',
    [row.account_id],
  );
  // ACCOUNTS' rule (policy.password): `password_policy_violation` with `violations`.
  assertPasswordPolicy(rc.policy, password, { personalId: rows[0]?.personal_id, phone: rows[0]?.phone });
  const hash = await rc.secrets.hashPassword(password);
  return rc.db.transaction(async (tx) => {
    const locked = await passwordStep(tx, rc, id);
    await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [locked.account_id, hash]);
    return moveTo(tx, rc, locked, 'password_set');
  });
}

export async function setActivationPasscode(
  rc: RequestContext,
  id: string,
  passcode: string,
): Promise<ActivationView> {
  return rc.db.transaction(async (tx) => {
    const row = await lockActivation(tx, id);
    const expected: ActivationState = row.needs_password ? 'password_set' : 'otp_verified';
    await transition(tx, rc, id, [expected]);
    const { rows } = await tx.query<{ birth_date: string; personal_id: string; phone: string }>(
      'SELECT birth_date, personal_id, phone FROM accounts WHERE id = $1',
      [row.account_id],
    );
    const owner = rows[0];
    checkPasscodePolicy(rc, passcode, {
      birthDate: owner?.birth_date ?? null,
      personalId: owner?.personal_id ?? null,
      phone: owner?.phone ?? null,
    });
    await setPasscode(tx, rc, row.account_id, passcode);
    return moveTo(tx, rc, row, 'passcode_set');
  });
}

export async function setActivationSecurityAnswers(
  rc: RequestContext,
  id: string,
  answers: readonly SecurityAnswer[],
): Promise<ActivationView> {
  return rc.db.transaction(async (tx) => {
    const row = await transition(tx, rc, id, ['passcode_set']);
    await storeSecurityAnswers(tx, rc, row.account_id, answers);
    const updated = await tx.query(
      `UPDATE accounts SET state = 'active', activated_at = $2 WHERE id = $1 AND state = 'approved' RETURNING id`,
      [row.account_id, rc.at],
    );
    if (updated.rowCount === 0)
      throw new ProblemError('conflict', { detail: 'the account is no longer awaiting activation' });
    return moveTo(tx, rc, row, 'completed');
  });
}
