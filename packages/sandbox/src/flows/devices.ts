/**
 * @module
 * One bound device per account (IDENTITY-NOTES §2, "only logged in on one device at a time"):
 * the first device that logs in is bound (a partial unique index keeps one open binding per
 * account); a login on another device is a challenge — the OTP sent to the bound device, or,
 * when it is lost, the chip proof (passive authentication of the card's chip files against the
 * sandbox CSCA, personal ID matched) followed by an SMS OTP. Binding the new device ends the old
 * binding and every session of the account (`session_superseded`). Devices are listed and
 * unlinked under "Quản lý thiết bị".
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { type ChipFiles, verifyChipEvidence } from './chip-evidence.ts';
import {
  cancelOtpChallenge,
  createOtpChallenge,
  type OtpChallengeView,
  otpMessage,
  registerOtpPurpose,
  secondsUntil,
  verifyOtp,
} from './otp.ts';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  createSession,
  endSession,
  newSession,
  revokeSessions,
  type SessionAnswer,
  type SessionInfo,
  sessionAnswer,
} from './sessions.ts';

export interface DeviceInput {
  id: string;
  name: string;
  publicKey?: string;
}

/** How long a new-device login challenge lives. */
export const LOGIN_CHALLENGE_TTL_SECONDS = 600;

export interface LoginChallengeView {
  challengeId: string;
  methods: ['bound_device_otp', 'chip_proof'];
  state: 'pending' | 'chip_verified';
  expiresAt: string;
  otp: OtpChallengeView;
}

interface BoundDevice {
  id: string;
  device_id: string;
}

async function boundDevice(tx: Queryable, accountId: string): Promise<BoundDevice | null> {
  const { rows } = await tx.query<BoundDevice>(
    'SELECT id, device_id FROM devices WHERE account_id = $1 AND unbound_at IS NULL',
    [accountId],
  );
  return rows[0] ?? null;
}

