/**
 * Several sandbox processes on one PostgreSQL behave as one service: races between two OS
 * processes (the built CLI) on the same OTP, the same attempt counter, the same device binding
 * and the same lockout resolve exactly as on one process, and the clock control moves both.
 * PostgreSQL only: an embedded PGlite belongs to one process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, store } from '../support/sandbox.ts';
import {
  callAt,
  registerAccount,
  type SandboxProcess,
  spawnSandbox,
  startRegistration,
  syntheticPerson,
} from './processes.ts';

describe.runIf(store === 'postgres')('two sandbox processes on one PostgreSQL', () => {
  let a: SandboxProcess;
  let b: SandboxProcess;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    // Started together: migrations, keys and seeds race too.
    [a, b] = await Promise.all([spawnSandbox(db.url), spawnSandbox(db.url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await drop?.();
  });

  it('publish the same keys and see the same seed data', async () => {
    const [ja, jb] = await Promise.all([callAt(a.url, 'GET', '/v1/jwks'), callAt(b.url, 'GET', '/v1/jwks')]);
    expect(ja.body).toEqual(jb.body);
    const [ia, ib] = await Promise.all([
      callAt(a.url, 'GET', '/__sandbox/identities'),
      callAt(b.url, 'GET', '/__sandbox/identities'),
    ]);
    expect(ia.body.identities.length).toBeGreaterThan(5);
    expect(ia.body).toEqual(ib.body);
  });

  it('accept one OTP exactly once when both verify it at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const { challengeId, code } = await startRegistration(a.url, syntheticPerson(1));
      const answers = await Promise.all([
        callAt(a.url, 'POST', `/v1/otp/${challengeId}/verify`, { code }),
        callAt(b.url, 'POST', `/v1/otp/${challengeId}/verify`, { code }),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect(statuses[1]).not.toBe(200);
      expect(answers.find((r) => r.status !== 200)!.body.code).toMatch(
        /^otp_(already_used|invalid)$|^conflict$/,
      );
    }
  });

  it('count wrong codes from both processes against one limit of 5', async () => {
    const { challengeId, code } = await startRegistration(b.url, syntheticPerson(2));
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        callAt(i % 2 ? a.url : b.url, 'POST', `/v1/otp/${challengeId}/verify`, { code: wrong }),
      ),
    );
    const invalid = answers.filter((r) => r.body.code === 'otp_invalid');
    expect(invalid).toHaveLength(5);
    expect(invalid.map((r) => r.body.attemptsRemaining).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(answers.filter((r) => r.body.code === 'otp_attempts_exceeded')).toHaveLength(3);
    const right = await callAt(a.url, 'POST', `/v1/otp/${challengeId}/verify`, { code });
    expect(right.body.code).toBe('otp_attempts_exceeded');
  });

  it('bind exactly one device when two phones log in for the first time at once', async () => {
    const person = syntheticPerson(3);
    await registerAccount(a.url, person, 'Hai@Thiet1bi');
    const login = (base: string, device: string) =>
      callAt(base, 'POST', '/v1/sessions', {
        personalId: person.personalId,
        password: 'Hai@Thiet1bi',
        device: { id: device, name: device },
      });
    const answers = await Promise.all([login(a.url, 'phone-a'), login(b.url, 'phone-b')]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 202]);
    const session = answers.find((r) => r.status === 201)!;
    const devices = await callAt(b.url, 'GET', '/v1/devices', undefined, {
      authorization: `Bearer ${session.body.accessToken}`,
    });
    expect(devices.status).toBe(200);
    expect(JSON.stringify(devices.body)).toMatch(/phone-[ab]/);
  });

  it('lock an account out after failures split between the processes', async () => {
    const person = syntheticPerson(4);
    await registerAccount(b.url, person, 'Khoa@Tam5lan');
    const attempt = (base: string, password: string) =>
      callAt(base, 'POST', '/v1/sessions', {
        personalId: person.personalId,
        password,
        device: { id: 'd1', name: 'd1' },
      });
    for (let i = 0; i < 5; i++)
      expect((await attempt(i % 2 ? a.url : b.url, `Wrong@${i}pass`)).body.code).toBe('invalid_credentials');
    // Locked out: even the right password is refused, on either process.
    expect((await attempt(a.url, 'Khoa@Tam5lan')).body.code).toBe('invalid_credentials');
    expect((await attempt(b.url, 'Khoa@Tam5lan')).body.code).toBe('invalid_credentials');
  });

  it('share one application clock', async () => {
    const moved = await callAt(a.url, 'POST', '/__sandbox/clock', { advanceSeconds: 7200 });
    const seen = await callAt(b.url, 'GET', '/__sandbox/clock');
    expect(seen.body.offsetSeconds).toBeCloseTo(moved.body.offsetSeconds, 0);
    await callAt(b.url, 'POST', '/__sandbox/clock', { advanceSeconds: -7200 });
  });
});
