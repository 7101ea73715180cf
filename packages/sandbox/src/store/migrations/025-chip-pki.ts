import type { Migration } from '../migrate.ts';

/**
 * The sandbox's test PKI (one CSCA → DSC for the whole service: the seed its EC keys are drawn
 * from and the certificates, written once) and the chip files made for seeded identities (a
 * derived cache, rebuilt when missing).
 */
export const chipPki: Migration = {
  id: '025-chip-pki',
  sql: `
CREATE TABLE sandbox_pki (
  id integer PRIMARY KEY CHECK (id = 1),
  signer text NOT NULL,
  seed text NOT NULL,
  csca_der text NOT NULL,
  dsc_der text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE sandbox_chips (
  personal_id text PRIMARY KEY,
  chip_seed integer NOT NULL,
  chip_fault text,
  csca_sha256 text NOT NULL,
  files jsonb NOT NULL,
  can text NOT NULL,
  created_at timestamptz NOT NULL
);
`,
};
