/**
 * @module
 * Passwords: the rule of `policy.password` — VNeID's (IDENTITY-NOTES §2: 8–20 characters with a
 * digit, an upper-case and a lower-case letter and a special character from `!@#$%^*()`,
 * checked with `@vneid/core/credentials`) or NIST SP 800-63B §3.1.1.2 (length only: at least
 * 15 and at most 64 characters, any Unicode, no composition rules, but not a commonly used
 * password, not repetitive or sequential, and not containing the personal ID or phone) —, random
 * passwords that meet the rule, "Quên mật khẩu" (an OTP, then a new password by SMS; the same
 * answer whether or not the account exists) and the password change (current password +
 * passcode, ends the other sessions).
 */
import { randomInt } from 'node:crypto';
import { checkPassword as checkVneidPassword } from '@vneid/core/credentials';
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import type { Policy } from '../policy.ts';
import type { Queryable } from '../store/db.ts';
import { authenticate } from './login.ts';
import { createOtpChallenge, type OtpChallengeView, otpMessage, registerOtpPurpose } from './otp.ts';
import { checkPasscode } from './passcode.ts';
import { revokeSessions, type SessionInfo } from './sessions.ts';
import { maskPhone, sendSms } from './sms.ts';

export interface PasswordContext {
  personalId?: string;
  phone?: string;
}

// A few of the most common passwords long enough for the NIST minimum (a real deployment checks
// a breach corpus; the sandbox only needs the rule to be observable).
const COMMON = new Set([
  'passwordpassword',
  'password1234567',
  'password12345678',
  '123456789012345',
  '1234567890123456',
  'qwertyuiopasdfgh',
  'qwertyuiop123456',
  'iloveyouiloveyou',
  'matkhau123456789',
  'abcdefghijklmnop',
]);

function isSequential(s: string): boolean {
  const codes = [...s].map((c) => c.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (Math.abs(step) > 1) return false;
  return codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step);
}

/** The codes of the rules `password` breaks under `policy.password` (empty: it meets the rule). */
export function passwordViolations(
  policy: Policy,
  password: string,
  context: PasswordContext = {},
): string[] {
  if (policy.password.rule === 'vneid') {
    return checkVneidPassword(password, { specials: policy.password.specialCharacters }).violations.map(
      (v) => v.code,
    );
  }
  const violations: string[] = [];
  const chars = [...password.normalize('NFKC')];
  if (chars.length < policy.password.minLength) violations.push('TOO_SHORT');
  if (chars.length > policy.password.maxLength) violations.push('TOO_LONG');
  const lower = password.normalize('NFKC').toLowerCase();
  if (COMMON.has(lower)) violations.push('COMMON_PASSWORD');
  if (chars.length > 1 && isSequential(lower)) violations.push('REPETITIVE_OR_SEQUENTIAL');
  for (const word of [context.personalId, context.phone]) {
    if (word !== undefined && word.length > 0 && lower.includes(word)) {
      violations.push('CONTEXT_SPECIFIC');
      break;
    }
  }
  return violations;
}

/** Throws `password_policy_violation` with `violations` unless the password meets the rule. */
export function assertPasswordPolicy(policy: Policy, password: string, context: PasswordContext = {}): void {
  const violations = passwordViolations(policy, password, context);
  if (violations.length > 0)
    throw new ProblemError('password_policy_violation', {
      extra: { violations, rule: policy.password.rule },
    });
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';

/** A random password that meets `policy.password` (12 characters for VNeID, 20 for NIST). */
export function generatePassword(policy: Policy): string {
  const pick = (set: string): string => set[randomInt(set.length)] as string;
  for (;;) {
    let chars: string[];
    if (policy.password.rule === 'vneid') {
      const specials = policy.password.specialCharacters;
      const all = UPPER + LOWER + DIGITS + specials;
      chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(specials)];
      while (chars.length < Math.min(12, policy.password.maxLength)) chars.push(pick(all));
    } else {
      chars = [];
      while (chars.length < Math.max(20, policy.password.minLength)) chars.push(pick(UPPER + LOWER + DIGITS));
    }
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
    }
    const password = chars.join('');
    if (passwordViolations(policy, password).length === 0) return password;
  }
}

