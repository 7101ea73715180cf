/**
 * @module
 * Tables of the accounts area (IDENTITY-NOTES §2): the sandbox population registry every
 * registration is checked against, app and eID accounts, registrations in progress, SMS
 * one-time-code challenges, the one bound device per account, sessions (tokens stored as HMAC),
 * login challenges for a new device, and consecutive login failures (temporary lockout).
 * Child rows go with their account (`ON DELETE CASCADE`), so the 3-day sweep of app accounts
 * is one `DELETE`.
 */
import type { Migration } from '../migrate.ts';

export const accounts: Migration = {
  id: '010-accounts',
  sql: `
CREATE TABLE registry_people (
  personal_id text PRIMARY KEY,
  full_name text NOT NULL,
  sex text NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date text NOT NULL,
  address text NOT NULL,
  phone text NOT NULL,
  card_expiry text,
  chip_seed integer UNIQUE,
  chip_fault text,
  fixture_state text NOT NULL,
  password text
);

CREATE TABLE accounts (
  id text PRIMARY KEY,
  personal_id text NOT NULL UNIQUE,
  phone text NOT NULL,
  full_name text NOT NULL,
  sex text NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date text NOT NULL,
  address text NOT NULL,
  level integer NOT NULL DEFAULT 0 CHECK (level IN (0, 1, 2)),
  state text NOT NULL CHECK (state IN ('app', 'approved', 'active', 'locked', 'card_expired')),
  password_hash text,
  locked_reason text,
  locked_from_state text,
  created_at timestamptz NOT NULL,
  activated_at timestamptz,
  eid_applied_at timestamptz
);
CREATE INDEX accounts_app_created ON accounts (created_at) WHERE state = 'app';

CREATE TABLE registrations (
  id text PRIMARY KEY,
  personal_id text NOT NULL,
  phone text NOT NULL,
  full_name text NOT NULL,
  sex text NOT NULL,
  birth_date text NOT NULL,
  address text NOT NULL,
  state text NOT NULL CHECK (state IN ('otp_sent', 'otp_verified', 'completed')),
  account_id text REFERENCES accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX registrations_personal_id ON registrations (personal_id);

CREATE TABLE otp_challenges (
  id text PRIMARY KEY,
  purpose text NOT NULL,
  subject text NOT NULL,
  account_id text REFERENCES accounts (id) ON DELETE CASCADE,
  phone text NOT NULL,
  delivery text NOT NULL CHECK (delivery IN ('sms', 'bound_device')),
  template text NOT NULL,
  code_mac text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  sends integer NOT NULL DEFAULT 1,
  state text NOT NULL CHECK (state IN ('pending', 'verified', 'exhausted', 'cancelled')),
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  resend_after timestamptz NOT NULL,
  verified_at timestamptz
);
CREATE INDEX otp_challenges_account ON otp_challenges (account_id);

CREATE TABLE devices (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  name text NOT NULL,
  public_key text,
  bound_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  unbound_at timestamptz,
  unbind_reason text
);
CREATE UNIQUE INDEX devices_one_bound ON devices (account_id) WHERE unbound_at IS NULL;
CREATE INDEX devices_device_id ON devices (device_id) WHERE unbound_at IS NULL;

CREATE TABLE sessions (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  token_mac text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text
);
CREATE INDEX sessions_account ON sessions (account_id) WHERE ended_at IS NULL;

CREATE TABLE login_challenges (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  device_name text NOT NULL,
  public_key text,
  state text NOT NULL CHECK (state IN ('pending', 'chip_verified', 'completed')),
  otp_challenge_id text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE login_failures (
  account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  failures integer NOT NULL,
  locked_until timestamptz
);
`,
};
