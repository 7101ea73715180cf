/**
 * @module
 * The `account` namespace: registration of an app account, SMS one-time codes (verify, resend),
 * login with one bound device (and the new-device challenge: the bound device's OTP, or a chip
 * proof then an SMS OTP), the session, devices, password reset and change, the 6-digit
 * passcode, and locking the account. Answers that hold the personal ID print it masked.
 */
import { type ChipFilesInput, encodeChipFiles } from '../eid/chip-files.ts';
import type { components } from '../generated/api.ts';
import { call } from '../http/typed.ts';
import { withMaskedForms } from '../mask.ts';
import type { ClientContext } from '../options.ts';
import { authOf, type CallOptions, type SessionLike } from '../session.ts';

type S = components['schemas'];
export type OtpChallenge = S['OtpChallenge'];
export type PasscodeReset = S['PasscodeReset'];
export type Session = S['Session'];
export type SessionInfo = S['SessionInfo'];
export type AccountSummary = S['AccountSummary'];
export type LoginChallenge = S['LoginChallenge'];
export type DeviceView = S['DeviceView'];
export type DeviceInput = S['DeviceInput'];
export type LockReason = S['LockReason'];
export type Sex = S['Sex'];
/** One answer to a security question chosen at activation. */
export interface SecurityAnswer {
  questionId: string;
  answer: string;
}

export interface RegistrationInput {
  personalId: string;
  phone: string;
  fullName: string;
  sex: Sex;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  address: string;
  acceptTerms: boolean;
}

/** A login either ends in a session (bound device) or needs the new-device challenge. */
export type LoginResult =
  | { kind: 'session'; session: Session }
  | { kind: 'challenge'; challenge: LoginChallenge };

export interface AccountNamespace {
  /** Step 1 of registration: registry check, then an SMS OTP. */
  register(
    input: RegistrationInput,
    options?: CallOptions,
  ): Promise<{ registrationId: string; otp: OtpChallenge }>;
  /** Verifies a one-time code; the answer depends on the challenge's purpose (see the API reference). */
  verifyOtp(challengeId: string, code: string, options?: CallOptions): Promise<Record<string, unknown>>;
  /** A new code ("Gửi lại mã"): `otp_resend_too_soon` / `otp_send_limit` carry `retryAfter`. */
  resendOtp(challengeId: string, options?: CallOptions): Promise<OtpChallenge>;
  /** Step 3 of registration: the password; creates the app account. */
  setRegistrationPassword(
    registrationId: string,
    password: string,
    options?: CallOptions,
  ): Promise<{ account: AccountSummary; deleteAfter: string }>;
  login(
    input: { personalId: string; password: string; device: DeviceInput },
    options?: CallOptions,
  ): Promise<LoginResult>;
  /** Completes a new-device login with the current OTP, or with a chip proof (then an SMS OTP follows). */
  completeLoginChallenge(
    challengeId: string,
    proof: { code: string } | { chipFiles: ChipFilesInput },
    options?: CallOptions,
  ): Promise<LoginResult>;
  currentSession(
    session: SessionLike,
    options?: CallOptions,
  ): Promise<{ session: SessionInfo; account: AccountSummary }>;
  logout(session: SessionLike, options?: CallOptions): Promise<void>;
  devices(session: SessionLike, options?: CallOptions): Promise<DeviceView[]>;
  removeDevice(session: SessionLike, deviceId: string, options?: CallOptions): Promise<void>;
  /** Forgot password: the same answer whether or not the account exists. */
  requestPasswordReset(
    input: { personalId: string; phone: string },
    options?: CallOptions,
  ): Promise<{ otp: OtpChallenge }>;
  /** Needs the current password and the passcode; ends the other sessions. */
  changePassword(
    session: SessionLike,
    input: { currentPassword: string; newPassword: string; passcode: string },
    options?: CallOptions,
  ): Promise<void>;
  /** Locks the account; every token is revoked. */
  lock(
    session: SessionLike,
    reason: LockReason,
    options?: CallOptions,
  ): Promise<{ state: 'locked'; reason: LockReason; lockedAt: string }>;
  /** Sets the passcode, or changes it (`currentPasscode` required then). */
  setPasscode(
    session: SessionLike,
    input: { passcode: string; currentPasscode?: string },
    options?: CallOptions,
  ): Promise<void>;
  /** Checks the passcode: `passcode_invalid` (with `attemptsRemaining`) or `passcode_locked` when wrong. */
  verifyPasscode(session: SessionLike, passcode: string, options?: CallOptions): Promise<void>;
  /** Forgot passcode: sends an OTP; verify it with `verifyOtp`, then `completePasscodeReset`. */
  startPasscodeReset(session: SessionLike, options?: CallOptions): Promise<PasscodeReset>;
  /**
   * The new passcode after the reset's OTP. An account that chose security questions at
   * activation must answer both (`securityAnswers`); a wrong pair is `security_answer_invalid`
   * with `attemptsRemaining`, and the last one ends the reset.
   */
  completePasscodeReset(
    session: SessionLike,
    resetId: string,
    passcode: string,
    options?: CallOptions & { securityAnswers?: readonly SecurityAnswer[] },
  ): Promise<PasscodeReset>;
}

