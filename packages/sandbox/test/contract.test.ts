import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApi, operationsOf } from '../src/contract/openapi.ts';
import { startTestSandbox, store, type TestSandbox } from './support/sandbox.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

describe(`contract (${store})`, () => {
  it('answers /health with the store and /openapi.json with the document', async () => {
    const health = await sandbox.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', store, profile: 'fapi2' });
    const doc = await sandbox.call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.servers).toEqual([{ url: sandbox.url }]);
  });

  it('answers an unknown path with problem+json not_found and a request id', async () => {
    const res = await sandbox.call('GET', '/v1/nothing-here', undefined, { 'x-request-id': 'req-123' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'not_found', status: 404, requestId: 'req-123' });
  });

  it('validates bodies against the document: wrong type, unknown member, bad JSON, wrong media type, oversized', async () => {
    const wrong = await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 'ten' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      code: 'invalid_request',
      pointer: '/advanceSeconds',
      keyword: 'type',
    });
    const extra = await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 1, hack: true });
    expect(extra.body).toMatchObject({ code: 'invalid_request', pointer: '/hack' });
    const bad = await sandbox.call('POST', '/__sandbox/clock', '{"advanceSeconds":');
    expect(bad.body).toMatchObject({ code: 'invalid_request', status: 400 });
    const media = await sandbox.call('POST', '/__sandbox/clock', 'advanceSeconds=1', {
      'content-type': 'text/plain',
    });
    expect(media.status).toBe(415);
    expect(media.body.code).toBe('unsupported_media_type');
    const big = await sandbox.call('POST', '/__sandbox/clock', JSON.stringify({ set: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const missing = await sandbox.call('POST', '/__sandbox/clock');
    expect(missing.body).toMatchObject({ code: 'invalid_request', detail: 'a body is required' });
  });

  it('moves the application clock and resets it', async () => {
    const before = await sandbox.call('GET', '/__sandbox/clock');
    const moved = await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 3600 });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - Date.parse(before.body.now)).toBeGreaterThanOrEqual(3600_000);
    expect(moved.body.offsetSeconds).toBeCloseTo(3600, 0);
    expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
    expect((await sandbox.call('GET', '/__sandbox/clock')).body.offsetSeconds).toBeCloseTo(0, 0);
  });

  it('injects a fault a given number of times', async () => {
    const fault = await sandbox.call('POST', '/__sandbox/faults', {
      pathPrefix: '/v1/policies',
      status: 503,
      times: 2,
    });
    expect(fault.status).toBe(201);
    const first = await sandbox.call('GET', '/v1/policies');
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('fault_injected');
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await sandbox.call('GET', '/v1/policies')).status).toBe(503);
    const third = await sandbox.call('GET', '/v1/policies');
    expect(third.status).toBe(200);
    expect(third.body.otp).toMatchObject({ length: 6, ttlSeconds: 180, maxAttempts: 5 });
  });
});

describe('the contract and the server agree', () => {
  it('serves every operation of openapi.yaml', async () => {
    expect(sandbox.unregisteredOperations).toEqual([]);
    // The OpenID Provider's operations (fapi2 profile) answer from the provider, not as unknown paths.
    const provided = [...operationsOf(loadOpenApi()).values()].filter(
      (op) => (op as { 'x-served-by'?: string })['x-served-by'] === 'oidc-provider',
    );
    expect(provided.length).toBeGreaterThanOrEqual(7);
    for (const op of provided) {
      const res = await fetch(sandbox.url + op.path.replace('{uid}', 'unknown'), {
        method: op.method.toUpperCase(),
        redirect: 'manual',
      });
      expect(res.headers.get('content-type') ?? '', op.operationId).not.toContain('application/problem+json');
      await res.arrayBuffer();
    }
  });
});
