/**
 * @module
 * "Log in with VNeID" as integrators observed the VNeID SSO (IDENTITY-NOTES §3), behind the same
 * two calls as FAPI 2.0: a plain `/auth` redirect with `state` only (no PKCE, no nonce, no
 * PAR), the raw callback query parsed by hand so that a `+` in the base64 `code` stays a `+`, an
 * optional encrypted `code` with its `encrypt_key` passed on unchanged, a form-encoded token
 * request with `client_secret`, and token and userinfo answers that may be `{data,key}`
 * envelopes (RSA PKCS#1 v1.5 + AES-ECB) decrypted with the client's RSA key. There is no ID
 * token: nothing here is signed, so trust rests on TLS and on the back channel.
 */
import { IdentityError } from '../errors.ts';
import { newRequestId } from '../http/transport.ts';
import type { ClientContext } from '../options.ts';
import { checkLevel, normalizeClaims } from './claims.ts';
import { randomState } from './fapi2.ts';
import { decryptLegacyEnvelope, isLegacyEnvelope } from './legacy-crypto.ts';
import { createTokens } from './tokens.ts';
import type { AuthorizationRequest, SsoNamespace, SsoResult } from './types.ts';

/** How long a legacy authorization request is accepted (no PAR sets it): 10 minutes. */
export const LEGACY_REQUEST_TTL_MS = 600_000;

/**
 * Query parameters exactly as sent: `%XX` decoded, `+` kept (it is part of the base64 code,
 * not a space as `URLSearchParams` would make it).
 */
export function parseRawQuery(url: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = url.indexOf('?');
  if (q < 0) return out;
  const query = url.slice(q + 1).split('#')[0] ?? '';
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new IdentityError('invalid_argument', 'the callback query is not valid percent-encoding');
      }
    };
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, decode(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return out;
}

const form = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

export function createLegacy(ctx: ClientContext): SsoNamespace {
  const { options, transport } = ctx;
  const now = transport.now;
  const base = transport.baseUrl;
  const endpoints = {
    authorization: options.legacyEndpoints?.authorization ?? `${base}/auth`,
    token: options.legacyEndpoints?.token ?? `${base}/token`,
    userinfo: options.legacyEndpoints?.userinfo ?? `${base}/userinfo`,
  };
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new IdentityError('invalid_argument', 'sso needs clientId');
  const auth = options.clientAuth;
  if (auth?.kind !== 'client_secret_post')
    throw new IdentityError(
      'invalid_argument',
      'the vneid-legacy profile needs clientAuth { kind: "client_secret_post", secret, decryptionKey? }',
    );
  const clientId = options.clientId;

  async function post(
    url: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<{ status: number; json: unknown }> {
    return exchange(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      signal,
    );
  }

  async function exchange(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    signal?: AbortSignal,
  ): Promise<{ status: number; json: unknown }> {
    const s = signal ?? transport.signal;
    let res: Response;
    try {
      res = await transport.fetch(url, {
        ...init,
        headers: { accept: 'application/json', 'x-request-id': newRequestId(), ...init.headers },
        redirect: 'manual',
        ...(s ? { signal: s } : {}),
      });
    } catch (cause) {
      if (s?.aborted) throw new IdentityError('aborted', `${url} was aborted`, { cause });
      throw new IdentityError('network_error', 'no answer from the VNeID SSO', { cause });
    }
    const text = await res.text();
    try {
      return { status: res.status, json: JSON.parse(text) };
    } catch {
      throw new IdentityError(
        'unexpected_response',
        `the VNeID SSO answered HTTP ${res.status} without JSON`,
        {
          status: res.status,
        },
      );
    }
  }

  async function open(value: unknown): Promise<Record<string, unknown>> {
    let v = value;
    if (isLegacyEnvelope(v)) {
      if (auth?.kind !== 'client_secret_post' || !auth.decryptionKey)
        throw new IdentityError(
          'invalid_argument',
          'the answer is encrypted: clientAuth.decryptionKey is needed',
        );
      v = await decryptLegacyEnvelope(v, auth.decryptionKey);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new IdentityError('unexpected_response', 'the VNeID SSO answer is not a JSON object');
    return v as Record<string, unknown>;
  }

  function oauthFailure(status: number, body: Record<string, unknown>, step: string): IdentityError {
    const err = typeof body['error'] === 'string' ? body['error'] : `http_${status}`;
    return new IdentityError(err === 'invalid_grant' ? 'invalid_grant' : 'oauth_error', `${step}: ${err}`, {
      status,
      serverCode: err,
    });
  }

  return {
    async createAuthorizationRequest(input): Promise<AuthorizationRequest> {
      if (typeof input?.redirectUri !== 'string')
        throw new IdentityError('invalid_argument', 'redirectUri is required');
      const state = randomState();
      const url = new URL(endpoints.authorization);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', input.redirectUri);
      url.searchParams.set('scope', input.scope ?? 'openid');
      url.searchParams.set('state', state);
      if (input.loginHint !== undefined) url.searchParams.set('login_hint', input.loginHint);
      return {
        url: url.href,
        state,
        codeVerifier: '',
        nonce: '',
        expiresAt: now() + LEGACY_REQUEST_TTL_MS,
        redirectUri: input.redirectUri,
        profile: 'vneid-legacy',
        minAccountLevel: input.minAccountLevel ?? 1,
      };
    },

    async handleCallback(url, request, opts = {}): Promise<SsoResult> {
      const params = parseRawQuery(typeof url === 'string' ? url : url.href);
      if (params.get('state') !== request.state)
        throw new IdentityError(
          'state_mismatch',
          'the callback state is not the one of this authorization request',
        );
      const error = params.get('error');
      if (error !== undefined)
        throw new IdentityError('authorization_denied', `the provider answered ${error}`, {
          serverCode: error,
        });
      if (now() > request.expiresAt)
        throw new IdentityError('authorization_request_expired', 'the authorization request has expired');
      const code = params.get('code');
      if (!code) throw new IdentityError('unexpected_response', 'the callback carries no code');
      const encryptKey = params.get('encrypt_key');
      const secret = (auth as { secret: string }).secret;
      const tokenAnswer = await post(
        endpoints.token,
        form({
          grant_type: 'authorization_code',
          code,
          client_id: clientId,
          client_secret: secret,
          redirect_uri: request.redirectUri,
          ...(encryptKey !== undefined ? { encrypt_key: encryptKey } : {}),
        }),
        opts.signal,
      );
      if (tokenAnswer.status !== 200) {
        const body =
          typeof tokenAnswer.json === 'object' && tokenAnswer.json
            ? (tokenAnswer.json as Record<string, unknown>)
            : {};
        throw oauthFailure(tokenAnswer.status, body, 'token request');
      }
      const token = await open(tokenAnswer.json);
      if (typeof token['access_token'] !== 'string')
        throw new IdentityError('unexpected_response', 'the token answer has no access_token');
      const userinfoAnswer = await exchange(
        endpoints.userinfo,
        { method: 'GET', headers: { authorization: `Bearer ${token['access_token']}` } },
        opts.signal,
      );
      if (userinfoAnswer.status !== 200) {
        const body =
          typeof userinfoAnswer.json === 'object' && userinfoAnswer.json
            ? (userinfoAnswer.json as Record<string, unknown>)
            : {};
        throw oauthFailure(userinfoAnswer.status, body, 'userinfo');
      }
      const info = await open(userinfoAnswer.json);
      const claims = normalizeClaims(info);
      checkLevel(claims, request.minAccountLevel);
      return { tokens: createTokens(token as Parameters<typeof createTokens>[0]), claims };
    },
  };
}
