/**
 * @module
 * Sessions of the accounts API: a 256-bit random bearer token, stored only as its HMAC
 * (`sessions.token_mac`), bound to the device it was created on and ending after
 * `policy.login.sessionTtlSeconds`. A session ends (never deleted, so that the answer can say
 * why) on logout, on a password change, when the account is locked, when its device is removed
 * and when a new device is bound (`session_superseded`).
 */
import type { RequestContext, RouteInput } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { maskPersonalId, maskPhone } from './sms.ts';

export type SessionEndReason = 'superseded' | 'password_changed' | 'locked' | 'logout' | 'device_removed';

export interface SessionInfo {
  sessionId: string;
  accountId: string;
  /** The client's device id (`device.id` of the login). */
  deviceId: string;
  personalId: string;
  level: number;
  state: string;
  createdAt: string;
  expiresAt: string;
}

export interface CreatedSession {
  accessToken: string;
  sessionId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** An `accounts` row as the flows read it (alias `a`). */
export interface AccountRow {
  id: string;
  personal_id: string;
  phone: string;
  full_name: string;
  sex: 'male' | 'female';
  birth_date: string;
  address: string;
  level: number;
  state: 'app' | 'approved' | 'active' | 'locked' | 'card_expired';
  password_hash: string | null;
  locked_reason: string | null;
  created_at: Date;
}

export const ACCOUNT_COLUMNS =
  'a.id, a.personal_id, a.phone, a.full_name, a.sex, a.birth_date, a.address, a.level, a.state, a.password_hash, a.locked_reason, a.created_at';

const TOKEN_PREFIX = 'vns_';

/** A new session's values: a 256-bit token (stored only as its HMAC, `tokenMac`), id and lifetime. */
export function newSession(rc: RequestContext): CreatedSession & { tokenMac: string } {
  const accessToken = TOKEN_PREFIX + randomId(32);
  return {
    accessToken,
    tokenMac: rc.secrets.mac('session', accessToken),
    sessionId: randomId(),
    createdAt: rc.at,
    expiresAt: new Date(rc.at.getTime() + rc.policy.login.sessionTtlSeconds * 1000),
  };
}

/** Creates a session for an account on a device (256-bit token, stored as HMAC). */
export async function createSession(
  tx: Queryable,
  rc: RequestContext,
  accountId: string,
  deviceId: string,
): Promise<CreatedSession> {
  const { tokenMac, ...session } = newSession(rc);
  await tx.query(
    `INSERT INTO sessions (id, account_id, device_id, token_mac, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [session.sessionId, accountId, deviceId, tokenMac, session.createdAt, session.expiresAt],
  );
  return session;
}

/** The bearer token of the request, or null. */
export function bearerToken(input: Pick<RouteInput, 'header'>): string | null {
  const header = input.header('authorization');
  if (header === undefined) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{16,200})$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * The session of a Bearer access token. Problems: `unauthorized` (no, unknown or ended token),
 * `session_superseded` (a new device was bound), `session_expired`, `account_locked`.
 */
export async function requireSession(
  rc: RequestContext,
  input: Pick<RouteInput, 'header'>,
): Promise<SessionInfo> {
  const token = bearerToken(input);
  if (token === null) throw new ProblemError('unauthorized');
  const { rows } = await rc.db.query<{
    id: string;
    account_id: string;
    device_id: string;
    created_at: Date;
    expires_at: Date;
    ended_at: Date | null;
    end_reason: SessionEndReason | null;
    personal_id: string;
    level: number;
    state: string;
  }>(
    `SELECT s.id, s.account_id, s.device_id, s.created_at, s.expires_at, s.ended_at, s.end_reason,
            a.personal_id, a.level, a.state
     FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_mac = $1`,
    [rc.secrets.mac('session', token)],
  );
  const row = rows[0];
  if (row === undefined) throw new ProblemError('unauthorized');
  if (row.ended_at !== null) {
    if (row.end_reason === 'superseded') throw new ProblemError('session_superseded');
    if (row.end_reason === 'locked') throw new ProblemError('account_locked');
    throw new ProblemError('unauthorized', { detail: 'the session has ended' });
  }
  if (row.state === 'locked') throw new ProblemError('account_locked');
  if (rc.at.getTime() >= new Date(row.expires_at).getTime()) throw new ProblemError('session_expired');
  // A session belongs to the device it was opened on: a token presented by another device (the
  // app names itself in `X-Device-Id`) must go through that device's own login and challenge.
  const device = input.header('x-device-id');
  if (device !== undefined && device !== row.device_id)
    throw new ProblemError('new_device_challenge_required');
  rc.subject = maskPersonalId(row.personal_id);
  return {
    sessionId: row.id,
    accountId: row.account_id,
    deviceId: row.device_id,
    personalId: row.personal_id,
    level: row.level,
    state: row.state,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

/**
 * Ends the open sessions of an account, except those of `exceptDeviceId` / the session
 * `exceptSessionId`. `at` is the application clock (`rc.at`); it only stamps `ended_at`.
 */
export async function revokeSessions(
  tx: Queryable,
  accountId: string,
  options: { exceptDeviceId?: string; exceptSessionId?: string; reason: SessionEndReason; at?: Date },
): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE sessions SET ended_at = $2, end_reason = $3
     WHERE account_id = $1 AND ended_at IS NULL
       AND ($4::text IS NULL OR device_id <> $4) AND ($5::text IS NULL OR id <> $5)`,
    [
      accountId,
      options.at ?? new Date(),
      options.reason,
      options.exceptDeviceId ?? null,
      options.exceptSessionId ?? null,
    ],
  );
  return rowCount;
}

/** Ends one session (logout). */
export async function endSession(
  tx: Queryable,
  sessionId: string,
  reason: SessionEndReason,
  at: Date,
): Promise<void> {
  await tx.query('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL', [
    sessionId,
    at,
    reason,
  ]);
}

export interface AccountSummary {
  accountId: string;
  personalId: string;
  fullName: string;
  level: number;
  state: string;
  maskedPhone: string;
}

export function accountSummary(account: {
  id: string;
  personal_id: string;
  full_name: string;
  level: number;
  state: string;
  phone: string;
}): AccountSummary {
  return {
    accountId: account.id,
    personalId: account.personal_id,
    fullName: account.full_name,
    level: account.level,
    state: account.state,
    maskedPhone: maskPhone(account.phone),
  };
}

/** The openapi `Session`. */
export interface SessionAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  session: { sessionId: string; deviceId: string; createdAt: string; expiresAt: string };
  account: AccountSummary;
}

export function sessionAnswer(
  account: Parameters<typeof accountSummary>[0],
  session: CreatedSession,
  deviceId: string,
): SessionAnswer {
  return {
    accessToken: session.accessToken,
    tokenType: 'Bearer',
    expiresAt: session.expiresAt.toISOString(),
    session: {
      sessionId: session.sessionId,
      deviceId,
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    },
    account: accountSummary(account),
  };
}
