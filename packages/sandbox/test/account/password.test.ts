import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestAnswer, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, lastSms, login, newDevice, smsCount } from './support.ts';

const SEEDED_PASSCODE = '246813';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({
    policy: (p) => ({
      ...p,
      login: { ...p.login, maxAttemptsPerWindow: 10_000, maxAttemptsPerAddressPerWindow: 10_000 },
    }),
  });
});
afterAll(() => sandbox?.stop());
beforeEach(async () => {
  expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
});

function shape(res: TestAnswer): unknown {
  const { challengeId: _c, expiresAt: _e, resendAfter: _r, ...otp } = res.body.otp;
  return { status: res.status, keys: Object.keys(res.body.otp).sort(), otp };
}

describe(`password reset and change (${store})`, () => {
  it('resets a forgotten password: OTP, then a new password by SMS that meets the rule; old sessions end', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const device = newDevice();
    const session = await login(sandbox, person.personalId, person.password!, device);
    const res = await sandbox.call('POST', '/v1/password/reset', {
      personalId: person.personalId,
      phone: person.phone,
    });
    expect(res.status).toBe(202);
    const otpSms = await lastSms(sandbox, person.phone, 'password_reset');
    expect(otpSms.body).toContain('cho yêu cầu cấp lại mật khẩu.');
    const verified = await sandbox.call('POST', `/v1/otp/${res.body.otp.challengeId}/verify`, {
      code: otpSms.code,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ status: 'password_sent', maskedPhone: res.body.otp.maskedPhone });
    const sms = await lastSms(sandbox, person.phone, 'password_new');
    const password = sms.code!;
    expect(password).toMatch(/^(?=.*\d)(?=.*[A-Z])(?=.*[a-z])(?=.*[!@#$%^*()])[A-Za-z0-9!@#$%^*()]{8,20}$/);
    expect(sms.body).toContain(password);
    expect(
      (await sandbox.call('GET', '/v1/sessions/current', undefined, bearer(session.body.accessToken))).status,
    ).toBe(401);
    expect((await login(sandbox, person.personalId, person.password!, device)).body.code).toBe(
      'invalid_credentials',
    );
    expect((await login(sandbox, person.personalId, password, device)).status).toBe(201);
  });

  it('answers the same for an unknown ID, a wrong phone and a locked account, and sends nothing', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const locked = await identity(sandbox, 'locked');
    const real = await sandbox.call('POST', '/v1/password/reset', {
      personalId: person.personalId,
      phone: person.phone,
    });
    const sent = await smsCount(sandbox, person.phone);
    const unknown = await sandbox.call('POST', '/v1/password/reset', {
      personalId: '001099012345',
      phone: person.phone,
    });
    const wrongPhone = await sandbox.call('POST', '/v1/password/reset', {
      personalId: person.personalId,
      phone: '0900000001',
    });
    const lockedOne = await sandbox.call('POST', '/v1/password/reset', {
      personalId: locked.personalId,
      phone: locked.phone,
    });
    for (const res of [unknown, wrongPhone, lockedOne]) {
      const s = shape(res) as { keys: string[]; otp: Record<string, unknown> };
      expect(s.keys).toEqual((shape(real) as { keys: string[] }).keys);
      expect(res.status).toBe(202);
      expect(s.otp).toMatchObject({ attemptsRemaining: 5, delivery: 'sms' });
    }
    expect(await smsCount(sandbox, person.phone)).toBe(sent);
    expect(await smsCount(sandbox, '0900000001')).toBe(0);
    expect(await smsCount(sandbox, locked.phone)).toBe(0);
    // A decoy accepts no code and counts attempts like a real one.
    const decoy = await sandbox.call('POST', `/v1/otp/${unknown.body.otp.challengeId}/verify`, {
      code: '000000',
    });
    expect(decoy.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 4 });
  });

  it('changes the password with the current password and the passcode; the other sessions end', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const device = newDevice();
    const a = await login(sandbox, person.personalId, person.password!, device);
    const b = await login(sandbox, person.personalId, person.password!, device);
    const put = (body: Record<string, unknown>) =>
      sandbox.call('PUT', '/v1/password', body, bearer(a.body.accessToken));
    const newPassword = 'Changed@2027';
    const wrongCurrent = await put({
      currentPassword: 'Wrong@12345',
      newPassword,
      passcode: SEEDED_PASSCODE,
    });
    expect(wrongCurrent.body.code).toBe('invalid_credentials');
    const wrongPasscode = await put({ currentPassword: person.password, newPassword, passcode: '975310' });
    expect(wrongPasscode.status).toBe(400);
    expect(wrongPasscode.body).toMatchObject({ code: 'passcode_invalid', attemptsRemaining: 4 });
    const weak = await put({
      currentPassword: person.password,
      newPassword: 'short',
      passcode: SEEDED_PASSCODE,
    });
    expect(weak.body.code).toBe('password_policy_violation');
    const same = await put({
      currentPassword: person.password,
      newPassword: person.password,
      passcode: SEEDED_PASSCODE,
    });
    expect(same.body).toMatchObject({ code: 'password_policy_violation', violations: ['SAME_AS_CURRENT'] });
    const ok = await put({ currentPassword: person.password, newPassword, passcode: SEEDED_PASSCODE });
    expect(ok.status).toBe(204);
    expect(
      (await sandbox.call('GET', '/v1/sessions/current', undefined, bearer(a.body.accessToken))).status,
    ).toBe(200);
    expect(
      (await sandbox.call('GET', '/v1/sessions/current', undefined, bearer(b.body.accessToken))).status,
    ).toBe(401);
    expect((await login(sandbox, person.personalId, person.password!, device)).body.code).toBe(
      'invalid_credentials',
    );
    expect((await login(sandbox, person.personalId, newPassword, device)).status).toBe(201);
    const unauth = await sandbox.call('PUT', '/v1/password', {
      currentPassword: 'x',
      newPassword: 'y',
      passcode: '123456',
    });
    expect(unauth.body.code).toBe('unauthorized');
  });
});
