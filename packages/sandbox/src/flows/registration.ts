/**
 * @module
 * Registration of an app account (IDENTITY-NOTES §2: personal ID + phone + the card's QR
 * fields + the terms → registry check "Đạt" → SMS OTP → password): a `registrations` row moved
 * `otp_sent → otp_verified → completed` under `FOR UPDATE`, living 30 minutes. The account is
 * created by the password step (level 0, state `app`); the unique personal ID of `accounts`
 * makes two racing registrations end in one account and one `already_registered`.
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import { sweepAppAccounts } from './login.ts';
import { createOtpChallenge, type OtpChallengeView, otpMessage, registerOtpPurpose } from './otp.ts';
import { assertPasswordPolicy } from './password.ts';
import { assertPersonalId, type IdentityFields, registryMismatches } from './registry.ts';
import { type AccountSummary, accountSummary } from './sessions.ts';

export const REGISTRATION_TTL_SECONDS = 30 * 60;

export interface RegistrationInput extends IdentityFields {
  phone: string;
  acceptTerms: boolean;
}

export async function startRegistration(
  rc: RequestContext,
  input: RegistrationInput,
): Promise<{ registrationId: string; otp: OtpChallengeView }> {
  assertPersonalId(input.personalId);
  if (input.acceptTerms !== true) throw new ProblemError('terms_not_accepted');
  return rc.db.transaction(async (tx) => {
    await sweepAppAccounts(tx, rc);
    const fields = await registryMismatches(tx, input);
    if (fields.length > 0) throw new ProblemError('registry_mismatch', { extra: { fields } });
    const existing = await tx.query('SELECT 1 FROM accounts WHERE personal_id = $1', [input.personalId]);
    if (existing.rows.length > 0) throw new ProblemError('already_registered');
    const registrationId = randomId();
    const challengeId = randomId();
    const expiresAt = new Date(rc.at.getTime() + REGISTRATION_TTL_SECONDS * 1000);
    await tx.query(
      `INSERT INTO registrations (id, personal_id, phone, full_name, sex, birth_date, address, state, created_at, expires_at,
         challenge_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'otp_sent', $8, $9, $10)`,
      [
        registrationId,
        input.personalId,
        input.phone,
        input.fullName.normalize('NFC').trim(),
        input.sex,
        input.birthDate,
        input.address.normalize('NFC').trim(),
        rc.at,
        expiresAt,
        challengeId,
      ],
    );
    const otp = await createOtpChallenge(tx, rc, {
      id: challengeId,
      notAfter: expiresAt,
      purpose: 'registration',
      phone: input.phone,
      subject: `registration:${input.personalId}`,
      message: otpMessage(rc, 'đăng ký tài khoản'),
      data: { registrationId },
    });
    return { registrationId, otp };
  });
}

// The verified challenge is the registration's "code verified" step (the password step checks
// it), so the verify is one statement; the challenge cannot outlive the registration (notAfter).
registerOtpPurpose(
  'registration',
  async (_q, _rc, challenge) => ({
    status: 200,
    body: { registrationId: challenge.data['registrationId'], status: 'otp_verified', next: 'password' },
  }),
  { transaction: false },
);

interface RegistrationRow {
  id: string;
  personal_id: string;
  phone: string;
  full_name: string;
  sex: 'male' | 'female';
  birth_date: string;
  address: string;
  state: 'otp_sent' | 'otp_verified' | 'completed';
  expires_at: Date;
  /** The state of the registration's one-time code challenge. */
  otp_state: string | null;
}

const REGISTRATION_WITH_OTP = `SELECT r.*, c.state AS otp_state FROM registrations r
  LEFT JOIN otp_challenges c ON c.id = r.challenge_id WHERE r.id = $1`;

function assertUsable(rc: RequestContext, row: RegistrationRow | undefined): asserts row is RegistrationRow {
  if (row === undefined || rc.at.getTime() >= new Date(row.expires_at).getTime())
    throw new ProblemError('not_found', { detail: 'no such registration, or it has expired' });
  if (row.state === 'otp_sent' && row.otp_state !== 'verified')
    throw new ProblemError('conflict', { detail: 'verify the one-time code first' });
  if (row.state === 'completed') throw new ProblemError('already_registered');
}

/** The password step: creates the app account. */
export async function completeRegistration(
  rc: RequestContext,
  registrationId: string,
  password: string,
): Promise<{ account: AccountSummary; deleteAfter: string }> {
  const before = (await rc.db.query<RegistrationRow>(REGISTRATION_WITH_OTP, [registrationId])).rows[0];
  assertUsable(rc, before);
  assertPasswordPolicy(rc.policy, password, { personalId: before.personal_id, phone: before.phone });
  const hash = await rc.secrets.hashPassword(password);
  return rc.db.transaction(async (tx) => {
    const row = (
      await tx.query<RegistrationRow>(`${REGISTRATION_WITH_OTP} FOR UPDATE OF r`, [registrationId])
    ).rows[0];
    assertUsable(rc, row);
    await sweepAppAccounts(tx, rc);
    const account = {
      id: randomId(),
      personal_id: row.personal_id,
      full_name: row.full_name,
      level: 0,
      state: 'app',
      phone: row.phone,
    };
    const inserted = await tx.query(
      `INSERT INTO accounts (id, personal_id, phone, full_name, sex, birth_date, address, level, state, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 'app', $8, $9) ON CONFLICT (personal_id) DO NOTHING`,
      [
        account.id,
        row.personal_id,
        row.phone,
        row.full_name,
        row.sex,
        row.birth_date,
        row.address,
        hash,
        rc.at,
      ],
    );
    if (inserted.rowCount === 0) throw new ProblemError('already_registered');
    await tx.query(`UPDATE registrations SET state = 'completed', account_id = $2 WHERE id = $1`, [
      row.id,
      account.id,
    ]);
    return {
      account: accountSummary(account),
      deleteAfter: new Date(
        rc.at.getTime() + rc.policy.registration.appAccountTtlSeconds * 1000,
      ).toISOString(),
    };
  });
}
