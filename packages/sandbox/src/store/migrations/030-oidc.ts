import type { Migration } from '../migrate.ts';

/**
 * The OpenID Provider's storage: every oidc-provider model (codes, PAR requests, sessions,
 * interactions, grants, tokens, registered clients, DPoP and client-assertion replay) in one
 * table; the shared cookie keys and DPoP nonce secret; the login page's pending steps; and the
 * legacy VNeID SSO profile's clients, authorization requests, codes and tokens.
 */
export const oidc: Migration = {
  id: '030-oidc',
  sql: `
CREATE TABLE oidc_models (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_models_expires ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE oidc_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE oidc_login_steps (
  uid text PRIMARY KEY,
  account_id text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE oidc_legacy_clients (
  client_id text PRIMARY KEY,
  secret_mac text NOT NULL,
  redirect_uris jsonb NOT NULL,
  public_key_pem text NOT NULL,
  encrypt_code boolean NOT NULL DEFAULT false
);

CREATE TABLE oidc_legacy_requests (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  scope text NOT NULL,
  state text,
  account_id text,
  expires_at timestamptz NOT NULL
);

CREATE TABLE oidc_legacy_codes (
  code_mac text PRIMARY KEY,
  enc_code_mac text UNIQUE,
  encrypt_key_mac text,
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  account_id text NOT NULL,
  scope text NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);

CREATE TABLE oidc_legacy_tokens (
  token_mac text PRIMARY KEY,
  code_mac text NOT NULL,
  client_id text NOT NULL,
  account_id text NOT NULL,
  scope text NOT NULL,
  expires_at timestamptz NOT NULL
);
`,
};
