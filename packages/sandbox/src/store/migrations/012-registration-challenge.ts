/**
 * @module
 * A registration names its one-time code challenge (whose `verified` state is the registration's
 * "code verified" step, so that verifying it is one statement), and a challenge may carry a
 * `not_after` bound that resends cannot move its expiry past (the registration's own expiry).
 */
import type { Migration } from '../migrate.ts';

export const registrationChallenge: Migration = {
  id: '012-registration-challenge',
  sql: `ALTER TABLE registrations ADD COLUMN challenge_id text;
ALTER TABLE otp_challenges ADD COLUMN not_after timestamptz;`,
};
