/**
 * @module
 * Password login (IDENTITY-NOTES §2, §6): one answer, `invalid_credentials`, in one time for an
 * unknown personal ID, a wrong password and a locked account — every attempt runs exactly one
 * argon2id verify (against a dummy hash when there is nothing to verify against). Consecutive
 * failures per account lead to a temporary lockout after `policy.login.maxFailures` (answered
 * the same way); attempts are throttled per client address, per personal ID and per phone
 * (`rate_limited` with `Retry-After`). All counters are rows (`login_failures`, `rate_limits`),
 * and the attempt reads and counts them in one statement. The 3-day deletion of app accounts
 * that never applied for an eID is a sweep run by registration and the identities control
 * ({@link sweepAppAccounts}), and a login deletes its own ID's expired app account first, so the
 * clock control makes the deletion observable.
 */
import type { DirectContext, RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Db, Queryable } from '../store/db.ts';
import { countHitSql, windowEnd } from '../store/rate-limits.ts';
import { type DeviceInput, loginOnBoundDevice, loginOnDevice } from './devices.ts';
import { secondsUntil } from './otp.ts';
import { ACCOUNT_COLUMNS, type AccountRow } from './sessions.ts';
import { maskPersonalId } from './sms.ts';

/** A citizen as the OpenID Provider and the consent page see them. */
export interface Citizen {
  accountId: string;
  personalId: string;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  level: number;
  state: string;
  phone: string;
}

export { ACCOUNT_COLUMNS, type AccountRow };

export function citizenOf(row: AccountRow): Citizen {
  return {
    accountId: row.id,
    personalId: row.personal_id,
    fullName: row.full_name,
    birthDate: row.birth_date,
    sex: row.sex,
    level: row.level,
    state: row.state,
    phone: row.phone,
  };
}

