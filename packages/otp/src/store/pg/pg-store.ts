/**
 * @module
 * {@link OtpStore} on PostgreSQL: one table `(key, value, version, expires_at)` and one sequence
 * for versions (so a version is never handed out twice, not even after a delete or expiry).
 * Compare-and-set is a single statement — a conditional `UPDATE … WHERE version = $v`, or for
 * "only if absent" an `INSERT … ON CONFLICT DO UPDATE … WHERE expired` — which PostgreSQL runs
 * atomically under READ COMMITTED: of two concurrent writers from the same version, the second
 * re-checks the row the first committed and writes nothing. Expiry compares with the injected
 * clock, so expired rows are absent at once; `sweep()` deletes them. Works with any client that
 * has node-postgres' `query(text, values)` (a `pg.Pool`, a `pg.Client`, a pooled client).
 */
import { OtpError } from '../../errors.ts';
import { checkOptionalFunction, checkOptions } from '../../option-checks.ts';
import type { OtpStore, OtpStoreEntry } from '../otp-store.ts';
import { checkNulFreeKey, checkServerWrite, wholeMillisecondClock } from '../record.ts';

/** The part of a node-postgres `Pool` or `Client` the store uses. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** Options of {@link createPgOtpStore}. */
export interface PgOtpStoreOptions {
  /** A `pg.Pool` (recommended) or client. */
  db: PgQueryable;
  /** Table name, optionally schema-qualified (`otp.store`); lower-case letters, digits, `_`. Default `vneid_otp_store`. */
  table?: string;
  /** Current time in milliseconds; default `Date.now`. Use the same clock as the challenge layer. */
  now?: () => number;
}

/** {@link OtpStore} on PostgreSQL, with housekeeping. */
export interface PgOtpStore extends OtpStore {
  /** Deletes every expired row; returns how many were deleted. Run it now and then. */
  sweep(): Promise<number>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

interface Names {
  table: string;
  sequence: string;
  index: string;
}

function names(table: unknown = 'vneid_otp_store'): Names {
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw new OtpError(
      'INVALID_ARGUMENT',
      'table: expected [schema.]name of lower-case letters, digits and _',
      {
        context: { field: 'table' },
      },
    );
  }
  const base = parts[parts.length - 1]!;
  const schema = parts.length === 2 ? `${parts[0]}.` : '';
  return { table: `${schema}${base}`, sequence: `${schema}${base}_version`, index: `${base}_expires_at` };
}

/**
 * The schema (migration) SQL of the store: the table, its version sequence and an index for
 * `sweep`. Idempotent (`IF NOT EXISTS`); run it once with your migrations or with
 * {@link migratePgOtpStore}.
 * @throws {OtpError} `INVALID_ARGUMENT` for a bad table name
 */
export function pgOtpStoreSchema(table?: string): string {
  const n = names(table);
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${n.sequence} AS bigint;`,
    `CREATE TABLE IF NOT EXISTS ${n.table} (`,
    '  key text PRIMARY KEY,',
    '  value text NOT NULL,',
    '  version bigint NOT NULL,',
    '  expires_at bigint NOT NULL',
    ');',
    `CREATE INDEX IF NOT EXISTS ${n.index} ON ${n.table} (expires_at);`,
    '',
  ].join('\n');
}

function checkDb(db: unknown): asserts db is PgQueryable {
  if (db === null || typeof db !== 'object' || typeof (db as PgQueryable).query !== 'function') {
    throw new OtpError('INVALID_ARGUMENT', 'db: expected a pg Pool or Client', { context: { field: 'db' } });
  }
}

function failed(cause: unknown): OtpError {
  return new OtpError('STORE_FAILED', 'store: the PostgreSQL query failed', {
    cause,
    context: { field: 'db' },
  });
}

/**
 * Runs {@link pgOtpStoreSchema} on `db`.
 * @throws {OtpError} `INVALID_ARGUMENT`; rejects with `STORE_FAILED`
 */
export async function migratePgOtpStore(db: PgQueryable, options: { table?: string } = {}): Promise<void> {
  checkDb(db);
  checkOptions(options);
  const sql = pgOtpStoreSchema(options.table);
  try {
    await db.query(sql);
  } catch (cause) {
    throw failed(cause);
  }
}

function toNumber(x: unknown): number {
  const n = typeof x === 'string' ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new OtpError('STORE_FAILED', 'store: a version or expiry is not a safe integer', {
      context: { field: 'db' },
    });
  }
  return n;
}

/**
 * A PostgreSQL-backed {@link OtpStore} over the table made by {@link pgOtpStoreSchema}.
 * @throws {OtpError} `INVALID_ARGUMENT`; its methods reject with `INVALID_ARGUMENT` for bad
 *   keys, values or TTLs and `STORE_FAILED` when a query fails.
 */
export function createPgOtpStore(options: PgOtpStoreOptions): PgOtpStore {
  checkOptions(options);
  const { db } = options;
  checkDb(db);
  checkOptionalFunction('now', options.now);
  const n = names(options.table);
  const clock = wholeMillisecondClock(options.now ?? Date.now);
  const sql = {
    get: `SELECT value, version, expires_at FROM ${n.table} WHERE key = $1 AND expires_at > $2`,
    create:
      `INSERT INTO ${n.table} AS cur (key, value, version, expires_at) VALUES ($1, $2, nextval('${n.sequence}'), $3) ` +
      'ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version, expires_at = EXCLUDED.expires_at ' +
      'WHERE cur.expires_at <= $4',
    update:
      `UPDATE ${n.table} SET value = $2, version = nextval('${n.sequence}'), expires_at = $3 ` +
      'WHERE key = $1 AND version = $4 AND expires_at > $5',
    delete: `DELETE FROM ${n.table} WHERE key = $1`,
    sweep: `DELETE FROM ${n.table} WHERE expires_at <= $1`,
  };
  const query = async (text: string, values: unknown[]) => {
    try {
      return await db.query(text, values);
    } catch (cause) {
      throw failed(cause);
    }
  };
  return {
    async get(key): Promise<OtpStoreEntry | undefined> {
      checkNulFreeKey(key);
      const { rows } = await query(sql.get, [key, clock()]);
      const row = rows[0] as { value?: unknown; version?: unknown; expires_at?: unknown } | undefined;
      if (row === undefined) return undefined;
      if (typeof row.value !== 'string') {
        throw new OtpError('STORE_FAILED', 'store: a row has no text value', { context: { field: 'db' } });
      }
      return { value: row.value, version: toNumber(row.version), expiresAt: toNumber(row.expires_at) };
    },
    async compareAndSet(key, expectedVersion, value, ttlMs) {
      const ttl = checkServerWrite(key, expectedVersion, value, ttlMs, true);
      const t = clock();
      const result =
        expectedVersion === null
          ? await query(sql.create, [key, value, t + ttl, t])
          : await query(sql.update, [key, value, t + ttl, expectedVersion, t]);
      return result.rowCount === 1;
    },
    async delete(key) {
      checkNulFreeKey(key);
      await query(sql.delete, [key]);
    },
    async sweep() {
      const result = await query(sql.sweep, [clock()]);
      return result.rowCount ?? 0;
    },
  };
}
