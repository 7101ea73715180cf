/**
 * @module
 * The legacy VNeID SSO (`--profile vneid-legacy`), as integrators observed it (IDENTITY-NOTES
 * §3), on the same issuer: `GET /auth?response_type=code&client_id&redirect_uri&scope=openid&state`
 * (no PKCE, no nonce) → the sandbox login page → a redirect with `code` (base64, always with a
 * `+`) or, for a client registered with `encrypt_code`, an encrypted `code` plus `encrypt_key`;
 * `POST /token` (only `application/x-www-form-urlencoded`; JSON gets 415) with `grant_type`,
 * `code`, `client_id`, `client_secret`, `redirect_uri` and, for an encrypted code, `encrypt_key`;
 * `GET /userinfo` with `Authorization: Bearer`. Token and userinfo answers are `{data,key}`
 * envelopes (see `legacy-crypto.ts`); there is no ID token. Userinfo uses VNeID's claim names:
 * `sub`, `citizenPid`, `fullName`, `birthDate`, `accountType`, `accountLevel`.
 *
 * All state is in the database (requests, single-use codes, tokens, as HMACs where secret) and
 * every lifetime follows the sandbox clock (`POST /__sandbox/clock` moves them), unlike the
 * FAPI 2.0 profile whose lifetimes are oidc-provider's (`Date.now()`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskPersonalId } from '../flows/sms.ts';
import type { RequestContext, Services } from '../http/context.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { type Citizen, canLogIn, findCitizen, findCitizenByAccountId, tryPassword } from './citizens.ts';
import {
  DEMO_LEGACY_CLIENT_ID,
  DEMO_LEGACY_CLIENT_SECRET,
  DEMO_LEGACY_ENC_CLIENT_ID,
  DEMO_LEGACY_PUBLIC_KEY_PEM,
  DEMO_LEGACY_REDIRECT_URIS,
} from './demo-legacy-client.ts';
import { encryptCode, sealEnvelope } from './legacy-crypto.ts';
import { renderApproval, renderLoginForm, renderMessage } from './login-page.ts';
import { BodyError, mediaTypeOf, readForm, redirect303, sendHtml, sendJson } from './node-http.ts';

export const LEGACY_ROUTES = { authorization: '/auth', token: '/token', userinfo: '/userinfo' } as const;

/** Lifetimes (seconds, sandbox clock). */
export const LEGACY_TTL = { request: 600, code: 60, accessToken: 1800 } as const;

const PERSONAL_ID = /^\d{12}$/;
const MAX_PARAM = 2048;

export function isLegacyPath(path: string): boolean {
  return (
    path === LEGACY_ROUTES.authorization ||
    path.startsWith('/auth/') ||
    path === '/token' ||
    path === '/userinfo'
  );
}

interface LegacyClient {
  client_id: string;
  secret_mac: string;
  redirect_uris: string[];
  public_key_pem: string;
  encrypt_code: boolean;
}

/** An exact redirect URI, or a pattern where `*` is a port number. */
export function redirectUriMatches(patterns: readonly string[], uri: string): boolean {
  return patterns.some((p) => {
    if (!p.includes('*')) return p === uri;
    const [before, after] = p.split('*') as [string, string];
    if (!uri.startsWith(before) || !uri.endsWith(after)) return false;
    const port = uri.slice(before.length, uri.length - after.length);
    return /^\d{1,5}$/.test(port) && Number(port) <= 65535;
  });
}

