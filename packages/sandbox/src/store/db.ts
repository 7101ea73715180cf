/**
 * @module
 * The one database interface the sandbox runs on, implemented by embedded PGlite and by a
 * PostgreSQL pool (`pg`). SQL is written once for PostgreSQL ≥ 15: no `now()` in SQL (the
 * application clock passes timestamps as parameters), no int8 results without a cast.
 */

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs SQL: the database, or the client of an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/**
 * The database. `transaction(fn)` runs `fn` with a transaction client: every statement of the
 * transaction must go through that client (PGlite has one connection, so a statement sent to
 * the database itself while a transaction is open waits forever).
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the flows map to problems. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK = '40P01';

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
