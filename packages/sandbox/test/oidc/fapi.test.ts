import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RP_SCOPE } from '../../src/oidc/demo-client.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { Browser, DEMO_REDIRECT, ensureIdentities, identities, identity, rpConfig } from './support.ts';

let sandbox: TestSandbox;
let config: oidc.Configuration;
const level1 = identity('active', 1);
const level2 = identity('active', 2);

beforeAll(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
  await ensureIdentities(sandbox);
  config = await rpConfig(sandbox.url);
});
afterAll(() => sandbox?.stop());

interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
  dpop: oidc.DPoPHandle;
}

async function startLogin(
  cfg: oidc.Configuration,
  extra: Record<string, string> = {},
  redirectUri = DEMO_REDIRECT,
): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const dpop = oidc.getDPoPHandle(cfg, await oidc.randomDPoPKeyPair('ES256'));
  const url = await oidc.buildAuthorizationUrlWithPAR(
    cfg,
    {
      redirect_uri: redirectUri,
      scope: DEMO_RP_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    },
    { DPoP: dpop },
  );
  return { url, verifier, state, nonce, dpop };
}

async function redeem(cfg: oidc.Configuration, started: Started, callback: URL) {
  return oidc.authorizationCodeGrant(
    cfg,
    callback,
    {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    },
    undefined,
    { DPoP: started.dpop },
  );
}

