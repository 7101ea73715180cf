import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RP_CLIENT_ID, DEMO_RP_PRIVATE_JWK } from '../../sandbox/src/oidc/demo-client.ts';
import { Browser } from '../../sandbox/test/oidc/support.ts';
import { type AuthorizationRequest, createIdentityClient, type IdentityClientOptions } from '../src/index.ts';
import { type Identity, identities, rejects, startTestSandbox, type TestSandbox } from './support/client.ts';

const REDIRECT = 'http://127.0.0.1:4020/callback';
let sandbox: TestSandbox;
let level1: Identity;
let level2: Identity;
beforeAll(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
  const all = await identities(sandbox);
  level1 = all.find((i) => i.state === 'active' && i.level === 1)!;
  level2 = all.find((i) => i.state === 'active' && i.level === 2)!;
});
afterAll(() => sandbox?.stop());

interface Seen {
  url: string;
  method: string;
  dpop: boolean;
  nonceInProof: boolean;
  status: number;
  requestId: string | null;
}
function rp(extra: Partial<IdentityClientOptions> = {}) {
  const seen: Seen[] = [];
  const client = createIdentityClient({
    issuer: sandbox.url,
    profile: 'fapi2',
    clientId: DEMO_RP_CLIENT_ID,
    clientAuth: { kind: 'private_key_jwt', key: DEMO_RP_PRIVATE_JWK, kid: DEMO_RP_PRIVATE_JWK.kid },
    fetch: (async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      const proof = headers.get('dpop');
      const payload = proof
        ? JSON.parse(atob(proof.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))
        : undefined;
      const res = await fetch(url, init);
      seen.push({
        url,
        method: init.method ?? 'GET',
        dpop: proof !== null,
        nonceInProof: payload?.nonce !== undefined,
        status: res.status,
        requestId: headers.get('x-request-id'),
      });
      return res;
    }) as typeof fetch,
    ...extra,
  });
  return { client, seen };
}

/** The browser's trip: from the authorization URL to the redirect back (auto-approve with login_hint). */
async function authorize(request: AuthorizationRequest): Promise<string> {
  const { location, page } = await new Browser().follow(request.url, REDIRECT);
  if (!location) throw new Error(`no redirect back: HTTP ${page?.status} ${await page?.text()}`);
  return location.href;
}

