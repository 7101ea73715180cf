import { describe, expect, it } from 'vitest';
import type { IdentityClient } from '../src/index.ts';
import {
  chipRaw,
  identities,
  identity,
  lastCode,
  PORTRAIT,
  registerAndLogin,
  rejects,
  type TestSandbox,
  withSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
let client: IdentityClient;
withSandbox((up) => ({ sandbox, client } = up));

const ANSWERS = [
  { questionId: 'q1', answer: 'Trường Tiểu học Đống Đa' },
  { questionId: 'q3', answer: 'Mèo Mun' },
];

describe('eid: level-1 application with chip files, approval, activation', () => {
  it('the software chip holder registers, applies with the chip files as Uint8Array, is approved and activates to level 1', async () => {
    const holder = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const token = await registerAndLogin(sandbox, client, holder, 'chip-phone');
    const application = await client.eid.apply(token, {
      evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, holder.personalId) },
      portrait: PORTRAIT,
      email: 'holder@example.com',
    });
    expect(application).toMatchObject({ status: 'pending', evidence: 'nfc', level: 1 });
    await rejects(
      client.eid.apply(token, {
        evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, holder.personalId) },
        portrait: PORTRAIT,
      }),
      'conflict',
    );
    expect((await client.eid.applications(token)).map((a) => a.applicationId)).toEqual([
      application.applicationId,
    ]);
    const decided = await sandbox.call(
      'POST',
      `/__sandbox/eid/applications/${application.applicationId}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(decided.status).toBe(200);
    expect((await client.eid.application(token, application.applicationId)).status).toBe('approved');

    const questions = await client.eid.securityQuestions();
    expect(questions.required).toBe(2);
    const started = await client.eid.startActivation({
      personalId: holder.personalId,
      phone: holder.phone,
      device: { id: 'chip-phone', name: 'Phone' },
    });
    expect(started).toMatchObject({ state: 'otp_sent', nextStep: 'otp', passwordRequired: false });
    await rejects(client.eid.setActivationPasscode(started.activationId, '908172'), 'conflict');
    const verified = await client.account.verifyOtp(
      started.otp!.challengeId,
      await lastCode(sandbox, holder.phone, 'activation'),
    );
    expect(verified['activation']).toMatchObject({ state: 'otp_verified', nextStep: 'passcode' });
    const trivial = await rejects(
      client.eid.setActivationPasscode(started.activationId, '123456'),
      'passcode_policy_violation',
    );
    expect(trivial.status).toBe(422);
    const withPasscode = await client.eid.setActivationPasscode(started.activationId, '908172');
    expect(withPasscode.nextStep).toBe('security_questions');
    const done = await client.eid.answerSecurityQuestions(started.activationId, ANSWERS);
    expect(done).toMatchObject({ state: 'completed', nextStep: 'login' });
    expect((await client.eid.getActivation(started.activationId)).state).toBe('completed');
    const login = await client.account.login({
      personalId: holder.personalId,
      password: 'Sandbox@2026x',
      device: { id: 'chip-phone', name: 'Phone' },
    });
    expect(login.kind === 'session' && login.session.account).toMatchObject({ level: 1, state: 'active' });
    if (login.kind !== 'session') throw new Error('expected a session');

    // The session object names its device: the same token with another device id is refused.
    await client.account.currentSession(login.session);
    const elsewhere = { ...login.session, session: { ...login.session.session, deviceId: 'other-phone' } };
    await rejects(client.account.currentSession(elsewhere), 'new_device_challenge_required');

    // Forgot passcode: this account chose security questions, so the reset needs them.
    const reset = await client.account.startPasscodeReset(login.session);
    await client.account.verifyOtp(
      reset.otp!.challengeId,
      await lastCode(sandbox, holder.phone, 'passcode_reset'),
    );
    const wrong = await rejects(
      client.account.completePasscodeReset(login.session, reset.resetId, '591736', {
        securityAnswers: [ANSWERS[0]!, { questionId: 'q3', answer: 'Mèo Vàng' }],
      }),
      'security_answer_invalid',
    );
    expect(wrong.attemptsRemaining).toBe(2);
    const done2 = await client.account.completePasscodeReset(login.session, reset.resetId, '591736', {
      securityAnswers: ANSWERS,
    });
    expect(done2.state).toBe('completed');
    await client.account.verifyPasscode(login.session, '591736');
    await rejects(
      client.eid.startActivation({
        personalId: holder.personalId,
        phone: holder.phone,
        device: { id: 'chip-phone', name: 'P' },
      }),
      'already_activated',
    );
  });

  it('chip_verification_failed for a chip whose signature fails, evidence_mismatch for someone else’s chip', async () => {
    const bad = (await identities(sandbox)).find((i) => i.chipFault === 'bad_signature')!;
    const token = await registerAndLogin(sandbox, client, bad, 'bad-phone');
    const failed = await rejects(
      client.eid.apply(token, {
        evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, bad.personalId) },
        portrait: PORTRAIT,
      }),
      'chip_verification_failed',
    );
    expect(failed.status).toBe(422);
    expect(failed.problem?.['checks']).toMatchObject({ sodSignature: 'failed' });
    const other = await identity(sandbox, 'unregistered', 1);
    const mismatch = await rejects(
      client.eid.apply(token, {
        evidence: { kind: 'nfc', chipFiles: await chipRaw(sandbox, other.personalId) },
        portrait: PORTRAIT,
      }),
      'evidence_mismatch',
    );
    expect(mismatch.problem?.['fields']).toEqual(expect.arrayContaining(['personalId']));
    expect(mismatch.message).not.toContain(other.personalId);
    await rejects(
      client.eid.apply(token, {
        evidence: { kind: 'nfc', chipFiles: { dg1: new Uint8Array(4) } as never },
        portrait: PORTRAIT,
      }),
      'invalid_argument',
    );
  });

  it('activation answers: account_not_identified for an unknown ID or wrong phone, not for the right pair', async () => {
    const approved = await identity(sandbox, 'approved');
    const e = await rejects(
      client.eid.startActivation({
        personalId: '001099999990',
        phone: approved.phone,
        device: { id: 'x', name: 'x' },
      }),
      'account_not_identified',
    );
    expect(e.status).toBe(403);
    await rejects(
      client.eid.startActivation({
        personalId: approved.personalId,
        phone: '0999999999',
        device: { id: 'x', name: 'x' },
      }),
      'account_not_identified',
    );
  });

  it('level-2 appointment for a level-1 account; documents need level 2 (level_insufficient)', async () => {
    const l1 = await identity(sandbox, 'active', 0, 1);
    const l1Login = await client.account.login({
      personalId: l1.personalId,
      password: l1.password!,
      device: { id: 'l1', name: 'P' },
    });
    if (l1Login.kind !== 'session') throw new Error('expected a session');
    const date = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const appointment = await client.eid.bookAppointment(l1Login.session, {
      policeOffice: 'Công an phường Đống Đa',
      date,
    });
    expect(appointment).toMatchObject({ status: 'booked', date });
    expect((await client.eid.appointments(l1Login.session))[0]?.appointmentId).toBe(
      appointment.appointmentId,
    );
    await rejects(
      client.eid.requestDocument(l1Login.session, { type: 'tax_code', number: '0123456789' }),
      'level_insufficient',
    );

    const l2 = await identity(sandbox, 'active', 0, 2);
    const l2Login = await client.account.login({
      personalId: l2.personalId,
      password: l2.password!,
      device: { id: 'l2', name: 'P' },
    });
    if (l2Login.kind !== 'session') throw new Error('expected a session');
    const doc = await client.eid.requestDocument(l2Login.session, { type: 'tax_code', number: '0123456789' });
    expect(doc).toMatchObject({ status: 'pending', type: 'tax_code' });
    expect((await client.eid.documents(l2Login.session)).map((d) => d.documentId)).toContain(doc.documentId);
  });
});
