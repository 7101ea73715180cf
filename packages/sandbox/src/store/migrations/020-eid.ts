/**
 * @module
 * Tables of the eID area (IDENTITY-NOTES §1–2): activation flows of approved accounts, the
 * 6-digit passcode with its attempt counter, the security answers (HMAC), passcode resets,
 * level-1 eID applications (the evidence used, never the chip files or the portrait itself),
 * level-2 appointments and integrated documents. Every row belongs to an `accounts` row
 * (migration 010) and goes with it.
 *
 * ACCOUNTS' 3-day sweep of app accounts keeps an account that has a row in
 * `eid_applications` (column `account_id`), whatever its status.
 */
import type { Migration } from '../migrate.ts';

export const eid: Migration = {
  id: '020-eid',
  sql: `
CREATE TABLE eid_activations (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  device_name text NOT NULL,
  device_bound_elsewhere boolean NOT NULL,
  needs_password boolean NOT NULL,
  state text NOT NULL CHECK (state IN ('otp_sent', 'otp_verified', 'password_set', 'passcode_set', 'completed', 'superseded')),
  otp_challenge_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX eid_activations_account ON eid_activations (account_id);
CREATE UNIQUE INDEX eid_activations_one_open ON eid_activations (account_id)
  WHERE state NOT IN ('completed', 'superseded');

CREATE TABLE passcodes (
  account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  passcode_mac text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_at timestamptz,
  updated_at timestamptz NOT NULL
);

CREATE TABLE passcode_resets (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('otp_sent', 'otp_verified', 'completed', 'superseded')),
  otp_challenge_id text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX passcode_resets_account ON passcode_resets (account_id);

CREATE TABLE security_answers (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  question_id text NOT NULL,
  answer_mac text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, question_id)
);

CREATE TABLE eid_applications (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  level integer NOT NULL DEFAULT 1,
  evidence_kind text NOT NULL CHECK (evidence_kind IN ('nfc', 'qr')),
  evidence_checks jsonb NOT NULL,
  portrait_sha256 text NOT NULL,
  portrait_bytes integer NOT NULL,
  email text,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX eid_applications_account ON eid_applications (account_id, created_at);
CREATE UNIQUE INDEX eid_applications_one_pending ON eid_applications (account_id) WHERE status = 'pending';

CREATE TABLE eid_appointments (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  police_office text NOT NULL,
  appointment_date text NOT NULL,
  status text NOT NULL CHECK (status IN ('booked', 'approved', 'rejected')),
  reason text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX eid_appointments_account ON eid_appointments (account_id, created_at);
CREATE UNIQUE INDEX eid_appointments_one_booked ON eid_appointments (account_id) WHERE status = 'booked';

CREATE TABLE integrated_documents (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('driving_licence', 'vehicle_registration', 'health_insurance', 'tax_code')),
  number text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX integrated_documents_account ON integrated_documents (account_id, created_at);
CREATE UNIQUE INDEX integrated_documents_one_live ON integrated_documents (account_id, type, number)
  WHERE status IN ('pending', 'approved');
`,
};
