import { describe, expect, it } from 'vitest';
import { createIdentityClient, type IdentityClient, type LogEvent } from '../src/index.ts';
import {
  advance,
  chipRaw,
  clientFor,
  identities,
  identity,
  lastCode,
  PORTRAIT,
  registerAndLogin,
  registrationInput,
  rejects,
  type TestSandbox,
  withSandbox,
  wrongCode,
} from './support/client.ts';

let sandbox: TestSandbox;
let client: IdentityClient;
withSandbox((up) => ({ sandbox, client } = up));

describe('request layer against the sandbox', () => {
  it('retries a GET and a keyed POST through injected 503s (Retry-After honoured), never a POST without a key', async () => {
    const events: LogEvent[] = [];
    const logged = clientFor(sandbox, {
      logger: (e) => events.push(e),
      retry: { retries: 2, maxRetryAfterMs: 2000 },
    });
    expect(
      (await sandbox.call('POST', '/__sandbox/faults', { pathPrefix: '/v1/policies', status: 503, times: 2 }))
        .status,
    ).toBe(201);
    const policies = await logged.policies();
    expect(policies['otp']).toMatchObject({ length: 6 });
    expect(events.filter((e) => e.message === 'retrying').map((e) => [e.status, e.code])).toEqual([
      [503, 'fault_injected'],
      [503, 'fault_injected'],
    ]);
    await sandbox.call('POST', '/__sandbox/faults', {
      pathPrefix: '/v1/registrations',
      method: 'POST',
      status: 503,
      times: 1,
    });
    const who = await identity(sandbox, 'unregistered', 5);
    const input = registrationInput(who);
    const unkeyed = clientFor(sandbox, {
      idempotencyKeys: 'off',
      retry: { retries: 2, maxRetryAfterMs: 2000 },
    });
    const e = await rejects(unkeyed.account.register(input), 'fault_injected');
    expect(e.status).toBe(503);
    expect(e.retryAfter).toBe(1);
    // By default the POST carries an Idempotency-Key and goes through the injected 503.
    await sandbox.call('POST', '/__sandbox/faults', {
      pathPrefix: '/v1/registrations',
      method: 'POST',
      status: 503,
      times: 1,
    });
    events.length = 0;
    expect((await logged.account.register(input)).otp.challengeId).toBeTruthy();
    expect(events.filter((e) => e.message === 'retrying').map((e) => e.status)).toEqual([503]);
    expect(JSON.stringify(events)).not.toContain(who.personalId);
  });

  it('three 503s exhaust two retries: the error is the last problem', async () => {
    await sandbox.call('POST', '/__sandbox/faults', { pathPrefix: '/v1/policies', status: 503, times: 3 });
    await rejects(client.policies(), 'fault_injected');
    await sandbox.call('DELETE', '/__sandbox/faults');
  });

  it('unsupported_media_type through the raw request layer', async () => {
    const media = await rejects(
      client.transport.request({
        method: 'POST',
        path: '/v1/registrations',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
      'unsupported_media_type',
    );
    expect(media.status).toBe(415);
  });

  it('X-Request-Id: my own id comes back on the error', async () => {
    const e = await rejects(
      client.eid.getActivation('AAAAAAAAAAAAAAAAAAAAAA', { requestId: 'client-req-42' }),
      'not_found',
    );
    expect(e.requestId).toBe('client-req-42');
    expect(e.status).toBe(404);
  });

  it('network_error for a closed port, aborted for an aborted signal', async () => {
    const closed = createIdentityClient({
      issuer: 'http://127.0.0.1:9',
      retry: { retries: 1, baseDelayMs: 1 },
    });
    await rejects(closed.policies(), 'network_error');
    const controller = new AbortController();
    controller.abort();
    await rejects(clientFor(sandbox, { signal: controller.signal }).policies(), 'aborted');
  });

  it('invalid_request names the offending member; payload_too_large for an oversized portrait', async () => {
    const who = await identity(sandbox, 'unregistered', 6);
    const e = await rejects(
      client.account.register({
        personalId: who.personalId,
        phone: '12345',
        fullName: who.fullName,
        sex: who.sex,
        birthDate: who.birthDate,
        address: who.address,
        acceptTerms: true,
      }),
      'invalid_request',
    );
    expect(e.problem?.['pointer']).toBe('/phone');
    const holder = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const token = await registerAndLogin(sandbox, client, holder, 'big');
    const big = await rejects(
      client.eid.apply(token, {
        evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, holder.personalId) },
        portrait: new Uint8Array(800_000),
      }),
      'payload_too_large',
    );
    expect(big.status).toBe(413);
    await client.eid.apply(token, {
      evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, holder.personalId) },
      portrait: PORTRAIT,
    });
  });
});

