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

/**
 * The end of an `INSERT INTO rate_limits (key, window_start, count) … VALUES (…, now, 1)` that
 * counts one hit per key: a window that started at or before `before` (now − window) starts
 * again at `now`. `now` and `before` are SQL expressions (parameters); it returns
 * `key, count, window_start`.
 */
export function countHitSql(now: string, before: string): string {
  return `ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limits.window_start <= ${before} THEN 1 ELSE rate_limits.count + 1 END,
       window_start = CASE WHEN rate_limits.window_start <= ${before} THEN ${now} ELSE rate_limits.window_start END
     RETURNING key, count, window_start`;
}

/** When a window that started at `windowStart` ends. */
export function windowEnd(windowStart: Date | string, windowSeconds: number): Date {
  return new Date(new Date(windowStart).getTime() + windowSeconds * 1000);
}

const HIT = `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
     ${countHitSql('$2', '$3')}`;

/** Counts one hit on `key` in a window of `windowSeconds` starting at the first hit. */
export async function hitLimit(
  q: Queryable,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<LimitHit> {
  const windowStartBefore = new Date(now.getTime() - windowSeconds * 1000);
  const { rows } = await q.query<{ count: number; window_start: Date }>(HIT, [key, now, windowStartBefore]);
  const row = rows[0]!;
  return { count: row.count, resetsAt: windowEnd(row.window_start, windowSeconds) };
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
  return { count: row.count, resetsAt: windowEnd(row.window_start, windowSeconds) };
}

export async function clearLimit(q: Queryable, key: string): Promise<void> {
  await q.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}
