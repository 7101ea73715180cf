import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import {
  advance,
  type Identity,
  identity,
  lastSms,
  registrationBody,
  setClock,
  smsCount,
} from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());
beforeEach(async () => {
  expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
});

async function start(person: Identity, phone = person.phone) {
  const res = await sandbox.call('POST', '/v1/registrations', registrationBody(person, phone));
  expect(res.status).toBe(201);
  const sms = await lastSms(sandbox, phone, 'registration');
  return { challengeId: res.body.otp.challengeId as string, otp: res.body.otp, code: sms.code as string };
}

const verify = (challengeId: string, code: string) =>
  sandbox.call('POST', `/v1/otp/${challengeId}/verify`, { code });
const resend = (challengeId: string) => sandbox.call('POST', `/v1/otp/${challengeId}/resend`);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe(`one-time codes (${store})`, () => {
  it('accepts the right code on the 5th try after four wrong ones', async () => {
    const { challengeId, code } = await start(await identity(sandbox, 'unregistered'));
    for (let i = 1; i <= 4; i++) {
      const res = await verify(challengeId, wrong(code));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 5 - i });
    }
    const ok = await verify(challengeId, code);
    expect(ok.status).toBe(200);
    expect((await verify(challengeId, code)).body.code).toBe('otp_already_used');
  });

  it('exhausts the challenge at the 5th wrong code: the 6th try fails even with the right code', async () => {
    const { challengeId, code } = await start(await identity(sandbox, 'unregistered'));
    for (let i = 1; i <= 4; i++) await verify(challengeId, wrong(code));
    const fifth = await verify(challengeId, wrong(code));
    expect(fifth.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 0 });
    const sixth = await verify(challengeId, code);
    expect(sixth.status).toBe(403);
    expect(sixth.body).toMatchObject({ code: 'otp_attempts_exceeded', attemptsRemaining: 0 });
    // A resend gives a new code with fresh attempts.
    await advance(sandbox, 60);
    const again = await resend(challengeId);
    expect(again.status).toBe(200);
    expect(again.body.attemptsRemaining).toBe(5);
    const sms = await lastSms(sandbox, (await identity(sandbox, 'unregistered')).phone, 'registration');
    expect((await verify(challengeId, sms.code!)).status).toBe(200);
  });

  it('accepts a code 1 s before expiresAt (179 s) and refuses it at expiresAt (180 s)', async () => {
    const first = await start(await identity(sandbox, 'unregistered'));
    expect(Date.parse(first.otp.expiresAt) - Date.parse(first.otp.resendAfter)).toBe(120_000);
    await setClock(sandbox, first.otp.expiresAt, -1000);
    expect((await verify(first.challengeId, first.code)).status).toBe(200);

    const second = await start(await identity(sandbox, 'unregistered', 1));
    await setClock(sandbox, second.otp.expiresAt);
    const expired = await verify(second.challengeId, second.code);
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('otp_expired');
    // An expired code does not count as an attempt, and a resend revives the challenge.
    const revived = await resend(second.challengeId);
    expect(revived.status).toBe(200);
    expect(Date.parse(revived.body.expiresAt)).toBeGreaterThan(Date.parse(second.otp.expiresAt));
    expect((await verify(second.challengeId, second.code)).body).toMatchObject({
      code: 'otp_invalid',
      attemptsRemaining: 4,
    });
  });

  it('answers an armed fault before checking the code (even a malformed one) and leaves the code usable', async () => {
    const { challengeId, code } = await start(await identity(sandbox, 'unregistered'));
    const armed = await sandbox.call('POST', '/__sandbox/faults', {
      pathPrefix: '/v1/otp/',
      method: 'POST',
      status: 503,
      times: 2,
    });
    expect(armed.status).toBe(201);
    const faulted = await verify(challengeId, code);
    expect(faulted.status).toBe(503);
    expect(faulted.body.code).toBe('fault_injected');
    const malformed = await sandbox.call('POST', `/v1/otp/${challengeId}/verify`, { code: 12 });
    expect(malformed.body.code).toBe('fault_injected');
    // The faults are spent: the same code is still pending and is accepted once.
    expect((await verify(challengeId, code)).status).toBe(200);
    expect((await verify(challengeId, code)).body.code).toBe('otp_already_used');
  });

  it('holds a resend until the cooldown has passed (resendAfter − 1 s refused, resendAfter accepted)', async () => {
    const person = await identity(sandbox, 'unregistered');
    const { challengeId, otp, code } = await start(person);
    const now = await resend(challengeId);
    expect(now.status).toBe(429);
    expect(now.body.code).toBe('otp_resend_too_soon');
    expect(Number(now.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    await setClock(sandbox, otp.resendAfter, -1000);
    const early = await resend(challengeId);
    expect(early.body).toMatchObject({ code: 'otp_resend_too_soon', retryAfter: 1 });
    await setClock(sandbox, otp.resendAfter);
    const ok = await resend(challengeId);
    expect(ok.status).toBe(200);
    const sms = await lastSms(sandbox, person.phone, 'registration');
    expect(sms.code).not.toBeUndefined();
    // The old code stops working (unless the new one happens to be equal).
    if (sms.code !== code) expect((await verify(challengeId, code)).body.code).toBe('otp_invalid');
    expect((await verify(challengeId, sms.code!)).status).toBe(200);
  });

  it('caps sends per registration subject: the 5th send goes out, the 6th is otp_send_limit', async () => {
    const person = await identity(sandbox, 'unregistered');
    const { challengeId } = await start(person); // send 1
    for (let n = 2; n <= 5; n++) {
      await advance(sandbox, 60);
      expect((await resend(challengeId)).status).toBe(200);
    }
    expect(await smsCount(sandbox, person.phone)).toBe(5);
    await advance(sandbox, 60);
    const sixth = await resend(challengeId);
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('otp_send_limit');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // A new registration of the same person counts against the same cap.
    const again = await sandbox.call('POST', '/v1/registrations', registrationBody(person));
    expect(again.body.code).toBe('otp_send_limit');
    expect(await smsCount(sandbox, person.phone)).toBe(5);
    // After the window the cap is lifted.
    await advance(sandbox, 3600);
    expect((await resend(challengeId)).status).toBe(200);
  });

  it('caps sends per phone across people: 5 registrations to one phone, the 6th is otp_send_limit', async () => {
    const phone = '0987654321';
    for (let n = 0; n < 5; n++) await start(await identity(sandbox, 'unregistered', n), phone);
    const sixth = await sandbox.call(
      'POST',
      '/v1/registrations',
      registrationBody(await identity(sandbox, 'unregistered', 5), phone),
    );
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('otp_send_limit');
    expect(await smsCount(sandbox, phone)).toBe(5);
    // The refused registration left nothing behind: the same person with their own phone works.
    const other = await identity(sandbox, 'unregistered', 5);
    expect((await sandbox.call('POST', '/v1/registrations', registrationBody(other))).status).toBe(201);
  });

  it('accepts exactly one of two concurrent verifies of one code', async () => {
    const { challengeId, code } = await start(await identity(sandbox, 'unregistered'));
    const answers = await Promise.all([
      verify(challengeId, code),
      verify(challengeId, code),
      verify(challengeId, code),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'otp_already_used')).toBe(
      true,
    );
  });

  it('counts concurrent wrong codes exactly: five at once exhaust the challenge', async () => {
    const { challengeId, code } = await start(await identity(sandbox, 'unregistered'));
    const answers = await Promise.all(Array.from({ length: 5 }, () => verify(challengeId, wrong(code))));
    expect(answers.map((a) => a.body.attemptsRemaining).sort()).toEqual([0, 1, 2, 3, 4]);
    expect((await verify(challengeId, code)).body.code).toBe('otp_attempts_exceeded');
  });

  it('answers not_found for an unknown challenge and invalid_request for a malformed code', async () => {
    expect((await verify('AAAAAAAAAAAAAAAAAAAAAA', '123456')).body.code).toBe('not_found');
    expect((await resend('AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const { challengeId } = await start(await identity(sandbox, 'unregistered'));
    const bad = await verify(challengeId, '12a456');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_request', pointer: '/code' });
    const missing = await sandbox.call('POST', `/v1/otp/${challengeId}/verify`, {});
    expect(missing.body.code).toBe('invalid_request');
    const path = await sandbox.call('POST', '/v1/otp/../verify', { code: '123456' });
    expect(path.status).toBeLessThan(500);
  });
});
