/**
 * Level-1 eID applications and level-2 appointments over real HTTP: chip evidence (passive
 * authentication of the sandbox chip; the bad-signature card fails), QR evidence, evidence that
 * names someone else, the portrait checks and the body limit, processing status, decisions
 * through the sandbox controls with the approval SMS, activation after approval, the 3-day
 * sweep sparing an applicant, and the level-2 appointment.
 */
import { formatCccdQr } from '@vneid/core/qr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededIdentity } from '../../src/fixtures/identities.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { bearer, identity, lastSms, login, loginSession, PORTRAIT, registerAppAccount } from './helpers.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

const qrOf = (
  who: SeededIdentity,
  change: Partial<{ fullName: string; dateOfBirth: string; idNumber: string }> = {},
) =>
  formatCccdQr({
    kind: 'cccd',
    idNumber: who.personalId,
    oldIdNumber: null,
    fullName: who.fullName,
    dateOfBirth: who.birthDate,
    sex: who.sex,
    address: who.address,
    issueDate: '2021-06-01',
    extra: [],
    ...change,
  });

async function chipFiles(personalId: string) {
  const res = await sandbox.call('GET', `/__sandbox/chips/${personalId}`);
  expect(res.status).toBe(200);
  return res.body.files as Record<string, string>;
}

const submit = (token: string, body: unknown) =>
  sandbox.call('POST', '/v1/eid/applications', body, bearer(token));

