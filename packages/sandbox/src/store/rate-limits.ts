/**
 * @module
 * Fixed-window counters in the database (table `rate_limits`), so that every process sees the
 * same count: one atomic upsert per hit, never read-then-write.
 */
import type { Queryable } from './db.ts';

export interface LimitHit {
  count: number;
  /** When the current window ends. */
  resetsAt: Date;
}

/** Counts one hit on `key` in a window of `windowSeconds` starting at the first hit. */
export async function hitLimit(
  q: Queryable,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<LimitHit> {
  const windowStartBefore = new Date(now.getTime() - windowSeconds * 1000);
  const { rows } = await q.query<{ count: number; window_start: Date }>(
    `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
       window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
     RETURNING count, window_start`,
    [key, now, windowStartBefore],
  );
  const row = rows[0]!;
  return {
    count: row.count,
    resetsAt: new Date(new Date(row.window_start).getTime() + windowSeconds * 1000),
  };
}

/** The current count of `key` without counting a hit (0 when the window has passed). */
export async function peekLimit(
  q: Queryable,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<LimitHit> {
  const { rows } = await q.query<{ count: number; window_start: Date }>(
    'SELECT count, window_start FROM rate_limits WHERE key = $1',
    [key],
  );
  const row = rows[0];
  if (row === undefined || new Date(row.window_start).getTime() <= now.getTime() - windowSeconds * 1000) {
    return { count: 0, resetsAt: now };
  }
  return {
    count: row.count,
    resetsAt: new Date(new Date(row.window_start).getTime() + windowSeconds * 1000),
  };
}

export async function clearLimit(q: Queryable, key: string): Promise<void> {
  await q.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}