function loginResult(status: number, body: unknown): LoginResult {
  if (status === 201) return { kind: 'session', session: withMaskedForms(body as Session, 'Session') };
  return { kind: 'challenge', challenge: (body as { challenge: LoginChallenge }).challenge };
}

export function createAccountNamespace(ctx: ClientContext): AccountNamespace {
  const t = ctx.transport;
  return {
    async register(input, o = {}) {
      return (await call(t, 'post', '/v1/registrations', { ...o, body: input })).body;
    },
    async verifyOtp(challengeId, code, o = {}) {
      const res = await call(t, 'post', '/v1/otp/{challengeId}/verify', {
        ...o,
        params: { challengeId },
        body: { code },
      });
      return withMaskedForms(res.body as Record<string, unknown>, 'OtpResult');
    },
    async resendOtp(challengeId, o = {}) {
      return (await call(t, 'post', '/v1/otp/{challengeId}/resend', { ...o, params: { challengeId } })).body;
    },
    async setRegistrationPassword(registrationId, password, o = {}) {
      const res = await call(t, 'post', '/v1/registrations/{registrationId}/password', {
        ...o,
        params: { registrationId },
        body: { password },
      });
      return withMaskedForms(res.body, 'Registration');
    },
    async login(input, o = {}) {
      const res = await call(t, 'post', '/v1/sessions', { ...o, body: input });
      return loginResult(res.status, res.body);
    },
    async completeLoginChallenge(challengeId, proof, o = {}) {
      const body = 'code' in proof ? { code: proof.code } : { chipFiles: encodeChipFiles(proof.chipFiles) };
      const res = await call(t, 'post', '/v1/sessions/challenges/{challengeId}', {
        ...o,
        params: { challengeId },
        body,
      });
      return loginResult(res.status, res.body);
    },
    async currentSession(session, o = {}) {
      const res = await call(t, 'get', '/v1/sessions/current', { ...o, ...authOf(session) });
      return withMaskedForms(res.body, 'CurrentSession');
    },
    async logout(session, o = {}) {
      await call(t, 'delete', '/v1/sessions/current', { ...o, ...authOf(session) });
    },
    async devices(session, o = {}) {
      return (await call(t, 'get', '/v1/devices', { ...o, ...authOf(session) })).body.devices;
    },
    async removeDevice(session, deviceId, o = {}) {
      await call(t, 'delete', '/v1/devices/{deviceId}', {
        ...o,
        ...authOf(session),
        params: { deviceId },
      });
    },
    async requestPasswordReset(input, o = {}) {
      return (await call(t, 'post', '/v1/password/reset', { ...o, body: input })).body;
    },
    async changePassword(session, input, o = {}) {
      await call(t, 'put', '/v1/password', { ...o, ...authOf(session), body: input });
    },
    async lock(session, reason, o = {}) {
      return (await call(t, 'post', '/v1/account/lock', { ...o, ...authOf(session), body: { reason } })).body;
    },
    async setPasscode(session, input, o = {}) {
      await call(t, 'put', '/v1/passcode', { ...o, ...authOf(session), body: input });
    },
    async verifyPasscode(session, passcode, o = {}) {
      await call(t, 'post', '/v1/passcode/verify', { ...o, ...authOf(session), body: { passcode } });
    },
    async startPasscodeReset(session, o = {}) {
      return (await call(t, 'post', '/v1/passcode/reset', { ...o, ...authOf(session) })).body;
    },
    async completePasscodeReset(session, resetId, passcode, o = {}) {
      const { securityAnswers, ...rest } = o;
      return (
        await call(t, 'post', '/v1/passcode/reset/{resetId}', {
          ...rest,
          ...authOf(session),
          params: { resetId },
          body:
            securityAnswers === undefined
              ? { passcode }
              : { passcode, securityAnswers: [...securityAnswers] },
        })
      ).body;
    },
  };
}