describe(`level-1 eID application (${store})`, () => {
  it('applies with chip evidence, shows the processing status, approves with the SMS, then activates', async () => {
    const who = identity(7); // the software chip's holder
    const token = await registerAppAccount(sandbox, who, 'nfc-device');
    const files = await chipFiles(who.personalId);
    const res = await submit(token, {
      evidence: { kind: 'nfc', chipFiles: files },
      portrait: PORTRAIT,
      email: 'duong.thu@example.org',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      level: 1,
      status: 'pending',
      evidence: 'nfc',
      email: 'duong.thu@example.org',
      checks: { passiveAuthentication: 'ok', sodSignature: 'ok', personalId: 'match' },
      decidedAt: null,
    });
    const id = res.body.applicationId as string;
    const again = await submit(token, { evidence: { kind: 'nfc', chipFiles: files }, portrait: PORTRAIT });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');

    const status = await sandbox.call('GET', `/v1/eid/applications/${id}`, undefined, bearer(token));
    expect(status.body).toMatchObject({ applicationId: id, status: 'pending' });
    const list = await sandbox.call('GET', '/v1/eid/applications', undefined, bearer(token));
    expect(list.body.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual([id]);
    // Someone else's application is not found.
    const other = await login(sandbox, identity(16), 'app-16');
    expect((await sandbox.call('GET', `/v1/eid/applications/${id}`, undefined, bearer(other))).status).toBe(
      404,
    );

    const decided = await sandbox.call('POST', `/__sandbox/eid/applications/${id}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', decidedAt: expect.any(String) });
    expect(
      (await sandbox.call('POST', `/__sandbox/eid/applications/${id}/decision`, { decision: 'reject' }))
        .status,
    ).toBe(409);
    const sms = await lastSms(sandbox, who.phone, 'eid_approved');
    expect(sms.body).toBe(
      'Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan DUONG THU D da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.',
    );
    expect(
      (await sandbox.call('GET', `/v1/eid/applications/${id}`, undefined, bearer(token))).body.status,
    ).toBe('approved');
    const account = await sandbox.db.query('SELECT state, level FROM accounts WHERE personal_id = $1', [
      who.personalId,
    ]);
    expect(account.rows[0]).toEqual({ state: 'approved', level: 1 });

    // The approved account now activates.
    const activation = await sandbox.call('POST', '/v1/eid/activations', {
      personalId: who.personalId,
      phone: who.phone,
      device: { id: 'nfc-device', name: 'Test phone' },
    });
    expect(activation.status).toBe(201);
    expect(activation.body).toMatchObject({ passwordRequired: false, state: 'otp_sent' });
  });

  it('refuses chip evidence that fails passive authentication, or that names someone else', async () => {
    const bad = identity(19); // its EF.SOD signature does not verify
    const token = await registerAppAccount(sandbox, bad, 'bad-chip-device');
    const failed = await submit(token, {
      evidence: { kind: 'nfc', chipFiles: await chipFiles(bad.personalId) },
      portrait: PORTRAIT,
    });
    expect(failed.status).toBe(422);
    expect(failed.body).toMatchObject({
      code: 'chip_verification_failed',
      checks: { sodSignature: 'failed' },
    });

    const someoneElse = await submit(token, {
      evidence: { kind: 'nfc', chipFiles: await chipFiles(identity(1).personalId) },
      portrait: PORTRAIT,
    });
    expect(someoneElse.status).toBe(422);
    expect(someoneElse.body).toMatchObject({ code: 'evidence_mismatch' });
    expect(someoneElse.body.fields).toEqual(expect.arrayContaining(['personalId', 'fullName']));
    expect(JSON.stringify(someoneElse.body)).not.toContain(identity(1).personalId);

    const garbage = await submit(token, {
      evidence: { kind: 'nfc', chipFiles: { sod: 'AAAA', dg1: 'AAAA' } },
      portrait: PORTRAIT,
    });
    expect(garbage.body.code).toBe('chip_verification_failed');
    const none = await sandbox.call('GET', '/v1/eid/applications', undefined, bearer(token));
    expect(none.body.applications).toEqual([]);
  });

  it('applies with the QR payload (no NFC) and checks that it names the applicant', async () => {
    const who = identity(16); // seeded app account
    const token = await login(sandbox, who, 'app-16');
    const wrongBirth = await submit(token, {
      evidence: { kind: 'qr', qrPayload: qrOf(who, { dateOfBirth: '1990-01-01' }) },
      portrait: PORTRAIT,
    });
    expect(wrongBirth.body).toMatchObject({ code: 'evidence_mismatch', fields: ['birthDate'] });
    const notQr = await submit(token, {
      evidence: { kind: 'qr', qrPayload: 'hello|world' },
      portrait: PORTRAIT,
    });
    expect(notQr.body).toMatchObject({ code: 'invalid_request', pointer: '/evidence/qrPayload' });

    const res = await submit(token, { evidence: { kind: 'qr', qrPayload: qrOf(who) }, portrait: PORTRAIT });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      evidence: 'qr',
      status: 'pending',
      email: null,
      checks: { qrFormat: 'cccd' },
    });
    const rejected = await sandbox.call(
      'POST',
      `/__sandbox/eid/applications/${res.body.applicationId}/decision`,
      {
        decision: 'reject',
        reason: 'portrait unclear',
      },
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'portrait unclear' });
    const account = await sandbox.db.query('SELECT state, level FROM accounts WHERE personal_id = $1', [
      who.personalId,
    ]);
    expect(account.rows[0]).toEqual({ state: 'app', level: 0 });
    // After a rejection the citizen may apply again.
    expect(
      (await submit(token, { evidence: { kind: 'qr', qrPayload: qrOf(who) }, portrait: PORTRAIT })).status,
    ).toBe(201);
  });

  it('checks the portrait (JPEG, size) and the body limit, and refuses accounts that already have an eID', async () => {
    const who = identity(16);
    const token = await login(sandbox, who, 'app-16');
    const evidence = { kind: 'qr', qrPayload: qrOf(who) };
    const png = await submit(token, { evidence, portrait: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB' });
    expect(png.body).toMatchObject({ code: 'invalid_request', pointer: '/portrait' });
    const notBase64 = await submit(token, { evidence, portrait: '%%%%not base64%%%%' });
    expect(notBase64.body).toMatchObject({ code: 'invalid_request', pointer: '/portrait' });
    // 600 KiB decoded: inside the 1 MiB body limit, over the portrait limit.
    const big = Buffer.alloc(600 * 1024, 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const tooBig = await submit(token, { evidence, portrait: big.toString('base64') });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toMatchObject({ code: 'invalid_request', pointer: '/portrait' });
    const huge = await submit(token, { evidence, portrait: 'A'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
    const wrongKind = await submit(token, { evidence: { kind: 'nfc', qrPayload: 'x' }, portrait: PORTRAIT });
    expect(wrongKind.body.code).toBe('invalid_request');

    const active = await login(sandbox, identity(11), 'active-11');
    const already = await submit(active, {
      evidence: { kind: 'qr', qrPayload: qrOf(identity(11)) },
      portrait: PORTRAIT,
    });
    expect(already.status).toBe(409);
    expect(already.body.code).toBe('conflict');
    expect((await submit('not-a-token-at-all-xxxx', { evidence, portrait: PORTRAIT })).status).toBe(401);
    expect(
      (
        await sandbox.call('POST', '/__sandbox/eid/applications/AAAAAAAAAAAAAAAAAAAAAA/decision', {
          decision: 'approve',
        })
      ).status,
    ).toBe(404);
  });

  it('does not approve the application of an account locked meanwhile', async () => {
    const who = identity(16);
    const token = await login(sandbox, who, 'app-16');
    const list = await sandbox.call('GET', '/v1/eid/applications', undefined, bearer(token));
    const pending = list.body.applications.find((a: { status: string }) => a.status === 'pending');
    expect(pending).toBeDefined();
    expect(
      (await sandbox.call('POST', '/v1/account/lock', { reason: 'lost_device' }, bearer(token))).status,
    ).toBe(200);
    const decided = await sandbox.call(
      'POST',
      `/__sandbox/eid/applications/${pending.applicationId}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(decided.status).toBe(409);
    expect(decided.body.code).toBe('conflict');
  });

  it('keeps an app account that applied from the 3-day deletion', async () => {
    await sandbox.call('POST', '/__sandbox/reset');
    const applicant = identity(2);
    const idle = identity(3);
    const token = await registerAppAccount(sandbox, applicant, 'sweep-a');
    await registerAppAccount(sandbox, idle, 'sweep-b');
    expect(
      (await submit(token, { evidence: { kind: 'qr', qrPayload: qrOf(applicant) }, portrait: PORTRAIT }))
        .status,
    ).toBe(201);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 3 * 86_400 + 60 });
    // The sweep runs with the accounts flows; a login attempt triggers it.
    await sandbox.call('POST', '/v1/sessions', {
      personalId: idle.personalId,
      password: 'Dang@ky2026',
      device: { id: 'sweep-b', name: 'x' },
    });
    const rows = await sandbox.db.query<{ personal_id: string }>(
      'SELECT personal_id FROM accounts WHERE personal_id = ANY($1::text[])',
      [[applicant.personalId, idle.personalId]],
    );
    expect(rows.rows.map((r) => r.personal_id)).toEqual([applicant.personalId]);
  });
});

