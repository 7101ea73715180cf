import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/index.ts';
import { randomId } from '../../src/secrets.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { activeLevel1, activeLevel2, approvedIdentity, signedCall } from './support.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let sandbox: TestSandbox;
let hooks: Server;
let hookUrl: string;
const received: Received[] = [];
// Status codes the receiver answers, one per request (then 200).
const answers: number[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await sandbox?.stop();
  await new Promise((resolve) => hooks?.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});

const CALLBACK = 'https://rp.example/vneid/callback';

async function create(body: Record<string, unknown> = {}) {
  const { answer } = await signedCall(sandbox, 'POST', '/v1/share-requests', {
    claims: ['personal_id', 'full_name', 'birth_date'],
    purpose: 'Mở tài khoản ngân hàng',
    callbackUrl: CALLBACK,
    webhookUrl: hookUrl,
    ttlSeconds: 120,
    ...body,
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

const poll = async (id: string) => (await signedCall(sandbox, 'GET', `/v1/share-requests/${id}`)).answer;

/** Waits (up to 15 s) for a webhook about `shareRequestId`, verifying its signature. */
async function webhookFor(
  shareRequestId: string,
  status: string,
): // biome-ignore lint/suspicious/noExplicitAny: tests inspect webhook bodies freely
Promise<Received & { json: any }> {
  for (let i = 0; i < 150; i++) {
    for (const r of received) {
      const json = JSON.parse(r.body);
      if (json.data?.shareRequestId === shareRequestId && json.data?.status === status) return { ...r, json };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${status} webhook for ${shareRequestId}`);
}

function expectSignedWebhook(hook: Received) {
  const id = String(hook.headers['x-webhook-id']);
  const timestamp = String(hook.headers['x-webhook-timestamp']);
  const signature = String(hook.headers['x-webhook-signature']);
  expect(timestamp).toMatch(/^[0-9]+$/);
  const expected = `sha256=${createHmac('sha256', 'demo-bank-sandbox-secret').update(`${id}.${timestamp}.${hook.body}`).digest('hex')}`;
  expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
  expect(JSON.parse(hook.body).id).toBe(id);
}

async function consentForm(id: string, form: Record<string, string>) {
  const res = await fetch(`${sandbox.url}/__sandbox/consent/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

describe(`share requests (${store})`, () => {
  it('creates a pending request (TTL ≤ 300 s) and refuses a longer TTL, a callback with a query and unknown claims', async () => {
    const created = await create({ ttlSeconds: 300 });
    expect(created).toMatchObject({
      id: expect.any(String),
      transactionCode: expect.any(String),
      status: 'PENDING',
      claims: ['personal_id', 'full_name', 'birth_date'],
      universalLink: `${sandbox.url}/__sandbox/consent/${created.id}`,
      qrPayload: `${sandbox.url}/__sandbox/consent/${created.id}`,
    });
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(300_000);
    expect(created.data).toBeUndefined();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ttlSeconds: 301 }, '/ttlSeconds'],
      [{ callbackUrl: `${CALLBACK}?a=1` }, '/callbackUrl'],
      [{ callbackUrl: 'javascript:alert(1)' }, '/callbackUrl'],
      [{ claims: ['password'] }, '/claims/0'],
      [{ claims: [] }, '/claims'],
      [{ purpose: '' }, '/purpose'],
    ];
    for (const [body, pointer] of cases) {
      const { answer } = await signedCall(sandbox, 'POST', '/v1/share-requests', {
        claims: ['personal_id'],
        purpose: 'x',
        callbackUrl: CALLBACK,
        ...body,
      });
      expect(answer.status, pointer).toBe(400);
      expect(answer.body, pointer).toMatchObject({ code: 'invalid_request', pointer });
    }
  });

  it('only the partner that made a request can read it; others get not_found, unsigned 401', async () => {
    const created = await create();
    await sandbox.db.query(
      "INSERT INTO partners (code, name, secret, created_at) VALUES ('other-bank', 'Other', 'other-secret', $1) ON CONFLICT DO NOTHING",
      [new Date()],
    );
    const other = await signedCall(sandbox, 'GET', `/v1/share-requests/${created.id}`, undefined, {
      code: 'other-bank',
      secret: 'other-secret',
    });
    expect(other.answer.status).toBe(404);
    expect(other.answer.body.code).toBe('not_found');
    expect((await sandbox.call('GET', `/v1/share-requests/${created.id}`)).status).toBe(401);
  });

  it('agree on the consent page: password checked, 303 to callback/transactionCode|1, SUCCESS with the data, signed webhook', async () => {
    const citizen = activeLevel1();
    const created = await create({
      claims: ['personal_id', 'full_name', 'birth_date', 'sex', 'account_level'],
      purpose: '<script>x</script>',
    });
    const page = await fetch(created.universalLink);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Demo Bank (sandbox)');
    expect(html).toContain('Họ và tên');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    // No default "agree": nothing pre-selected, and implicit submission hits a disabled button first.
    expect(html).not.toMatch(/checked|autofocus/);
    expect(html.indexOf('<button type="submit" disabled')).toBeLessThan(html.indexOf('value="agree"'));

    const wrong = await consentForm(created.id, {
      personalId: citizen.personalId,
      password: 'Wrong#Pass1',
      decision: 'agree',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('role="alert"');
    expect((await poll(created.id)).body.status).toBe('PENDING');
    const undecided = await consentForm(created.id, {
      personalId: citizen.personalId,
      password: citizen.password!,
    });
    expect(undecided.status).toBe(400);
    expect((await poll(created.id)).body.status).toBe('PENDING');

    const agreed = await consentForm(created.id, {
      personalId: citizen.personalId,
      password: citizen.password!,
      decision: 'agree',
    });
    expect(agreed.status).toBe(303);
    expect(agreed.location).toBe(`${CALLBACK}/${created.transactionCode}|1`);
    const done = await poll(created.id);
    expect(done.body).toMatchObject({
      status: 'SUCCESS',
      result: 1,
      decidedAt: expect.any(String),
      data: {
        personal_id: citizen.personalId,
        full_name: citizen.fullName,
        birth_date: citizen.birthDate,
        sex: citizen.sex,
        account_level: 1,
      },
    });
    expect(Object.keys(done.body.data).sort()).toEqual([
      'account_level',
      'birth_date',
      'full_name',
      'personal_id',
      'sex',
    ]);
    const hook = await webhookFor(created.id, 'SUCCESS');
    expectSignedWebhook(hook);
    expect(hook.json).toMatchObject({
      type: 'share_request.updated',
      data: {
        shareRequestId: created.id,
        transactionCode: created.transactionCode,
        status: 'SUCCESS',
        result: 1,
      },
    });
    // No personal data in the webhook: the partner fetches it with a signed request.
    expect(hook.body).not.toContain(citizen.personalId);

    // Decided once: the page shows the outcome, a second decision is a conflict.
    const again = await consentForm(created.id, {
      personalId: citizen.personalId,
      password: citizen.password!,
      decision: 'refuse',
    });
    expect(again.status).toBe(409);
    const decision = await sandbox.call('POST', `/__sandbox/share-requests/${created.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'refuse',
    });
    expect(decision.status).toBe(409);
    expect(decision.body.code).toBe('conflict');
  });

  it('refuse: FAILED with result 2 and no data, callback |2, webhook retried after a failed delivery with the same id', async () => {
    const citizen = activeLevel1();
    const created = await create();
    answers.push(500);
    const refused = await sandbox.call('POST', `/__sandbox/share-requests/${created.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'refuse',
    });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({
      id: created.id,
      status: 'FAILED',
      result: 2,
      redirectTo: `${CALLBACK}/${created.transactionCode}|2`,
    });
    const polled = await poll(created.id);
    expect(polled.body).toMatchObject({ status: 'FAILED', result: 2 });
    expect(polled.body.data).toBeUndefined();
    // The first delivery got a 500; the retry (due 2 s later on the sandbox clock) carries the same id.
    const first = await webhookFor(created.id, 'FAILED');
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 5 });
    const mine = () => received.filter((r) => JSON.parse(r.body).data?.shareRequestId === created.id);
    for (let i = 0; i < 150 && mine().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(mine().length).toBe(2);
    expect(mine()[1]!.headers['x-webhook-id']).toBe(first.headers['x-webhook-id']);
    expectSignedWebhook(mine()[1]!);
    // The sender records the delivery after the receiver has answered.
    const row = async () =>
      (
        await sandbox.db.query<{ attempts: number; delivered: boolean; last_status: number }>(
          'SELECT attempts, delivered_at IS NOT NULL AS delivered, last_status FROM webhook_deliveries WHERE id = $1',
          [first.headers['x-webhook-id']],
        )
      ).rows;
    for (let i = 0; i < 50 && (await row())[0]?.delivered !== true; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await row()).toEqual([{ attempts: 2, delivered: true, last_status: 200 }]);
  });

  it('expires at the exact second (clock control): PENDING one second before, EXPIRED with result 3 at expiresAt', async () => {
    const citizen = activeLevel1();
    const created = await create({ ttlSeconds: 60 });
    const expiresAt = Date.parse(created.expiresAt);
    await sandbox.call('POST', '/__sandbox/clock', { set: new Date(expiresAt - 1000).toISOString() });
    expect((await poll(created.id)).body.status).toBe('PENDING');
    await sandbox.call('POST', '/__sandbox/clock', { set: new Date(expiresAt).toISOString() });
    const expired = await poll(created.id);
    expect(expired.body).toMatchObject({ status: 'EXPIRED', result: 3, decidedAt: created.expiresAt });
    const hook = await webhookFor(created.id, 'EXPIRED');
    expectSignedWebhook(hook);
    expect(hook.json.data.result).toBe(3);
    const late = await sandbox.call('POST', `/__sandbox/share-requests/${created.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'agree',
    });
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({
      code: 'share_request_expired',
      redirectTo: `${CALLBACK}/${created.transactionCode}|3`,
    });
    const page = await (await fetch(created.universalLink)).text();
    expect(page).toContain(`href="${CALLBACK}/${created.transactionCode}|3"`);
    expect(page).not.toContain('name="password"');
    await sandbox.call('POST', '/__sandbox/clock', { set: new Date().toISOString() });
  });

  it('a request nobody polls expires through the sweep and its webhook is sent', async () => {
    const created = await create({ ttlSeconds: 10 });
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 11 });
    const hook = await webhookFor(created.id, 'EXPIRED');
    expect(hook.json.data.result).toBe(3);
    await sandbox.call('POST', '/__sandbox/clock', { set: new Date().toISOString() });
  });

  it('agreeing needs an activated account, and level 2 for documents; refusing does not', async () => {
    const approved = approvedIdentity();
    const basic = await create();
    const notActive = await sandbox.call('POST', `/__sandbox/share-requests/${basic.id}/decision`, {
      personalId: approved.personalId,
      decision: 'agree',
    });
    expect(notActive.status).toBe(403);
    expect(notActive.body.code).toBe('account_not_activated');
    expect((await poll(basic.id)).body.status).toBe('PENDING');

    const documents = await create({ claims: ['full_name', 'driving_licence', 'tax_code'] });
    const level1 = await sandbox.call('POST', `/__sandbox/share-requests/${documents.id}/decision`, {
      personalId: activeLevel1().personalId,
      decision: 'agree',
    });
    expect(level1.status).toBe(403);
    expect(level1.body.code).toBe('level_insufficient');

    const citizen = activeLevel2();
    const { rows } = await sandbox.db.query<{ id: string }>(
      'SELECT id FROM accounts WHERE personal_id = $1',
      [citizen.personalId],
    );
    await sandbox.db.query(
      `INSERT INTO integrated_documents (id, account_id, type, number, status, created_at, decided_at)
       VALUES ($1, $2, 'driving_licence', '012345678901', 'approved', $3, $3)`,
      [randomId(), rows[0]!.id, new Date()],
    );
    const level2 = await sandbox.call('POST', `/__sandbox/share-requests/${documents.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'agree',
    });
    expect(level2.status).toBe(200);
    const shared = (await poll(documents.id)).body.data;
    expect(shared).toEqual({
      full_name: citizen.fullName,
      driving_licence: { number: '012345678901', status: 'approved', decidedAt: expect.any(String) },
    });

    const refuse = await sandbox.call('POST', `/__sandbox/share-requests/${basic.id}/decision`, {
      personalId: approved.personalId,
      decision: 'refuse',
    });
    expect(refuse.body.status).toBe('FAILED');
    const unknown = await sandbox.call('POST', `/__sandbox/share-requests/${randomId()}/decision`, {
      personalId: citizen.personalId,
      decision: 'refuse',
    });
    expect(unknown.body.code).toBe('not_found');
  });

  it('two decisions at once (and, on PostgreSQL, from two processes) decide exactly once', async () => {
    const citizen = activeLevel1();
    const decide = (url: string, id: string, decision: string) =>
      fetch(`${url}/__sandbox/share-requests/${id}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personalId: citizen.personalId, decision }),
      }).then((r) => r.status);
    const second = store === 'postgres' ? await startSandbox({ database: sandbox.database, port: 0 }) : null;
    try {
      for (let round = 0; round < 3; round++) {
        const created = await create({ webhookUrl: undefined });
        const other = second?.url ?? sandbox.url;
        const statuses = await Promise.all([
          decide(sandbox.url, created.id, 'agree'),
          decide(other, created.id, 'refuse'),
          decide(sandbox.url, created.id, 'refuse'),
          decide(other, created.id, 'agree'),
        ]);
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(3);
        expect(['SUCCESS', 'FAILED']).toContain((await poll(created.id)).body.status);
      }
    } finally {
      await second?.stop();
    }
  });

  it('the partner can cancel a pending request (CANCELLED, webhook), not a decided one', async () => {
    const created = await create();
    const cancelled = await signedCall(sandbox, 'POST', `/v1/share-requests/${created.id}/cancel`);
    expect(cancelled.answer.status).toBe(200);
    expect(cancelled.answer.body.status).toBe('CANCELLED');
    expect(cancelled.answer.body.result).toBeUndefined();
    await webhookFor(created.id, 'CANCELLED');
    const twice = await signedCall(sandbox, 'POST', `/v1/share-requests/${created.id}/cancel`);
    expect(twice.answer.status).toBe(409);
    expect(twice.answer.body.code).toBe('conflict');
    const page = await fetch(created.universalLink);
    expect(await page.text()).not.toContain('name="password"');
    expect((await fetch(`${sandbox.url}/__sandbox/consent/${randomId()}`)).status).toBe(404);
  });
});
