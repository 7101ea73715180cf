/**
 * @module
 * Stored answers of POST requests that carried an `Idempotency-Key` (see `http/idempotency.ts`).
 * `id` is a MAC of the key and its scope; the answer body is what the first request answered.
 */
import type { Migration } from '../migrate.ts';

export const idempotency: Migration = {
  id: '002-idempotency',
  sql: `CREATE TABLE idempotency_keys (
  id text PRIMARY KEY,
  request_mac text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'done')),
  status integer,
  body text,
  content_type text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);`,
};
