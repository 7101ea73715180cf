import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, lastSms, newDevice, registrationBody } from './support.ts';

// Two sandbox processes' worth of servers (separate pools, separate HTTP listeners) on one
// PostgreSQL database must behave as one service. PGlite is one process by nature.
describe.skipIf(store !== 'postgres')('two server instances on one PostgreSQL', () => {
  let a: TestSandbox;
  let b: TestSandbox;
  beforeAll(async () => {
    a = await startTestSandbox({
      policy: (p) => ({
        ...p,
        login: { ...p.login, maxAttemptsPerWindow: 10_000, maxAttemptsPerAddressPerWindow: 10_000 },
      }),
    });
    b = await startTestSandbox({
      database: a.database,
      policy: (p) => ({
        ...p,
        login: { ...p.login, maxAttemptsPerWindow: 10_000, maxAttemptsPerAddressPerWindow: 10_000 },
      }),
    });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  async function startRegistration(skip: number) {
    const person = await identity(a, 'unregistered', skip);
    const res = await a.call('POST', '/v1/registrations', registrationBody(person));
    expect(res.status).toBe(201);
    return {
      challengeId: res.body.otp.challengeId as string,
      code: (await lastSms(b, person.phone, 'registration')).code!,
    };
  }

  it('accepts one of several concurrent verifies of one code sent to both instances', async () => {
    const { challengeId, code } = await startRegistration(0);
    const answers = await Promise.all(
      [a, b, a, b].map((s) => s.call('POST', `/v1/otp/${challengeId}/verify`, { code })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('counts wrong codes across instances: the 5th and 6th arrive at once, one exhausts, one is refused', async () => {
    const { challengeId, code } = await startRegistration(1);
    const bad = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (const s of [a, b, a, b]) await s.call('POST', `/v1/otp/${challengeId}/verify`, { code: bad });
    const [x, y] = await Promise.all(
      [a, b].map((s) => s.call('POST', `/v1/otp/${challengeId}/verify`, { code: bad })),
    );
    expect([x!.body.code, y!.body.code].sort()).toEqual(['otp_attempts_exceeded', 'otp_invalid']);
    expect((await b.call('POST', `/v1/otp/${challengeId}/verify`, { code })).body.code).toBe(
      'otp_attempts_exceeded',
    );
  });

  it('binds exactly one first device when two logins race on the two instances', async () => {
    const person = await identity(a, 'active', 0, 2);
    const answers = await Promise.all(
      [a, b].map((s) =>
        s.call('POST', '/v1/sessions', {
          personalId: person.personalId,
          password: person.password,
          device: newDevice(),
        }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 202]);
    const session = answers.find((r) => r.status === 201)!.body.accessToken;
    const devices = await b.call('GET', '/v1/devices', undefined, bearer(session));
    expect(devices.body.devices.filter((d: { bound: boolean }) => d.bound)).toHaveLength(1);
  });

  it('shares sessions, lockouts and supersession between the instances', async () => {
    const person = await identity(a, 'active', 1, 1);
    const first = await a.call('POST', '/v1/sessions', {
      personalId: person.personalId,
      password: person.password,
      device: newDevice(),
    });
    expect(
      (await b.call('GET', '/v1/sessions/current', undefined, bearer(first.body.accessToken))).status,
    ).toBe(200);
    const challenge = await b.call('POST', '/v1/sessions', {
      personalId: person.personalId,
      password: person.password,
      device: newDevice(),
    });
    const code = (await lastSms(a, person.phone, 'login_device')).code;
    const bound = await a.call('POST', `/v1/sessions/challenges/${challenge.body.challenge.challengeId}`, {
      code,
    });
    expect(bound.status).toBe(201);
    expect(
      (await b.call('GET', '/v1/sessions/current', undefined, bearer(first.body.accessToken))).body.code,
    ).toBe('session_superseded');
    const other = await identity(a, 'active', 1, 2);
    await Promise.all(
      [a, b, a, b, a].map((s) =>
        s.call('POST', '/v1/sessions', {
          personalId: other.personalId,
          password: 'Wrong@12345',
          device: newDevice(),
        }),
      ),
    );
    const locked = await b.call('POST', '/v1/sessions', {
      personalId: other.personalId,
      password: other.password,
      device: newDevice(),
    });
    expect(locked.body.code).toBe('invalid_credentials');
  });
});
