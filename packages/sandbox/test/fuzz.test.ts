/**
 * Hostile input never gives a 5xx: every operation of openapi.yaml is called with random JSON
 * bodies (fast-check), wrongly typed members, deep nesting, huge strings, broken JSON and
 * random path parameters, with and without a bearer token; every answer is < 500 and every
 * error is problem+json with a known code. (`injectFault` is left out: arming a 5xx fault is
 * its purpose.)
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApi, operationsOf } from '../src/contract/openapi.ts';
import { PROBLEMS } from '../src/http/problem.ts';
import { startTestSandbox, store, type TestSandbox } from './support/sandbox.ts';

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  // A real session of a seeded active citizen, so that handlers behind the session check are reached too.
  const people = (await sandbox.call('GET', '/__sandbox/identities')).body.identities as {
    state: string;
    level: number;
    personalId: string;
    password: string;
  }[];
  const citizen = people.find((p) => p.state === 'active' && p.level === 2)!;
  const login = await sandbox.call('POST', '/v1/sessions', {
    personalId: citizen.personalId,
    password: citizen.password,
    device: { id: 'fuzz-device', name: 'fuzz' },
  });
  expect(login.status).toBe(201);
  token = login.body.accessToken;
});

/** Partner request signing of the demo bank, so that partner handlers are reached too. */
function partnerHeaders(method: string, path: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', 'demo-bank-sandbox-secret')
    .update(`${method}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`)
    .digest('hex');
  return {
    'x-partner-code': 'demo-bank',
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signature,
  };
}
afterAll(() => sandbox?.stop());

const ops = [...operationsOf(loadOpenApi()).values()].filter((op) => op.operationId !== 'injectFault');
const pathOf = (template: string, value: string) => template.replace(/\{[^}]+\}/g, encodeURIComponent(value));

async function check(
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string> = {},
) {
  const res = await sandbox.call(method, path, body, { 'content-type': 'application/json', ...headers });
  expect(res.status, `${method} ${path} ${body?.slice(0, 80)}`).toBeLessThan(500);
  if (res.status >= 400 && res.headers.get('content-type') === 'application/problem+json') {
    expect(Object.keys(PROBLEMS)).toContain(res.body.code);
  }
  return res;
}

describe(`hostile input (${store})`, () => {
  it('random JSON bodies and path parameters on every operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ maxLength: 40 }),
        fc.boolean(),
        async (op, value, param, withToken) => {
          const method = op.method.toUpperCase();
          const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(value);
          await check(
            method,
            pathOf(op.path, param || 'x'),
            body,
            withToken ? { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } : {},
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('crafted bodies: wrong types, nesting, huge strings, broken JSON, non-UTF-8', async () => {
    const crafted = [
      '{"personalId": 1, "phone": [], "password": {"$gt": ""}}',
      `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      JSON.stringify({ personalId: '0'.repeat(100_000) }),
      '{"personalId": "001099012345", "code": "\\u0000\\ud800"}',
      '{"x":',
      'null',
      '[]',
      '"string"',
      '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}',
    ];
    for (const op of ops) {
      const method = op.method.toUpperCase();
      if (method === 'GET' || method === 'DELETE') continue;
      for (const body of crafted) {
        const path = pathOf(op.path, 'abc');
        await check(method, path, body, {
          authorization: `Bearer ${token}`,
          ...partnerHeaders(method, path, body),
        });
      }
    }
    for (const op of ops.filter((o) => o.requestBody)) {
      const res = await fetch(sandbox.url + pathOf(op.path, 'abc'), {
        method: op.method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      });
      expect(res.status, op.operationId).toBeLessThan(500);
    }
  });

  it('path parameters with traversal, unicode and huge values', async () => {
    for (const op of ops.filter((o) => o.path.includes('{'))) {
      for (const value of ['..%2f..%2fetc', 'ﾟ∀ﾟ', '%00', 'a'.repeat(5000), "' OR 1=1 --"]) {
        const method = op.method.toUpperCase();
        await check(
          method,
          op.path.replace(/\{[^}]+\}/g, value),
          method === 'GET' || method === 'DELETE' ? undefined : '{}',
        );
      }
    }
  });
});
