import { describe, expect, it } from 'vitest';
import { createTransport, type TransportOptions } from '../src/http/transport.ts';
import { isIdentityError, type LogEvent } from '../src/index.ts';

type Step = Response | Error;
function scripted(steps: Step[]) {
  const calls: { url: string; init: RequestInit; headers: Headers }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init, headers: new Headers(init.headers) });
    const step = steps.shift();
    if (!step) throw new Error('no more steps');
    if (step instanceof Error) throw step;
    return step;
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
const problem = (status: number, code: string, headers: Record<string, string> = {}, extra = {}) =>
  json(status, { type: 't', title: code, status, code, requestId: 'srv', ...extra }, headers);

function transport(steps: Step[], extra: Partial<TransportOptions> = {}) {
  const { fetchFn, calls } = scripted(steps);
  const sleeps: number[] = [];
  const t = createTransport({
    baseUrl: 'http://sandbox.test/',
    fetch: fetchFn,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
    ...extra,
  });
  return { t, calls, sleeps };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('transport', () => {
  it('sends X-Request-Id on every request and keeps it across retries', async () => {
    const { t, calls } = transport([new TypeError('fetch failed'), json(200, { ok: 1 })]);
    const res = await t.request({ method: 'GET', path: '/v1/policies' });
    expect(res.body).toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
    const id = calls[0]!.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[1]!.headers.get('x-request-id')).toBe(id);
    expect(calls[0]!.url).toBe('http://sandbox.test/v1/policies');
  });

  it('backs off exponentially with full jitter: random(0, base·2ⁿ) capped', async () => {
    const { t, sleeps } = transport(
      [
        problem(503, 'fault_injected'),
        problem(502, 'internal_error'),
        problem(500, 'internal_error'),
        json(200, {}),
      ],
      { retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 300 } },
    );
    await t.request({ method: 'GET', path: '/x' });
    expect(sleeps).toEqual([50, 100, 150]);
  });

  it('honours Retry-After (seconds and HTTP date) instead of the backoff', async () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    const { t, sleeps } = transport(
      [
        problem(503, 'fault_injected', { 'retry-after': '2' }),
        problem(429, 'rate_limited', { 'retry-after': new Date(now + 3000).toUTCString() }),
        json(200, {}),
      ],
      { now: () => now },
    );
    await t.request({ method: 'GET', path: '/x' });
    expect(sleeps).toEqual([2000, 3000]);
  });

  it('does not wait for a Retry-After longer than the cap: the error carries retryAfter', async () => {
    const { t, calls } = transport([problem(429, 'rate_limited', { 'retry-after': '120' })]);
    const e = await rejection(t.request({ method: 'GET', path: '/x' }));
    expect(isIdentityError(e, 'rate_limited')).toBe(true);
    expect((e as { retryAfter: number }).retryAfter).toBe(120);
    expect(calls).toHaveLength(1);
  });

  it('gives every POST a fresh Idempotency-Key by default, the same one on each of its retries', async () => {
    const { t, calls } = transport([new TypeError('reset'), json(201, { id: 'x' }), json(201, { id: 'y' })]);
    await t.request({ method: 'POST', path: '/v1/x', body: { a: 1 } });
    await t.request({ method: 'POST', path: '/v1/x', body: { a: 1 } });
    expect(calls).toHaveLength(3);
    const keys = calls.map((c) => c.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("with idempotencyKeys 'off': never retries a POST without Idempotency-Key; retries one with it", async () => {
    const off = { idempotencyKeys: 'off' } as const;
    const a = transport([problem(503, 'fault_injected')], off);
    const e = await rejection(a.t.request({ method: 'POST', path: '/v1/x', body: { a: 1 } }));
    expect(isIdentityError(e, 'fault_injected')).toBe(true);
    expect(a.calls).toHaveLength(1);
    const b = transport([new TypeError('reset'), json(201, { id: 'x' })], off);
    const n = transport([new TypeError('reset')], off);
    expect(
      isIdentityError(
        await rejection(n.t.request({ method: 'POST', path: '/v1/x', body: {} })),
        'network_error',
      ),
    ).toBe(true);
    const res = await b.t.request({ method: 'POST', path: '/v1/x', body: { a: 1 }, idempotencyKey: 'k-1' });
    expect(res.status).toBe(201);
    expect(b.calls).toHaveLength(2);
    expect(b.calls[1]!.headers.get('idempotency-key')).toBe('k-1');
  });

  it('does not retry non-retryable statuses (a 4xx problem) even for GET', async () => {
    const { t, calls } = transport([problem(401, 'unauthorized')]);
    const e = await rejection(t.request({ method: 'GET', path: '/x' }));
    expect(isIdentityError(e, 'unauthorized')).toBe(true);
    expect((e as { status: number }).status).toBe(401);
    expect(calls).toHaveLength(1);
  });

  it('gives up after the retries with the last error', async () => {
    const { t, calls } = transport([new TypeError('a'), new TypeError('b'), new TypeError('c')]);
    const e = await rejection(t.request({ method: 'GET', path: '/x' }));
    expect(isIdentityError(e, 'network_error')).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('stops on abort: before the first request and during a backoff wait', async () => {
    const controller = new AbortController();
    controller.abort();
    const a = transport([json(200, {})], { signal: controller.signal });
    expect(isIdentityError(await rejection(a.t.request({ method: 'GET', path: '/x' })), 'aborted')).toBe(
      true,
    );
    expect(a.calls).toHaveLength(0);

    const c2 = new AbortController();
    const { fetchFn, calls } = scripted([problem(503, 'fault_injected'), json(200, {})]);
    const t = createTransport({
      baseUrl: 'http://sandbox.test',
      fetch: fetchFn,
      sleep: async () => {
        c2.abort();
        throw c2.signal.reason;
      },
    });
    const e = await rejection(t.request({ method: 'GET', path: '/x', signal: c2.signal }));
    expect(isIdentityError(e, 'aborted')).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('an aborted real fetch is `aborted`, not a network error', async () => {
    const controller = new AbortController();
    const fetchFn = ((_u: string, init: RequestInit) =>
      new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        controller.abort();
      })) as unknown as typeof fetch;
    const t = createTransport({ baseUrl: 'http://x.test', fetch: fetchFn });
    expect(
      isIdentityError(
        await rejection(t.request({ method: 'GET', path: '/x', signal: controller.signal })),
        'aborted',
      ),
    ).toBe(true);
  });

  it('a 2xx that is not JSON is unexpected_response', async () => {
    const { t } = transport([
      new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ]);
    const e = await rejection(t.request({ method: 'GET', path: '/x' }));
    expect(isIdentityError(e, 'unexpected_response')).toBe(true);
  });

  it('logs without a full personal ID', async () => {
    const events: LogEvent[] = [];
    const { t } = transport([problem(404, 'not_found')], { logger: (e) => events.push(e) });
    await rejection(t.request({ method: 'GET', path: '/__sandbox/chips/012157268548' }));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('012157268548');
    expect(events[0]!.path).toBe('/__sandbox/chips/012******548');
    expect(events[0]).toMatchObject({ level: 'warn', status: 404, code: 'not_found' });
  });
});