describe(`level-2 appointment (${store})`, () => {
  it('books for an active level-1 account, approves to level 2 with the SMS', async () => {
    await sandbox.call('POST', '/__sandbox/reset');
    const who = identity(11);
    const token = await login(sandbox, who, 'l2-device');
    const clock = await sandbox.call('GET', '/__sandbox/clock');
    const vnToday = new Date(Date.parse(clock.body.now) + 7 * 3600_000).toISOString().slice(0, 10);
    const dayAfter = (days: number) =>
      new Date(Date.parse(`${vnToday}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const past = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(-1) },
      bearer(token),
    );
    expect(past.body).toMatchObject({ code: 'invalid_request', pointer: '/date' });
    const far = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(91) },
      bearer(token),
    );
    expect(far.body).toMatchObject({ code: 'invalid_request', pointer: '/date' });
    const blank = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: '    ', date: dayAfter(1) },
      bearer(token),
    );
    expect(blank.body).toMatchObject({ code: 'invalid_request', pointer: '/policeOffice' });
    const booked = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(90) },
      bearer(token),
    );
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      status: 'booked',
      date: dayAfter(90),
      policeOffice: 'Công an phường Dịch Vọng',
    });
    const twice = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(0) },
      bearer(token),
    );
    expect(twice.body.code).toBe('conflict');
    const list = await sandbox.call('GET', '/v1/eid/appointments', undefined, bearer(token));
    expect(list.body.appointments).toHaveLength(1);

    const id = booked.body.appointmentId as string;
    const approved = await sandbox.call('POST', `/__sandbox/eid/appointments/${id}/decision`, {
      decision: 'approve',
    });
    expect(approved.body.status).toBe('approved');
    expect(
      (await sandbox.call('POST', `/__sandbox/eid/appointments/${id}/decision`, { decision: 'approve' }))
        .status,
    ).toBe(409);
    const sms = await lastSms(sandbox, who.phone, 'eid_approved');
    expect(sms.body).toContain('muc do 2');
    expect(sms.body).not.toMatch(/[^\x20-\x7e]/);
    const relogin = await loginSession(sandbox, who, 'l2-device');
    expect(relogin.account).toMatchObject({ state: 'active', level: 2 });

    // Level 2 cannot book again; an app account has level_insufficient.
    const again = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(3) },
      bearer(token),
    );
    expect(again.body.code).toBe('conflict');
    const app = await login(sandbox, identity(16), 'app-16');
    const low = await sandbox.call(
      'POST',
      '/v1/eid/appointments',
      { policeOffice: 'Công an phường Dịch Vọng', date: dayAfter(3) },
      bearer(app),
    );
    expect(low.status).toBe(403);
    expect(low.body.code).toBe('level_insufficient');
    expect(
      (
        await sandbox.call('POST', '/__sandbox/eid/appointments/AAAAAAAAAAAAAAAAAAAAAA/decision', {
          decision: 'approve',
        })
      ).status,
    ).toBe(404);
  });
});
