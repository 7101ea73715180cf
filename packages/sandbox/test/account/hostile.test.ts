import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, lastSms, login, newDevice, PASSWORD, register } from './support.ts';

const logs: Record<string, unknown>[] = [];
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ log: (entry) => logs.push(entry) });
});
afterAll(() => sandbox?.stop());

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const operations: [string, string][] = [
  ['POST', '/v1/registrations'],
  ['POST', `/v1/registrations/${ID}/password`],
  ['POST', `/v1/otp/${ID}/verify`],
  ['POST', `/v1/otp/${ID}/resend`],
  ['POST', '/v1/sessions'],
  ['POST', `/v1/sessions/challenges/${ID}`],
  ['GET', '/v1/sessions/current'],
  ['DELETE', '/v1/sessions/current'],
  ['GET', '/v1/devices'],
  ['DELETE', '/v1/devices/x'],
  ['POST', '/v1/password/reset'],
  ['PUT', '/v1/password'],
  ['POST', '/v1/account/lock'],
  ['POST', '/__sandbox/accounts/001099012345/unlock'],
];
const bodies: unknown[] = [
  '[]',
  'null',
  '"text"',
  '42',
  '{"personalId":12,"password":["x"],"device":"d","code":123456,"chipFiles":"x","reason":{}}',
  JSON.stringify({
    personalId: '0'.repeat(5000),
    password: 'x'.repeat(5000),
    phone: '0'.repeat(5000),
    code: '1'.repeat(50),
  }),
  JSON.stringify({ device: { id: '../../etc', name: 'x' }, personalId: '001099012345', password: 'a' }),
  JSON.stringify({ chipFiles: { sod: '!!!!', dg1: 'AAAA' } }),
  '{"a":'.repeat(2000),
];

describe(`hostile input to the account operations (${store})`, () => {
  it('never answers 5xx, always problem+json', async () => {
    for (const [method, path] of operations) {
      for (const body of method === 'GET' || method === 'DELETE' ? [undefined] : bodies) {
        for (const headers of [
          {},
          bearer('vns_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
          { authorization: 'Bearer ' + 'é'.repeat(300) },
        ]) {
          const res = await sandbox.call(method, path, body, headers as Record<string, string>);
          expect(res.status, `${method} ${path} ${String(body).slice(0, 40)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
        }
      }
    }
    const huge = await sandbox.call(
      'POST',
      '/v1/sessions',
      JSON.stringify({ personalId: 'x'.repeat(70_000) }),
    );
    expect(huge.status).toBe(413);
    const bigChip = await sandbox.call(
      'POST',
      `/v1/sessions/challenges/${ID}`,
      JSON.stringify({ chipFiles: { sod: 'A'.repeat(300_000), dg1: 'AAAA' } }),
    );
    expect(bigChip.status).toBe(413);
  });

  it('logs no personal ID, phone, code, password or token', async () => {
    logs.length = 0;
    const person = await identity(sandbox, 'unregistered', 1);
    await register(sandbox, person);
    const res = await login(sandbox, person.personalId, PASSWORD, newDevice());
    await sandbox.call('GET', '/v1/devices', undefined, bearer(res.body.accessToken));
    await sandbox.call('POST', '/v1/password/reset', { personalId: person.personalId, phone: person.phone });
    const code = (await lastSms(sandbox, person.phone, 'registration')).code!;
    const text = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(4);
    for (const secret of [
      person.personalId,
      person.phone,
      PASSWORD,
      res.body.accessToken,
      code,
      person.fullName,
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain(`${person.personalId.slice(0, 3)}******${person.personalId.slice(-3)}`);
    // The login's own line names its subject, masked.
    expect(logs).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        route: '/v1/sessions',
        status: 201,
        subject: `${person.personalId.slice(0, 3)}******${person.personalId.slice(-3)}`,
      }),
    );
  });
});
