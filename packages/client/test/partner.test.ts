import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryReplayStore, type IdentityClient, verifyWebhook } from '../src/index.ts';
import {
  chipRaw,
  clientFor,
  identities,
  PARTNER,
  rejects,
  startTestSandbox,
  type TestSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
let client: IdentityClient;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = clientFor(sandbox);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await sandbox?.stop();
});

describe('verify.chip', () => {
  it('verifies a seeded chip: the evidence JWS checks against the issuer JWKS', async () => {
    const who = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const result = await client.verify.chip({
      personalId: who.personalId,
      chipFiles: await chipRaw(sandbox, who.personalId),
    });
    expect(result.verified).toBe(true);
    expect(result.checks).toMatchObject({ sodSignature: 'ok', personalIdMatch: 'ok' });
    expect(result.evidence.split('.')).toHaveLength(3);
    expect(result.evidenceClaims).toMatchObject({ aud: PARTNER.code, iss: sandbox.url, verified: true });
    expect(result.keyId).toBeTruthy();
  });

  it('a bad signature chip is verified: false (signed), another person’s ID is verified: false', async () => {
    const bad = (await identities(sandbox)).find((i) => i.chipFault === 'bad_signature')!;
    const failed = await client.verify.chip({
      personalId: bad.personalId,
      chipFiles: await chipRaw(sandbox, bad.personalId),
    });
    expect(failed.verified).toBe(false);
    expect(failed.failure).toBeTruthy();
    const holder = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const other = await client.verify.chip({
      personalId: bad.personalId,
      chipFiles: await chipRaw(sandbox, holder.personalId),
    });
    expect(other.verified).toBe(false);
  });

  it('refuses an answer whose evidence was tampered with or does not match the answer (evidence_signature_invalid)', async () => {
    const who = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const files = await chipRaw(sandbox, who.personalId);
    const tamper = (mutate: (body: Record<string, unknown>) => void) =>
      clientFor(sandbox, {
        fetch: (async (url: string, init?: RequestInit) => {
          const res = await fetch(url, init);
          if (!url.endsWith('/v1/verifications/chip')) return res;
          const body = (await res.json()) as Record<string, unknown>;
          mutate(body);
          return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
        }) as typeof fetch,
      });
    // flips the answer to verified: true for a failing chip
    const flipped = tamper((b) => {
      b['verified'] = !b['verified'];
    });
    await rejects(
      flipped.verify.chip({ personalId: who.personalId, chipFiles: files }),
      'evidence_signature_invalid',
    );
    const forged = tamper((b) => {
      const [h, p, s] = String(b['evidence']).split('.');
      const payload = JSON.parse(atob(p!.replace(/-/g, '+').replace(/_/g, '/')));
      payload.verified = !payload.verified;
      b['verified'] = payload.verified;
      b['evidence'] =
        `${h}.${btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${s}`;
    });
    await rejects(
      forged.verify.chip({ personalId: who.personalId, chipFiles: files }),
      'evidence_signature_invalid',
    );
  });

  it('partner errors: partner_auth_failed for a wrong secret, invalid_argument without partner credentials', async () => {
    const who = (await identities(sandbox)).find((i) => i.chipSeed === 7)!;
    const files = await chipRaw(sandbox, who.personalId);
    const wrong = clientFor(sandbox, { partner: { code: PARTNER.code, secret: 'not-the-secret' } });
    const e = await rejects(
      wrong.verify.chip({ personalId: who.personalId, chipFiles: files }),
      'partner_auth_failed',
    );
    expect(e.status).toBe(401);
    const none = clientFor(sandbox, { partner: undefined });
    await rejects(none.verify.chip({ personalId: who.personalId, chipFiles: files }), 'invalid_argument');
  });

  it('nonce_replayed when the same signed request is sent twice', async () => {
    let first: { url: string; init: RequestInit } | undefined;
    const replaying = clientFor(sandbox, {
      retry: { retries: 0 },
      fetch: (async (url: string, init: RequestInit) => {
        if (first) return fetch(first.url, first.init);
        first = { url, init };
        return fetch(url, init);
      }) as typeof fetch,
    });
    await replaying.share.create({
      claims: ['full_name'],
      purpose: 'replay test',
      callbackUrl: 'https://rp.example/cb',
    });
    await rejects(
      replaying.share.create({
        claims: ['full_name'],
        purpose: 'replay test',
        callbackUrl: 'https://rp.example/cb',
      }),
      'nonce_replayed',
    );
  });
});

