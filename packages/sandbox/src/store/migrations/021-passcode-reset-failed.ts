/**
 * @module
 * A passcode reset ends `failed` after too many wrong security answers.
 */
import type { Migration } from '../migrate.ts';

export const passcodeResetFailed: Migration = {
  id: '021-passcode-reset-failed',
  sql: `ALTER TABLE passcode_resets DROP CONSTRAINT passcode_resets_state_check;
ALTER TABLE passcode_resets ADD CONSTRAINT passcode_resets_state_check
  CHECK (state IN ('otp_sent', 'otp_verified', 'completed', 'superseded', 'failed'));`,
};