describe(`OpenID Provider, FAPI 2.0 (${store})`, () => {
  it('publishes discovery on the root with the FAPI 2.0 choices, the claims and the sandbox policies', async () => {
    const res = await sandbox.call('GET', '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.issuer).toBe(sandbox.url);
    expect(d.pushed_authorization_request_endpoint).toBe(`${sandbox.url}/oidc/par`);
    expect(d.authorization_endpoint).toBe(`${sandbox.url}/oidc/auth`);
    expect(d.token_endpoint).toBe(`${sandbox.url}/oidc/token`);
    expect(d.userinfo_endpoint).toBe(`${sandbox.url}/oidc/userinfo`);
    expect(d.jwks_uri).toBe(`${sandbox.url}/oidc/jwks`);
    expect(d.registration_endpoint).toBe(`${sandbox.url}/oidc/register`);
    expect(d.require_pushed_authorization_requests).toBe(true);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(d.authorization_response_iss_parameter_supported).toBe(true);
    expect(d.dpop_signing_alg_values_supported).toContain('ES256');
    expect(d.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(d.userinfo_signing_alg_values_supported).toEqual(['ES256']);
    expect(d.acr_values_supported).toEqual(['LoA1', 'LoA2']);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'vneid']));
    expect(d.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'acr', 'personal_id', 'name', 'birthdate', 'gender', 'account_level']),
    );
    expect(d.vneid_policies).toEqual(sandbox.services.policy);
    expect(d.vneid_profile).toBe('fapi2');
    expect(d.vneid_legacy).toBeUndefined();
    const jwks = await sandbox.call('GET', '/oidc/jwks');
    const { rows } = await sandbox.db.query<{ kid: string }>('SELECT kid FROM server_keys');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid).sort()).toEqual(rows.map((r) => r.kid).sort());
    for (const key of jwks.body.keys) expect(key.d).toBeUndefined();
  });

  it('demo-rp: PAR + PKCE + DPoP + private_key_jwt with login_hint auto-approve; ID token and signed userinfo verified', async () => {
    const started = await startLogin(config, { login_hint: level2.personalId, acr_values: 'LoA2' });
    expect([...started.url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const browser = new Browser();
    const { location } = await browser.follow(started.url.href, DEMO_REDIRECT);
    expect(location?.searchParams.get('iss')).toBe(sandbox.url);
    const tokens = await redeem(config, started, location!);
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: sandbox.url,
      aud: 'demo-rp',
      nonce: started.nonce,
      acr: 'LoA2',
      personal_id: level2.personalId,
      name: level2.fullName,
      birthdate: level2.birthDate,
      gender: level2.sex,
      account_level: 2,
    });
    // The signature, independently of openid-client: ES256 with a key of the JWKS.
    const jwks = createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`));
    const verified = await jwtVerify(tokens.id_token!, jwks, {
      issuer: sandbox.url,
      audience: 'demo-rp',
      algorithms: ['ES256'],
    });
    expect(verified.protectedHeader.alg).toBe('ES256');
    expect(verified.payload.sub).toBe(claims.sub);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP: started.dpop });
    expect(info).toMatchObject({ sub: claims.sub, personal_id: level2.personalId, account_level: 2 });
    // userinfo is a signed JWT (userinfo_signed_response_alg ES256)
    const raw = await fetch(`${sandbox.url}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(raw.status).toBe(401); // a DPoP-bound token without a proof
  });

  it('a level-1 citizen gets acr LoA1; a request for LoA2 cannot be satisfied by a level-1 account', async () => {
    const ok = await startLogin(config, { login_hint: level1.personalId });
    const first = await new Browser().follow(ok.url.href, DEMO_REDIRECT);
    const tokens = await redeem(config, ok, first.location!);
    expect(tokens.claims()).toMatchObject({ acr: 'LoA1', account_level: 1, personal_id: level1.personalId });

    const high = await startLogin(config, { login_hint: level1.personalId, acr_values: 'LoA2' });
    const { location } = await new Browser().follow(high.url.href, DEMO_REDIRECT);
    expect(location?.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(location?.searchParams.get('iss')).toBe(sandbox.url);
    expect(location?.searchParams.get('code')).toBeNull();
    await expect(redeem(config, high, location!)).rejects.toMatchObject({
      error: 'unmet_authentication_requirements',
    });
  });

  it('a session of level 1 does not satisfy a later LoA2 request of the same browser', async () => {
    const browser = new Browser();
    const first = await startLogin(config, { login_hint: level1.personalId });
    await redeem(config, first, (await browser.follow(first.url.href, DEMO_REDIRECT)).location!);
    const high = await startLogin(config, { acr_values: 'LoA2' });
    const again = await browser.follow(high.url.href, DEMO_REDIRECT);
    // no silent LoA1 answer: the login page is shown again
    expect(again.location).toBeUndefined();
    expect(again.page?.status).toBe(200);
    expect(await again.page!.text()).toContain('name="password"');
  });

  it('refuses an authorization request without PAR', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: DEMO_REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      login_hint: level1.personalId,
    });
    const res = await new Browser().follow(url.href, DEMO_REDIRECT);
    const error = res.location?.searchParams.get('error') ?? (await res.page?.text());
    expect(error).toContain('invalid_request');
    expect(res.location?.searchParams.get('code') ?? null).toBeNull();
  });

  it('refuses a replayed authorization code with invalid_grant', async () => {
    const started = await startLogin(config, { login_hint: level1.personalId });
    const { location } = await new Browser().follow(started.url.href, DEMO_REDIRECT);
    await redeem(config, started, location!);
    await expect(redeem(config, started, location!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a token request without a DPoP proof', async () => {
    const started = await startLogin(config, { login_hint: level1.personalId });
    const { location } = await new Browser().follow(started.url.href, DEMO_REDIRECT);
    await expect(
      oidc.authorizationCodeGrant(config, location!, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // the same request with a proof succeeds: the proof was the only thing missing
    const tokens = await redeem(config, started, location!);
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
  });

  it('a DCR-registered client logs in through the HTML login page (wrong password, CSRF, approval)', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const publicJwk = {
      ...(await crypto.subtle.exportKey('jwk', keys.publicKey)),
      kid: 'k1',
      alg: 'ES256',
      use: 'sig',
    };
    const privateJwk = { ...(await crypto.subtle.exportKey('jwk', keys.privateKey)), kid: 'k1' };
    const redirectUri = 'http://127.0.0.1:49152/callback';
    const reg = await sandbox.call('POST', '/oidc/register', {
      client_name: 'Ngân hàng <script>alert(1)</script>',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      jwks: { keys: [publicJwk] },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.dpop_bound_access_tokens).toBe(true);
    expect(reg.body.require_pushed_authorization_requests).toBe(true);
    const cfg = await rpConfig(sandbox.url, reg.body.client_id, privateJwk);
    const started = await startLogin(cfg, {}, redirectUri);
    const browser = new Browser();
    const first = await browser.follow(started.url.href, redirectUri);
    const html = await first.page!.text();
    expect(first.page!.status).toBe(200);
    expect(first.page!.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html).toContain('Ngân hàng &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const loginUrl = new URL(action, sandbox.url).href;

    // a forged form (no valid CSRF token) is refused
    const forged = await browser.fetch(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: 'x',
        personalId: level1.personalId,
        password: level1.password!,
      }).toString(),
    });
    expect(forged.status).toBe(403);

    // a wrong password shows the form again, with the same answer as for an unknown ID
    const wrong = await browser.submit(
      loginUrl,
      html,
      { personalId: level1.personalId, password: 'Wrong@123x' },
      redirectUri,
    );
    expect(wrong.page?.status).toBe(401);
    const wrongHtml = await wrong.page!.text();
    const unknown = await browser.submit(
      loginUrl,
      html,
      { personalId: '001099000001', password: 'Wrong@123x' },
      redirectUri,
    );
    expect(unknown.page?.status).toBe(401);
    expect(await unknown.page!.text()).toBe(wrongHtml.replace(level1.personalId, '001099000001'));

    const approval = await browser.submit(
      loginUrl,
      html,
      { personalId: level1.personalId, password: level1.password! },
      redirectUri,
    );
    expect(approval.page?.status).toBe(200);
    const approvalHtml = await approval.page!.text();
    expect(approvalHtml).toContain(level1.fullName);
    expect(approvalHtml).not.toContain(level1.personalId);
    const done = await browser.submit(loginUrl, approvalHtml, { decision: 'approve' }, redirectUri);
    expect(done.location?.searchParams.get('iss')).toBe(sandbox.url);
    const tokens = await redeem(cfg, started, done.location!);
    expect(tokens.claims()).toMatchObject({
      aud: reg.body.client_id,
      acr: 'LoA1',
      amr: ['pwd', 'swk'],
      personal_id: level1.personalId,
    });
    const info = await oidc.fetchUserInfo(cfg, tokens.access_token, tokens.claims()!.sub, {
      DPoP: started.dpop,
    });
    expect(info.name).toBe(level1.fullName);

    // the approval step is single use
    const replay = await browser.submit(loginUrl, approvalHtml, { decision: 'approve' }, redirectUri);
    expect(replay.location).toBeUndefined();
    expect(replay.page?.status).toBe(400);
  });

  it("the login page applies ACCOUNTS' lockout: after 5 wrong passwords the right one fails until the lockout ends", async () => {
    const citizen = identities('active', 1)[1]!;
    const started = await startLogin(config);
    const browser = new Browser();
    const first = await browser.follow(started.url.href, DEMO_REDIRECT);
    const html = await first.page!.text();
    const pageUrl = started.url.href;
    const attempt = (password: string) =>
      browser.submit(pageUrl, html, { personalId: citizen.personalId, password }, DEMO_REDIRECT);
    for (let i = 1; i <= 5; i++) expect((await attempt(`Wrong@${i}xyz`)).page?.status).toBe(401);
    expect((await attempt(citizen.password!)).page?.status).toBe(401);
    // the lockout is on the sandbox clock, and so is the interaction's expiry (600 s): after the
    // lockout the old page has expired, a new login succeeds
    await sandbox.call('POST', '/__sandbox/clock', {
      advanceSeconds: sandbox.services.policy.login.lockoutSeconds,
    });
    try {
      expect((await attempt(citizen.password!)).page?.status).toBe(400);
      const again = await startLogin(config);
      const fresh = new Browser();
      const page = await fresh.follow(again.url.href, DEMO_REDIRECT);
      const ok = await fresh.submit(
        again.url.href,
        await page.page!.text(),
        { personalId: citizen.personalId, password: citizen.password! },
        DEMO_REDIRECT,
      );
      expect(ok.page?.status).toBe(200);
      expect(await ok.page!.text()).toContain('name="decision"');
    } finally {
      await sandbox.call('POST', '/__sandbox/clock', { set: new Date().toISOString() });
    }
  });

  it('keeps working after POST /__sandbox/reset (shared secrets and demo client restored)', async () => {
    const before = await sandbox.db.query<{ name: string; value: string }>(
      'SELECT name, value FROM oidc_secrets ORDER BY name',
    );
    expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
    const after = await sandbox.db.query<{ name: string; value: string }>(
      'SELECT name, value FROM oidc_secrets ORDER BY name',
    );
    expect(after.rows).toEqual(before.rows);
    const started = await startLogin(config, { login_hint: level2.personalId });
    const { location } = await new Browser().follow(started.url.href, DEMO_REDIRECT);
    const tokens = await redeem(config, started, location!);
    expect(tokens.claims()?.personal_id).toBe(level2.personalId);
  });

  it('the sandbox clock expires stored artifacts at the exact second: PAR request 60 s, code 60 s, access token 600 s', async () => {
    const clock = (advanceSeconds: number) => sandbox.call('POST', '/__sandbox/clock', { advanceSeconds });
    try {
      // PAR request: usable at 59 s, gone at 60 s
      const par59 = await startLogin(config, { login_hint: level1.personalId });
      const par60 = await startLogin(config, { login_hint: level1.personalId });
      await clock(59);
      const ok = await new Browser().follow(par59.url.href, DEMO_REDIRECT);
      expect(ok.location?.searchParams.get('code')).toBeTruthy();
      await clock(1);
      const gone = await new Browser().follow(par60.url.href, DEMO_REDIRECT);
      const error = gone.location?.searchParams.get('error') ?? (await gone.page?.text());
      expect(error).toContain('invalid_request_uri');

      // code: redeemable at 59 s, expired at 60 s
      const code59 = await startLogin(config, { login_hint: level1.personalId });
      const code60 = await startLogin(config, { login_hint: level1.personalId });
      const cb59 = (await new Browser().follow(code59.url.href, DEMO_REDIRECT)).location!;
      const cb60 = (await new Browser().follow(code60.url.href, DEMO_REDIRECT)).location!;
      await clock(59);
      const tokens = await redeem(config, code59, cb59);
      await clock(1);
      await expect(redeem(config, code60, cb60)).rejects.toMatchObject({ error: 'invalid_grant' });

      // access token (issued at +60 s): valid at 599 s, expired at 600 s
      const sub = tokens.claims()!.sub;
      await clock(598);
      expect((await oidc.fetchUserInfo(config, tokens.access_token, sub, { DPoP: code59.dpop })).sub).toBe(
        sub,
      );
      await clock(1);
      const expired = await oidc.fetchUserInfo(config, tokens.access_token, sub, { DPoP: code59.dpop }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(expired).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
      expect(JSON.stringify((expired as oidc.WWWAuthenticateChallengeError).cause)).toContain(
        'invalid_token',
      );
      expect((expired as oidc.WWWAuthenticateChallengeError).status).toBe(401);
    } finally {
      await sandbox.call('POST', '/__sandbox/clock', { set: new Date().toISOString() });
    }
  });

  it('a session is reused for another client without a page (consent granted for what it asks)', async () => {
    const browser = new Browser();
    const first = await startLogin(config, { login_hint: level2.personalId });
    await redeem(config, first, (await browser.follow(first.url.href, DEMO_REDIRECT)).location!);
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const publicJwk = { ...(await crypto.subtle.exportKey('jwk', keys.publicKey)), kid: 'k2', alg: 'ES256' };
    const redirectUri = 'http://127.0.0.1:49155/callback';
    const reg = await sandbox.call('POST', '/oidc/register', {
      redirect_uris: [redirectUri],
      jwks: { keys: [publicJwk] },
      id_token_signed_response_alg: 'ES256',
    });
    expect(reg.status).toBe(201);
    const cfg = await rpConfig(sandbox.url, reg.body.client_id, {
      ...(await crypto.subtle.exportKey('jwk', keys.privateKey)),
      kid: 'k2',
    });
    // no login_hint: only the session can answer without a page
    const second = await startLogin(cfg, {}, redirectUri);
    const { location } = await browser.follow(second.url.href, redirectUri);
    const tokens = await redeem(cfg, second, location!);
    expect(tokens.claims()).toMatchObject({
      aud: reg.body.client_id,
      personal_id: level2.personalId,
      acr: 'LoA2',
    });
    // userinfo of a client without userinfo_signed_response_alg is JSON
    const info = await oidc.fetchUserInfo(cfg, tokens.access_token, tokens.claims()!.sub, {
      DPoP: second.dpop,
    });
    expect(info.account_level).toBe(2);
  });

  it('registration refuses client secrets and unbound tokens (FAPI 2.0)', async () => {
    const secret = await sandbox.call('POST', '/oidc/register', {
      redirect_uris: ['http://127.0.0.1:49153/callback'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(secret.status).toBe(400);
    expect(secret.body.error).toBe('invalid_client_metadata');
    const unbound = await sandbox.call('POST', '/oidc/register', {
      redirect_uris: ['http://127.0.0.1:49153/callback'],
      jwks: { keys: [] },
      dpop_bound_access_tokens: false,
    });
    expect(unbound.status).toBe(400);
    expect(unbound.body.error).toBe('invalid_client_metadata');
  });

  it('the login page answers 429 when ACCOUNTS throttles password attempts (then the sandbox is reset)', async () => {
    try {
      const citizen = identities('active', 2)[1]!;
      const started = await startLogin(config);
      const browser = new Browser();
      const html = await (await browser.follow(started.url.href, DEMO_REDIRECT)).page!.text();
      const limit = sandbox.services.policy.login.maxAttemptsPerWindow;
      let status = 0;
      let tries = 0;
      while (tries < limit + 5 && status !== 429) {
        tries++;
        const res = await browser.submit(
          started.url.href,
          html,
          { personalId: citizen.personalId, password: `Wrong@${tries}abc` },
          DEMO_REDIRECT,
        );
        status = res.page!.status;
        if (status === 429) expect(await res.page!.text()).toContain('Quá nhiều lần thử');
        else expect(status).toBe(401);
      }
      expect(status).toBe(429);
      expect(tries).toBeLessThanOrEqual(limit + 1);
    } finally {
      await sandbox.call('POST', '/__sandbox/reset');
    }
  });
});
