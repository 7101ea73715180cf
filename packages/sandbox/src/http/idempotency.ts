/**
 * @module
 * `Idempotency-Key` for POST operations (the IETF httpapi "Idempotency-Key HTTP Header Field"
 * draft): the first request with a key runs and its answer is stored; a retry with the same key
 * and the same body gets the stored answer again (`Idempotent-Replayed: true`) instead of
 * running twice, so that a client may retry a POST after a lost answer without creating a
 * second registration or sending a second SMS. A key is scoped to the operation, its path and
 * the caller's credentials; the same key with another body is `idempotency_key_reused`, and a
 * retry while the first is still running is `conflict`. Answers of 5xx are not stored (the
 * retry runs again). Keys live in the database for 24 hours (application clock), so every
 * process of one service honours them.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from './context.ts';
import { ProblemError } from './problem.ts';

/** How long a stored answer is replayed. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** The key: 1–255 visible ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface StoredAnswer {
  status: number;
  body: string;
  contentType: string;
}

export type IdempotencyClaim = { kind: 'run'; id: string } | { kind: 'replay'; answer: StoredAnswer };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * Claims `key` for this request, or answers the stored answer of an earlier one. `scope` names
 * the operation, path and caller; `body` is the validated request body.
 */
export async function claimIdempotencyKey(
  rc: RequestContext,
  key: string,
  scope: string,
  body: unknown,
): Promise<IdempotencyClaim> {
  if (!IDEMPOTENCY_KEY.test(key))
    throw new ProblemError('invalid_request', {
      detail: 'Idempotency-Key must be 1–255 visible ASCII characters',
      extra: { pointer: '/headers/idempotency-key' },
    });
  const id = rc.secrets.mac('idempotency', `${scope}\n${key}`);
  const requestMac = sha256(JSON.stringify(body ?? null));
  const expires = new Date(rc.at.getTime() + IDEMPOTENCY_TTL_SECONDS * 1000);
  // A new key, or an expired one taken over, in one statement.
  const { rows } = await rc.db.query<{ id: string }>(
    `INSERT INTO idempotency_keys (id, request_mac, state, created_at, expires_at)
     VALUES ($1, $2, 'running', $3, $4)
     ON CONFLICT (id) DO UPDATE SET request_mac = EXCLUDED.request_mac, state = 'running', status = NULL,
       body = NULL, content_type = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
     WHERE idempotency_keys.expires_at <= $3
     RETURNING id`,
    [id, requestMac, rc.at, expires],
  );
  if (rows.length > 0) return { kind: 'run', id };
  const existing = await rc.db.query<{
    request_mac: string;
    state: string;
    status: number | null;
    body: string | null;
    content_type: string | null;
  }>('SELECT request_mac, state, status, body, content_type FROM idempotency_keys WHERE id = $1', [id]);
  const row = existing.rows[0];
  if (row === undefined) return claimIdempotencyKey(rc, key, scope, body);
  if (row.request_mac !== requestMac) throw new ProblemError('idempotency_key_reused');
  if (row.state !== 'done' || row.status === null)
    throw new ProblemError('conflict', {
      detail: 'a request with this Idempotency-Key is still running; retry later',
      retryAfter: 1,
    });
  return {
    kind: 'replay',
    answer: { status: row.status, body: row.body ?? '', contentType: row.content_type ?? 'application/json' },
  };
}

/** Stores the answer of a claimed key (or releases the key when the answer must not be replayed). */
export async function settleIdempotencyKey(
  rc: RequestContext,
  id: string,
  response: Response,
): Promise<void> {
  if (response.status >= 500) {
    await rc.db.query(`DELETE FROM idempotency_keys WHERE id = $1 AND state = 'running'`, [id]);
    return;
  }
  const body = await response.clone().text();
  await rc.db.query(
    `UPDATE idempotency_keys SET state = 'done', status = $2, body = $3, content_type = $4 WHERE id = $1`,
    [id, response.status, body, response.headers.get('content-type') ?? 'application/json'],
  );
}

/** A stored answer as a response. */
export function replayResponse(answer: StoredAnswer, requestId: string): Response {
  return new Response(answer.status === 204 ? null : answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.contentType, 'idempotent-replayed': 'true', 'x-request-id': requestId },
  });
}
