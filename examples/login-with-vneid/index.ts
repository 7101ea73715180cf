/**
 * @module
 * A small relying-party web app with a "Log in with VNeID" button (plain `node:http`), on
 * `@vneid/client`'s `sso`. FAPI 2.0 profile: the app registers itself with the provider by
 * dynamic client registration (RFC 7591; its redirect URI has the port it got) with a fresh ES256
 * key for `private_key_jwt`; the client does PAR, PKCE, DPoP and checks `iss`, the ID token and
 * the account level. Optionally a second button for the legacy VNeID SSO (`vneid-legacy`
 * profile, the sandbox's published `demo-legacy` client: client secret + RSA key for the
 * `{data,key}` envelopes).
 *
 * What is stored where: the browser holds only an opaque session cookie (HttpOnly, SameSite=Lax);
 * the authorization request (state, PKCE verifier, nonce, DPoP key pair) stays in the server's
 * session store and is taken out — single use — by the callback; after the callback the session
 * holds the normalised claims. Pages show the personal ID masked.
 *
 * Run: `pnpm --dir examples login-with-vneid` (starts a sandbox in memory with the legacy profile
 * too, unless `VNEID_ISSUER` is set; the app listens on `PORT`, default 3000).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthorizationRequest,
  createIdentityClient,
  type IdentityClaims,
  type IdentityClient,
  isIdentityError,
  maskPersonalId,
  type SsoProfile,
} from '@vneid/client';
// Published test material of the sandbox (its legacy demo client); never anything real.
import {
  DEMO_LEGACY_CLIENT_ID,
  DEMO_LEGACY_CLIENT_SECRET,
  DEMO_LEGACY_PRIVATE_JWK,
} from '../../packages/sandbox/src/oidc/demo-legacy-client.ts';

export interface RelyingPartyOptions {
  /** The identity service (the sandbox's base URL). */
  issuer: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Also offer the legacy VNeID SSO (the sandbox must run with `--profile vneid-legacy`). */
  legacy?: boolean;
  /** Every request the app's back end makes to the provider goes through this (tests watch it). */
  fetch?: typeof fetch;
  /** Application name shown on the provider's login page. */
  name?: string;
}

export interface RelyingParty {
  url: string;
  /** The client id the provider registered for the FAPI 2.0 profile. */
  clientId: string;
  stop(): Promise<void>;
}

interface Session {
  pending?: AuthorizationRequest;
  user?: { claims: IdentityClaims; profile: SsoProfile; loggedInAt: Date };
}

const COOKIE = 'rp_sid';
const SESSION_TTL_MS = 30 * 60_000;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:40px auto}button{padding:10px 16px;font-size:1em;margin:4px 0}dt{font-weight:bold}</style>
</head><body><h1>Dịch vụ công demo</h1>${body}</body></html>`;
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

/** Registers the app as a FAPI 2.0 client (DCR) and returns its client. */
async function registerFapiClient(
  options: RelyingPartyOptions,
  redirectUri: string,
): Promise<{ client: IdentityClient; clientId: string }> {
  const f = options.fetch ?? fetch;
  const discovery = (await (await f(`${options.issuer}/.well-known/openid-configuration`)).json()) as {
    registration_endpoint?: string;
  };
  if (discovery.registration_endpoint === undefined)
    throw new Error('the provider offers no dynamic client registration');
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const kid = randomBytes(8).toString('hex');
  const publicJwk = {
    ...(await crypto.subtle.exportKey('jwk', keys.publicKey)),
    kid,
    alg: 'ES256',
    use: 'sig',
  };
  const res = await f(discovery.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: options.name ?? 'Dịch vụ công demo',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      jwks: { keys: [publicJwk] },
    }),
  });
  if (res.status !== 201) throw new Error(`client registration failed: HTTP ${res.status}`);
  const { client_id: clientId } = (await res.json()) as { client_id: string };
  const client = createIdentityClient({
    issuer: options.issuer,
    profile: 'fapi2',
    clientId,
    clientAuth: { kind: 'private_key_jwt', key: keys.privateKey, kid },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { client, clientId };
}

function home(session: Session | undefined, legacy: boolean): string {
  const user = session?.user;
  if (user !== undefined) {
    const c = user.claims;
    return page(
      'Trang cá nhân',
      `<p id="welcome">Xin chào, <strong>${escapeHtml(c.fullName ?? '')}</strong></p>
<dl>
<dt>Số định danh cá nhân</dt><dd id="personal-id">${escapeHtml(maskPersonalId(c.personalId))}</dd>
<dt>Ngày sinh</dt><dd>${escapeHtml(c.birthDate ?? '—')}</dd>
<dt>Giới tính</dt><dd>${c.sex === 'male' ? 'Nam' : c.sex === 'female' ? 'Nữ' : '—'}</dd>
<dt>Mức định danh</dt><dd id="level">${escapeHtml(String(c.accountLevel ?? '—'))}</dd>
<dt>Đăng nhập qua</dt><dd id="profile">${user.profile === 'fapi2' ? 'VNeID (FAPI 2.0)' : 'VNeID SSO (legacy)'}</dd>
</dl>
<form method="post" action="/logout"><button type="submit" id="logout">Đăng xuất</button></form>`,
    );
  }
  return page(
    'Đăng nhập',
    `<p>Đăng nhập để sử dụng dịch vụ.</p>