/** Seeds `demo-legacy` and `demo-legacy-enc` (idempotent). */
export async function seedLegacyClients(q: Queryable, services: Services): Promise<void> {
  for (const [clientId, encrypt] of [
    [DEMO_LEGACY_CLIENT_ID, false],
    [DEMO_LEGACY_ENC_CLIENT_ID, true],
  ] as const) {
    await q.query(
      `INSERT INTO oidc_legacy_clients (client_id, secret_mac, redirect_uris, public_key_pem, encrypt_code)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO NOTHING`,
      [
        clientId,
        services.secrets.mac('legacy-client-secret', DEMO_LEGACY_CLIENT_SECRET),
        JSON.stringify(DEMO_LEGACY_REDIRECT_URIS),
        DEMO_LEGACY_PUBLIC_KEY_PEM,
        encrypt,
      ],
    );
  }
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/** A new code: 32 random bytes in base64, re-drawn until it has a `+` (the quirk RPs must survive). */
function newCode(): string {
  for (;;) {
    const code = randomBytes(32).toString('base64');
    if (code.includes('+')) return code;
  }
}

export function createLegacyHandler(services: Services) {
  const { db, secrets } = services;
  const csrfOf = (id: string) => secrets.mac('legacy-csrf', id);

  const contextOf = async (req: IncomingMessage): Promise<RequestContext> => ({
    ...services,
    at: await services.now(),
    requestId: randomId(12),
    ip: req.socket.remoteAddress ?? 'unknown',
  });

  const findClient = async (clientId: string): Promise<LegacyClient | null> => {
    const { rows } = await db.query<LegacyClient>(
      'SELECT client_id, secret_mac, redirect_uris, public_key_pem, encrypt_code FROM oidc_legacy_clients WHERE client_id = $1',
      [clientId],
    );
    return rows[0] ?? null;
  };

  const errorRedirect = (res: ServerResponse, redirectUri: string, error: string, state: string | null) => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    if (state !== null) url.searchParams.set('state', state);
    redirect303(res, url.href);
  };

  const loginPage = (
    res: ServerResponse,
    id: string,
    clientId: string,
    status: number,
    error?: string,
    personalId?: string,
  ) =>
    sendHtml(
      res,
      status,
      renderLoginForm({
        action: `/auth/${id}/login`,
        csrf: csrfOf(id),
        clientName: clientId,
        ...(error !== undefined ? { error } : {}),
        ...(personalId !== undefined ? { personalId } : {}),
      }),
    );

  /** Issues the code for a logged-in request and redirects to the client. */
  const issueCode = async (
    res: ServerResponse,
    at: Date,
    client: LegacyClient,
    request: { redirect_uri: string; scope: string; state: string | null },
    citizen: Citizen,
  ) => {
    const code = newCode();
    const encrypted = client.encrypt_code ? encryptCode(client.public_key_pem, code) : null;
    await db.query(
      `INSERT INTO oidc_legacy_codes (code_mac, enc_code_mac, encrypt_key_mac, client_id, redirect_uri, account_id, scope, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        secrets.mac('legacy-code', code),
        encrypted !== null ? secrets.mac('legacy-code', encrypted.code) : null,
        encrypted !== null ? secrets.mac('legacy-encrypt-key', encrypted.encryptKey) : null,
        client.client_id,
        request.redirect_uri,
        citizen.accountId,
        request.scope,
        new Date(at.getTime() + LEGACY_TTL.code * 1000),
      ],
    );
    const url = new URL(request.redirect_uri);
    url.searchParams.set('code', encrypted?.code ?? code);
    if (encrypted !== null) url.searchParams.set('encrypt_key', encrypted.encryptKey);
    if (request.state !== null) url.searchParams.set('state', request.state);
    redirect303(res, url.href);
  };

  const authorize = async (res: ServerResponse, url: URL) => {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    const state = q.get('state');
    if ([...q.values()].some((v) => v.length > MAX_PARAM))
      return sendHtml(res, 400, renderMessage('Lỗi', 'Tham số quá dài.'));
    const client = clientId === '' ? null : await findClient(clientId);
    if (client === null) return sendHtml(res, 400, renderMessage('Lỗi', 'client_id không hợp lệ.'));
    if (!redirectUriMatches(client.redirect_uris, redirectUri))
      return sendHtml(res, 400, renderMessage('Lỗi', 'redirect_uri không hợp lệ.'));
    if (q.get('response_type') !== 'code')
      return errorRedirect(res, redirectUri, 'unsupported_response_type', state);
    const scope = q.get('scope') ?? '';
    if (!scope.split(' ').includes('openid')) return errorRedirect(res, redirectUri, 'invalid_scope', state);
    const at = await services.now();
    const hint = q.get('login_hint');
    if (services.config.autoApprove && hint !== null && PERSONAL_ID.test(hint)) {
      const citizen = await findCitizen(db, hint);
      if (citizen !== null && canLogIn(citizen))
        return issueCode(res, at, client, { redirect_uri: redirectUri, scope, state }, citizen);
    }
    const id = randomId();
    await db.query(
      `INSERT INTO oidc_legacy_requests (id, client_id, redirect_uri, scope, state, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, clientId, redirectUri, scope, state, new Date(at.getTime() + LEGACY_TTL.request * 1000)],
    );
    loginPage(res, id, clientId, 200, undefined, hint !== null && PERSONAL_ID.test(hint) ? hint : undefined);
  };

  interface RequestRow {
    id: string;
    client_id: string;
    redirect_uri: string;
    scope: string;
    state: string | null;
    account_id: string | null;
  }

  const findRequest = async (id: string, at: Date): Promise<RequestRow | null> => {
    const { rows } = await db.query<RequestRow>(
      'SELECT id, client_id, redirect_uri, scope, state, account_id FROM oidc_legacy_requests WHERE id = $1 AND expires_at > $2',
      [id, at],
    );
    return rows[0] ?? null;
  };

  const pageStep = async (req: IncomingMessage, res: ServerResponse, id: string, step: string) => {
    const form = await readForm(req);
    const token = form.get('csrf');
    if (token === undefined || !secrets.macEquals('legacy-csrf', id, token))
      return sendHtml(res, 403, renderMessage('Lỗi', 'Phiên đăng nhập không hợp lệ (CSRF).'));
    const rc = await contextOf(req);
    const request = await findRequest(id, rc.at);
    if (request === null) return sendHtml(res, 400, renderMessage('Lỗi', 'Phiên đăng nhập đã hết hạn.'));
    if (step === 'login') {
      const personalId = (form.get('personalId') ?? '').trim();
      const password = form.get('password') ?? '';
      if (!PERSONAL_ID.test(personalId) || password.length === 0 || password.length > 256)
        return loginPage(
          res,
          id,
          request.client_id,
          400,
          'Số định danh cá nhân gồm 12 chữ số và mật khẩu là bắt buộc.',
          personalId,
        );
      const citizen = await tryPassword(rc, personalId, password);
      if (citizen === 'rate_limited')
        return loginPage(
          res,
          id,
          request.client_id,
          429,
          'Quá nhiều lần thử. Vui lòng thử lại sau.',
          personalId,
        );
      if (citizen === null)
        return loginPage(
          res,
          id,
          request.client_id,
          401,
          'Số định danh cá nhân hoặc mật khẩu không đúng.',
          personalId,
        );
      if (!canLogIn(citizen))
        return loginPage(
          res,
          id,
          request.client_id,
          403,
          'Tài khoản chưa được định danh điện tử hoặc chưa kích hoạt.',
          personalId,
        );
      await db.query('UPDATE oidc_legacy_requests SET account_id = $2 WHERE id = $1', [
        id,
        citizen.accountId,
      ]);
      return sendHtml(
        res,
        200,
        renderApproval({
          action: `/auth/${id}/approve`,
          csrf: csrfOf(id),
          clientName: request.client_id,
          fullName: citizen.fullName,
          maskedPersonalId: maskPersonalId(citizen.personalId),
          scopes: request.scope.split(' '),
        }),
      );
    }
    // approve: the request is used once
    const { rows } = await db.query<RequestRow>(
      `DELETE FROM oidc_legacy_requests WHERE id = $1 AND account_id IS NOT NULL AND expires_at > $2
       RETURNING id, client_id, redirect_uri, scope, state, account_id`,
      [id, rc.at],
    );
    const done = rows[0];
    if (done === undefined) return loginPage(res, id, request.client_id, 400, 'Vui lòng đăng nhập lại.');
    if (form.get('decision') !== 'approve')
      return errorRedirect(res, done.redirect_uri, 'access_denied', done.state);
    const client = await findClient(done.client_id);
    const citizen = await findCitizenByAccountId(db, done.account_id!);
    if (client === null || citizen === null || !canLogIn(citizen))
      return errorRedirect(res, done.redirect_uri, 'access_denied', done.state);
    return issueCode(res, rc.at, client, done, citizen);
  };

  const authenticateClient = async (form: Map<string, string>): Promise<LegacyClient> => {
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret') ?? '';
    const client = clientId === '' ? null : await findClient(clientId);
    const expected = client?.secret_mac ?? secrets.mac('legacy-client-secret', randomId());
    if (!secrets.macEquals('legacy-client-secret', secret, expected) || client === null)
      throw new OAuthError(401, 'invalid_client', 'client authentication failed');
    return client;
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    if (mediaTypeOf(req) !== 'application/x-www-form-urlencoded') {
      req.resume();
      throw new OAuthError(
        415,
        'invalid_request',
        'the token request must be application/x-www-form-urlencoded',
      );
    }
    const form = await readForm(req);
    const client = await authenticateClient(form);
    if (form.get('grant_type') !== 'authorization_code')
      throw new OAuthError(400, 'unsupported_grant_type', 'only authorization_code is supported');
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (code === undefined || code === '' || redirectUri === undefined)
      throw new OAuthError(400, 'invalid_request', 'code and redirect_uri are required');
    const encryptKey = form.get('encrypt_key');
    const at = await services.now();
    const codeMac = secrets.mac('legacy-code', code);
    const accessToken = randomId(32);
    const result = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        code_mac: string;
        enc_code_mac: string | null;
        encrypt_key_mac: string | null;
        client_id: string;
        redirect_uri: string;
        account_id: string;
        scope: string;
        expires_at: Date;
        consumed_at: Date | null;
      }>(
        `SELECT code_mac, enc_code_mac, encrypt_key_mac, client_id, redirect_uri, account_id, scope, expires_at, consumed_at
         FROM oidc_legacy_codes WHERE code_mac = $1 OR enc_code_mac = $1 FOR UPDATE`,
        [codeMac],
      );
      const row = rows[0];
      if (row === undefined || row.client_id !== client.client_id)
        return { error: 'authorization code not found' } as const;
      if (row.consumed_at !== null) {
        // A replayed code: revoke what it issued (RFC 6749 §4.1.2).
        await tx.query('DELETE FROM oidc_legacy_tokens WHERE code_mac = $1', [row.code_mac]);
        return { error: 'authorization code already used' } as const;
      }
      if (new Date(row.expires_at).getTime() <= at.getTime())
        return { error: 'authorization code expired' } as const;
      if (row.redirect_uri !== redirectUri) return { error: 'redirect_uri mismatch' } as const;
      if (row.enc_code_mac === codeMac) {
        if (
          encryptKey === undefined ||
          !secrets.macEquals('legacy-encrypt-key', encryptKey, row.encrypt_key_mac ?? '')
        )
          return { error: 'encrypt_key does not belong to the code' } as const;
      }
      await tx.query('UPDATE oidc_legacy_codes SET consumed_at = $2 WHERE code_mac = $1', [row.code_mac, at]);
      await tx.query(
        `INSERT INTO oidc_legacy_tokens (token_mac, code_mac, client_id, account_id, scope, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          secrets.mac('legacy-token', accessToken),
          row.code_mac,
          client.client_id,
          row.account_id,
          row.scope,
          new Date(at.getTime() + LEGACY_TTL.accessToken * 1000),
        ],
      );
      return { scope: row.scope } as const;
    });
    if ('error' in result) throw new OAuthError(400, 'invalid_grant', String(result.error));
    sendJson(
      res,
      200,
      sealEnvelope(client.public_key_pem, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: LEGACY_TTL.accessToken,
        scope: result.scope,
      }),
      { pragma: 'no-cache' },
    );
  };

  const userinfo = async (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
    const at = await services.now();
    const { rows } = match
      ? await db.query<{ account_id: string; client_id: string }>(
          'SELECT account_id, client_id FROM oidc_legacy_tokens WHERE token_mac = $1 AND expires_at > $2',
          [secrets.mac('legacy-token', match[1]!), at],
        )
      : { rows: [] };
    const row = rows[0];
    const citizen = row !== undefined ? await findCitizenByAccountId(db, row.account_id) : null;
    const client = row !== undefined ? await findClient(row.client_id) : null;
    if (row === undefined || citizen === null || client === null || !canLogIn(citizen)) {
      sendJson(
        res,
        401,
        { error: 'invalid_token', error_description: 'the access token is missing, unknown or expired' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    sendJson(
      res,
      200,
      sealEnvelope(client.public_key_pem, {
        sub: citizen.accountId,
        citizenPid: citizen.personalId,
        fullName: citizen.fullName,
        birthDate: citizen.birthDate,
        accountType: 'CONG_DAN',
        accountLevel: citizen.level,
      }),
    );
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    let route = path;
    try {
      if (path === LEGACY_ROUTES.authorization && req.method === 'GET') await authorize(res, url);
      else if (path === LEGACY_ROUTES.token && req.method === 'POST') await token(req, res);
      else if (path === LEGACY_ROUTES.userinfo && req.method === 'GET') await userinfo(req, res);
      else {
        const m = /^\/auth\/([A-Za-z0-9_-]{22})\/(login|approve)$/.exec(path);
        route = m ? `/auth/:id/${m[2]}` : path;
        if (m && req.method === 'POST') await pageStep(req, res, m[1]!, m[2]!);
        else if (
          path === LEGACY_ROUTES.token ||
          path === LEGACY_ROUTES.userinfo ||
          path === LEGACY_ROUTES.authorization
        )
          sendJson(res, 405, { error: 'invalid_request', error_description: 'method not allowed' });
        else sendHtml(res, 404, renderMessage('Lỗi', 'Không tìm thấy trang.'));
      }
    } catch (error) {
      if (!res.headersSent) {
        if (error instanceof OAuthError)
          sendJson(res, error.status, { error: error.error, error_description: error.message });
        else if (error instanceof BodyError)
          sendJson(res, error.status, { error: 'invalid_request', error_description: error.message });
        else {
          services.log({
            level: 'error',
            area: 'oidc-legacy',
            error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
          });
          sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
        }
      }
    } finally {
      services.log({
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
