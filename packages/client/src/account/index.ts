/**
 * @module
 * The `account` namespace: registration of an app account, SMS one-time codes (verify, resend),
 * login with one bound device (and the new-device challenge), devices, password reset and
 * change, the 6-digit passcode, and locking the account.
 */
import type { components } from '../generated/api.ts';
import { call } from '../http/typed.ts';
import type { ClientContext } from '../options.ts';
import { bearerOf, type CallOptions, type SessionLike } from '../session.ts';

type S = components['schemas'];
export type OtpChallenge = S['OtpChallenge'];
export type PasscodeReset = S['PasscodeReset'];

export interface AccountNamespace {
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
  completePasscodeReset(
    session: SessionLike,
    resetId: string,
    passcode: string,
    options?: CallOptions,
  ): Promise<PasscodeReset>;
}

export function createAccountNamespace(ctx: ClientContext): AccountNamespace {
  const t = ctx.transport;
  return {
    async setPasscode(session, input, o = {}) {
      await call(t, 'put', '/v1/passcode', { ...o, bearer: bearerOf(session), body: input });
    },
    async verifyPasscode(session, passcode, o = {}) {
      await call(t, 'post', '/v1/passcode/verify', { ...o, bearer: bearerOf(session), body: { passcode } });
    },
    async startPasscodeReset(session, o = {}) {
      return (await call(t, 'post', '/v1/passcode/reset', { ...o, bearer: bearerOf(session) })).body;
    },
    async completePasscodeReset(session, resetId, passcode, o = {}) {
      return (
        await call(t, 'post', '/v1/passcode/reset/{resetId}', {
          ...o,
          bearer: bearerOf(session),
          params: { resetId },
          body: { passcode },
        })
      ).body;
    },
  };
}