/**
 * "Quên mật khẩu": an OTP to the account's phone when the personal ID and phone are an
 * account's (not locked); otherwise a decoy challenge that sends nothing. Both answer alike and
 * count against the same send caps.
 */
export async function requestPasswordReset(
  rc: RequestContext,
  input: { personalId: string; phone: string },
): Promise<{ otp: OtpChallengeView }> {
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; phone: string; state: string }>(
      'SELECT id, phone, state FROM accounts WHERE personal_id = $1',
      [input.personalId],
    );
    const account = rows[0];
    const real = account !== undefined && account.phone === input.phone && account.state !== 'locked';
    const otp = await createOtpChallenge(tx, rc, {
      purpose: 'password_reset',
      phone: input.phone,
      accountId: real ? account.id : null,
      subject: `password_reset:${input.personalId}`,
      message: otpMessage(rc, 'cấp lại mật khẩu'),
      decoy: !real,
    });
    return { otp };
  });
}

registerOtpPurpose('password_reset', async (tx, rc, challenge) => {
  const { rows } = await tx.query<{ id: string; phone: string; state: string; personal_id: string }>(
    'SELECT id, phone, state, personal_id FROM accounts WHERE id = $1 FOR UPDATE',
    [challenge.accountId],
  );
  const account = rows[0];
  if (account === undefined || account.state === 'locked') throw new ProblemError('otp_expired');
  const password = generatePassword(rc.policy);
  const hash = await rc.secrets.hashPassword(password);
  await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [account.id, hash]);
  await tx.query('DELETE FROM login_failures WHERE account_id = $1', [account.id]);
  await revokeSessions(tx, account.id, { reason: 'password_changed', at: rc.at });
  await sendSms(
    tx,
    {
      phone: account.phone,
      body: `VNeID: Mật khẩu mới của tài khoản định danh điện tử là ${password} . Vui lòng đăng nhập và đổi mật khẩu. Vì lý do bảo mật, tuyệt đối không được cung cấp mật khẩu này cho bất kỳ ai.`,
      code: password,
      purpose: 'password_new',
    },
    rc.at,
  );
  return { status: 200, body: { status: 'password_sent', maskedPhone: maskPhone(account.phone) } };
});

/**
 * Changes the password of the session's account: the current password (a wrong one counts
 * toward the lockout and answers `invalid_credentials`), the passcode (EID's check), the rule;
 * then every other session ends.
 */
export async function changePassword(
  rc: RequestContext,
  session: SessionInfo,
  input: { currentPassword: string; newPassword: string; passcode: string },
): Promise<void> {
  const account = await authenticate(rc, session.personalId, input.currentPassword);
  if (account === null || account.id !== session.accountId) throw new ProblemError('invalid_credentials');
  assertPasswordPolicy(rc.policy, input.newPassword, {
    personalId: account.personal_id,
    phone: account.phone,
  });
  if (input.newPassword === input.currentPassword)
    throw new ProblemError('password_policy_violation', {
      detail: 'the new password must differ from the current one',
      extra: { violations: ['SAME_AS_CURRENT'], rule: rc.policy.password.rule },
    });
  const hash = await rc.secrets.hashPassword(input.newPassword);
  // Its own transaction, so that a wrong passcode is counted even though it throws.
  await checkPasscode(rc, session.accountId, input.passcode);
  await rc.db.transaction(async (tx: Queryable) => {
    await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [session.accountId]);
    await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [session.accountId, hash]);
    await revokeSessions(tx, session.accountId, {
      exceptSessionId: session.sessionId,
      reason: 'password_changed',
      at: rc.at,
    });
  });
}
