import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestAnswer, type TestSandbox } from '../support/sandbox.ts';
import { bearer, type Identity, identity, lastSms, login, newDevice, setClock } from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  // Throttles out of the way here; limits.test.ts checks them at their boundary.
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

const current = (token: string) => sandbox.call('GET', '/v1/sessions/current', undefined, bearer(token));

/** Logs in on a first device (bound). */
async function boundSession(person: Identity, device = newDevice('Old phone')) {
  const res = await login(sandbox, person.personalId, person.password!, device);
  expect(res.status).toBe(201);
  return { device, token: res.body.accessToken as string, body: res.body };
}

async function challengeOnNewDevice(person: Identity, device = newDevice('New phone')) {
  const res = await login(sandbox, person.personalId, person.password!, device);
  expect(res.status).toBe(202);
  return { device, challenge: res.body.challenge };
}

function withoutRequestId(res: TestAnswer): unknown {
  const { requestId: _ignored, ...rest } = res.body;
  return { status: res.status, body: rest, retryAfter: res.headers.get('retry-after') };
}

describe(`login with one bound device (${store})`, () => {
  it("keeps a session on its device: a token presented with another device id needs that device's challenge", async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const { device, token } = await boundSession(person);
    const on = (deviceId: string) =>
      sandbox.call('GET', '/v1/sessions/current', undefined, { ...bearer(token), 'x-device-id': deviceId });
    expect((await on(device.id)).status).toBe(200);
    const moved = await on(newDevice('Another phone').id);
    expect(moved.status).toBe(403);
    expect(moved.body.code).toBe('new_device_challenge_required');
    // The token itself is not ended by the refusal.
    expect((await current(token)).status).toBe(200);
  });

  it('binds the first device and answers a session on it', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const { device, token, body } = await boundSession(person);
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      session: { deviceId: device.id },
      account: {
        personalId: person.personalId,
        level: 1,
        state: 'active',
        maskedPhone: expect.stringMatching(/^091\*{4}\d{3}$/),
      },
    });
    expect(token).toMatch(/^vns_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - Date.parse(body.session.createdAt)).toBe(12 * 3600_000);
    const again = await login(sandbox, person.personalId, person.password!, device);
    expect(again.status).toBe(201);
    expect(again.body.accessToken).not.toBe(token);
    const me = await current(token);
    expect(me.status).toBe(200);
    expect(me.body.account.personalId).toBe(person.personalId);
    const devices = await sandbox.call('GET', '/v1/devices', undefined, bearer(token));
    expect(devices.body.devices).toEqual([
      expect.objectContaining({
        deviceId: device.id,
        name: 'Old phone',
        bound: true,
        current: true,
        unboundAt: null,
      }),
    ]);
  });

  it('challenges a new device; the OTP sent to the bound device binds it and supersedes every old session', async () => {
    const person = await identity(sandbox, 'active', 0, 2);
    const old = await boundSession(person);
    const second = await login(sandbox, person.personalId, person.password!, old.device);
    const { device, challenge } = await challengeOnNewDevice(person);
    expect(challenge).toMatchObject({ methods: ['bound_device_otp', 'chip_proof'], state: 'pending' });
    expect(challenge.otp).toMatchObject({ delivery: 'bound_device', attemptsRemaining: 5 });
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    expect(sms.body).toContain(
      `VNeID: Mã OTP ${sms.code} có hiệu lực trong 3 phút, sử dụng để xác thực cho yêu cầu kích hoạt lại thiết bị.`,
    );
    // The old device still works until the new one is bound.
    expect((await current(old.token)).status).toBe(200);
    const wrong = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      code: String((Number(sms.code) + 1) % 1_000_000).padStart(6, '0'),
    });
    expect(wrong.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 4 });
    const done = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      code: sms.code,
    });
    expect(done.status).toBe(201);
    expect(done.body.session.deviceId).toBe(device.id);
    for (const token of [old.token, second.body.accessToken]) {
      const res = await current(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('session_superseded');
    }
    expect((await current(done.body.accessToken)).status).toBe(200);
    const list = await sandbox.call('GET', '/v1/devices', undefined, bearer(done.body.accessToken));
    expect(
      list.body.devices.map((d: { deviceId: string; bound: boolean; unbindReason: string | null }) => [
        d.deviceId,
        d.bound,
        d.unbindReason,
      ]),
    ).toEqual([
      [device.id, true, null],
      [old.device.id, false, 'superseded'],
    ]);
    const replay = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      code: sms.code,
    });
    expect(replay.body.code).toBe('otp_already_used');
    // The old device is now the new one.
    expect((await login(sandbox, person.personalId, person.password!, old.device)).status).toBe(202);
  });

  it('completes the new-device challenge through POST /v1/otp/{challengeId}/verify too', async () => {
    const person = await identity(sandbox, 'active', 1, 1);
    await boundSession(person);
    const { challenge } = await challengeOnNewDevice(person);
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    const res = await sandbox.call('POST', `/v1/otp/${challenge.otp.challengeId}/verify`, { code: sms.code });
    expect(res.status).toBe(201);
    expect(res.body.accessToken).toMatch(/^vns_/);
  });

  it('accepts a chip proof of the account holder, then an SMS OTP to the new device', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const old = await boundSession(person);
    const { challenge } = await challengeOnNewDevice(person);
    const boundCode = (await lastSms(sandbox, person.phone, 'login_device')).code;
    const chip = await sandbox.call('GET', `/__sandbox/chips/${person.personalId}`);
    expect(chip.status).toBe(200);
    const proof = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      chipFiles: chip.body.files,
    });
    expect(proof.status).toBe(200);
    expect(proof.body.challenge).toMatchObject({
      challengeId: challenge.challengeId,
      state: 'chip_verified',
      otp: { delivery: 'sms' },
    });
    // The bound device's code no longer works.
    const stale = await sandbox.call('POST', `/v1/otp/${challenge.otp.challengeId}/verify`, {
      code: boundCode,
    });
    expect(stale.body.code).toBe('otp_expired');
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    expect(sms.code).not.toBeUndefined();
    const done = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      code: sms.code,
    });
    expect(done.status).toBe(201);
    expect((await current(old.token)).body.code).toBe('session_superseded');
  });

  it('refuses a chip that fails passive authentication or belongs to someone else', async () => {
    const person = await identity(sandbox, 'active', 1, 2);
    await boundSession(person);
    const { challenge } = await challengeOnNewDevice(person);
    const path = `/v1/sessions/challenges/${challenge.challengeId}`;
    const bad = (await identity(sandbox, 'unregistered', 0)).personalId;
    const all = await sandbox.call('GET', '/__sandbox/identities');
    const badChip = all.body.identities.find((i: Identity) => i.chipFault === 'bad_signature');
    const badFiles = (await sandbox.call('GET', `/__sandbox/chips/${badChip.personalId}`)).body.files;
    const failed = await sandbox.call('POST', path, { chipFiles: badFiles });
    expect(failed.status).toBe(422);
    expect(failed.body.code).toBe('chip_verification_failed');
    expect(failed.body.checks.sodSignature).toBe('failed');
    const own = (await sandbox.call('GET', `/__sandbox/chips/${person.personalId}`)).body.files;
    const tampered = {
      ...own,
      dg1: Buffer.from(Buffer.from(own.dg1, 'base64').map((b, i) => (i === 10 ? b ^ 1 : b))).toString(
        'base64',
      ),
    };
    const tamperedAnswer = await sandbox.call('POST', path, { chipFiles: tampered });
    expect(tamperedAnswer.body.code).toBe('chip_verification_failed');
    const otherFiles = (await sandbox.call('GET', `/__sandbox/chips/${bad}`)).body.files;
    const mismatch = await sandbox.call('POST', path, { chipFiles: otherFiles });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('evidence_mismatch');
    const garbage = await sandbox.call('POST', path, { chipFiles: { sod: 'AAAA', dg1: 'AAAA' } });
    expect(garbage.body.code).toBe('chip_verification_failed');
    const neither = await sandbox.call('POST', path, {});
    expect(neither.body.code).toBe('invalid_request');
    // The bound device's code still works after the failed proofs.
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    expect((await sandbox.call('POST', path, { code: sms.code })).status).toBe(201);
  });

  it('refuses a 6th chip proof after five failed ones on one challenge, even a valid one', async () => {
    const person = await identity(sandbox, 'active', 0, 2);
    await boundSession(person);
    const { challenge } = await challengeOnNewDevice(person);
    const path = `/v1/sessions/challenges/${challenge.challengeId}`;
    const other = (await identity(sandbox, 'active', 1, 2)).personalId;
    const otherFiles = (await sandbox.call('GET', `/__sandbox/chips/${other}`)).body.files;
    for (let i = 1; i <= 5; i++) {
      const res = await sandbox.call('POST', path, { chipFiles: otherFiles });
      expect(res.body.code).toBe('evidence_mismatch');
    }
    const own = (await sandbox.call('GET', `/__sandbox/chips/${person.personalId}`)).body.files;
    const sixth = await sandbox.call('POST', path, { chipFiles: own });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    expect((await sandbox.call('POST', path, { code: sms.code })).status).toBe(201);
  });

  it('expires a new-device challenge after 10 minutes', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    await boundSession(person);
    const { challenge } = await challengeOnNewDevice(person);
    await setClock(sandbox, challenge.expiresAt);
    const chip = (await sandbox.call('GET', `/__sandbox/chips/${person.personalId}`)).body.files;
    const res = await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, {
      chipFiles: chip,
    });
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('otp_expired');
    expect(
      (await sandbox.call('POST', '/v1/sessions/challenges/AAAAAAAAAAAAAAAAAAAAAA', { code: '123456' }))
        .status,
    ).toBe(404);
  });

  it('answers invalid_credentials alike for an unknown ID, a wrong password and a locked account', async () => {
    const active = await identity(sandbox, 'active', 0, 1);
    const locked = await identity(sandbox, 'locked');
    const unknown = await login(sandbox, '001099012345', active.password!, newDevice());
    const wrong = await login(sandbox, active.personalId, 'Wrong@12345', newDevice());
    const lockedRight = await login(sandbox, locked.personalId, locked.password!, newDevice());
    const malformed = await login(sandbox, 'not-an-id', 'x', newDevice());
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_credentials');
    for (const res of [wrong, lockedRight, malformed])
      expect(withoutRequestId(res)).toEqual(withoutRequestId(unknown));
  });

  it('tells an approved account to activate and a card_expired one that the card expired, only with the right password', async () => {
    const approved = await identity(sandbox, 'approved', 0, 1);
    const res = await login(sandbox, approved.personalId, approved.password!, newDevice());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('account_not_activated');
    expect((await login(sandbox, approved.personalId, 'Wrong@12345', newDevice())).body.code).toBe(
      'invalid_credentials',
    );
    const noPassword = await identity(sandbox, 'approved', 0, 2);
    expect(noPassword.password).toBeNull();
    expect((await login(sandbox, noPassword.personalId, 'Anything@1', newDevice())).body.code).toBe(
      'invalid_credentials',
    );
    const expired = await identity(sandbox, 'card_expired');
    const card = await login(sandbox, expired.personalId, expired.password!, newDevice());
    expect(card.status).toBe(403);
    expect(card.body.code).toBe('card_expired');
  });

  it('logs out: the token stops working; no, garbage and unknown tokens are unauthorized', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const { token } = await boundSession(person);
    expect((await sandbox.call('DELETE', '/v1/sessions/current', undefined, bearer(token))).status).toBe(204);
    const after = await current(token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
    expect((await sandbox.call('DELETE', '/v1/sessions/current', undefined, bearer(token))).body.code).toBe(
      'unauthorized',
    );
    expect((await sandbox.call('GET', '/v1/devices')).body.code).toBe('unauthorized');
    expect((await current('vns_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).body.code).toBe('unauthorized');
    expect(
      (await sandbox.call('GET', '/v1/devices', undefined, { authorization: 'Basic abc' })).body.code,
    ).toBe('unauthorized');
  });

  it('ends a session at its expiry (expiresAt − 1 s works, expiresAt is session_expired)', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const { token, body } = await boundSession(person);
    await setClock(sandbox, body.expiresAt, -1000);
    expect((await current(token)).status).toBe(200);
    await setClock(sandbox, body.expiresAt);
    const res = await current(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('session_expired');
  });

  it('removes devices: the bound one ends its sessions and the next device is bound at once', async () => {
    const person = await identity(sandbox, 'active', 1, 1);
    const old = await boundSession(person);
    const { challenge, device } = await challengeOnNewDevice(person);
    const sms = await lastSms(sandbox, person.phone, 'login_device');
    const token = (
      await sandbox.call('POST', `/v1/sessions/challenges/${challenge.challengeId}`, { code: sms.code })
    ).body.accessToken;
    // An earlier device leaves the list.
    expect(
      (await sandbox.call('DELETE', `/v1/devices/${old.device.id}`, undefined, bearer(token))).status,
    ).toBe(204);
    const list = await sandbox.call('GET', '/v1/devices', undefined, bearer(token));
    expect(list.body.devices.map((d: { deviceId: string }) => d.deviceId)).toEqual([device.id]);
    const missing = await sandbox.call('DELETE', '/v1/devices/no-such-device', undefined, bearer(token));
    expect(missing.status).toBe(404);
    // The bound device: unbound, its session ends.
    expect((await sandbox.call('DELETE', `/v1/devices/${device.id}`, undefined, bearer(token))).status).toBe(
      204,
    );
    expect((await current(token)).body.code).toBe('unauthorized');
    const third = newDevice('Third phone');
    expect((await login(sandbox, person.personalId, person.password!, third)).status).toBe(201);
  });

  it('locks the account with a reason: every token is revoked, logins fail, the controls unlock it', async () => {
    const person = await identity(sandbox, 'active', 1, 2);
    const first = await boundSession(person);
    const second = await login(sandbox, person.personalId, person.password!, first.device);
    const bad = await sandbox.call('POST', '/v1/account/lock', { reason: 'stolen' }, bearer(first.token));
    expect(bad.body).toMatchObject({ code: 'invalid_request', pointer: '/reason' });
    const res = await sandbox.call('POST', '/v1/account/lock', { reason: 'lost_card' }, bearer(first.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'locked', reason: 'lost_card' });
    for (const token of [first.token, second.body.accessToken]) {
      const r = await current(token);
      expect(r.status).toBe(423);
      expect(r.body.code).toBe('account_locked');
    }
    const denied = await login(sandbox, person.personalId, person.password!, first.device);
    expect(denied.status).toBe(401);
    expect(denied.body.code).toBe('invalid_credentials');
    const unlocked = await sandbox.call('POST', `/__sandbox/accounts/${person.personalId}/unlock`);
    expect(unlocked.body).toEqual({ personalId: person.personalId, state: 'active', level: 2 });
    expect((await login(sandbox, person.personalId, person.password!, first.device)).status).toBe(201);
    expect((await sandbox.call('POST', '/__sandbox/accounts/001099012345/unlock')).status).toBe(404);
  });

  it('unlocks the seeded locked account through the controls', async () => {
    const locked = await identity(sandbox, 'locked');
    expect((await sandbox.call('POST', `/__sandbox/accounts/${locked.personalId}/unlock`)).body.state).toBe(
      'active',
    );
    expect((await login(sandbox, locked.personalId, locked.password!, newDevice())).status).toBe(201);
  });
});
