/**
 * The passcode methods against the real sandbox: change with the current passcode, forgot
 * passcode (OTP to the registered phone, then a new passcode), and the old passcode refused.
 */
import { describe, expect, it } from 'vitest';
import type { IdentityClient } from '../src/index.ts';
import {
  identity,
  lastCode,
  rejects,
  SEEDED_PASSCODE,
  type TestSandbox,
  withSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
let client: IdentityClient;
withSandbox((up) => ({ sandbox, client } = up));

describe('account: passcode change and reset', () => {
  it('changes the passcode, then resets it by OTP; old passcodes are refused', async () => {
    const who = await identity(sandbox, 'active', 0);
    const login = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: { id: 'passcode-phone', name: 'Passcode phone' },
    });
    if (login.kind !== 'session') throw new Error('expected a session');
    await client.account.setPasscode(login.session, { passcode: '482915', currentPasscode: SEEDED_PASSCODE });
    await client.account.verifyPasscode(login.session, '482915');
    await rejects(client.account.verifyPasscode(login.session, SEEDED_PASSCODE), 'passcode_invalid');

    const reset = await client.account.startPasscodeReset(login.session);
    const code = await lastCode(sandbox, who.phone, 'passcode_reset');
    await client.account.verifyOtp(reset.otp!.challengeId, code);
    await client.account.completePasscodeReset(login.session, reset.resetId, '739164');
    await client.account.verifyPasscode(login.session, '739164');
    const old = await rejects(client.account.verifyPasscode(login.session, '482915'), 'passcode_invalid');
    expect(old.attemptsRemaining).toBeGreaterThanOrEqual(1);
  });
});
