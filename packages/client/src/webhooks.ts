/**
 * @module
 * Verification of the webhooks the service sends to partners: `X-Webhook-Id`,
 * `X-Webhook-Timestamp` (Unix seconds) and `X-Webhook-Signature: sha256=<hex>` with
 * HMAC-SHA-256(secret, `${id}.${timestamp}.${rawBody}`). The MAC is checked with WebCrypto's
 * `verify` (constant time), the timestamp against a tolerance, and the id against a replay
 * store the caller provides (a table with a unique key in production).
 */
import { buf, fromHex, fromUtf8, utf8 } from './encoding.ts';

/** Remembers webhook ids until they expire; `seen` records the id and answers whether it was there already (atomically). */
export interface WebhookReplayStore {
  seen(id: string, expiresAt: Date): Promise<boolean>;
}

export interface VerifyWebhookInput {
  /** The partner secret. */
  secret: string;
  /** The request headers (a `Headers` or a plain object; names are case-insensitive). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body exactly as received (do not re-serialise parsed JSON). */
  body: string | Uint8Array;
  /** Replay protection; without it a valid webhook can be accepted twice. */
  store?: WebhookReplayStore;
  /** Seconds either side of now (default 300). */
  toleranceSeconds?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

export type WebhookFailure =
  | 'missing_headers'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'replayed'
  | 'invalid_body';

export type WebhookVerification<T = unknown> =
  | { ok: true; id: string; timestamp: number; payload: T }
  | { ok: false; reason: WebhookFailure };

function header(headers: VerifyWebhookInput['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Verifies a webhook: signature first (constant time), then the timestamp, then the replay
 * store (only a correctly signed, fresh webhook is recorded). Returns the parsed JSON payload.
 */
export async function verifyWebhook<T = unknown>(input: VerifyWebhookInput): Promise<WebhookVerification<T>> {
  const id = header(input.headers, 'x-webhook-id');
  const timestampText = header(input.headers, 'x-webhook-timestamp');
  const signature = header(input.headers, 'x-webhook-signature');
  if (!id || !timestampText || !signature) return { ok: false, reason: 'missing_headers' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  const mac = match ? fromHex(match[1]!) : undefined;
  if (!/^[0-9]{1,12}$/.test(timestampText) || !mac) return { ok: false, reason: 'bad_signature' };
  const body = typeof input.body === 'string' ? utf8(input.body) : input.body;
  const key = await crypto.subtle.importKey(
    'raw',
    buf(utf8(input.secret)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const signed = concat(utf8(`${id}.${timestampText}.`), body);
  if (!(await crypto.subtle.verify('HMAC', key, buf(mac), buf(signed))))
    return { ok: false, reason: 'bad_signature' };

  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = (input.now ?? Date.now)() / 1000;
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: 'stale_timestamp' };

  let payload: T;
  try {
    payload = JSON.parse(fromUtf8(body)) as T;
  } catch {
    return { ok: false, reason: 'invalid_body' };
  }
  if (input.store && (await input.store.seen(id, new Date((timestamp + tolerance) * 1000))))
    return { ok: false, reason: 'replayed' };
  return { ok: true, id, timestamp, payload };
}

/** A replay store in memory: for a single process and tests; use a database table otherwise. */
export function createMemoryReplayStore(now: () => number = Date.now): WebhookReplayStore {
  const ids = new Map<string, number>();
  return {
    async seen(id, expiresAt) {
      const t = now();
      for (const [k, exp] of ids) if (exp <= t) ids.delete(k);
      if (ids.has(id)) return true;
      ids.set(id, expiresAt.getTime());
      return false;
    },
  };
}