<form method="post" action="/login"><button type="submit" id="login">Log in with VNeID</button></form>
${
  legacy
    ? '<form method="post" action="/login?profile=vneid-legacy"><button type="submit" id="login-legacy">Log in with VNeID (legacy SSO)</button></form>'
    : ''
}`,
  );
}

/** Starts the app; it registers itself with the provider before it answers. */
export async function startRelyingParty(options: RelyingPartyOptions): Promise<RelyingParty> {
  const sessions = new Map<string, Session & { expiresAt: number }>();
  let clients: Partial<Record<SsoProfile, IdentityClient>> = {};
  let base = '';

  const sessionOf = (req: IncomingMessage) => {
    const id = cookieOf(req);
    const s = id === undefined ? undefined : sessions.get(id);
    if (s === undefined || s.expiresAt < Date.now()) return undefined;
    return { id: id!, session: s };
  };
  const newSession = () => {
    const now = Date.now();
    for (const [id, s] of sessions) if (s.expiresAt < now) sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    const session: Session & { expiresAt: number } = { expiresAt: Date.now() + SESSION_TTL_MS };
    sessions.set(id, session);
    return {
      id,
      session,
      cookie: `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}`,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'GET' && url.pathname === '/')
      return send(res, 200, home(sessionOf(req)?.session, !!clients['vneid-legacy']));

    if (req.method === 'POST' && url.pathname === '/login') {
      const profile: SsoProfile =
        url.searchParams.get('profile') === 'vneid-legacy' ? 'vneid-legacy' : 'fapi2';
      const client = clients[profile];
      if (client === undefined) return send(res, 404, page('Lỗi', '<p>Không hỗ trợ.</p>'));
      // a fresh session for every login (no session fixation)
      const old = sessionOf(req);
      if (old !== undefined) sessions.delete(old.id);
      const fresh = newSession();
      fresh.session.pending = await client.sso.createAuthorizationRequest({
        redirectUri: `${base}/callback`,
        minAccountLevel: 1,
      });
      return redirect(res, fresh.session.pending.url, { 'set-cookie': fresh.cookie });
    }

    if (req.method === 'GET' && url.pathname === '/callback') {
      const current = sessionOf(req);
      const pending = current?.session.pending;
      if (current === undefined || pending === undefined)
        return send(res, 400, page('Lỗi', '<p id="error">Không có yêu cầu đăng nhập nào đang chờ.</p>'));
      delete current.session.pending; // single use, whatever the outcome
      try {
        // the raw URL: the legacy profile's code may hold a "+" that must stay a "+"
        const result = await clients[pending.profile]!.sso.handleCallback(`${base}${req.url}`, pending);
        current.session.user = { claims: result.claims, profile: pending.profile, loggedInAt: new Date() };
        return redirect(res, '/');
      } catch (error) {
        if (!isIdentityError(error)) throw error;
        return send(
          res,
          400,
          page(
            'Lỗi',
            `<p id="error">Đăng nhập không thành công (<code>${escapeHtml(error.code)}</code>).</p>`,
          ),
        );
      }
    }

    if (req.method === 'POST' && url.pathname === '/logout') {
      const current = sessionOf(req);
      if (current !== undefined) sessions.delete(current.id);
      return redirect(res, '/', { 'set-cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
    }
    return send(res, 404, page('Lỗi', '<p>Không tìm thấy trang.</p>'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, page('Lỗi', '<p>Lỗi hệ thống.</p>'));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const fapi = await registerFapiClient(options, `${base}/callback`);
    clients = { fapi2: fapi.client };
    if (options.legacy)
      clients['vneid-legacy'] = createIdentityClient({
        issuer: options.issuer,
        profile: 'vneid-legacy',
        clientId: DEMO_LEGACY_CLIENT_ID,
        clientAuth: {
          kind: 'client_secret_post',
          secret: DEMO_LEGACY_CLIENT_SECRET,
          decryptionKey: DEMO_LEGACY_PRIVATE_JWK,
        },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    return {
      url: base,
      clientId: fapi.clientId,
      async stop() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startSandbox } = await import('@vneid/sandbox');
  const sandbox = process.env['VNEID_ISSUER']
    ? undefined
    : await startSandbox({ port: 0, profile: 'vneid-legacy' });
  const issuer = process.env['VNEID_ISSUER'] ?? sandbox!.url;
  const rp = await startRelyingParty({ issuer, port: Number(process.env['PORT'] ?? 3000), legacy: true });
  console.log(
    `relying party on ${rp.url} (provider ${issuer}); seeded citizens: ${issuer}/__sandbox/identities`,
  );
  const stop = async () => {
    await rp.stop();
    await sandbox?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
