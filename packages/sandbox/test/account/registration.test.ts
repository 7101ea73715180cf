import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import {
  advance,
  identities,
  identity,
  lastSms,
  login,
  newDevice,
  PASSWORD,
  register,
  registrationBody,
  smsCount,
} from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

/** Starts a registration and verifies its OTP; answers the registration id. */
async function verifiedRegistration(body: Record<string, unknown>, phone: string): Promise<string> {
  const started = await sandbox.call('POST', '/v1/registrations', body);
  expect(started.status).toBe(201);
  const sms = await lastSms(sandbox, phone, 'registration');
  const ok = await sandbox.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, { code: sms.code });
  expect(ok.status).toBe(200);
  return started.body.registrationId;
}

describe(`registration (${store})`, () => {
  it('lists the seeded identities: states, levels, test passwords, the chip holder and the bad chip', async () => {
    const all = await identities(sandbox);
    const states = all.map((i) => i.state);
    expect(states.filter((s) => s === 'unregistered').length).toBeGreaterThanOrEqual(3);
    for (const s of ['active', 'approved', 'locked', 'card_expired']) expect(states).toContain(s);
    expect(all.filter((i) => i.state === 'active').map((i) => i.level)).toEqual(
      expect.arrayContaining([1, 2]),
    );
    expect(all.filter((i) => i.chipFault === 'bad_signature')).toHaveLength(1);
    expect(all.find((i) => i.chipSeed === 7)).toMatchObject({
      personalId: '012157268548',
      fullName: 'DƯƠNG THU D',
      sex: 'female',
      birthDate: '1957-03-28',
      state: 'unregistered',
    });
    expect(new Set(all.map((i) => i.chipSeed)).size).toBe(all.length);
    for (const i of all.filter((x) => x.state !== 'unregistered' && x.password !== null))
      expect(i.password).toMatch(/^(?=.*\d)(?=.*[A-Z])(?=.*[a-z])(?=.*[!@#$%^*()]).{8,20}$/);
    for (const i of all)
      expect(Object.keys(i)).toEqual(
        expect.arrayContaining([
          'personalId',
          'fullName',
          'sex',
          'birthDate',
          'address',
          'phone',
          'state',
          'level',
          'password',
        ]),
      );
  });

  it('seeds idempotently: a reset restores the seeded states and passwords still work', async () => {
    const before = await identities(sandbox);
    expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
    const after = await identities(sandbox);
    expect(after.map((i) => [i.personalId, i.state, i.level])).toEqual(
      before.map((i) => [i.personalId, i.state, i.level]),
    );
    const active = after.find((i) => i.state === 'active')!;
    expect((await login(sandbox, active.personalId, active.password!, newDevice())).status).toBe(201);
  });

  it('registers an app account end to end: registry "Đạt", SMS worded as VNeID, masked phone, password, login', async () => {
    const person = await identity(sandbox, 'unregistered', 1);
    const started = await sandbox.call('POST', '/v1/registrations', registrationBody(person));
    expect(started.status).toBe(201);
    expect(started.body.otp).toMatchObject({
      maskedPhone: `${person.phone.slice(0, 3)}****${person.phone.slice(-3)}`,
      attemptsRemaining: 5,
      delivery: 'sms',
    });
    expect(Date.parse(started.body.otp.expiresAt) - Date.parse(started.body.otp.resendAfter)).toBe(120_000);
    expect(JSON.stringify(started.body)).not.toContain(person.phone);
    const sms = await lastSms(sandbox, person.phone, 'registration');
    expect(sms.code).toMatch(/^\d{6}$/);
    expect(sms.body).toBe(
      `VNeID: Mã OTP ${sms.code} có hiệu lực trong 3 phút, sử dụng để xác thực cho yêu cầu đăng ký tài khoản. Vì lý do bảo mật, tuyệt đối không được cung cấp mã OTP này cho bất kỳ ai.`,
    );
    const early = await sandbox.call('POST', `/v1/registrations/${started.body.registrationId}/password`, {
      password: PASSWORD,
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('conflict');
    const verified = await sandbox.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, {
      code: sms.code,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({
      registrationId: started.body.registrationId,
      status: 'otp_verified',
      next: 'password',
    });
    const weak = await sandbox.call('POST', `/v1/registrations/${started.body.registrationId}/password`, {
      password: 'password',
    });
    expect(weak.status).toBe(422);
    expect(weak.body.code).toBe('password_policy_violation');
    expect(weak.body.violations).toEqual(
      expect.arrayContaining(['MISSING_DIGIT', 'MISSING_UPPERCASE', 'MISSING_SPECIAL']),
    );
    const done = await sandbox.call('POST', `/v1/registrations/${started.body.registrationId}/password`, {
      password: PASSWORD,
    });
    expect(done.status).toBe(201);
    expect(done.body.account).toMatchObject({
      personalId: person.personalId,
      fullName: person.fullName,
      level: 0,
      state: 'app',
    });
    expect(Date.parse(done.body.deleteAfter) - Date.parse(sms.sentAt)).toBeGreaterThanOrEqual(
      3 * 86400_000 - 5000,
    );
    const again = await sandbox.call('POST', `/v1/registrations/${started.body.registrationId}/password`, {
      password: PASSWORD,
    });
    expect(again.body.code).toBe('already_registered');
    const res = await login(sandbox, person.personalId, PASSWORD, newDevice());
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ level: 0, state: 'app' });
    expect((await sandbox.call('POST', '/v1/registrations', registrationBody(person))).body.code).toBe(
      'already_registered',
    );
    const listed = (await identities(sandbox)).find((i) => i.personalId === person.personalId)!;
    expect(listed).toMatchObject({ state: 'app', level: 0 });
  });

  it('refuses a malformed personal ID (invalid_personal_id) and missing consent (terms_not_accepted)', async () => {
    const person = await identity(sandbox, 'unregistered', 2);
    for (const personalId of ['12345', '999157268548', 'abcdefghijkl', '0121572685480']) {
      const res = await sandbox.call('POST', '/v1/registrations', {
        ...registrationBody(person),
        personalId,
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_personal_id');
      expect(JSON.stringify(res.body)).not.toContain(personalId);
    }
    const terms = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      acceptTerms: false,
    });
    expect(terms.status).toBe(422);
    expect(terms.body.code).toBe('terms_not_accepted');
    const typed = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      acceptTerms: 'yes',
    });
    expect(typed.status).toBe(400);
    expect(typed.body.code).toBe('invalid_request');
    const phone = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      phone: '+84912000000',
    });
    expect(phone.body).toMatchObject({ code: 'invalid_request', pointer: '/phone' });
  });

  it('answers "Không đạt" with the fields that disagree, never the registry values', async () => {
    const person = await identity(sandbox, 'unregistered', 2);
    const sent = await smsCount(sandbox, person.phone);
    const res = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      fullName: 'NGUYỄN VĂN SAI',
      birthDate: '1999-01-01',
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('registry_mismatch');
    expect(res.body.fields).toEqual(['fullName', 'birthDate']);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(person.fullName);
    expect(text).not.toContain(person.birthDate);
    const other = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      sex: person.sex === 'male' ? 'female' : 'male',
      address: 'Somewhere else',
    });
    expect(other.body.fields).toEqual(['sex', 'address']);
    const unknown = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      personalId: '001099012345',
    });
    expect(unknown.body).toMatchObject({ code: 'registry_mismatch', fields: ['personalId'] });
    expect(await smsCount(sandbox, person.phone)).toBe(sent);
  });

  it('compares names and addresses NFC-normalised, case-folded and whitespace-collapsed', async () => {
    const person = await identity(sandbox, 'unregistered', 3);
    const res = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(person),
      fullName: `  ${person.fullName.toLowerCase().normalize('NFD').replace(/ /g, '   ')} `,
      address: person.address.toLowerCase().normalize('NFD').replace(/, /g, ' ,  '),
    });
    expect(res.status).toBe(201);
  });

  it('answers already_registered for an existing account, after the registry check', async () => {
    const active = await identity(sandbox, 'active');
    const res = await sandbox.call('POST', '/v1/registrations', registrationBody(active));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('already_registered');
    const wrong = await sandbox.call('POST', '/v1/registrations', {
      ...registrationBody(active),
      fullName: 'X',
    });
    expect(wrong.body.code).toBe('registry_mismatch');
  });

  it('ends two racing registrations of one person in one account and one already_registered', async () => {
    const person = await identity(sandbox, 'unregistered', 4);
    const a = await verifiedRegistration(registrationBody(person), person.phone);
    const b = await verifiedRegistration(registrationBody(person), person.phone);
    const answers = await Promise.all(
      [a, b].map((id) => sandbox.call('POST', `/v1/registrations/${id}/password`, { password: PASSWORD })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.status === 409)!.body.code).toBe('already_registered');
  });

  it('answers not_found for an unknown registration', async () => {
    const res = await sandbox.call('POST', '/v1/registrations/AAAAAAAAAAAAAAAAAAAAAA/password', {
      password: PASSWORD,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('deletes an app account that has not applied for an eID 3 days after registration', async () => {
    const person = await identity(sandbox, 'unregistered', 5);
    await register(sandbox, person);
    await advance(sandbox, 3 * 86400 - 60);
    expect((await login(sandbox, person.personalId, PASSWORD, newDevice())).status).toBe(201);
    await advance(sandbox, 60);
    const gone = await login(sandbox, person.personalId, PASSWORD, newDevice());
    expect(gone.status).toBe(401);
    expect(gone.body.code).toBe('invalid_credentials');
    expect((await identities(sandbox)).find((i) => i.personalId === person.personalId)!.state).toBe(
      'unregistered',
    );
    await register(sandbox, person);
  });
});

describe(`registration with the NIST SP 800-63B password rule (${store})`, () => {
  let nist: TestSandbox;
  beforeAll(async () => {
    nist = await startTestSandbox({ passwordRule: 'nist-800-63b' });
  });
  afterAll(() => nist?.stop());

  it('checks length, common and sequential passwords and context words, not composition', async () => {
    expect((await nist.call('GET', '/v1/policies')).body.password).toMatchObject({
      rule: 'nist-800-63b',
      minLength: 15,
    });
    const all = await identities(nist);
    const person = all.find((i) => i.state === 'unregistered' && i.chipSeed !== 7)!;
    const started = await nist.call('POST', '/v1/registrations', registrationBody(person));
    const sms = await lastSms(nist, person.phone, 'registration');
    await nist.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, { code: sms.code });
    const path = `/v1/registrations/${started.body.registrationId}/password`;
    const cases: [string, string][] = [
      ['Sandbox@2026', 'TOO_SHORT'],
      ['123456789012345', 'COMMON_PASSWORD'],
      ['abcdefghijklmnopq', 'REPETITIVE_OR_SEQUENTIAL'],
      ['zzzzzzzzzzzzzzzzzz', 'REPETITIVE_OR_SEQUENTIAL'],
      [`my id ${person.personalId}`, 'CONTEXT_SPECIFIC'],
      ['x'.repeat(10) + 'y'.repeat(60), 'TOO_LONG'],
    ];
    for (const [password, violation] of cases) {
      const res = await nist.call('POST', path, { password });
      expect(res.status).toBe(422);
      expect(res.body.violations).toContain(violation);
    }
    const ok = await nist.call('POST', path, { password: 'correct horse battery staple' });
    expect(ok.status).toBe(201);
  });
});
