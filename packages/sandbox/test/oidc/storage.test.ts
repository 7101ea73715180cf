import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcAdapter } from '../../src/oidc/adapter.ts';
import { DEMO_RP_CLIENT_ID, DEMO_RP_PRIVATE_JWK, DEMO_RP_SCOPE } from '../../src/oidc/demo-client.ts';
import { startSandbox } from '../../src/server.ts';
import { createTestDatabase, startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { Browser, DEMO_REDIRECT, ensureIdentities, identity, privateKeyOf, rpConfig } from './support.ts';

const level1 = identity('active', 1);
let sandbox: TestSandbox;
let config: oidc.Configuration;

beforeAll(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
  await ensureIdentities(sandbox);
  config = await rpConfig(sandbox.url);
});
afterAll(() => sandbox?.stop());

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  keys: oidc.CryptoKeyPair;
  dpop: oidc.DPoPHandle;
  callback: URL;
}

/** PAR and an auto-approved authorization on `cfg`'s issuer; the callback URL with the code. */
async function authorize(cfg: oidc.Configuration, personalId = level1.personalId): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const keys = await oidc.randomDPoPKeyPair('ES256');
  const dpop = oidc.getDPoPHandle(cfg, keys);
  const url = await oidc.buildAuthorizationUrlWithPAR(
    cfg,
    {
      redirect_uri: DEMO_REDIRECT,
      scope: DEMO_RP_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: personalId,
    },
    { DPoP: dpop },
  );
  const { location } = await new Browser().follow(url.href, DEMO_REDIRECT);
  return { verifier, state, nonce, keys, dpop, callback: location! };
}

function redeem(cfg: oidc.Configuration, flow: Flow) {
  return oidc.authorizationCodeGrant(
    cfg,
    flow.callback,
    {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    },
    undefined,
    { DPoP: flow.dpop },
  );
}

