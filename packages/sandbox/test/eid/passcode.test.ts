/**
 * The passcode over real HTTP: verify with the attempt counter at its boundary (4th wrong try
 * leaves 1, the 5th locks, a 6th right one is still locked), concurrent wrong tries each
 * counted, change (needs the current passcode, policy checked), forgot passcode (OTP to the
 * registered phone, then a new passcode that clears the lock), and who may use them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED_PASSCODE } from '../../src/flows/passcode.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, lastSms, login } from './helpers.ts';

let sandbox: TestSandbox;
let token: string;
const who = identity(17); // active, level 1, seeded passcode

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());
beforeEach(async () => {
  await sandbox.call('POST', '/__sandbox/reset');
  token = await login(sandbox, who, 'passcode-device');
});

const verify = (passcode: string, t = token) =>
  sandbox.call('POST', '/v1/passcode/verify', { passcode }, bearer(t));

describe(`passcode (${store})`, () => {
  it('verifies, counts wrong tries to the boundary and locks on the 5th', async () => {
    expect((await verify(SEEDED_PASSCODE)).body).toEqual({ verified: true });
    // A right passcode clears the counter.
    expect((await verify('000001')).body).toMatchObject({ code: 'passcode_invalid', attemptsRemaining: 4 });
    expect((await verify(SEEDED_PASSCODE)).status).toBe(200);
    for (const remaining of [4, 3, 2, 1]) {
      const wrong = await verify('975310');
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ code: 'passcode_invalid', attemptsRemaining: remaining });
    }
    const fifth = await verify('975310');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('passcode_locked');
    const sixth = await verify(SEEDED_PASSCODE);
    expect(sixth.status).toBe(423);
    expect(sixth.body.code).toBe('passcode_locked');
  });

  it('counts every one of concurrent wrong tries', async () => {
    const results = await Promise.all(Array.from({ length: 7 }, () => verify('975310')));
    const codes = results.map((r) => r.body.code as string);
    expect(codes.filter((c) => c === 'passcode_invalid')).toHaveLength(4);
    expect(codes.filter((c) => c === 'passcode_locked')).toHaveLength(3);
    const remaining = results
      .filter((r) => r.body.code === 'passcode_invalid')
      .map((r) => r.body.attemptsRemaining);
    expect(remaining.sort()).toEqual([1, 2, 3, 4]);
  });

  it.runIf(store === 'postgres')('counts wrong tries sent to two processes on one PostgreSQL', async () => {
    const second = await startTestSandbox({ database: sandbox.database });
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? sandbox : second).call(
            'POST',
            '/v1/passcode/verify',
            { passcode: '975310' },
            bearer(token),
          ),
        ),
      );
      const codes = results.map((r) => r.body.code as string);
      expect(codes.filter((c) => c === 'passcode_invalid')).toHaveLength(4);
      expect(codes.filter((c) => c === 'passcode_locked')).toHaveLength(4);
    } finally {
      await second.stop();
    }
  });

  it('changes the passcode with the current one, under the policy', async () => {
    const missing = await sandbox.call('PUT', '/v1/passcode', { passcode: '583920' }, bearer(token));
    expect(missing.body).toMatchObject({ code: 'invalid_request', pointer: '/currentPasscode' });
    const wrong = await sandbox.call(
      'PUT',
      '/v1/passcode',
      { passcode: '583920', currentPasscode: '975310' },
      bearer(token),
    );
    expect(wrong.body).toMatchObject({ code: 'passcode_invalid', attemptsRemaining: 4 });
    const trivial = await sandbox.call(
      'PUT',
      '/v1/passcode',
      { passcode: '987654', currentPasscode: SEEDED_PASSCODE },
      bearer(token),
    );
    expect(trivial.status).toBe(422);
    expect(trivial.body).toMatchObject({ code: 'passcode_policy_violation', rule: 'sequence' });
    const [yy, mm, dd] = [who.birthDate.slice(2, 4), who.birthDate.slice(5, 7), who.birthDate.slice(8, 10)];
    const birthday = await sandbox.call(
      'PUT',
      '/v1/passcode',
      { passcode: dd + mm + yy, currentPasscode: SEEDED_PASSCODE },
      bearer(token),
    );
    expect(birthday.body).toMatchObject({ code: 'passcode_policy_violation' });
    const changed = await sandbox.call(
      'PUT',
      '/v1/passcode',
      { passcode: '583920', currentPasscode: SEEDED_PASSCODE },
      bearer(token),
    );
    expect(changed.status).toBe(204);
    expect((await verify('583920')).status).toBe(200);
    expect((await verify(SEEDED_PASSCODE)).body.code).toBe('passcode_invalid');
    // Stored as HMAC, never the digits.
    const stored = await sandbox.db.query<{ passcode_mac: string }>(
      'SELECT c.passcode_mac FROM passcodes c JOIN accounts a ON a.id = c.account_id WHERE a.personal_id = $1',
      [who.personalId],
    );
    expect(stored.rows[0]!.passcode_mac).not.toContain('583920');
  });

  it('resets a forgotten (and locked) passcode with an OTP to the registered phone', async () => {
    for (let i = 0; i < 5; i++) await verify('975310');
    expect((await verify(SEEDED_PASSCODE)).body.code).toBe('passcode_locked');

    const started = await sandbox.call('POST', '/v1/passcode/reset', undefined, bearer(token));
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'otp_sent', otp: { challengeId: expect.any(String) } });
    const resetId = started.body.resetId as string;
    const sms = await lastSms(sandbox, who.phone, 'passcode_reset');
    expect(sms.body).toContain(`VNeID: Mã OTP ${sms.code} có hiệu lực trong 3 phút`);

    const early = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${resetId}`,
      { passcode: '583920' },
      bearer(token),
    );
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'conflict', state: 'otp_sent' });

    const verified = await sandbox.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, {
      code: sms.code,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.passcodeReset).toMatchObject({ resetId, state: 'otp_verified' });

    const trivial = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${resetId}`,
      { passcode: '555555' },
      bearer(token),
    );
    expect(trivial.body).toMatchObject({ code: 'passcode_policy_violation', rule: 'same_digit' });
    const done = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${resetId}`,
      { passcode: '583920' },
      bearer(token),
    );
    expect(done.status).toBe(200);
    expect(done.body.state).toBe('completed');
    expect((await verify('583920')).status).toBe(200);
    const twice = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${resetId}`,
      { passcode: '583921' },
      bearer(token),
    );
    expect(twice.body.code).toBe('conflict');
  });

  it("keeps another account's reset out of reach, and ends an unfinished reset after 15 minutes", async () => {
    const started = await sandbox.call('POST', '/v1/passcode/reset', undefined, bearer(token));
    const sms = await lastSms(sandbox, who.phone, 'passcode_reset');
    await sandbox.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, { code: sms.code });
    const other = await login(sandbox, identity(11), 'other-device');
    const foreign = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${started.body.resetId}`,
      { passcode: '583920' },
      bearer(other),
    );
    expect(foreign.status).toBe(404);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 15 * 60 });
    const late = await sandbox.call(
      'POST',
      `/v1/passcode/reset/${started.body.resetId}`,
      { passcode: '583920' },
      bearer(await login(sandbox, who, 'passcode-device')),
    );
    expect(late.body).toMatchObject({
      code: 'conflict',
      detail: 'the passcode reset has expired; start again',
    });
  });

  it('needs a session of an activated account', async () => {
    expect((await sandbox.call('POST', '/v1/passcode/verify', { passcode: SEEDED_PASSCODE })).body.code).toBe(
      'unauthorized',
    );
    expect((await sandbox.call('PUT', '/v1/passcode', { passcode: '583920' })).status).toBe(401);
    const app = await login(sandbox, identity(16), 'app-device');
    const appSet = await sandbox.call('PUT', '/v1/passcode', { passcode: '583920' }, bearer(app));
    expect(appSet.status).toBe(403);
    expect(appSet.body.code).toBe('account_not_activated');
    expect((await sandbox.call('POST', '/v1/passcode/reset', undefined, bearer(app))).body.code).toBe(
      'account_not_activated',
    );
    // An active account without a passcode sets its first one without currentPasscode.
    await sandbox.db.query(
      'DELETE FROM passcodes WHERE account_id = (SELECT id FROM accounts WHERE personal_id = $1)',
      [who.personalId],
    );
    expect((await verify(SEEDED_PASSCODE)).body.code).toBe('conflict');
    expect((await sandbox.call('PUT', '/v1/passcode', { passcode: '583920' }, bearer(token))).status).toBe(
      204,
    );
    expect((await verify('583920')).status).toBe(200);
  });
});
