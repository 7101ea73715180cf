import { describe, expect, it } from 'vitest';
import type { IdentityClient } from '../src/index.ts';
import {
  advance,
  identity,
  lastCode,
  registrationInput,
  rejects,
  SEEDED_PASSCODE,
  type TestSandbox,
  withSandbox,
  wrongCode,
} from './support/client.ts';

let sandbox: TestSandbox;
let client: IdentityClient;
withSandbox((up) => ({ sandbox, client } = up));

const device = (id: string) => ({ id, name: `Phone ${id}` });
const PASSWORD = 'Sandbox@2026x';

describe('account: registration and OTP', () => {
  it('registers an app account end to end: registry check, SMS OTP, password; the login binds the first device', async () => {
    const who = await identity(sandbox, 'unregistered', 1);
    const reg = await client.account.register(registrationInput(who));
    expect(reg.otp.maskedPhone).toMatch(/^\d{3}\*+\d{3}$/);
    const verified = await client.account.verifyOtp(reg.otp.challengeId, await lastCode(sandbox, who.phone));
    expect(verified).toMatchObject({ registrationId: reg.registrationId, status: 'otp_verified' });
    const created = await client.account.setRegistrationPassword(reg.registrationId, PASSWORD);
    expect(created.account).toMatchObject({ personalId: who.personalId, level: 0, state: 'app' });
    expect(JSON.stringify(created)).not.toContain(who.personalId);
    expect(String(created)).not.toContain(who.personalId);

    const login = await client.account.login({
      personalId: who.personalId,
      password: PASSWORD,
      device: device('d-reg'),
    });
    expect(login.kind).toBe('session');
    if (login.kind !== 'session') return;
    expect(JSON.stringify(login.session)).not.toContain(login.session.accessToken);
    expect(JSON.stringify(login.session)).not.toContain(who.personalId);
    const current = await client.account.currentSession(login.session);
    expect(current.account.personalId).toBe(who.personalId);
    const devices = await client.account.devices(login.session);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ deviceId: 'd-reg', bound: true, current: true });
    await client.account.logout(login.session);
    await rejects(client.account.currentSession(login.session), 'unauthorized');
  });

  it('typed registration errors: invalid_personal_id, terms_not_accepted, registry_mismatch (fields), already_registered', async () => {
    const who = await identity(sandbox, 'unregistered', 2);
    const bad = await rejects(
      client.account.register({ ...registrationInput(who), personalId: '99909901212' }),
      'invalid_personal_id',
    );
    expect(bad.status).toBe(422);
    expect(bad.requestId).toBeTruthy();
    await rejects(client.account.register(registrationInput(who, false)), 'terms_not_accepted');
    const mismatch = await rejects(
      client.account.register({ ...registrationInput(who), fullName: 'NGUYỄN KHÁC' }),
      'registry_mismatch',
    );
    expect(mismatch.problem?.['fields']).toEqual(['fullName']);
    const active = await identity(sandbox, 'active');
    await rejects(client.account.register(registrationInput(active)), 'already_registered');
  });

  it('OTP errors: otp_invalid with attemptsRemaining down to 0, then otp_attempts_exceeded; resend too soon with retryAfter', async () => {
    const who = await identity(sandbox, 'unregistered', 3);
    const reg = await client.account.register(registrationInput(who));
    const code = await lastCode(sandbox, who.phone);
    const left: number[] = [];
    for (let i = 0; i < reg.otp.attemptsRemaining; i++) {
      const e = await rejects(client.account.verifyOtp(reg.otp.challengeId, wrongCode(code)), 'otp_invalid');
      expect(e.status).toBe(400);
      left.push(e.attemptsRemaining!);
    }
    expect(left.at(-1)).toBe(0);
    expect(left).toEqual([...left].sort((a, b) => b - a));
    await rejects(client.account.verifyOtp(reg.otp.challengeId, code), 'otp_attempts_exceeded');
    const tooSoon = await rejects(client.account.resendOtp(reg.otp.challengeId), 'otp_resend_too_soon');
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.retryAfter).toBeGreaterThan(0);
  });

  it('OTP expiry (clock control), resend, and otp_already_used', async () => {
    const who = await identity(sandbox, 'unregistered', 4);
    const reg = await client.account.register(registrationInput(who));
    const first = await lastCode(sandbox, who.phone);
    await advance(sandbox, 181);
    await rejects(client.account.verifyOtp(reg.otp.challengeId, first), 'otp_expired');
    const again = await client.account.resendOtp(reg.otp.challengeId);
    expect(Date.parse(again.expiresAt)).toBeGreaterThan(Date.parse(reg.otp.expiresAt));
    const second = await lastCode(sandbox, who.phone);
    await client.account.verifyOtp(reg.otp.challengeId, second);
    await rejects(client.account.verifyOtp(reg.otp.challengeId, second), 'otp_already_used');
  });
});

