/**
 * @module
 * Partner request signing, as the VNeID remote-signing gateway's partners do (IDENTITY-NOTES §4):
 * `X-Partner-Code`, `X-Timestamp` (Unix seconds, within ±300 s of the application clock),
 * `X-Nonce` (16–64 of `[A-Za-z0-9_-]`, single use) and `X-Signature`, the lower-case hex
 * HMAC-SHA-256 under the partner's secret of
 * `METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(raw body))`. Nonces are kept in a
 * table (primary key per partner) until they can no longer pass the timestamp window, so a replay
 * is refused by every process of one service. Webhooks to partners are signed the same way:
 * `X-Webhook-Signature: sha256=<hex HMAC-SHA-256(secret, id.timestamp.body)>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.ts';
import { rawBodyOf } from './app.ts';
import type { RequestContext, RouteInput } from './context.ts';
import { ProblemError } from './problem.ts';

/** How far `X-Timestamp` may be from the application clock, in seconds. */
export const PARTNER_CLOCK_SKEW_SECONDS = 300;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const CODE = /^[a-z0-9][a-z0-9-]{1,63}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** The documented demo partner (test material, never a real secret). */
export const DEMO_PARTNER = {
  code: 'demo-bank',
  name: 'Demo Bank (sandbox)',
  secret: 'demo-bank-sandbox-secret',
} as const;

export interface Partner {
  code: string;
  name: string;
  secret: string;
}

const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** The string a partner signs. */
export function partnerSigningInput(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array | string,
): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${sha256Hex(body)}`;
}

/** `X-Signature` for a request: lower-case hex HMAC-SHA-256. */
export function signPartnerRequest(
  secret: string,
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array | string,
): string {
  return createHmac('sha256', secret)
    .update(partnerSigningInput(method, pathWithQuery, timestamp, nonce, body))
    .digest('hex');
}

/** `X-Webhook-Signature` of a webhook: `sha256=` + hex HMAC-SHA-256 of `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex')}`;
}

export async function findPartner(q: Queryable, code: string): Promise<Partner | null> {
  const { rows } = await q.query<Partner>('SELECT code, name, secret FROM partners WHERE code = $1', [code]);
  return rows[0] ?? null;
}

const refuse = (reason: string, detail: string): ProblemError =>
  new ProblemError('partner_auth_failed', { detail, extra: { reason } });

/**
 * Authenticates a partner-signed request: headers, partner, timestamp window, signature (constant
 * time), then the nonce (recorded only for a valid signature, so a forger cannot burn nonces).
 * @throws ProblemError `partner_auth_failed` (with `reason`), `nonce_replayed`
 */
export function requirePartner(
  rc: RequestContext,
  input: Pick<RouteInput, 'header' | 'c'>,
): Promise<{ partnerCode: string; partnerName: string; secret: string }> {
  // Once per request: the nonce is single use, and the idempotency layer may check first.
  let checked = verifiedRequests.get(input.c);
  if (checked === undefined) {
    checked = checkPartner(rc, input);
    verifiedRequests.set(input.c, checked);
  }
  return checked;
}

const verifiedRequests = new WeakMap<
  object,
  Promise<{ partnerCode: string; partnerName: string; secret: string }>
>();

async function checkPartner(
  rc: RequestContext,
  input: Pick<RouteInput, 'header' | 'c'>,
): Promise<{ partnerCode: string; partnerName: string; secret: string }> {
  const code = input.header('x-partner-code');
  const timestamp = input.header('x-timestamp');
  const nonce = input.header('x-nonce');
  const signature = input.header('x-signature');
  if (code === undefined || timestamp === undefined || nonce === undefined || signature === undefined)
    throw refuse('missing_headers', 'X-Partner-Code, X-Timestamp, X-Nonce and X-Signature are required');
  if (!CODE.test(code) || !TIMESTAMP.test(timestamp) || !NONCE.test(nonce) || !SIGNATURE.test(signature))
    throw refuse('malformed_headers', 'a signing header is malformed');
  const partner = await findPartner(rc.db, code);
  if (partner === null) throw refuse('unknown_partner', 'unknown partner');
  const skew = Math.abs(Number(timestamp) - Math.floor(rc.at.getTime() / 1000));
  if (skew > PARTNER_CLOCK_SKEW_SECONDS)
    throw refuse(
      'stale_timestamp',
      `X-Timestamp must be within ${PARTNER_CLOCK_SKEW_SECONDS} s of the server clock`,
    );
  const url = new URL(input.c.req.url);
  const expected = signPartnerRequest(
    partner.secret,
    input.c.req.method,
    url.pathname + url.search,
    timestamp,
    nonce,
    rawBodyOf(input),
  );
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
    throw refuse('bad_signature', 'X-Signature does not match the request');
  // Kept until no timestamp that passes the window could carry it again.
  const expiresAt = new Date(rc.at.getTime() + 2 * PARTNER_CLOCK_SKEW_SECONDS * 1000 + 1000);
  const { rows } = await rc.db.query<{ nonce: string }>(
    `INSERT INTO partner_nonces (partner_code, nonce, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (partner_code, nonce) DO NOTHING RETURNING nonce`,
    [partner.code, nonce, expiresAt],
  );
  if (rows.length === 0) throw new ProblemError('nonce_replayed');
  rc.subject = `partner:${partner.code}`;
  return { partnerCode: partner.code, partnerName: partner.name, secret: partner.secret };
}

/** Deletes nonces that can no longer be replayed (called from the partner area's sweep). */
export async function purgeNonces(q: Queryable, at: Date): Promise<void> {
  await q.query('DELETE FROM partner_nonces WHERE expires_at < $1', [at]);
}

/** Seeds the demo partner (idempotent). */
export async function seedPartners(q: Queryable, at: Date): Promise<void> {
  await q.query(
    'INSERT INTO partners (code, name, secret, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING',
    [DEMO_PARTNER.code, DEMO_PARTNER.name, DEMO_PARTNER.secret, at],
  );
}
