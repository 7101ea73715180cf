/**
 * eID activation over real HTTP (IDENTITY-NOTES §2): the answers after ID + phone, the OTP,
 * the password step only when the account has none, the passcode and the security questions,
 * logging in again at the account's level; wrong step order, superseded and expired
 * activations, the start limit, and two concurrent accepts of one step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import {
  bearer,
  identity,
  lastSms,
  login,
  loginSession,
  smsCount,
  UNKNOWN_PERSONAL_ID,
  withoutRequestId,
} from './helpers.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

const ANSWERS = [
  { questionId: 'q1', answer: '  Trường Tiểu học   Đống Đa ' },
  { questionId: 'q3', answer: 'Mèo Mun' },
];

async function start(personalId: string, phone: string, deviceId = 'activation-device-1') {
  return sandbox.call('POST', '/v1/eid/activations', {
    personalId,
    phone,
    device: { id: deviceId, name: 'Test phone' },
  });
}

async function verifyOtp(phone: string, challengeId: string) {
  const sms = await lastSms(sandbox, phone, 'activation');
  return sandbox.call('POST', `/v1/otp/${challengeId}/verify`, { code: sms.code });
}

describe(`eID activation (${store})`, () => {
  it('lists the security-question catalogue', async () => {
    const res = await sandbox.call('GET', '/v1/eid/security-questions');
    expect(res.status).toBe(200);
    expect(res.body.required).toBe(2);
    expect(res.body.questions.length).toBeGreaterThanOrEqual(4);
    expect(res.body.questions[0]).toMatchObject({
      id: 'q1',
      text: expect.any(String),
      en: expect.any(String),
    });
  });

  it('activates an approved account without a password: OTP → password → passcode → questions → login at its level', async () => {
    const who = identity(15); // approved at level 2, no password yet
    const started = await start(who.personalId, who.phone);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      state: 'otp_sent',
      nextStep: 'otp',
      deviceBoundElsewhere: false,
      passwordRequired: true,
      maskedPhone: `${who.phone.slice(0, 3)}****${who.phone.slice(-3)}`,
      otp: { challengeId: expect.any(String), attemptsRemaining: 5 },
    });
    const id = started.body.activationId as string;
    const sms = await lastSms(sandbox, who.phone, 'activation');
    expect(sms.body).toBe(
      `VNeID: Mã OTP ${sms.code} có hiệu lực trong 3 phút, sử dụng để xác thực cho yêu cầu kích hoạt tài khoản.`,
    );

    // Steps before the OTP: conflict, with the step the activation is at.
    const early = await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '246813' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'conflict', nextStep: 'otp' });
    expect(
      (await sandbox.call('POST', `/v1/eid/activations/${id}/password`, { password: 'Sandbox@99x' })).body
        .code,
    ).toBe('conflict');

    const verified = await verifyOtp(who.phone, started.body.otp.challengeId);
    expect(verified.status).toBe(200);
    expect(verified.body.activation).toMatchObject({
      activationId: id,
      state: 'otp_verified',
      nextStep: 'password',
    });

    // The passcode before the password: conflict.
    const skip = await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '246813' });
    expect(skip.body).toMatchObject({ code: 'conflict', nextStep: 'password' });

    const weak = await sandbox.call('POST', `/v1/eid/activations/${id}/password`, { password: 'sandbox123' });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ code: 'password_policy_violation', violations: expect.any(Array) });
    expect(weak.body.violations.length).toBeGreaterThan(0);
    const password = 'Kich@hoat15';
    const pw = await sandbox.call('POST', `/v1/eid/activations/${id}/password`, { password });
    expect(pw.status).toBe(200);
    expect(pw.body).toMatchObject({ state: 'password_set', nextStep: 'passcode' });

    for (const [passcode, rule] of [
      ['111111', 'same_digit'],
      ['123456', 'sequence'],
      ['654321', 'sequence'],
      ['121212', 'repeated_pattern'],
    ] as const) {
      const trivial = await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode });
      expect(trivial.status).toBe(422);
      expect(trivial.body).toMatchObject({ code: 'passcode_policy_violation', rule });
    }
    const shortCode = await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '12345' });
    expect(shortCode.body).toMatchObject({ code: 'invalid_request', pointer: '/passcode' });
    const pc = await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '582941' });
    expect(pc.body).toMatchObject({ state: 'passcode_set', nextStep: 'security_questions' });

    const same = await sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, {
      answers: [ANSWERS[0], { questionId: 'q1', answer: 'other' }],
    });
    expect(same.body).toMatchObject({ code: 'invalid_request', pointer: '/answers/1/questionId' });
    const unknownQuestion = await sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, {
      answers: [ANSWERS[0], { questionId: 'q99', answer: 'x y' }],
    });
    expect(unknownQuestion.body).toMatchObject({ code: 'invalid_request', pointer: '/answers/1/questionId' });
    const one = await sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, {
      answers: [ANSWERS[0]],
    });
    expect(one.body.code).toBe('invalid_request');
    const done = await sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, {
      answers: ANSWERS,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', nextStep: 'login' });
    expect((await sandbox.call('GET', `/v1/eid/activations/${id}`)).body.state).toBe('completed');

    // Answers are stored as HMAC of the normalised form, never in clear.
    const stored = await sandbox.db.query<{ answer_mac: string }>(
      'SELECT s.answer_mac FROM security_answers s JOIN accounts a ON a.id = s.account_id WHERE a.personal_id = $1',
      [who.personalId],
    );
    expect(stored.rows).toHaveLength(2);
    for (const r of stored.rows) expect(r.answer_mac).not.toMatch(/truong|mun/i);

    // Log in again: the session carries the account's level; the passcode works.
    const session = await loginSession(
      sandbox,
      { personalId: who.personalId, password },
      'activation-device-1',
    );
    expect(session.account).toMatchObject({ level: 2, state: 'active' });
    const token = session.accessToken as string;
    const ok = await sandbox.call('POST', '/v1/passcode/verify', { passcode: '582941' }, bearer(token));
    expect(ok.status).toBe(200);
    const account = await sandbox.db.query<{ state: string; level: number }>(
      'SELECT state, level FROM accounts WHERE personal_id = $1',
      [who.personalId],
    );
    expect(account.rows[0]).toEqual({ state: 'active', level: 2 });

    // A step after completion, and a new start: conflict / already_activated.
    expect(
      (await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '582941' })).status,
    ).toBe(409);
    const again = await start(who.personalId, who.phone);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_activated');
  });

  it('skips the password step for an account that has one', async () => {
    const who = identity(14); // approved level 1 with a password
    const before = await sandbox.call('POST', '/v1/sessions', {
      personalId: who.personalId,
      password: who.password,
      device: { id: 'activation-device-14', name: 'Test phone' },
    });
    expect(before.body.code).toBe('account_not_activated');
    const started = await start(who.personalId, who.phone, 'activation-device-14');
    expect(started.body).toMatchObject({ passwordRequired: false, nextStep: 'otp' });
    const id = started.body.activationId as string;
    const verified = await verifyOtp(who.phone, started.body.otp.challengeId);
    expect(verified.body.activation).toMatchObject({ state: 'otp_verified', nextStep: 'passcode' });
    const pw = await sandbox.call('POST', `/v1/eid/activations/${id}/password`, { password: 'Another@Pw1' });
    expect(pw.status).toBe(409);
    expect(pw.body).toMatchObject({ code: 'conflict', nextStep: 'passcode' });
    expect(
      (await sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode: '392817' })).status,
    ).toBe(200);
    expect(
      (await sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, { answers: ANSWERS })).body
        .state,
    ).toBe('completed');
    const session = await loginSession(sandbox, who, 'activation-device-14');
    expect(session.account).toMatchObject({ level: 1, state: 'active' });
    const token = session.accessToken as string;
    expect(
      (await sandbox.call('POST', '/v1/passcode/verify', { passcode: '392817' }, bearer(token))).status,
    ).toBe(200);

    // Forgot passcode: with security questions chosen, the reset needs both answers; three wrong
    // pairs end it, and the normalised answers (case, diacritics, spacing) work.
    const resetWith = async () => {
      const reset = await sandbox.call('POST', '/v1/passcode/reset', undefined, bearer(token));
      const sms = await lastSms(sandbox, who.phone, 'passcode_reset');
      await sandbox.call('POST', `/v1/otp/${reset.body.otp.challengeId}/verify`, { code: sms.code });
      return reset.body.resetId as string;
    };
    const complete = (resetId: string, body: Record<string, unknown>) =>
      sandbox.call('POST', `/v1/passcode/reset/${resetId}`, body, bearer(token));
    const wrong = [ANSWERS[0], { questionId: 'q3', answer: 'Mèo Mướp' }];
    const first = await resetWith();
    expect((await complete(first, { passcode: '583920' })).body).toMatchObject({
      code: 'invalid_request',
      pointer: '/securityAnswers',
    });
    for (const remaining of [2, 1, 0]) {
      const res = await complete(first, { passcode: '583920', securityAnswers: wrong });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'security_answer_invalid', attemptsRemaining: remaining });
    }
    const ended = await complete(first, { passcode: '583920', securityAnswers: ANSWERS });
    expect(ended.body).toMatchObject({ code: 'conflict', state: 'failed' });
    expect(
      (await sandbox.call('POST', '/v1/passcode/verify', { passcode: '583920' }, bearer(token))).body.code,
    ).toBe('passcode_invalid');
    const second = await resetWith();
    const done = await complete(second, {
      passcode: '583920',
      securityAnswers: [
        { questionId: 'q3', answer: 'meo mun' },
        { questionId: 'q1', answer: 'TRUONG TIEU HOC DONG DA' },
      ],
    });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe('completed');
    expect(
      (await sandbox.call('POST', '/v1/passcode/verify', { passcode: '583920' }, bearer(token))).status,
    ).toBe(200);
  });

  it('answers an unknown ID, a wrong phone and an app-only account alike (account_not_identified, no SMS)', async () => {
    const app = identity(16);
    const approved = identity(14);
    const unknown = await start(UNKNOWN_PERSONAL_ID, '0912000099');
    const wrongPhone = await start(identity(11).personalId, '0912000098');
    const appOnly = await start(app.personalId, app.phone);
    for (const res of [unknown, wrongPhone, appOnly]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(appOnly.body));
    expect(withoutRequestId(wrongPhone.body)).toEqual(withoutRequestId(appOnly.body));
    expect(appOnly.body.code).toBe('account_not_identified');
    expect(await smsCount(sandbox, '0912000099')).toBe(0);
    expect(await smsCount(sandbox, '0912000098')).toBe(0);
    // With the right phone, the states are told apart.
    const active = identity(11);
    expect((await start(active.personalId, active.phone)).body.code).toBe('already_activated');
    const locked = identity(18);
    const lockedRes = await start(locked.personalId, locked.phone);
    expect(lockedRes.status).toBe(423);
    expect(lockedRes.body.code).toBe('account_locked');
    const expired = identity(12);
    expect((await start(expired.personalId, expired.phone)).body.code).toBe('card_expired');
    // The approved account's phone with another ID does not reveal it either.
    expect((await start(identity(11).personalId, approved.phone)).body.code).toBe('account_not_identified');
  });

  it('continues on a device bound to another eID account and says so', async () => {
    await sandbox.call('POST', '/__sandbox/reset'); // identity 14 is approved again
    await login(sandbox, identity(17), 'shared-device-17');
    const who = identity(14);
    const started = await start(who.personalId, who.phone, 'shared-device-17');
    expect(started.status).toBe(201);
    expect(started.body.deviceBoundElsewhere).toBe(true);
    const verified = await verifyOtp(who.phone, started.body.otp.challengeId);
    expect(verified.body.activation).toMatchObject({ deviceBoundElsewhere: true, state: 'otp_verified' });
  });

  it('accepts one of two concurrent submissions of a step', async () => {
    const who = identity(14);
    const started = await start(who.personalId, who.phone, 'race-device');
    const id = started.body.activationId as string;
    await verifyOtp(who.phone, started.body.otp.challengeId);
    const results = await Promise.all(
      ['392817', '582941'].map((passcode) =>
        sandbox.call('POST', `/v1/eid/activations/${id}/passcode`, { passcode }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const answers = await Promise.all(
      [0, 1].map(() =>
        sandbox.call('POST', `/v1/eid/activations/${id}/security-questions`, { answers: ANSWERS }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('supersedes an open activation with a new start, and ends one after 30 minutes', async () => {
    await sandbox.call('POST', '/__sandbox/reset');
    const who = identity(14);
    const first = await start(who.personalId, who.phone, 'device-a');
    const firstCode = (await lastSms(sandbox, who.phone, 'activation')).code;
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 61 });
    const second = await start(who.personalId, who.phone, 'device-b');
    expect(second.status).toBe(201);
    // The superseded activation's OTP is cancelled.
    const old = await sandbox.call('POST', `/v1/otp/${first.body.otp.challengeId}/verify`, {
      code: firstCode,
    });
    expect(old.body.code).toBe('otp_expired');
    const stale = await sandbox.call('POST', `/v1/eid/activations/${first.body.activationId}/passcode`, {
      passcode: '392817',
    });
    expect(stale.body).toMatchObject({
      code: 'conflict',
      detail: 'a newer activation was started for this account',
    });

    const verified = await verifyOtp(who.phone, second.body.otp.challengeId);
    expect(verified.status).toBe(200);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 30 * 60 - 1 });
    const inTime = await sandbox.call('GET', `/v1/eid/activations/${second.body.activationId}`);
    expect(inTime.body.state).toBe('otp_verified');
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 1 });
    const late = await sandbox.call('POST', `/v1/eid/activations/${second.body.activationId}/passcode`, {
      passcode: '392817',
    });
    expect(late.body).toMatchObject({ code: 'conflict', detail: 'the activation has expired; start again' });
  });

  it('limits starts per personal ID (10 an hour, the 11th is rate_limited with Retry-After)', async () => {
    const id = '001099999991';
    for (let i = 1; i <= 10; i++)
      expect((await start(id, '0912000097')).body.code).toBe('account_not_identified');
    const limited = await start(id, '0912000097');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('caps the activation OTPs sent to one account (the 6th start in an hour is otp_send_limit)', async () => {
    await sandbox.call('POST', '/__sandbox/reset');
    const who = identity(14);
    for (let i = 1; i <= 5; i++) expect((await start(who.personalId, who.phone)).status).toBe(201);
    const sixth = await start(who.personalId, who.phone);
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('otp_send_limit');
    expect(await smsCount(sandbox, who.phone)).toBe(5);
  });

  it.runIf(store === 'postgres')(
    'accepts a step once when two processes on one PostgreSQL race',
    async () => {
      await sandbox.call('POST', '/__sandbox/reset');
      const second = await startTestSandbox({ database: sandbox.database });
      try {
        const who = identity(14);
        const started = await start(who.personalId, who.phone, 'race-2');
        const id = started.body.activationId as string;
        await verifyOtp(who.phone, started.body.otp.challengeId);
        for (const [step, body] of [
          ['passcode', { passcode: '392817' }],
          ['security-questions', { answers: ANSWERS }],
        ] as const) {
          const results = await Promise.all(
            [sandbox, second, sandbox, second].map((s) =>
              s.call('POST', `/v1/eid/activations/${id}/${step}`, body),
            ),
          );
          expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
        }
        const activations = await sandbox.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM eid_activations WHERE id = $1 AND state = 'completed'",
          [id],
        );
        expect(activations.rows[0]!.n).toBe(1);
      } finally {
        await second.stop();
      }
    },
  );

  it('answers not_found for an unknown activation and invalid_request for malformed input', async () => {
    expect((await sandbox.call('GET', '/v1/eid/activations/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const bad = await sandbox.call('POST', '/v1/eid/activations', { personalId: '123', phone: '0912000001' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    const extra = await sandbox.call('POST', '/v1/eid/activations', {
      personalId: UNKNOWN_PERSONAL_ID,
      phone: '0912000001',
      device: { id: 'x', name: 'y', evil: true },
    });
    expect(extra.body).toMatchObject({ code: 'invalid_request', pointer: '/device/evil' });
  });
});
