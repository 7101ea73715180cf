import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import {
  identities,
  identity,
  lastSms,
  login,
  newDevice,
  PASSWORD,
  register,
  registrationBody,
} from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

describe(`registration (${store})`, () => {
  it('lists the seeded identities with their test passwords', async () => {
    const all = await identities(sandbox);
    const states = all.map((i) => i.state);
    expect(states.filter((s) => s === 'unregistered').length).toBeGreaterThanOrEqual(3);
    for (const s of ['active', 'approved', 'locked', 'card_expired']) expect(states).toContain(s);
    expect(all.filter((i) => i.state === 'active').map((i) => i.level)).toEqual(
      expect.arrayContaining([1, 2]),
    );
    expect(all.filter((i) => i.chipFault === 'bad_signature')).toHaveLength(1);
    const holder = all.find((i) => i.chipSeed === 7)!;
    expect(holder).toMatchObject({
      personalId: '012157268548',
      fullName: 'DƯƠNG THU D',
      sex: 'female',
      state: 'unregistered',
    });
    for (const i of all.filter((x) => x.state === 'active'))
      expect(i.password).toMatch(/^(?=.*\d)(?=.*[A-Z])(?=.*[a-z])(?=.*[!@#$%^*()]).{8,20}$/);
  });

  it('registers an app account end to end and logs in on the first device', async () => {
    const person = await identity(sandbox, 'unregistered', 1);
    const done = await register(sandbox, person);
    expect(done.body.account).toMatchObject({ personalId: person.personalId, level: 0, state: 'app' });
    const res = await login(sandbox, person.personalId, PASSWORD, newDevice());
    expect(res.status).toBe(201);
    expect(res.body.accessToken).toMatch(/^vns_[A-Za-z0-9_-]{43}$/);
    const sms = await lastSms(sandbox, person.phone, 'registration');
    expect(sms.body).toMatch(
      /^VNeID: Mã OTP \d{6} có hiệu lực trong 3 phút, sử dụng để xác thực cho yêu cầu đăng ký tài khoản\./,
    );
    expect(registrationBody(person)).toBeDefined();
  });
});