describe('share requests', () => {
  it('create → link/QR → citizen agrees → callback parsed → poll SUCCESS with data → signed webhook verified once', async () => {
    const request = await client.share.create({
      claims: ['full_name', 'birth_date'],
      purpose: 'Mở tài khoản ngân hàng',
      callbackUrl: 'https://rp.example/vneid/callback',
      webhookUrl: receiverUrl,
      ttlSeconds: 120,
    });
    expect(request.status).toBe('PENDING');
    const { universalLink, qrPayload } = client.share.link(request);
    expect(universalLink).toMatch(/^https?:\/\//);
    expect(qrPayload).toBe(universalLink);
    expect((await client.share.get(request.id)).status).toBe('PENDING');

    const citizen = (await identities(sandbox)).find((i) => i.state === 'active' && i.level === 2)!;
    const decision = await sandbox.call('POST', `/__sandbox/share-requests/${request.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'agree',
    });
    expect(decision.status).toBe(200);
    const callback = client.share.parseCallback(decision.body.redirectTo);
    expect(callback).toMatchObject({
      transactionCode: request.transactionCode,
      result: 'agreed',
      form: 'path',
    });

    const done = await client.share.poll(request.id, { intervalMs: 50 });
    expect(done.status).toBe('SUCCESS');
    expect(done.data).toMatchObject({ full_name: citizen.fullName, birth_date: citizen.birthDate });

    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received.length).toBeGreaterThan(0);
    const hook = received[0]!;
    // the client's own helper uses the partner secret and the client's clock
    expect(
      (await client.verifyWebhook({ headers: hook.headers as Record<string, string>, body: hook.body })).ok,
    ).toBe(true);
    const store = createMemoryReplayStore();
    const ok = await verifyWebhook({
      secret: PARTNER.secret,
      headers: hook.headers as Record<string, string>,
      body: hook.body,
      store,
    });
    expect(ok.ok).toBe(true);
    const again = await verifyWebhook({
      secret: PARTNER.secret,
      headers: hook.headers as Record<string, string>,
      body: hook.body,
      store,
    });
    expect(again).toEqual({ ok: false, reason: 'replayed' });
    const forged = await verifyWebhook({
      secret: 'other',
      headers: hook.headers as Record<string, string>,
      body: hook.body,
    });
    expect(forged).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refused and cancelled requests; polling sees the end state', async () => {
    const refused = await client.share.create({
      claims: ['full_name'],
      purpose: 'x',
      callbackUrl: 'https://rp.example/cb',
    });
    const citizen = (await identities(sandbox)).find((i) => i.state === 'active')!;
    const d = await sandbox.call('POST', `/__sandbox/share-requests/${refused.id}/decision`, {
      personalId: citizen.personalId,
      decision: 'refuse',
    });
    expect(client.share.parseCallback(d.body.redirectTo).result).toBe('refused');
    expect((await client.share.poll(refused.id, { intervalMs: 10 })).status).toBe('FAILED');
    const cancelled = await client.share.create({
      claims: ['full_name'],
      purpose: 'x',
      callbackUrl: 'https://rp.example/cb',
    });
    expect((await client.share.cancel(cancelled.id)).status).toBe('CANCELLED');
    await rejects(client.share.cancel(cancelled.id), 'conflict');
    await rejects(client.share.get('AAAAAAAAAAAAAAAAAAAAAA'), 'not_found');
  });

  it('an expired share request polls as EXPIRED (clock control)', async () => {
    const r = await client.share.create({
      claims: ['full_name'],
      purpose: 'x',
      callbackUrl: 'https://rp.example/cb',
      ttlSeconds: 10,
    });
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 11 });
    expect((await client.share.poll(r.id, { intervalMs: 10 })).status).toBe('EXPIRED');
    const e = await rejects(client.share.cancel(r.id), 'share_request_expired');
    expect(e.status).toBe(410);
  });
});
