import type { Migration } from '../migrate.ts';

/** Shared state of the service: the clock offset, the HMAC key, server keys, limits, faults, SMS outbox. */
export const core: Migration = {
  id: '001-core',
  sql: `
CREATE TABLE sandbox_state (
  id integer PRIMARY KEY CHECK (id = 1),
  clock_offset_ms double precision NOT NULL DEFAULT 0,
  hmac_key text NOT NULL
);
CREATE TABLE server_keys (
  slot text PRIMARY KEY,
  kid text NOT NULL UNIQUE,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL
);
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count integer NOT NULL
);
CREATE TABLE sandbox_faults (
  id text PRIMARY KEY,
  method text,
  path_prefix text NOT NULL,
  status integer,
  delay_ms integer NOT NULL DEFAULT 0,
  remaining integer NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE sms_outbox (
  seq serial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  phone text NOT NULL,
  body text NOT NULL,
  code text,
  purpose text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX sms_outbox_phone ON sms_outbox (phone, seq);
`,
};
