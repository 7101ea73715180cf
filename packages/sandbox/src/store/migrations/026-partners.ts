import type { Migration } from '../migrate.ts';

/**
 * Relying parties (banks, portals) and what they do: the request-signing nonces they used (a
 * replay cache with an expiry), chip verifications, share requests and the webhooks owed to
 * them (an outbox written in the deciding transaction, delivered after commit with retries).
 */
export const partners: Migration = {
  id: '026-partners',
  sql: `
CREATE TABLE partners (
  code text PRIMARY KEY,
  name text NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE partner_nonces (
  partner_code text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (partner_code, nonce)
);
CREATE INDEX partner_nonces_expiry ON partner_nonces (expires_at);
CREATE TABLE chip_verifications (
  id text PRIMARY KEY,
  partner_code text NOT NULL,
  personal_id_hash text NOT NULL,
  verified boolean NOT NULL,
  checks jsonb NOT NULL,
  failure text,
  created_at timestamptz NOT NULL
);
CREATE TABLE share_requests (
  id text PRIMARY KEY,
  partner_code text NOT NULL,
  transaction_code text NOT NULL UNIQUE,
  claims jsonb NOT NULL,
  purpose text NOT NULL,
  callback_url text NOT NULL,
  webhook_url text,
  status text NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED', 'EXPIRED', 'CANCELLED')),
  result integer,
  account_id text,
  shared jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX share_requests_pending ON share_requests (expires_at) WHERE status = 'PENDING';
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  partner_code text NOT NULL,
  url text NOT NULL,
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at timestamptz,
  failed_at timestamptz,
  last_status integer,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
`,
};
