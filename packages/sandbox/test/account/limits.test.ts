import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { advance, callFrom, identity, login, newDevice, PASSWORD, register } from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  // The default policy (5 failures, 900 s lockout, 30 attempts per ID or phone per hour), with
  // the per-address limit lowered from 300 to 40 to keep the test short.
  sandbox = await startTestSandbox({
    policy: (p) => ({ ...p, login: { ...p.login, maxAttemptsPerAddressPerWindow: 40 } }),
  });
  expect(sandbox.services.policy.login.maxAttemptsPerWindow).toBe(30);
});
afterAll(() => sandbox?.stop());
beforeEach(async () => {
  expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
});

const attempt = (ip: string, personalId: string, password: string) =>
  callFrom(sandbox, ip, 'POST', '/v1/sessions', { personalId, password, device: newDevice() });

describe(`login lockout and throttling (${store})`, () => {
  it('resets the failure count on success: four failures, then the right password works', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    for (let i = 0; i < 4; i++)
      expect((await login(sandbox, person.personalId, 'Wrong@12345', newDevice())).status).toBe(401);
    expect((await login(sandbox, person.personalId, person.password!, newDevice())).status).toBe(201);
    for (let i = 0; i < 4; i++) await login(sandbox, person.personalId, 'Wrong@12345', newDevice());
    // Four more failures after the reset do not lock either.
    expect((await login(sandbox, person.personalId, person.password!, newDevice())).status).toBe(202);
  });

  it('locks out after the 5th consecutive failure with the same answer, for lockoutSeconds', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const device = newDevice();
    for (let i = 0; i < 5; i++) {
      const res = await login(sandbox, person.personalId, 'Wrong@12345', device);
      expect(res.body.code).toBe('invalid_credentials');
    }
    const locked = await login(sandbox, person.personalId, person.password!, device);
    expect(locked.status).toBe(401);
    expect(locked.body.code).toBe('invalid_credentials');
    expect(locked.headers.get('retry-after')).toBeNull();
    await advance(sandbox, 899);
    expect((await login(sandbox, person.personalId, person.password!, device)).body.code).toBe(
      'invalid_credentials',
    );
    await advance(sandbox, 1);
    expect((await login(sandbox, person.personalId, person.password!, device)).status).toBe(201);
  });

  it('answers an armed fault before an attempt counts: no failure, no throttle hit', async () => {
    const person = await identity(sandbox, 'active', 0, 1);
    const armed = await sandbox.call('POST', '/__sandbox/faults', {
      pathPrefix: '/v1/sessions',
      method: 'POST',
      status: 503,
      times: 40,
    });
    expect(armed.status).toBe(201);
    for (let i = 0; i < 40; i++) {
      const res = await attempt('127.0.0.7', person.personalId, 'Wrong@12345');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('fault_injected');
    }
    // Had the faulted attempts counted, the account would be locked out and the address limited.
    for (let i = 0; i < 4; i++)
      expect((await attempt('127.0.0.7', person.personalId, 'Wrong@12345')).body.code).toBe(
        'invalid_credentials',
      );
    expect((await attempt('127.0.0.7', person.personalId, person.password!)).status).toBe(201);
  });

  it('clears a temporary lockout through the unlock control', async () => {
    const person = await identity(sandbox, 'active', 1, 1);
    for (let i = 0; i < 5; i++) await login(sandbox, person.personalId, 'Wrong@12345', newDevice());
    expect((await login(sandbox, person.personalId, person.password!, newDevice())).status).toBe(401);
    expect((await sandbox.call('POST', `/__sandbox/accounts/${person.personalId}/unlock`)).status).toBe(200);
    expect((await login(sandbox, person.personalId, person.password!, newDevice())).status).toBe(201);
  });

  it('has a per-address limit apart from the per-account one, 300 by default and published', async () => {
    const { defaultPolicy } = await import('../../src/index.ts');
    expect(defaultPolicy().login).toMatchObject({
      maxAttemptsPerWindow: 30,
      maxAttemptsPerAddressPerWindow: 300,
    });
    expect((await sandbox.call('GET', '/v1/policies')).body.login).toMatchObject({
      maxAttemptsPerWindow: 30,
      maxAttemptsPerAddressPerWindow: 40,
    });
  });

  it('throttles per client address: the 40th attempt is answered, the 41st is rate_limited; another address is not', async () => {
    for (let i = 0; i < 40; i++) {
      const res = await attempt('127.0.0.5', `0010990${String(10000 + i)}`, 'Wrong@12345');
      expect(res.body.code).toBe('invalid_credentials');
    }
    const limited = await attempt('127.0.0.5', '001099099999', 'Wrong@12345');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await attempt('127.0.0.6', '001099099999', 'Wrong@12345')).body.code).toBe('invalid_credentials');
    await advance(sandbox, 3600);
    expect((await attempt('127.0.0.5', '001099099999', 'Wrong@12345')).body.code).toBe('invalid_credentials');
  });

  it('throttles per personal ID across addresses, known or not', async () => {
    for (let i = 0; i < 30; i++) await attempt(`127.0.1.${i + 1}`, '001099012345', 'Wrong@12345');
    const limited = await attempt('127.0.1.200', '001099012345', 'Wrong@12345');
    expect(limited.body.code).toBe('rate_limited');
  });

  it('throttles per phone across accounts sharing it', async () => {
    const phone = '0911222333';
    const a = await identity(sandbox, 'unregistered', 1);
    const b = await identity(sandbox, 'unregistered', 2);
    await register(sandbox, { ...a, phone });
    await register(sandbox, { ...b, phone });
    const device = { a: newDevice(), b: newDevice() };
    for (let i = 0; i < 15; i++) {
      for (const [p, d] of [
        [a, device.a],
        [b, device.b],
      ] as const) {
        const res = await callFrom(sandbox, `127.0.2.${i + 1}`, 'POST', '/v1/sessions', {
          personalId: p.personalId,
          password: PASSWORD,
          device: d,
        });
        expect(res.status).toBe(201);
      }
    }
    // 30 attempts on the phone, 15 per personal ID and at most 2 per address: the phone limit answers.
    const limited = await callFrom(sandbox, '127.0.2.100', 'POST', '/v1/sessions', {
      personalId: a.personalId,
      password: PASSWORD,
      device: device.a,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
  });
});
