import { createDecipheriv } from 'node:crypto';
import { PKCS1_KEM } from 'micro-rsa-dsa-dh/rsa.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_LEGACY_CLIENT_ID,
  DEMO_LEGACY_CLIENT_SECRET,
  DEMO_LEGACY_ENC_CLIENT_ID,
  DEMO_LEGACY_PRIVATE_JWK,
} from '../../src/oidc/demo-legacy-client.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { Browser, ensureIdentities, identity } from './support.ts';

let sandbox: TestSandbox;
const level1 = identity('active', 1);
const level2 = identity('active', 2);
const REDIRECT = 'http://127.0.0.1:5173/callback';

const big = (b64url: string) => BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`);
const RSA_KEY = { n: big(DEMO_LEGACY_PRIVATE_JWK.n), d: big(DEMO_LEGACY_PRIVATE_JWK.d) };

/** RSA PKCS#1 v1.5 (micro-rsa-dsa-dh) for the AES key, then AES-128-ECB (node:crypto). */
function decryptWith(keyB64: string, dataB64: string): Buffer {
  const aesKey = PKCS1_KEM.decrypt(RSA_KEY, Buffer.from(keyB64, 'base64'));
  expect(aesKey.length).toBe(16);
  const decipher = createDecipheriv('aes-128-ecb', aesKey, null);
  return Buffer.concat([decipher.update(Buffer.from(dataB64, 'base64')), decipher.final()]);
}

function open(envelope: { data: string; key: string }): Record<string, unknown> {
  expect(Object.keys(envelope).sort()).toEqual(['data', 'key']);
  return JSON.parse(decryptWith(envelope.key, envelope.data).toString('utf8'));
}

function authUrl(params: Record<string, string>): string {
  return `${sandbox.url}/auth?${new URLSearchParams({
    response_type: 'code',
    client_id: DEMO_LEGACY_CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: 'openid',
    state: 'st-1',
    ...params,
  })}`;
}

function tokenRequest(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const body = {
    grant_type: 'authorization_code',
    client_id: DEMO_LEGACY_CLIENT_ID,
    client_secret: DEMO_LEGACY_CLIENT_SECRET,
    redirect_uri: REDIRECT,
    ...fields,
  };
  return fetch(`${sandbox.url}/token`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: contentType.startsWith('application/json')
      ? JSON.stringify(body)
      : new URLSearchParams(body).toString(),
  });
}

/** The callback's query as an RP must read it: `+` is a `+`, not a space (no form decoding). */
function rawQuery(location: URL): Map<string, string> {
  return new Map(
    location.search
      .slice(1)
      .split('&')
      .map((kv) => kv.split('=') as [string, string])
      .map(([k, v]) => [k, decodeURIComponent(v)]),
  );
}

async function autoCode(
  personalId: string,
  params: Record<string, string> = {},
): Promise<Map<string, string>> {
  const { location } = await new Browser().follow(authUrl({ login_hint: personalId, ...params }), REDIRECT);
  expect(location).toBeDefined();
  return rawQuery(location!);
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ profile: 'vneid-legacy', autoApprove: true });
  await ensureIdentities(sandbox);
});
afterAll(() => sandbox?.stop());

describe(`legacy VNeID SSO profile (${store})`, () => {
  it('keeps the FAPI 2.0 discovery and lists the legacy endpoints in it', async () => {
    const d = (await sandbox.call('GET', '/.well-known/openid-configuration')).body;
    expect(d.vneid_profile).toBe('vneid-legacy');
    expect(d.authorization_endpoint).toBe(`${sandbox.url}/oidc/auth`);
    expect(d.vneid_legacy).toMatchObject({
      authorization_endpoint: `${sandbox.url}/auth`,
      token_endpoint: `${sandbox.url}/token`,
      userinfo_endpoint: `${sandbox.url}/userinfo`,
    });
  });

  it('login page → code with "+" → form-encoded token request → {data,key} envelopes with VNeID claim names', async () => {
    const browser = new Browser();
    const first = await browser.follow(authUrl({}), REDIRECT);
    const html = await first.page!.text();
    expect(first.page!.status).toBe(200);
    const pageUrl = authUrl({});
    const approval = await browser.submit(
      pageUrl,
      html,
      { personalId: level2.personalId, password: level2.password! },
      REDIRECT,
    );
    const approvalHtml = await approval.page!.text();
    expect(approvalHtml).toContain(level2.fullName);
    const done = await browser.submit(pageUrl, approvalHtml, { decision: 'approve' }, REDIRECT);
    const query = rawQuery(done.location!);
    expect(query.get('state')).toBe('st-1');
    const code = query.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(code).toContain('+');
    expect(query.has('encrypt_key')).toBe(false);

    const tokenRes = await tokenRequest({ code });
    expect(tokenRes.status).toBe(200);
    const token = open(await tokenRes.json());
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: 'openid' });
    expect(token['id_token']).toBeUndefined();

    const infoRes = await fetch(`${sandbox.url}/userinfo`, {
      headers: { authorization: `Bearer ${token['access_token']}` },
    });
    expect(infoRes.status).toBe(200);
    const info = open(await infoRes.json());
    expect(info).toEqual({
      sub: expect.any(String),
      citizenPid: level2.personalId,
      fullName: level2.fullName,
      birthDate: level2.birthDate,
      accountType: 'CONG_DAN',
      accountLevel: 2,
    });
  });

  it('an encrypt_code client gets an encrypted code + encrypt_key, redeemable as received or decrypted', async () => {
    const enc = await autoCode(level1.personalId, { client_id: DEMO_LEGACY_ENC_CLIENT_ID });
    const code = enc.get('code')!;
    const encryptKey = enc.get('encrypt_key')!;
    expect(encryptKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const plain = decryptWith(encryptKey, code).toString('utf8');
    expect(plain).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(plain).toContain('+');
    // the encrypted code needs its encrypt_key
    const without = await tokenRequest({ client_id: DEMO_LEGACY_ENC_CLIENT_ID, code });
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({ error: 'invalid_grant' });
    const ok = await tokenRequest({ client_id: DEMO_LEGACY_ENC_CLIENT_ID, code, encrypt_key: encryptKey });
    expect(ok.status).toBe(200);
    expect(open(await ok.json())['token_type']).toBe('Bearer');

    const second = await autoCode(level1.personalId, { client_id: DEMO_LEGACY_ENC_CLIENT_ID });
    const decrypted = decryptWith(second.get('encrypt_key')!, second.get('code')!).toString('utf8');
    const viaPlain = await tokenRequest({ client_id: DEMO_LEGACY_ENC_CLIENT_ID, code: decrypted });
    expect(viaPlain.status).toBe(200);
  });

  it('refuses JSON (415), a wrong secret (401), a replayed code and a code turned into spaces (invalid_grant)', async () => {
    const query = await autoCode(level1.personalId);
    const code = query.get('code')!;
    const json = await tokenRequest({ code }, 'application/json');
    expect(json.status).toBe(415);
    const secret = await tokenRequest({ code, client_secret: 'nope' });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({ error: 'invalid_client' });
    const spaced = await tokenRequest({ code: code.replace(/\+/g, ' ') });
    expect(spaced.status).toBe(400);
    expect(await spaced.json()).toMatchObject({ error: 'invalid_grant' });
    const wrongRedirect = await tokenRequest({ code, redirect_uri: 'http://127.0.0.1:5174/callback' });
    expect(await wrongRedirect.json()).toMatchObject({ error: 'invalid_grant' });
    const first = await tokenRequest({ code });
    expect(first.status).toBe(200);
    const accessToken = open(await first.json())['access_token'];
    const replay = await tokenRequest({ code });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // the replay revoked what the code had issued
    const info = await fetch(`${sandbox.url}/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('a code lives 60 s on the sandbox clock: valid at 59 s, expired at 60 s', async () => {
    const early = await autoCode(level1.personalId);
    const late = await autoCode(level1.personalId);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 59 });
    expect((await tokenRequest({ code: early.get('code')! })).status).toBe(200);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 1 });
    const expired = await tokenRequest({ code: late.get('code')! });
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'authorization code expired',
    });
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: -60 });
  });

  it('an access token expires after 1800 s on the sandbox clock', async () => {
    const res = await tokenRequest({ code: (await autoCode(level2.personalId)).get('code')! });
    const accessToken = open(await res.json())['access_token'];
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 1799 });
    const before = await fetch(`${sandbox.url}/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(before.status).toBe(200);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: 1 });
    const after = await fetch(`${sandbox.url}/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(after.status).toBe(401);
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: -1800 });
  });

  it('rejects unknown clients and redirect URIs with a page, other errors with a redirect', async () => {
    const unknown = await fetch(authUrl({ client_id: 'nobody' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    const badRedirect = await fetch(authUrl({ redirect_uri: 'https://evil.example/callback' }), {
      redirect: 'manual',
    });
    expect(badRedirect.status).toBe(400);
    const badPort = await fetch(authUrl({ redirect_uri: 'http://127.0.0.1:99999/callback' }), {
      redirect: 'manual',
    });
    expect(badPort.status).toBe(400);
    const type = await fetch(authUrl({ response_type: 'token' }), { redirect: 'manual' });
    expect(type.status).toBe(303);
    expect(new URL(type.headers.get('location')!).searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
    const scope = await fetch(authUrl({ scope: 'profile' }), { redirect: 'manual' });
    expect(new URL(scope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
    const userinfo = await fetch(`${sandbox.url}/userinfo`);
    expect(userinfo.status).toBe(401);
    const oversized = await fetch(`${sandbox.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `code=${'a'.repeat(20_000)}`,
    });
    expect(oversized.status).toBe(413);
  });

  it('a locked or not-activated citizen cannot log in; a wrong password answers like an unknown ID', async () => {
    const browser = new Browser();
    const first = await browser.follow(authUrl({}), REDIRECT);
    const html = await first.page!.text();
    const approved = identity('approved', 1);
    const notActive = await browser.submit(
      authUrl({}),
      html,
      { personalId: approved.personalId, password: approved.password! },
      REDIRECT,
    );
    expect(notActive.page?.status).toBe(403);
    const locked = identity('locked', 1);
    const lockedRes = await browser.submit(
      authUrl({}),
      html,
      { personalId: locked.personalId, password: locked.password! },
      REDIRECT,
    );
    expect(lockedRes.page?.status).toBe(401);
    const csrf = await browser.submit(
      authUrl({}),
      html.replace(/name="csrf" value="[^"]+"/, 'name="csrf" value="x"'),
      {
        personalId: level1.personalId,
        password: level1.password!,
      },
      REDIRECT,
    );
    expect(csrf.page?.status).toBe(403);
  });

  it('two concurrent token requests for one code: exactly one gets a token', async () => {
    const code = (await autoCode(level1.personalId)).get('code')!;
    const answers = await Promise.all([
      tokenRequest({ code }),
      tokenRequest({ code }),
      tokenRequest({ code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('the demo clients are seeded again after POST /__sandbox/reset', async () => {
    expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
    const query = await autoCode(level1.personalId);
    expect((await tokenRequest({ code: query.get('code')! })).status).toBe(200);
  });
});