describe('account: login, devices, password, passcode, lock', () => {
  it('invalid_credentials for a wrong password and an unknown ID; account_not_activated for an approved account', async () => {
    const active = await identity(sandbox, 'active', 0);
    const wrong = await rejects(
      client.account.login({ personalId: active.personalId, password: 'Wrong@Pass1', device: device('x') }),
      'invalid_credentials',
    );
    expect(wrong.status).toBe(401);
    expect(wrong.message).not.toContain(active.personalId);
    await rejects(
      client.account.login({ personalId: '001099999990', password: PASSWORD, device: device('x') }),
      'invalid_credentials',
    );
    const approved = await identity(sandbox, 'approved');
    await rejects(
      client.account.login({
        personalId: approved.personalId,
        password: approved.password!,
        device: device('y'),
      }),
      'account_not_activated',
    );
  });

  it('a new device gets the bound-device challenge; completing it supersedes the old session', async () => {
    const who = await identity(sandbox, 'active', 1);
    const first = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: device('old'),
    });
    expect(first.kind).toBe('session');
    const second = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: device('new'),
    });
    expect(second.kind).toBe('challenge');
    if (second.kind !== 'challenge' || first.kind !== 'session') return;
    expect(second.challenge.methods).toContain('bound_device_otp');
    const code = await lastCode(sandbox, who.phone);
    await rejects(
      client.account.completeLoginChallenge(second.challenge.challengeId, { code: wrongCode(code) }),
      'otp_invalid',
    );
    const done = await client.account.completeLoginChallenge(second.challenge.challengeId, { code });
    expect(done.kind).toBe('session');
    await rejects(client.account.currentSession(first.session), 'session_superseded');
    if (done.kind !== 'session') return;
    const devices = await client.account.devices(done.session);
    expect(devices.find((d) => d.deviceId === 'new')).toMatchObject({ bound: true, current: true });
    await client.account.removeDevice(done.session, 'old');
    await rejects(client.account.removeDevice(done.session, 'never-seen'), 'not_found');
  });

  it('passcode: verify, passcode_invalid with attemptsRemaining; change password needs it', async () => {
    const who = await identity(sandbox, 'active', 2);
    const login = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: device('p'),
    });
    if (login.kind !== 'session') throw new Error('expected a session');
    await client.account.verifyPasscode(login.session, SEEDED_PASSCODE);
    const wrong = await rejects(client.account.verifyPasscode(login.session, '135792'), 'passcode_invalid');
    expect(wrong.attemptsRemaining).toBeGreaterThanOrEqual(1);
    await rejects(
      client.account.changePassword(login.session, {
        currentPassword: who.password!,
        newPassword: 'short',
        passcode: SEEDED_PASSCODE,
      }),
      'password_policy_violation',
    );
    await rejects(
      client.account.changePassword(login.session, {
        currentPassword: 'Wrong@Pass1',
        newPassword: 'Another@2027x',
        passcode: SEEDED_PASSCODE,
      }),
      'invalid_credentials',
    );
    await client.account.changePassword(login.session, {
      currentPassword: who.password!,
      newPassword: 'Another@2027x',
      passcode: SEEDED_PASSCODE,
    });
    const again = await client.account.login({
      personalId: who.personalId,
      password: 'Another@2027x',
      device: device('p'),
    });
    expect(again.kind).toBe('session');
  });

  it('forgot password: an OTP, then a new password by SMS', async () => {
    const who = await identity(sandbox, 'active', 3);
    const reset = await client.account.requestPasswordReset({ personalId: who.personalId, phone: who.phone });
    const answer = await client.account.verifyOtp(
      reset.otp.challengeId,
      await lastCode(sandbox, who.phone, 'password_reset'),
    );
    expect(answer).toMatchObject({ status: 'password_sent' });
    // an unknown account gets the same answer
    const unknown = await client.account.requestPasswordReset({
      personalId: '001099999990',
      phone: who.phone,
    });
    expect(Object.keys(unknown)).toEqual(Object.keys(reset));
  });

  it('lock: every token is revoked (account_locked), the login answers invalid_credentials', async () => {
    const who = await identity(sandbox, 'active', 0);
    const login = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: device('l'),
    });
    if (login.kind !== 'session') throw new Error('expected a session');
    const locked = await client.account.lock(login.session, 'lost_device');
    expect(locked).toMatchObject({ state: 'locked', reason: 'lost_device' });
    const e = await rejects(client.account.currentSession(login.session), 'account_locked');
    expect(e.status).toBe(423);
    await rejects(
      client.account.login({ personalId: who.personalId, password: who.password!, device: device('l') }),
      'invalid_credentials',
    );
  });
});
