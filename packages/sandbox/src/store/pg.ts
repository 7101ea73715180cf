/**
 * @module
 * The PostgreSQL implementation of {@link Db}: a `pg` pool; transactions on one pooled client,
 * retried on serialization failures and deadlocks. Every statement of `query` is sent as a
 * named prepared statement (one name per distinct SQL text, prepared once per connection), so
 * the server parses and plans the hot statements once instead of on every request.
 */
import pg from 'pg';
import {
  type Db,
  isPgError,
  PG_DEADLOCK,
  PG_SERIALIZATION_FAILURE,
  type Queryable,
  type QueryResult,
} from './db.ts';

const MAX_PREPARED = 512;

export function createPgDb(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20 });
  // An idle client that loses its server (restart, SIGKILL of a backend) must not crash us.
  pool.on('error', () => {});
  // SQL text → statement name. The texts are the application's own; texts built with a
  // variable number of rows (bulk inserts) could be unbounded, so past the cap they go unnamed.
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `s${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  const run = async <R>(
    client: pg.Pool | pg.PoolClient,
    text: string,
    params?: unknown[],
  ): Promise<QueryResult<R>> => {
    const result = await client.query({
      name: nameOf(text),
      text,
      values: (params ?? []) as unknown[],
    } as pg.QueryConfig);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (text) => void (await pool.query(text)),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const tx: Queryable = {
            query: (text, params) => run(client, text, params),
            exec: async (text) => void (await client.query(text)),
          };
          const value = await fn(tx);
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          if (attempt < 5 && (isPgError(error, PG_SERIALIZATION_FAILURE) || isPgError(error, PG_DEADLOCK)))
            continue;
          throw error;
        } finally {
          client.release();
        }
      }
    },
    close: () => pool.end(),
  };
}