async function dpopProof(
  keys: oidc.CryptoKeyPair,
  htm: string,
  htu: string,
  accessToken: string,
  nonce?: string,
) {
  const jwk = await exportJWK(keys.publicKey);
  return new SignJWT({
    htm,
    htu,
    jti: randomUUID(),
    ath: createHash('sha256').update(accessToken).digest('base64url'),
    ...(nonce !== undefined ? { nonce } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .setIssuedAt()
    .sign(keys.privateKey);
}

async function clientAssertion(issuer: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: DEMO_RP_PRIVATE_JWK.kid })
    .setIssuer(DEMO_RP_CLIENT_ID)
    .setSubject(DEMO_RP_CLIENT_ID)
    .setAudience(issuer)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .sign(await privateKeyOf(DEMO_RP_PRIVATE_JWK));
}

describe(`OpenID Provider storage (${store})`, () => {
  it('DPoP: a nonce is required, a replayed proof is refused (replay cache in the database)', async () => {
    const flow = await authorize(config);
    const tokens = await redeem(config, flow);
    const userinfo = `${sandbox.url}/oidc/userinfo`;
    const first = await fetch(userinfo, {
      headers: {
        authorization: `DPoP ${tokens.access_token}`,
        dpop: await dpopProof(flow.keys, 'GET', userinfo, tokens.access_token),
      },
    });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toBeTruthy();
    const proof = await dpopProof(flow.keys, 'GET', userinfo, tokens.access_token, nonce);
    const ok = await fetch(userinfo, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/jwt');
    const replay = await fetch(userinfo, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof },
    });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toContain('invalid_token');
    const { rows } = await sandbox.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM oidc_models WHERE model = 'ReplayDetection'",
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('a replayed client assertion is refused', async () => {
    const assertion = await clientAssertion(sandbox.url);
    const par = (a: string) =>
      fetch(`${sandbox.url}/oidc/par`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: DEMO_RP_CLIENT_ID,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: a,
          response_type: 'code',
          redirect_uri: DEMO_REDIRECT,
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        }).toString(),
      });
    const first = await par(assertion);
    expect(first.status).toBe(201);
    expect((await first.json()).request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const replay = await par(assertion);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error).toBe('invalid_client');
  });

  it('two concurrent token requests for one code: exactly one wins', async () => {
    const flow = await authorize(config);
    const results = await Promise.allSettled([redeem(config, flow), redeem(config, flow)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ error: 'invalid_grant' });
  });

  it('the adapter: consume and the replay claim are atomic, expired rows are invisible', async () => {
    const Adapter = createOidcAdapter(sandbox.db);
    const codes = new Adapter('AuthorizationCode');
    const now = Math.floor(Date.now() / 1000);
    await codes.upsert(
      'code-1',
      { jti: 'code-1', kind: 'AuthorizationCode', iat: now, exp: now + 60, grantId: 'g1' },
      60,
    );
    const consumed = await Promise.allSettled([codes.consume('code-1'), codes.consume('code-1')]);
    expect(consumed.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((consumed.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await codes.find('code-1'))?.consumed).toBeGreaterThan(0);

    const replay = new Adapter('ReplayDetection');
    const claims = await Promise.all([replay.find('jti-1'), replay.find('jti-1'), replay.find('jti-1')]);
    expect(claims.filter((c) => c === undefined)).toHaveLength(1);

    await codes.upsert(
      'code-2',
      { jti: 'code-2', kind: 'AuthorizationCode', iat: now, exp: now + 1, grantId: 'g1' },
      1,
    );
    expect(await codes.find('code-2')).toBeDefined();
    await sandbox.db.query("UPDATE oidc_models SET expires_at = $1 WHERE id = 'code-2'", [
      new Date(Date.now() - 1),
    ]);
    expect(await codes.find('code-2')).toBeUndefined();
    await codes.revokeByGrantId('g1');
    const { rows } = await sandbox.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM oidc_models WHERE grant_id = 'g1'",
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('codes, sessions and registered clients survive a restart', async () => {
    let database: string;
    let cleanup: () => Promise<void>;
    if (store === 'postgres') {
      const db = await createTestDatabase();
      database = db.url;
      cleanup = db.drop;
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'vneid-oidc-'));
      database = dir;
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    try {
      const first = await startSandbox({ port: 0, database, autoApprove: true });
      const port = first.port;
      let flow: Flow;
      let clientId: string;
      try {
        await ensureIdentities({ ...first, database, call: undefined as never });
        const reg = await fetch(`${first.url}/oidc/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            redirect_uris: ['http://127.0.0.1:49154/callback'],
            jwks: { keys: [{ ...DEMO_RP_PRIVATE_JWK, d: undefined }] },
          }),
        });
        expect(reg.status).toBe(201);
        clientId = (await reg.json()).client_id;
        flow = await authorize(await rpConfig(first.url));
      } finally {
        await first.stop();
      }
      const second = await startSandbox({ port, database, autoApprove: true });
      try {
        const cfg = await rpConfig(second.url);
        const tokens = await redeem(cfg, flow);
        expect(tokens.claims()?.personal_id).toBe(level1.personalId);
        const { rows } = await second.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM oidc_models WHERE model = 'Client' AND id = $1",
          [clientId],
        );
        expect(rows[0]!.n).toBe(1);
      } finally {
        await second.stop();
      }
    } finally {
      await cleanup();
    }
  }, 120_000);
});

/** A fetch that sends to another process (port) with the public Host, as a load balancer would. */
function fetchVia(port: number, host: string): typeof fetch {
  return ((input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: url.pathname + url.search,
          method: init.method ?? 'GET',
          headers: { ...headers, host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              for (const item of Array.isArray(v) ? v : v !== undefined ? [v] : []) out.append(k, item);
            resolve(
              new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), {
                status: res.statusCode ?? 500,
                headers: out,
              }),
            );
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(init.body === undefined || init.body === null ? undefined : String(init.body));
    })) as typeof fetch;
}

describe.runIf(store === 'postgres')('two sandbox processes on one PostgreSQL', () => {
  it('a flow started on A (PAR, login) completes on B (token, userinfo); a code redeemed on A is refused on B', async () => {
    const b = await startSandbox({
      port: 0,
      database: sandbox.database,
      autoApprove: true,
      baseUrl: sandbox.url,
    });
    try {
      const host = new URL(sandbox.url).host;
      const onB = await rpConfig(sandbox.url);
      onB[oidc.customFetch] = fetchVia(b.port, host) as never;
      const flow = await authorize(config);
      const tokens = await redeem(onB, flow);
      expect(tokens.claims()).toMatchObject({ iss: sandbox.url, personal_id: level1.personalId });
      const info = await oidc.fetchUserInfo(onB, tokens.access_token, tokens.claims()!.sub, {
        DPoP: flow.dpop,
      });
      expect(info.personal_id).toBe(level1.personalId);

      const second = await authorize(config);
      await redeem(config, second);
      await expect(redeem(onB, second)).rejects.toMatchObject({ error: 'invalid_grant' });

      const race = await authorize(config);
      const results = await Promise.allSettled([redeem(config, race), redeem(onB, race)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    } finally {
      await b.stop();
    }
  });
});
