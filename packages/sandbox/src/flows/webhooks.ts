/**
 * @module
 * Webhooks to partners, through an outbox: the row is written in the transaction that changes the
 * state it reports (so a crash cannot lose it) and delivered after commit, at least once, by any
 * process of the service: a row is claimed with `FOR UPDATE SKIP LOCKED` and a lease, POSTed with
 * `X-Webhook-Id` (stable across retries: receivers deduplicate on it), `X-Webhook-Timestamp`
 * (Unix seconds of the application clock) and `X-Webhook-Signature: sha256=<hex HMAC-SHA-256 of
 * id.timestamp.body>` (IDENTITY-NOTES §4), and retried with exponential backoff until a 2xx or
 * the last attempt. Receivers must accept unknown fields.
 */
import { signWebhook } from '../http/partner-auth.ts';
import { randomId } from '../secrets.ts';
import type { Db, Queryable } from '../store/db.ts';

/** Attempts before a delivery is given up (`failed_at`). */
export const WEBHOOK_MAX_ATTEMPTS = 6;
/** How long a claimed delivery is reserved for the process that claimed it. */
const LEASE_MS = 30_000;
const TIMEOUT_MS = 5_000;

export interface WebhookEvent {
  partnerCode: string;
  url: string;
  type: string;
  data: Record<string, unknown>;
}

/** Writes a webhook into the outbox; call inside the transaction whose change it reports. */
export async function enqueueWebhook(tx: Queryable, event: WebhookEvent, at: Date): Promise<string> {
  const id = randomId();
  const body = JSON.stringify({ id, type: event.type, createdAt: at.toISOString(), data: event.data });
  await tx.query(
    `INSERT INTO webhook_deliveries (id, partner_code, url, body, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $5)`,
    [id, event.partnerCode, event.url, body, at],
  );
  return id;
}

/** Seconds to wait after the `attempts`-th failed attempt: 2, 4, 8, 16, 32. */
export const webhookBackoffSeconds = (attempts: number): number => 2 ** Math.min(attempts, 10);

interface Claimed {
  id: string;
  partner_code: string;
  url: string;
  body: string;
  attempts: number;
}

/**
 * Delivers every due webhook (one at a time per call), `now` being the application clock.
 * Returns how many were attempted.
 */
export async function deliverDueWebhooks(
  db: Db,
  now: () => Promise<Date>,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  let attempted = 0;
  for (;;) {
    const at = await now();
    const { rows } = await db.query<Claimed>(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $2
       WHERE id = (SELECT id FROM webhook_deliveries
                   WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                   ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, partner_code, url, body, attempts`,
      [at, new Date(at.getTime() + LEASE_MS)],
    );
    const row = rows[0];
    if (row === undefined) return attempted;
    attempted++;
    const secret = (
      await db.query<{ secret: string }>('SELECT secret FROM partners WHERE code = $1', [row.partner_code])
    ).rows[0]?.secret;
    let status: number | null = null;
    if (secret !== undefined) {
      const timestamp = String(Math.floor(at.getTime() / 1000));
      try {
        const res = await fetchImpl(row.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-webhook-id': row.id,
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signWebhook(secret, row.id, timestamp, row.body),
          },
          body: row.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = res.status;
        await res.body?.cancel().catch(() => {});
      } catch {
        status = null;
      }
    }
    const after = await now();
    if (status !== null && status >= 200 && status < 300) {
      await db.query('UPDATE webhook_deliveries SET delivered_at = $2, last_status = $3 WHERE id = $1', [
        row.id,
        after,
        status,
      ]);
    } else if (row.attempts >= WEBHOOK_MAX_ATTEMPTS || secret === undefined) {
      await db.query('UPDATE webhook_deliveries SET failed_at = $2, last_status = $3 WHERE id = $1', [
        row.id,
        after,
        status,
      ]);
    } else {
      await db.query('UPDATE webhook_deliveries SET next_attempt_at = $2, last_status = $3 WHERE id = $1', [
        row.id,
        new Date(after.getTime() + webhookBackoffSeconds(row.attempts) * 1000),
        status,
      ]);
    }
  }
}