describe('account error codes provoked through the client', () => {
  it('otp_send_limit after the maximum number of sends, with retryAfter', async () => {
    const who = await identity(sandbox, 'unregistered', 2);
    const reg = await client.account.register(registrationInput(who));
    const policy = (await client.policies())['otp'] as {
      maxSendsPerWindow: number;
      resendCooldownSeconds: number;
    };
    for (let sent = 1; sent < policy.maxSendsPerWindow; sent++) {
      await advance(sandbox, policy.resendCooldownSeconds);
      await client.account.resendOtp(reg.otp.challengeId);
    }
    await advance(sandbox, policy.resendCooldownSeconds);
    const e = await rejects(client.account.resendOtp(reg.otp.challengeId), 'otp_send_limit');
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBeGreaterThan(0);
  });

  it('passcode_locked on the try that uses the last attempt', async () => {
    const who = await identity(sandbox, 'active', 1);
    const login = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: { id: 'pl', name: 'P' },
    });
    if (login.kind !== 'session') throw new Error('expected a session');
    const max = ((await client.policies())['passcode'] as { maxAttempts: number }).maxAttempts;
    for (let i = 1; i < max; i++) {
      const e = await rejects(client.account.verifyPasscode(login.session, '135792'), 'passcode_invalid');
      expect(e.attemptsRemaining).toBe(max - i);
    }
    await rejects(client.account.verifyPasscode(login.session, '135792'), 'passcode_locked');
  });

  it('new device by chip proof: chipFiles from readCard, then the SMS OTP; the wrong chip is evidence_mismatch', async () => {
    const who = await identity(sandbox, 'active', 0, 2);
    const second = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: { id: 'b', name: 'B' },
    });
    if (second.kind !== 'challenge') throw new Error('expected a challenge');
    expect(second.challenge.methods).toContain('chip_proof');
    const other = await identity(sandbox, 'unregistered', 1);
    await rejects(
      client.account.completeLoginChallenge(second.challenge.challengeId, {
        chipFiles: await chipRaw(sandbox, other.personalId),
      }),
      'evidence_mismatch',
    );
    const proved = await client.account.completeLoginChallenge(second.challenge.challengeId, {
      chipFiles: await chipRaw(sandbox, who.personalId),
    });
    if (proved.kind !== 'challenge') throw new Error('expected the SMS step');
    expect(proved.challenge.state).toBe('chip_verified');
    const code = await lastCode(sandbox, who.phone);
    await rejects(
      client.account.completeLoginChallenge(second.challenge.challengeId, { code: wrongCode(code) }),
      'otp_invalid',
    );
    const done = await client.account.completeLoginChallenge(second.challenge.challengeId, { code });
    expect(done.kind).toBe('session');
  });

  it('card_expired at login; session_expired after the session lifetime', async () => {
    const expired = await identity(sandbox, 'card_expired');
    await rejects(
      client.account.login({
        personalId: expired.personalId,
        password: expired.password!,
        device: { id: 'c', name: 'C' },
      }),
      'card_expired',
    );
    const who = await identity(sandbox, 'active', 1, 2);
    const login = await client.account.login({
      personalId: who.personalId,
      password: who.password!,
      device: { id: 's', name: 'S' },
    });
    if (login.kind !== 'session') throw new Error('expected a session');
    const ttl = ((await client.policies())['login'] as { sessionTtlSeconds: number }).sessionTtlSeconds;
    await advance(sandbox, ttl);
    await rejects(client.account.currentSession(login.session), 'session_expired');
  });
});
