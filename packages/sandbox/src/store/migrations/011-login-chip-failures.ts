/**
 * @module
 * Failed chip proofs per new-device login challenge, so that passive authentication (costly)
 * cannot be tried without end on one challenge.
 */
import type { Migration } from '../migrate.ts';

export const loginChipFailures: Migration = {
  id: '011-login-chip-failures',
  sql: 'ALTER TABLE login_challenges ADD COLUMN chip_failures integer NOT NULL DEFAULT 0;',
};