describe('sso fapi2 against the sandbox OpenID Provider', () => {
  it('PAR + PKCE + DPoP (nonce retry) + private_key_jwt: tokens and normalised claims of a level-2 citizen', async () => {
    const { client, seen } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: REDIRECT,
      scope: 'openid profile vneid',
      minAccountLevel: 2,
      loginHint: level2.personalId,
    });
    expect(request.url).toContain('request_uri=');
    expect(request.url).not.toContain('code_challenge');
    expect(request.codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(request.nonce).toBeTruthy();
    expect(request.expiresAt).toBeGreaterThan(Date.now());
    const callback = await authorize(request);
    expect(new URL(callback).searchParams.get('iss')).toBe(sandbox.url);
    const { tokens, claims } = await client.sso.handleCallback(callback, request);
    expect(claims).toMatchObject({
      personalId: level2.personalId,
      fullName: level2.fullName,
      birthDate: level2.birthDate,
      sex: level2.sex,
      accountLevel: 2,
    });
    expect(claims.raw['acr']).toBe('LoA2');
    expect(tokens.tokenType.toLowerCase()).toBe('dpop');
    expect(tokens.idToken).toBeTruthy();
    expect(JSON.stringify({ tokens, claims })).not.toContain(tokens.accessToken);
    expect(JSON.stringify({ tokens, claims })).not.toContain(level2.personalId);

    // DPoP on PAR, token and userinfo; a missing nonce was answered use_dpop_nonce and retried once
    const par = seen.filter((s) => s.url.endsWith('/oidc/par'));
    expect(par.map((s) => [s.dpop, s.nonceInProof, s.status])).toEqual([
      [true, false, 400],
      [true, true, 201],
    ]);
    // the nonce from PAR is reused: the token request needs no second try
    const token = seen.filter((s) => s.url.endsWith('/oidc/token'));
    expect(token.map((s) => [s.dpop, s.nonceInProof, s.status])).toEqual([[true, true, 200]]);
    expect(seen.filter((s) => s.url.endsWith('/oidc/userinfo')).at(-1)).toMatchObject({
      dpop: true,
      status: 200,
    });
    expect(seen.every((s) => s.requestId !== null)).toBe(true);
  });

  it('a replayed code is invalid_grant', async () => {
    const { client } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: REDIRECT,
      loginHint: level1.personalId,
    });
    const callback = await authorize(request);
    const first = await client.sso.handleCallback(callback, request);
    expect(first.claims.accountLevel).toBe(1);
    const replay = await rejects(client.sso.handleCallback(callback, request), 'invalid_grant');
    expect(replay.serverCode).toBe('invalid_grant');
  });

  it('a wrong state is state_mismatch, a wrong or missing iss is issuer_mismatch — before any token request', async () => {
    const { client, seen } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: REDIRECT,
      loginHint: level1.personalId,
    });
    const callback = new URL(await authorize(request));
    const before = seen.length;
    const wrongState = new URL(callback);
    wrongState.searchParams.set('state', 'x'.repeat(43));
    await rejects(client.sso.handleCallback(wrongState.href, request), 'state_mismatch');
    const wrongIss = new URL(callback);
    wrongIss.searchParams.set('iss', 'https://evil.example');
    await rejects(client.sso.handleCallback(wrongIss.href, request), 'issuer_mismatch');
    const noIss = new URL(callback);
    noIss.searchParams.delete('iss');
    await rejects(client.sso.handleCallback(noIss.href, request), 'issuer_mismatch');
    expect(seen.slice(before).filter((s) => s.url.endsWith('/oidc/token'))).toHaveLength(0);
    // the genuine callback still works
    expect((await client.sso.handleCallback(callback.href, request)).claims.personalId).toBe(
      level1.personalId,
    );
  });

  it('an expired pushed authorization request is authorization_request_expired', async () => {
    let skew = 0;
    const { client } = rp({ now: () => Date.now() + skew });
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: REDIRECT,
      loginHint: level1.personalId,
    });
    const callback = await authorize(request);
    skew = request.expiresAt - Date.now() + 1000;
    await rejects(client.sso.handleCallback(callback, request), 'authorization_request_expired');
    // the provider itself refuses a request_uri that is not (or no longer) known
    const unknown = new URL(request.url);
    unknown.searchParams.set('request_uri', 'urn:ietf:params:oauth:request_uri:unknown');
    const { location, page } = await new Browser().follow(unknown.href, REDIRECT);
    expect(location).toBeUndefined();
    expect(page!.status).toBe(400);
  });

  it('a level-1 citizen for minAccountLevel 2 is refused (authorization_denied); a wrong client key is oauth_error invalid_client', async () => {
    const { client } = rp();
    const request = await client.sso.createAuthorizationRequest({
      redirectUri: REDIRECT,
      minAccountLevel: 2,
      loginHint: level1.personalId,
    });
    const { location, page } = await new Browser().follow(request.url, REDIRECT);
    expect(page).toBeUndefined();
    const denied = await rejects(client.sso.handleCallback(location!.href, request), 'authorization_denied');
    expect(denied.serverCode).toBe('unmet_authentication_requirements');
    const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const { client: wrongKey } = rp({
      clientAuth: { kind: 'private_key_jwt', key: other.privateKey, kid: DEMO_RP_PRIVATE_JWK.kid },
    });
    const e = await rejects(
      wrongKey.sso.createAuthorizationRequest({ redirectUri: REDIRECT }),
      'oauth_error',
    );
    expect(e.serverCode).toBe('invalid_client');
  });
});
