import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_LEGACY_CLIENT_ID,
  DEMO_LEGACY_CLIENT_SECRET,
  DEMO_LEGACY_ENC_CLIENT_ID,
  DEMO_LEGACY_PRIVATE_JWK,
} from '../../sandbox/src/oidc/demo-legacy-client.ts';
import { type AuthorizationRequest, createIdentityClient, type IdentityClientOptions } from '../src/index.ts';
import { parseRawQuery } from '../src/sso/legacy.ts';
import {
  advance,
  type Identity,
  identities,
  rejects,
  startTestSandbox,
  type TestSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
let citizen: Identity;
let redirect: string;
beforeAll(async () => {
  sandbox = await startTestSandbox({ profile: 'vneid-legacy', autoApprove: true });
  citizen = (await identities(sandbox)).find((i) => i.state === 'active' && i.level === 2)!;
  redirect = `http://127.0.0.1:${sandbox.port + 1}/callback`;
});
afterAll(() => sandbox?.stop());

function rp(extra: Partial<IdentityClientOptions> = {}, clientId = DEMO_LEGACY_CLIENT_ID) {
  const calls: { url: string; contentType: string | null; body: string }[] = [];
  const client = createIdentityClient({
    issuer: sandbox.url,
    profile: 'vneid-legacy',
    clientId,
    clientAuth: {
      kind: 'client_secret_post',
      secret: DEMO_LEGACY_CLIENT_SECRET,
      decryptionKey: DEMO_LEGACY_PRIVATE_JWK,
    },
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({
        url,
        contentType: new Headers(init.headers).get('content-type'),
        body: String(init.body ?? ''),
      });
      return fetch(url, init);
    }) as typeof fetch,
    ...extra,
  });
  return { client, calls };
}

/** The browser's trip to the redirect back, as the raw Location header (no URL normalisation). */
async function authorize(request: AuthorizationRequest): Promise<string> {
  const res = await fetch(request.url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location)
    throw new Error(`no redirect: ${res.status} ${await res.text()}`);
  return location;
}

describe('sso vneid-legacy against the sandbox', () => {
  it('plain /auth (state only), a code with "+" kept, form-encoded token request, decrypted envelopes, VNeID claims normalised', async () => {
    const { client, calls } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const auth = new URL(request.url);
    expect(auth.pathname).toBe('/auth');
    expect([...auth.searchParams.keys()].sort()).toEqual([
      'client_id',
      'login_hint',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
    expect(request.codeVerifier).toBe('');
    expect(request.nonce).toBe('');
    // VNeID was observed sending the base64 code with a bare "+" (the sandbox sends %2B): send it that way
    const callback = (await authorize(request)).replace(/%2B/g, '+');
    const rawCode = parseRawQuery(callback).get('code')!;
    expect(rawCode).toContain('+');
    expect(new URL(callback).searchParams.get('code')).toBe(rawCode.replace(/\+/g, ' ')); // what naive parsing gives

    const { tokens, claims } = await client.sso.handleCallback(callback, request);
    expect(claims).toMatchObject({
      personalId: citizen.personalId,
      fullName: citizen.fullName,
      birthDate: citizen.birthDate,
      accountLevel: 2,
    });
    expect(claims.raw).toMatchObject({ citizenPid: citizen.personalId, accountType: 'CONG_DAN' });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.idToken).toBeUndefined();
    const token = calls.find((c) => c.url.endsWith('/token'))!;
    expect(token.contentType).toBe('application/x-www-form-urlencoded');
    const sent = new URLSearchParams(token.body);
    expect(sent.get('code')).toBe(rawCode);
    expect(sent.get('client_secret')).toBe(DEMO_LEGACY_CLIENT_SECRET);
    expect(String(claims)).not.toContain(citizen.personalId);
  });

  it('an encrypted code with encrypt_key (demo-legacy-enc) is passed on unchanged', async () => {
    const { client, calls } = rp({}, DEMO_LEGACY_ENC_CLIENT_ID);
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const callback = await authorize(request);
    const raw = parseRawQuery(callback);
    expect(raw.get('encrypt_key')).toBeTruthy();
    const { claims } = await client.sso.handleCallback(callback, request);
    expect(claims.personalId).toBe(citizen.personalId);
    const sent = new URLSearchParams(calls.find((c) => c.url.endsWith('/token'))!.body);
    expect(sent.get('code')).toBe(raw.get('code'));
    expect(sent.get('encrypt_key')).toBe(raw.get('encrypt_key'));
  });

  it('wrong state, replayed code, expired request: state_mismatch, invalid_grant, authorization_request_expired', async () => {
    const { client } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const callback = await authorize(request);
    await rejects(
      client.sso.handleCallback(callback, { ...request, state: 'other-state' }),
      'state_mismatch',
    );
    await client.sso.handleCallback(callback, request);
    const replay = await rejects(client.sso.handleCallback(callback, request), 'invalid_grant');
    expect(replay.status).toBe(400);

    let skew = 0;
    const late = rp({ now: () => Date.now() + skew }).client;
    const r2 = await late.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const c2 = await authorize(r2);
    skew = r2.expiresAt - Date.now() + 1;
    await rejects(late.sso.handleCallback(c2, r2), 'authorization_request_expired');
  });

  it('a code past its 60 s (sandbox clock) is invalid_grant', async () => {
    const { client } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const callback = await authorize(request);
    await advance(sandbox, 61);
    await rejects(client.sso.handleCallback(callback, request), 'invalid_grant');
    await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: -61 });
  });

  it('a tampered envelope and a wrong RSA key are decryption_failed, with one message', async () => {
    const tampering = rp({
      fetch: (async (url: string, init: RequestInit) => {
        const res = await fetch(url, init);
        if (!url.endsWith('/token')) return res;
        const env = (await res.json()) as { data: string; key: string };
        const data = Uint8Array.from(atob(env.data), (c) => c.charCodeAt(0));
        data[data.length - 1]! ^= 1;
        return new Response(JSON.stringify({ ...env, data: btoa(String.fromCharCode(...data)) }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    }).client;
    const r1 = await tampering.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const e1 = await rejects(tampering.sso.handleCallback(await authorize(r1), r1), 'decryption_failed');

    const other = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['encrypt', 'decrypt'],
    );
    const wrongKey = rp({
      clientAuth: {
        kind: 'client_secret_post',
        secret: DEMO_LEGACY_CLIENT_SECRET,
        decryptionKey: other.privateKey,
      },
    }).client;
    const r2 = await wrongKey.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const e2 = await rejects(wrongKey.sso.handleCallback(await authorize(r2), r2), 'decryption_failed');
    expect(e1.message).toBe(e2.message);

    const noKey = rp({
      clientAuth: { kind: 'client_secret_post', secret: DEMO_LEGACY_CLIENT_SECRET },
    }).client;
    const r3 = await noKey.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    await rejects(noKey.sso.handleCallback(await authorize(r3), r3), 'invalid_argument');
  });

  it('a wrong client secret is oauth_error with the OAuth error code', async () => {
    const { client } = rp({
      clientAuth: { kind: 'client_secret_post', secret: 'wrong', decryptionKey: DEMO_LEGACY_PRIVATE_JWK },
    });
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: redirect,
      loginHint: citizen.personalId,
    });
    const e = await rejects(client.sso.handleCallback(await authorize(request), request), 'oauth_error');
    expect(e.serverCode).toBe('invalid_client');
  });
});