/** The citizen with this personal ID (no password check), or null. */
export async function findCitizen(q: Queryable, personalId: string): Promise<Citizen | null> {
  const { rows } = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.personal_id = $1`,
    [personalId],
  );
  return rows[0] === undefined ? null : citizenOf(rows[0]);
}

// Whether EID's `eid_applications` table exists, per database (a schema fact, not state).
const hasApplications = new WeakMap<Queryable, boolean>();

/** Whether EID's `eid_applications` table exists in this database (a schema fact, not state). */
async function applicationsTable(q: Queryable, rc: Pick<RequestContext, 'db'>): Promise<boolean> {
  let apps = hasApplications.get(rc.db);
  if (apps === undefined) {
    const { rows } = await q.query<{ present: boolean }>(
      "SELECT to_regclass('public.eid_applications') IS NOT NULL AS present",
    );
    apps = rows[0]?.present === true;
    hasApplications.set(rc.db, apps);
  }
  return apps;
}

/** The condition on `accounts a` of an app account created at or before `cutoff` that never applied. */
function expiredAppAccount(cutoff: string, apps: boolean): string {
  return `a.state = 'app' AND a.level = 0 AND a.eid_applied_at IS NULL AND a.created_at <= ${cutoff}
     ${apps ? 'AND NOT EXISTS (SELECT 1 FROM eid_applications e WHERE e.account_id = a.id)' : ''}`;
}

const cutoffOf = (rc: RequestContext): Date =>
  new Date(rc.at.getTime() - rc.policy.registration.appAccountTtlSeconds * 1000);

/**
 * Deletes app accounts (level 0, state `app`) created `appAccountTtlSeconds` or more before
 * `rc.at` that have not applied for an eID (`eid_applied_at` or a row in `eid_applications`).
 */
export async function sweepAppAccounts(q: Queryable, rc: RequestContext): Promise<number> {
  const apps = await applicationsTable(q, rc);
  const { rowCount } = await q.query(`DELETE FROM accounts a WHERE ${expiredAppAccount('$1', apps)}`, [
    cutoffOf(rc),
  ]);
  return rowCount;
}

const dummyHashes = new WeakMap<Db, Promise<string>>();

/**
 * A hash of a random password with the same parameters, for attempts with nothing to verify
 * against (made once per process and database; the area warms it at start).
 */
export function dummyHash(services: Pick<RequestContext, 'db' | 'secrets'>): Promise<string> {
  let hash = dummyHashes.get(services.db);
  if (hash === undefined) {
    hash = services.secrets.hashPassword(randomId(24));
    dummyHashes.set(services.db, hash);
  }
  return hash;
}

/**
 * The login attempt's one statement: deletes the personal ID's app account if its 3 days have
 * passed, reads the account with its failure count, and counts one hit on each throttle key (the
 * client address, the personal ID, and the account's phone — or the unknown ID, so that known
 * and unknown IDs count alike) in fixed windows of `throttleWindowSeconds`.
 *
 * `$3` is the request's time. With `clockInDatabase` it is the machine's time, to which the
 * statement adds the application clock's offset itself, and when a fault is armed it changes
 * nothing and answers `at` null (the request then takes the full path).
 */
function attemptStatement(apps: boolean, clockInDatabase: boolean): string {
  const now = clockInDatabase ? '(SELECT at FROM st)' : '$3::timestamptz';
  return `WITH ${
    clockInDatabase
      ? `st AS (
      SELECT $3::timestamptz + clock_offset_ms * interval '1 millisecond' AS at FROM sandbox_state
      WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM sandbox_faults WHERE remaining > 0)
    ), `
      : ''
  }expired AS (
      DELETE FROM accounts a WHERE a.personal_id = $1
        AND ${expiredAppAccount(`${now} - $5::int * interval '1 second'`, apps)} RETURNING a.id
    ), account AS (
      SELECT ${ACCOUNT_COLUMNS}, f.locked_until, f.failures
      FROM accounts a LEFT JOIN login_failures f ON f.account_id = a.id
      WHERE a.personal_id = $1 AND NOT EXISTS (SELECT 1 FROM expired)
    ), hits AS (
      INSERT INTO rate_limits (key, window_start, count)
      SELECT k.key, ${now}, 1 FROM unnest(ARRAY[$2::text, 'login:pid:' || $1,
        COALESCE((SELECT 'login:phone:' || phone FROM account), 'login:unknown:' || $1)]) AS k(key)
      ${clockInDatabase ? 'WHERE EXISTS (SELECT 1 FROM st)' : ''}
      ${countHitSql(now, `${now} - $4::int * interval '1 second'`)}
    )
    SELECT account.*, (SELECT json_agg(json_build_object('key', key, 'count', count, 'windowStart', window_start))
      FROM hits) AS hits, ${now} AS at
    FROM (SELECT 1) AS one LEFT JOIN account ON true`;
}

// Built once: the statement's text is also the name it is prepared under. Indexed by
// [applications table present][clock read in the statement].
const ATTEMPT = [
  [attemptStatement(false, false), attemptStatement(false, true)],
  [attemptStatement(true, false), attemptStatement(true, true)],
] as const;

interface Attempt {
  /** The account of the personal ID, if any, with its consecutive failures and lockout. */
  row: (AccountRow & { locked_until: Date | null; failures: number | null }) | undefined;
  hits: Map<string, { count: number; windowStart: string }>;
  /** The request's time on the application clock. */
  at: Date;
}

/**
 * Runs the attempt statement at `at`, or (`at` = 'database') at the application clock read by
 * the statement itself; undefined then when a fault is armed (nothing changed).
 */
async function recordAttempt(
  rc: Omit<RequestContext, 'at'>,
  personalId: string,
  at: Date | 'database',
): Promise<Attempt | undefined> {
  const apps = await applicationsTable(rc.db, rc);
  const { rows } = await rc.db.query<
    AccountRow & {
      locked_until: Date | null;
      failures: number | null;
      hits: { key: string; count: number; windowStart: string }[] | null;
      at: Date | null;
    }
  >(ATTEMPT[apps ? 1 : 0][at === 'database' ? 1 : 0], [
    personalId,
    `login:ip:${rc.ip}`,
    at === 'database' ? new Date() : at,
    rc.policy.login.throttleWindowSeconds,
    rc.policy.registration.appAccountTtlSeconds,
  ]);
  const found = rows[0]!;
  if (found.at === null || found.hits === null) return undefined;
  return {
    row: found.id === null ? undefined : found,
    hits: new Map(found.hits.map((h) => [h.key, h])),
    at: new Date(found.at),
  };
}

/**
 * The account of a personal ID and password, or null (unknown ID, no password, wrong password,
 * locked or temporarily locked out). Throws `rate_limited` when the client address has made
 * `maxAttemptsPerAddressPerWindow`, or the personal ID or the account's phone
 * `maxAttemptsPerWindow`, attempts in the window (checked in that order; every attempt counts on
 * all three).
 */
export async function authenticate(
  rc: RequestContext,
  personalId: string,
  password: string,
): Promise<AccountRow | null> {
  const attempt = (await recordAttempt(rc, personalId, rc.at))!;
  return settleAttempt(rc, attempt, personalId, password);
}

/** The throttle verdict, then the one argon2id verify, then the failure count, of an attempt. */
async function settleAttempt(
  rc: RequestContext,
  { row, hits }: Attempt,
  personalId: string,
  password: string,
): Promise<AccountRow | null> {
  const {
    throttleWindowSeconds: window,
    maxAttemptsPerWindow,
    maxAttemptsPerAddressPerWindow,
  } = rc.policy.login;
  const keys: [string, number][] = [
    [`login:ip:${rc.ip}`, maxAttemptsPerAddressPerWindow],
    [`login:pid:${personalId}`, maxAttemptsPerWindow],
    [row !== undefined ? `login:phone:${row.phone}` : `login:unknown:${personalId}`, maxAttemptsPerWindow],
  ];
  for (const [key, limit] of keys) {
    const hit = hits.get(key)!;
    if (hit.count > limit) {
      throw new ProblemError('rate_limited', {
        retryAfter: secondsUntil(windowEnd(hit.windowStart, window), rc.at),
      });
    }
  }
  const stored = row?.password_hash ?? null;
  const ok = await rc.secrets.verifyPassword(stored ?? (await dummyHash(rc)), password);
  if (row === undefined || stored === null || row.state === 'locked') return null;
  if (row.locked_until !== null && new Date(row.locked_until).getTime() > rc.at.getTime()) return null;
  if (!ok) {
    await recordFailure(rc, row.id);
    return null;
  }
  if (row.failures !== null) await rc.db.query('DELETE FROM login_failures WHERE account_id = $1', [row.id]);
  return row;
}

/** Counts a consecutive failure; the `maxFailures`-th starts a lockout of `lockoutSeconds`. */
async function recordFailure(rc: RequestContext, accountId: string): Promise<void> {
  const { maxFailures, lockoutSeconds } = rc.policy.login;
  const until = new Date(rc.at.getTime() + lockoutSeconds * 1000);
  await rc.db.query(
    `INSERT INTO login_failures (account_id, failures, locked_until)
     VALUES ($1, CASE WHEN $2::int <= 1 THEN 0 ELSE 1 END, CASE WHEN $2::int <= 1 THEN $3::timestamptz ELSE NULL END)
     ON CONFLICT (account_id) DO UPDATE SET
       failures = CASE WHEN login_failures.failures + 1 >= $2::int THEN 0 ELSE login_failures.failures + 1 END,
       locked_until = CASE WHEN login_failures.failures + 1 >= $2::int THEN $3::timestamptz ELSE login_failures.locked_until END`,
    [accountId, maxFailures, until],
  );
}

/**
 * For the OpenID Provider's login page and the consent page: the citizen of a personal ID and
 * password with the same throttling, lockout and timing as `POST /v1/sessions`; null for an
 * unknown ID, a wrong password or a locked account. Other states (`approved`, `card_expired`,
 * `app`) are returned: the caller decides what they may do.
 */
export async function checkPassword(
  rc: RequestContext,
  personalId: string,
  password: string,
): Promise<Citizen | null> {
  const row = await authenticate(rc, personalId, password);
  return row === null ? null : citizenOf(row);
}

/**
 * `POST /v1/sessions`: the password (as {@link authenticate}), then the account's state
 * (`account_not_activated` for an approved account, `card_expired`), then the device step.
 */
export async function logIn(
  rc: RequestContext,
  input: { personalId: string; password: string; device: DeviceInput },
): Promise<{ status: number; body: unknown }> {
  return logInAs(rc, await authenticate(rc, input.personalId, input.password), input.device);
}

/**
 * {@link logIn} as a direct answer: the attempt statement reads the application clock itself,
 * which saves the request's clock round trip; undefined (nothing changed) when a fault is armed.
 */
export async function logInDirect(
  dc: DirectContext,
  input: { personalId: string; password: string; device: DeviceInput },
): Promise<{ status: number; body: unknown } | undefined> {
  const attempt = await recordAttempt(dc, input.personalId, 'database');
  if (attempt === undefined) return undefined;
  const rc: RequestContext = { ...dc, at: attempt.at };
  try {
    return await logInAs(
      rc,
      await settleAttempt(rc, attempt, input.personalId, input.password),
      input.device,
    );
  } finally {
    dc.subject = rc.subject;
  }
}

async function logInAs(
  rc: RequestContext,
  found: AccountRow | null,
  device: DeviceInput,
): Promise<{ status: number; body: unknown }> {
  if (found === null) throw new ProblemError('invalid_credentials');
  const direct = await loginOnBoundDevice(rc, found.id, device);
  if (direct !== null) {
    rc.subject = maskPersonalId(found.personal_id);
    return direct;
  }
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1 FOR UPDATE`,
      [found.id],
    );
    const account = rows[0];
    if (account === undefined || account.state === 'locked') throw new ProblemError('invalid_credentials');
    if (account.state === 'approved') throw new ProblemError('account_not_activated');
    if (account.state === 'card_expired') throw new ProblemError('card_expired');
    rc.subject = maskPersonalId(account.personal_id);
    return loginOnDevice(tx, rc, account, device);
  });
}
