/**
 * `Idempotency-Key` on POST over real HTTP: a retry with the same key and body is answered from
 * the stored first answer (no second registration, no second SMS, a wrong OTP counted once),
 * another body with the key is `idempotency_key_reused`, partner and session credentials are
 * checked before a replay, and a key is forgotten after 24 hours of the application clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advance,
  bearer,
  identity,
  lastSms,
  login,
  newDevice,
  registrationBody,
  smsCount,
} from '../account/support.ts';
import { signedCall } from '../partner/support.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());
beforeEach(async () => {
  expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
});

const keyed = (key: string, headers: Record<string, string> = {}) => ({ 'idempotency-key': key, ...headers });

describe(`Idempotency-Key (${store})`, () => {
  it('answers a retried registration from the first answer: one registration, one SMS', async () => {
    const who = await identity(sandbox, 'unregistered', 1);
    const body = registrationBody(who);
    const first = await sandbox.call('POST', '/v1/registrations', body, keyed('reg-key-1'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await sandbox.call('POST', '/v1/registrations', body, keyed('reg-key-1'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await smsCount(sandbox, who.phone)).toBe(1);
    const rows = await sandbox.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM registrations WHERE personal_id = $1',
      [who.personalId],
    );
    expect(rows.rows[0]!.n).toBe(1);

    // The same key with another body is refused; without a key the request runs as usual.
    const other = await sandbox.call(
      'POST',
      '/v1/registrations',
      { ...body, address: 'Số 1 Phố Huế' },
      keyed('reg-key-1'),
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const malformed = await sandbox.call('POST', '/v1/registrations', body, keyed('bad key with spaces'));
    expect(malformed.body).toMatchObject({ code: 'invalid_request', pointer: '/headers/idempotency-key' });
  });

  it('counts a wrong code once when its verify is retried, and replays problems too', async () => {
    const who = await identity(sandbox, 'unregistered', 2);
    const started = await sandbox.call('POST', '/v1/registrations', registrationBody(who));
    const sms = await lastSms(sandbox, who.phone, 'registration');
    const wrong = sms.code === '000000' ? '111111' : '000000';
    const path = `/v1/otp/${started.body.otp.challengeId}/verify`;
    const first = await sandbox.call('POST', path, { code: wrong }, keyed('verify-1'));
    expect(first.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 4 });
    const retried = await sandbox.call('POST', path, { code: wrong }, keyed('verify-1'));
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 4 });
    const next = await sandbox.call('POST', path, { code: wrong }, keyed('verify-2'));
    expect(next.body).toMatchObject({ code: 'otp_invalid', attemptsRemaining: 3 });
    expect((await sandbox.call('POST', path, { code: sms.code })).status).toBe(200);
  });

  it('checks partner signatures before a replay, and scopes keys per partner request', async () => {
    const body = {
      claims: ['personal_id'],
      purpose: 'Mở tài khoản',
      callbackUrl: 'https://bank.example/cb',
      ttlSeconds: 120,
    };
    // A retry is signed again (a fresh nonce) with the same key: one share request.
    const k1 = await fetchSigned(body, 'share-key');
    const k2 = await fetchSigned(body, 'share-key');
    expect(k1.status).toBe(201);
    expect(k2.status).toBe(201);
    expect(k2.headers.get('idempotent-replayed')).toBe('true');
    expect(k2.body).toEqual(k1.body);
    const count = await sandbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM share_requests');
    expect(count.rows[0]!.n).toBe(1);
    // A stored answer is not given to a request whose signature fails.
    const forged = await fetchSigned(body, 'share-key', { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('idempotent-replayed')).toBeNull();
  });

  it('checks the session before a replay, and forgets a key after 24 hours', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const res = await login(sandbox, person.personalId, person.password!, newDevice());
    const token = res.body.accessToken as string;
    const lock = () =>
      sandbox.call('POST', '/v1/passcode/verify', { passcode: '000000' }, keyed('pc-1', bearer(token)));
    const first = await lock();
    const again = await lock();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.code).toBe(first.body.code);
    // Another token with the same key is another scope: it runs.
    const other = await sandbox.call(
      'POST',
      '/v1/passcode/verify',
      { passcode: '000000' },
      keyed('pc-1', bearer('vns_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')),
    );
    expect(other.status).toBe(401);
    // After logout the stored answer is not replayed to the ended session.
    expect((await sandbox.call('DELETE', '/v1/sessions/current', undefined, bearer(token))).status).toBe(204);
    const ended = await lock();
    expect(ended.status).toBe(401);
    expect(ended.headers.get('idempotent-replayed')).toBeNull();

    // Expiry: a registration key is forgotten after 24 h (the request runs again).
    const who = await identity(sandbox, 'unregistered', 3);
    const body = registrationBody(who);
    expect((await sandbox.call('POST', '/v1/registrations', body, keyed('reg-exp'))).status).toBe(201);
    await advance(sandbox, 24 * 3600);
    const later = await sandbox.call('POST', '/v1/registrations', body, keyed('reg-exp'));
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });
});

async function fetchSigned(body: unknown, key: string, options: { secret?: string } = {}) {
  const { answer } = await signedCall(sandbox, 'POST', '/v1/share-requests', body, {
    ...options,
    extraHeaders: { 'idempotency-key': key },
  });
  return answer;
}
