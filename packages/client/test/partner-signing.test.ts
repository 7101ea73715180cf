import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../src/http/transport.ts';
import { partnerSigningString, signPartnerRequest } from '../src/index.ts';

const credentials = { code: 'demo-bank', secret: 'demo-bank-sandbox-secret' };

describe('partner request signing', () => {
  it('matches an independent HMAC-SHA-256 over METHOD, path, timestamp, nonce and the body hash', async () => {
    const body = '{"a":1}';
    const headers = await signPartnerRequest(credentials, {
      method: 'post',
      pathWithQuery: '/v1/share-requests?x=1',
      body,
      timestamp: 1_800_000_000.7,
      nonce: 'nonce_0123456789abcdef',
    });
    const text = `POST\n/v1/share-requests?x=1\n1800000000\nnonce_0123456789abcdef\n${createHash('sha256').update(body).digest('hex')}`;
    expect(
      await partnerSigningString({
        method: 'post',
        pathWithQuery: '/v1/share-requests?x=1',
        body,
        timestamp: 1_800_000_000,
        nonce: 'nonce_0123456789abcdef',
      }),
    ).toBe(text);
    expect(headers).toEqual({
      'x-partner-code': 'demo-bank',
      'x-timestamp': '1800000000',
      'x-nonce': 'nonce_0123456789abcdef',
      'x-signature': createHmac('sha256', credentials.secret).update(text).digest('hex'),
    });
  });

  it('hashes the empty string for no body and makes a fresh 16–64 character nonce per attempt', async () => {
    const seen: Headers[] = [];
    let n = 0;
    const fetchFn = (async (_u: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return n++ === 0
        ? new Response('{"code":"fault_injected"}', {
            status: 503,
            headers: { 'content-type': 'application/problem+json' },
          })
        : new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const t = createTransport({
      baseUrl: 'http://x.test',
      fetch: fetchFn,
      partner: credentials,
      sleep: async () => {},
      now: () => 1_800_000_000_000,
    });
    await t.request({ method: 'GET', path: '/v1/share-requests/abc', partner: true });
    expect(seen).toHaveLength(2);
    const [a, b] = seen as [Headers, Headers];
    expect(a.get('x-nonce')).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(a.get('x-nonce')).not.toBe(b.get('x-nonce'));
    const text = `GET\n/v1/share-requests/abc\n1800000000\n${a.get('x-nonce')}\n${createHash('sha256').update('').digest('hex')}`;
    expect(a.get('x-signature')).toBe(createHmac('sha256', credentials.secret).update(text).digest('hex'));
  });
});
