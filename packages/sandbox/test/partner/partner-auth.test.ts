import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/index.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { newNonce, sandboxSeconds, send, signedCall } from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

const request = {
  claims: ['personal_id'],
  purpose: 'partner-auth test',
  callbackUrl: 'http://127.0.0.1:9/callback',
};

describe(`partner request signing (${store})`, () => {
  it('accepts a correctly signed request and refuses missing, malformed and unknown-partner headers', async () => {
    const ok = await signedCall(sandbox, 'POST', '/v1/share-requests', request);
    expect(ok.answer.status).toBe(201);

    const none = await sandbox.call('POST', '/v1/share-requests', request);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'partner_auth_failed', reason: 'missing_headers' });

    const short = await signedCall(sandbox, 'POST', '/v1/share-requests', request, { nonce: 'short' });
    expect(short.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'malformed_headers' });

    const unknown = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
      code: 'no-such-bank',
    });
    expect(unknown.answer.status).toBe(401);
    expect(unknown.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'unknown_partner' });
  });

  it('refuses a wrong secret, a signature over another body and one over another path', async () => {
    const secret = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
      secret: 'wrong-secret',
    });
    expect(secret.answer.status).toBe(401);
    expect(secret.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'bad_signature' });
    // The secret never appears in the answer.
    expect(JSON.stringify(secret.answer.body)).not.toContain('demo-bank-sandbox-secret');

    const body = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
      signedBody: JSON.stringify({ ...request, purpose: 'something else' }),
    });
    expect(body.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'bad_signature' });

    const created = await signedCall(sandbox, 'POST', '/v1/share-requests', request);
    const signed = await signedCall(sandbox, 'GET', `/v1/share-requests/${created.answer.body.id}`);
    expect(signed.answer.status).toBe(200);
    const moved = await send(
      sandbox,
      'GET',
      `/v1/share-requests/${created.answer.body.id}?x=1`,
      { ...signed.headers, 'x-nonce': newNonce() },
      '',
    );
    expect(moved.body).toMatchObject({ code: 'partner_auth_failed', reason: 'bad_signature' });
  });

  it('accepts X-Timestamp up to 300 s from the sandbox clock and refuses it beyond, following the clock control', async () => {
    const now = await sandboxSeconds(sandbox);
    const edge = await signedCall(sandbox, 'POST', '/v1/share-requests', request, { timestamp: now + 300 });
    expect(edge.answer.status).toBe(201);
    const late = await signedCall(sandbox, 'POST', '/v1/share-requests', request, { timestamp: now - 301 });
    expect(late.answer.status).toBe(401);
    expect(late.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'stale_timestamp' });
    const early = await signedCall(sandbox, 'POST', '/v1/share-requests', request, { timestamp: now + 400 });
    expect(early.answer.body).toMatchObject({ code: 'partner_auth_failed', reason: 'stale_timestamp' });
    // After moving the clock an hour ahead, a timestamp of real time is stale.
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 3600 });
    try {
      const real = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
        timestamp: Math.floor(Date.now() / 1000),
      });
      expect(real.answer.body.reason).toBe('stale_timestamp');
      expect((await signedCall(sandbox, 'POST', '/v1/share-requests', request)).answer.status).toBe(201);
    } finally {
      await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: -3600 });
    }
  });

  it('refuses a replayed nonce; a nonce of a request with a bad signature is not spent', async () => {
    const first = await signedCall(sandbox, 'POST', '/v1/share-requests', request);
    expect(first.answer.status).toBe(201);
    const replay = await send(sandbox, 'POST', '/v1/share-requests', first.headers, first.body);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('nonce_replayed');
    // Same nonce on another request (new signature): still replayed.
    const reused = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
      nonce: first.headers['x-nonce']!,
    });
    expect(reused.answer.body.code).toBe('nonce_replayed');

    const nonce = newNonce();
    const forged = await signedCall(sandbox, 'POST', '/v1/share-requests', request, {
      nonce,
      secret: 'forged',
    });
    expect(forged.answer.body.reason).toBe('bad_signature');
    const genuine = await signedCall(sandbox, 'POST', '/v1/share-requests', request, { nonce });
    expect(genuine.answer.status).toBe(201);
  });

  it.runIf(store === 'postgres')(
    'refuses a nonce replayed to a second process on the same PostgreSQL',
    async () => {
      const second = await startSandbox({ database: sandbox.database, port: 0 });
      try {
        const first = await signedCall(sandbox, 'POST', '/v1/share-requests', request);
        expect(first.answer.status).toBe(201);
        const replay = await send(second, 'POST', '/v1/share-requests', first.headers, first.body);
        expect(replay.status).toBe(401);
        expect(replay.body.code).toBe('nonce_replayed');
        // And the other way round; both processes see the request the other made.
        const there = await signedCall(
          { ...sandbox, url: second.url },
          'POST',
          '/v1/share-requests',
          request,
        );
        expect(there.answer.status).toBe(201);
        expect((await send(sandbox, 'POST', '/v1/share-requests', there.headers, there.body)).body.code).toBe(
          'nonce_replayed',
        );
        const seen = await signedCall(sandbox, 'GET', `/v1/share-requests/${there.answer.body.id}`);
        expect(seen.answer.body).toMatchObject({ id: there.answer.body.id, status: 'PENDING' });
      } finally {
        await second.stop();
      }
    },
  );
});