async function insertDevice(
  tx: Queryable,
  rc: RequestContext,
  accountId: string,
  device: DeviceInput,
): Promise<void> {
  await tx.query(
    `INSERT INTO devices (id, account_id, device_id, name, public_key, bound_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [randomId(), accountId, device.id, device.name, device.publicKey ?? null, rc.at],
  );
}

/**
 * The device step of a login whose password was right, in the transaction that holds the
 * account row (`FOR UPDATE`): a session on the bound device (binding it if there is none), or a
 * challenge for a new device (the OTP goes to the bound device).
 */
export async function loginOnDevice(
  tx: Queryable,
  rc: RequestContext,
  account: AccountRow,
  device: DeviceInput,
): Promise<{ status: 201; body: SessionAnswer } | { status: 202; body: { challenge: LoginChallengeView } }> {
  const bound = await boundDevice(tx, account.id);
  if (bound === null) {
    await insertDevice(tx, rc, account.id, device);
  } else if (bound.device_id === device.id) {
    await tx.query('UPDATE devices SET last_seen_at = $2, name = $3 WHERE id = $1', [
      bound.id,
      rc.at,
      device.name,
    ]);
  } else {
    return { status: 202, body: { challenge: await createLoginChallenge(tx, rc, account, device) } };
  }
  const session = await createSession(tx, rc, account.id, device.id);
  return { status: 201, body: sessionAnswer(account, session, device.id) };
}

/**
 * The common login in one statement: the account (locked for the statement) is in a state that
 * may log in and `device` is its bound device, so the device's last use is recorded and a
 * session created. Answers null, having changed nothing, in every other case (no bound device,
 * another device, a locked, approved or expired-card account), for {@link loginOnDevice} to
 * decide in a transaction.
 */
export async function loginOnBoundDevice(
  rc: RequestContext,
  accountId: string,
  device: DeviceInput,
): Promise<{ status: 201; body: SessionAnswer } | null> {
  const session = newSession(rc);
  const { rows } = await rc.db.query<AccountRow>(
    `WITH account AS (
       SELECT ${ACCOUNT_COLUMNS} FROM accounts a
       WHERE a.id = $1 AND a.state NOT IN ('locked', 'approved', 'card_expired') FOR UPDATE
     ), device AS (
       UPDATE devices d SET last_seen_at = $4, name = $5 FROM account
       WHERE d.account_id = account.id AND d.device_id = $3 AND d.unbound_at IS NULL
       RETURNING d.id
     ), created AS (
       INSERT INTO sessions (id, account_id, device_id, token_mac, created_at, expires_at)
       SELECT $2, account.id, $3, $6, $4, $7 FROM account, device
       RETURNING id
     )
     SELECT account.* FROM account, created`,
    [
      accountId,
      session.sessionId,
      device.id,
      session.createdAt,
      device.name,
      session.tokenMac,
      session.expiresAt,
    ],
  );
  const account = rows[0];
  if (account === undefined) return null;
  const { tokenMac: _, ...created } = session;
  return { status: 201, body: sessionAnswer(account, created, device.id) };
}

async function createLoginChallenge(
  tx: Queryable,
  rc: RequestContext,
  account: AccountRow,
  device: DeviceInput,
): Promise<LoginChallengeView> {
  const id = randomId();
  const otp = await createOtpChallenge(tx, rc, {
    purpose: 'login_device',
    phone: account.phone,
    accountId: account.id,
    subject: `login_device:${account.id}`,
    delivery: 'bound_device',
    message: otpMessage(rc, 'kích hoạt lại thiết bị'),
    data: { loginChallengeId: id },
  });
  const expiresAt = new Date(rc.at.getTime() + LOGIN_CHALLENGE_TTL_SECONDS * 1000);
  await tx.query(
    `INSERT INTO login_challenges (id, account_id, device_id, device_name, public_key, state, otp_challenge_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)`,
    [id, account.id, device.id, device.name, device.publicKey ?? null, otp.challengeId, rc.at, expiresAt],
  );
  return {
    challengeId: id,
    methods: ['bound_device_otp', 'chip_proof'],
    state: 'pending',
    expiresAt: expiresAt.toISOString(),
    otp,
  };
}

interface LoginChallengeRow {
  id: string;
  account_id: string;
  device_id: string;
  device_name: string;
  public_key: string | null;
  state: 'pending' | 'chip_verified' | 'completed';
  otp_challenge_id: string;
  expires_at: Date;
  chip_failures: number;
  account_personal_id: string;
}

async function loadChallenge(q: Queryable, id: string, lock: boolean): Promise<LoginChallengeRow> {
  const { rows } = await q.query<LoginChallengeRow>(
    `SELECT c.*, a.personal_id AS account_personal_id FROM login_challenges c JOIN accounts a ON a.id = c.account_id
     WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw new ProblemError('not_found', { detail: 'no such login challenge' });
  return row;
}

function assertChallengeOpen(rc: RequestContext, row: LoginChallengeRow): void {
  if (row.state === 'completed')
    throw new ProblemError('otp_already_used', { detail: 'the login challenge is completed' });
  if (rc.at.getTime() >= new Date(row.expires_at).getTime())
    throw new ProblemError('otp_expired', { detail: 'the login challenge has expired' });
}

/** `{code}`: verifies the challenge's current OTP; the purpose handler binds the device. */
export async function completeWithCode(
  rc: RequestContext,
  challengeId: string,
  code: string,
): Promise<{ status?: number; body: unknown }> {
  const row = await loadChallenge(rc.db, challengeId, false);
  assertChallengeOpen(rc, row);
  return verifyOtp(rc, row.otp_challenge_id, code, ['login_device']);
}

/**
 * `{chipFiles}`: passive authentication of the chip (before the transaction: it reads the
 * sandbox PKI), the chip's personal ID must be the account's; then an SMS OTP replaces the
 * bound device's code.
 */
export async function completeWithChip(
  rc: RequestContext,
  challengeId: string,
  files: ChipFiles,
): Promise<{ challenge: LoginChallengeView }> {
  const before = await loadChallenge(rc.db, challengeId, false);
  assertChallengeOpen(rc, before);
  if (before.chip_failures >= rc.policy.otp.maxAttempts)
    throw new ProblemError('rate_limited', {
      detail: 'too many failed chip proofs for this login',
      retryAfter: secondsUntil(before.expires_at, rc.at),
    });
  const evidence = await verifyChipEvidence(rc, files);
  // Counted in its own statement: the problem thrown afterwards must not undo it.
  const countFailure = () =>
    rc.db.query('UPDATE login_challenges SET chip_failures = chip_failures + 1 WHERE id = $1', [challengeId]);
  if (!evidence.ok) {
    await countFailure();
    throw new ProblemError('chip_verification_failed', {
      extra: {
        ...(evidence.failure !== undefined ? { failure: evidence.failure } : {}),
        checks: evidence.checks,
      },
    });
  }
  if (evidence.personalId !== before.account_personal_id) {
    await countFailure();
    throw new ProblemError('evidence_mismatch', { detail: "the chip is not the account holder's card" });
  }
  return rc.db.transaction(async (tx) => {
    const row = await loadChallenge(tx, challengeId, true);
    assertChallengeOpen(rc, row);
    const { rows } = await tx.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1 FOR UPDATE`,
      [row.account_id],
    );
    const account = rows[0];
    if (account === undefined) throw new ProblemError('not_found', { detail: 'no such login challenge' });
    if (evidence.personalId !== account.personal_id)
      throw new ProblemError('evidence_mismatch', { detail: "the chip is not the account holder's card" });
    await cancelOtpChallenge(tx, row.otp_challenge_id);
    const otp = await createOtpChallenge(tx, rc, {
      purpose: 'login_device',
      phone: account.phone,
      accountId: account.id,
      subject: `login_device:${account.id}`,
      delivery: 'sms',
      message: otpMessage(rc, 'kích hoạt lại thiết bị'),
      data: { loginChallengeId: row.id, method: 'chip_proof' },
    });
    await tx.query(
      `UPDATE login_challenges SET state = 'chip_verified', otp_challenge_id = $2 WHERE id = $1`,
      [row.id, otp.challengeId],
    );
    return {
      challenge: {
        challengeId: row.id,
        methods: ['bound_device_otp', 'chip_proof'],
        state: 'chip_verified',
        expiresAt: new Date(row.expires_at).toISOString(),
        otp,
      },
    };
  });
}

/** Binds the challenge's device: the old binding and every session of the account end. */
registerOtpPurpose('login_device', async (tx, rc, challenge) => {
  const id = challenge.data['loginChallengeId'];
  if (typeof id !== 'string') throw new Error('login_device challenge without a login challenge');
  const row = await loadChallenge(tx, id, true);
  assertChallengeOpen(rc, row);
  if (row.otp_challenge_id !== challenge.id)
    throw new ProblemError('otp_expired', { detail: 'the challenge was replaced' });
  const { rows } = await tx.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1 FOR UPDATE`,
    [row.account_id],
  );
  const account = rows[0];
  if (account === undefined) throw new ProblemError('not_found', { detail: 'no such login challenge' });
  if (account.state === 'locked') throw new ProblemError('account_locked');
  await tx.query(
    `UPDATE devices SET unbound_at = $2, unbind_reason = 'superseded' WHERE account_id = $1 AND unbound_at IS NULL`,
    [account.id, rc.at],
  );
  await revokeSessions(tx, account.id, { reason: 'superseded', at: rc.at });
  const device: DeviceInput = {
    id: row.device_id,
    name: row.device_name,
    ...(row.public_key !== null ? { publicKey: row.public_key } : {}),
  };
  await insertDevice(tx, rc, account.id, device);
  await tx.query(`UPDATE login_challenges SET state = 'completed' WHERE id = $1`, [row.id]);
  const session = await createSession(tx, rc, account.id, device.id);
  return { status: 201, body: sessionAnswer(account, session, device.id) };
});

export interface DeviceView {
  deviceId: string;
  name: string;
  publicKey: string | null;
  bound: boolean;
  current: boolean;
  boundAt: string;
  lastSeenAt: string;
  unboundAt: string | null;
  unbindReason: string | null;
}

/** The account's devices, newest first. */
export async function listDevices(rc: RequestContext, session: SessionInfo): Promise<DeviceView[]> {
  const { rows } = await rc.db.query<{
    device_id: string;
    name: string;
    public_key: string | null;
    bound_at: Date;
    last_seen_at: Date;
    unbound_at: Date | null;
    unbind_reason: string | null;
  }>(
    `SELECT device_id, name, public_key, bound_at, last_seen_at, unbound_at, unbind_reason FROM devices
     WHERE account_id = $1 ORDER BY bound_at DESC, id`,
    [session.accountId],
  );
  const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());
  return rows.map((r) => ({
    deviceId: r.device_id,
    name: r.name,
    publicKey: r.public_key,
    bound: r.unbound_at === null,
    current: r.unbound_at === null && r.device_id === session.deviceId,
    boundAt: new Date(r.bound_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    unboundAt: iso(r.unbound_at),
    unbindReason: r.unbind_reason,
  }));
}

/**
 * Unlinks a device: the bound one is unbound and its sessions end (the next login on any device
 * binds that device); earlier ones are removed from the list.
 */
export async function removeDevice(
  rc: RequestContext,
  session: SessionInfo,
  deviceId: string,
): Promise<void> {
  await rc.db.transaction(async (tx) => {
    await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [session.accountId]);
    const bound = await tx.query(
      `UPDATE devices SET unbound_at = $3, unbind_reason = 'removed' WHERE account_id = $1 AND device_id = $2 AND unbound_at IS NULL`,
      [session.accountId, deviceId, rc.at],
    );
    if (bound.rowCount > 0) {
      await tx.query(
        `UPDATE sessions SET ended_at = $3, end_reason = 'device_removed' WHERE account_id = $1 AND device_id = $2 AND ended_at IS NULL`,
        [session.accountId, deviceId, rc.at],
      );
      return;
    }
    const old = await tx.query(
      'DELETE FROM devices WHERE account_id = $1 AND device_id = $2 AND unbound_at IS NOT NULL',
      [session.accountId, deviceId],
    );
    if (old.rowCount === 0) throw new ProblemError('not_found', { detail: 'no such device' });
  });
}

/** Logout: ends the session of the request. */
export async function logout(rc: RequestContext, session: SessionInfo): Promise<void> {
  await endSession(rc.db, session.sessionId, 'logout', rc.at);
}
