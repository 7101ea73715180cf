/**
 * @module
 * "Log in with VNeID", FAPI 2.0 Security Profile, on oauth4webapi (a certified FAPI 2.0
 * relying-party library): discovery, pushed authorization request (RFC 9126), PKCE S256,
 * DPoP (RFC 9449) with one retry on `use_dpop_nonce`, `private_key_jwt` (RFC 7523), `iss` in
 * the authorization response (RFC 9207), ID token validation (signature against the JWKS,
 * `iss`, `aud`, `exp`, `nonce`), userinfo with the subject checked, and the account level.
 */
import * as oauth from 'oauth4webapi';
import { randomBase64Url } from '../encoding.ts';
import { IdentityError } from '../errors.ts';
import { newRequestId } from '../http/transport.ts';
import type { ClientContext } from '../options.ts';
import { checkLevel, normalizeClaims } from './claims.ts';
import { createTokens } from './tokens.ts';
import type {
  AuthorizationRequest,
  CreateAuthorizationRequestInput,
  SsoNamespace,
  SsoResult,
} from './types.ts';

type Alg = { name: string; namedCurve?: string; hash?: string };

function importAlgorithm(jwk: JsonWebKey): Alg {
  if (jwk.kty === 'EC') return { name: 'ECDSA', namedCurve: jwk.crv ?? 'P-256' };
  if (jwk.kty === 'OKP') return { name: 'Ed25519' };
  if (jwk.kty === 'RSA') return { name: 'RSA-PSS', hash: 'SHA-256' };
  throw new IdentityError('invalid_argument', 'the client key must be an EC, OKP or RSA private JWK');
}

async function signingKey(key: CryptoKey | JsonWebKey): Promise<CryptoKey> {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) return key;
  const jwk = key as JsonWebKey;
  if (typeof jwk.d !== 'string')
    throw new IdentityError('invalid_argument', 'the client JWK has no private part');
  const { alg: _alg, use: _use, key_ops: _ops, ...material } = jwk as JsonWebKey & { kid?: string };
  return crypto.subtle.importKey('jwk', material, importAlgorithm(jwk), false, ['sign']);
}

/** Maps oauth4webapi's errors to {@link IdentityError} codes. */
export function mapOauthError(error: unknown, step: string): IdentityError {
  if (error instanceof IdentityError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const code = error.error === 'invalid_grant' ? 'invalid_grant' : 'oauth_error';
    return new IdentityError(code, `${step}: ${error.error}`, {
      serverCode: error.error,
      status: error.status,
      cause: error,
    });
  }
  if (error instanceof oauth.AuthorizationResponseError)
    return new IdentityError('authorization_denied', `${step}: ${error.error}`, {
      serverCode: error.error,
      cause: error,
    });
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const err = challenge?.parameters.error ?? 'www_authenticate';
    return new IdentityError('oauth_error', `${step}: ${err}`, {
      serverCode: err,
      status: error.status,
      cause: error,
    });
  }
  if (error instanceof TypeError && /fetch/i.test(error.message))
    return new IdentityError('network_error', `${step}: no answer from the provider`, { cause: error });
  if (error instanceof Error && error.name === 'AbortError')
    return new IdentityError('aborted', `${step} was aborted`, { cause: error });
  const code = (error as { code?: unknown })?.code;
  return new IdentityError('oauth_error', `${step}: ${code ?? (error as Error)?.message ?? 'failed'}`, {
    ...(typeof code === 'string' ? { serverCode: code } : {}),
    cause: error,
  });
}

/** Runs `fn`, and once more when the server asks for a DPoP nonce (the handle keeps it). */
async function withDpopNonceRetry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return fn();
    throw error;
  }
}

export function createFapi2(ctx: ClientContext): SsoNamespace {
  const { options, transport } = ctx;
  const now = transport.now;
  const issuer = new URL(transport.baseUrl);
  const insecure = options.allowInsecureRequests ?? issuer.protocol === 'http:';
  // biome-ignore lint/suspicious/noExplicitAny: one fetch for every oauth4webapi request type
  const fetchWithId = (url: string, init: any): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('x-request-id')) headers.set('x-request-id', newRequestId());
    return transport.fetch(url, { ...init, headers } as RequestInit);
  };
  const http = (signal?: AbortSignal) => ({
    [oauth.customFetch]: fetchWithId,
    [oauth.allowInsecureRequests]: insecure,
    ...((signal ?? transport.signal) ? { signal: (signal ?? transport.signal)! } : {}),
  });

  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new IdentityError('invalid_argument', 'sso needs clientId');
  const auth = options.clientAuth;
  if (auth?.kind !== 'private_key_jwt')
    throw new IdentityError(
      'invalid_argument',
      'the fapi2 profile needs clientAuth { kind: "private_key_jwt", key, kid }',
    );
  const client: oauth.Client = { client_id: options.clientId };
  Object.defineProperty(client, oauth.clockSkew, {
    get: () => (now() - Date.now()) / 1000,
    enumerable: false,
  });

  let as: Promise<oauth.AuthorizationServer> | undefined;
  const discover = (signal?: AbortSignal) => {
    as ??= (async () => {
      const res = await oauth.discoveryRequest(issuer, http(signal));
      return oauth.processDiscoveryResponse(issuer, res);
    })().catch((e) => {
      as = undefined;
      throw mapOauthError(e, 'discovery');
    });
    return as;
  };
  let clientAuth: Promise<oauth.ClientAuth> | undefined;
  const getClientAuth = () => {
    clientAuth ??= signingKey(auth.key).then((key) => oauth.PrivateKeyJwt({ key, kid: auth.kid }));
    return clientAuth;
  };
  // One DPoP handle per key pair, so that the nonce the provider gave on PAR is reused on the
  // token and userinfo requests of the same login (no extra use_dpop_nonce round trip).
  const handles = new WeakMap<CryptoKeyPair, oauth.DPoPHandle>();
  const dpopOf = (keyPair: CryptoKeyPair): oauth.DPoPHandle => {
    let handle = handles.get(keyPair);
    if (!handle) {
      handle = oauth.DPoP(client, keyPair);
      handles.set(keyPair, handle);
    }
    return handle;
  };
  const dpopKeys = async (request?: AuthorizationRequest): Promise<CryptoKeyPair> =>
    request?.dpopKeyPair ?? options.dpop?.keyPair ?? oauth.generateKeyPair('ES256');

  return {
    async createAuthorizationRequest(input: CreateAuthorizationRequestInput): Promise<AuthorizationRequest> {
      if (typeof input?.redirectUri !== 'string')
        throw new IdentityError('invalid_argument', 'redirectUri is required');
      const minAccountLevel = input.minAccountLevel ?? 1;
      const server = await discover(input.signal);
      const keyPair = await dpopKeys();
      const dpop = dpopOf(keyPair);
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: input.redirectUri,
        scope: input.scope ?? 'openid profile vneid',
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        acr_values: minAccountLevel >= 2 ? 'LoA2' : 'LoA1 LoA2',
      });
      if (input.loginHint !== undefined) params.set('login_hint', input.loginHint);
      const ca = await getClientAuth();
      let par: oauth.PushedAuthorizationResponse;
      try {
        par = await withDpopNonceRetry(async () =>
          oauth.processPushedAuthorizationResponse(
            server,
            client,
            await oauth.pushedAuthorizationRequest(server, client, ca, params, {
              ...http(input.signal),
              DPoP: dpop,
            }),
          ),
        );
      } catch (e) {
        throw mapOauthError(e, 'pushed authorization request');
      }
      if (!server.authorization_endpoint)
        throw new IdentityError(
          'unexpected_response',
          'the discovery document has no authorization_endpoint',
        );
      const url = new URL(server.authorization_endpoint);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('request_uri', par.request_uri);
      return {
        url: url.href,
        state,
        codeVerifier,
        nonce,
        expiresAt: now() + par.expires_in * 1000,
        redirectUri: input.redirectUri,
        profile: 'fapi2',
        minAccountLevel,
        ...(options.dpop?.keyPair ? {} : { dpopKeyPair: keyPair }),
      };
    },

    async handleCallback(url, request, opts = {}): Promise<SsoResult> {
      const server = await discover(opts.signal);
      const callback = new URL(typeof url === 'string' ? url : url.href, request.redirectUri);
      const p = callback.searchParams;
      // Our own checks first, each with its own code: state, then iss (RFC 9207), then expiry.
      if (p.get('state') !== request.state)
        throw new IdentityError(
          'state_mismatch',
          'the callback state is not the one of this authorization request',
        );
      const iss = p.get('iss');
      if (iss !== server.issuer || iss === null)
        throw new IdentityError('issuer_mismatch', 'the callback iss is not the issuer (RFC 9207)');
      if (p.get('error') !== null) {
        const err = p.get('error')!;
        throw new IdentityError(
          err === 'invalid_request_uri' ? 'authorization_request_expired' : 'authorization_denied',
          `the provider answered ${err}`,
          { serverCode: err },
        );
      }
      if (now() > request.expiresAt)
        throw new IdentityError('authorization_request_expired', 'the authorization request has expired');
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(server, client, callback, request.state);
      } catch (e) {
        throw mapOauthError(e, 'authorization response');
      }
      const dpop = dpopOf(await dpopKeys(request));
      const ca = await getClientAuth();
      let result: oauth.TokenEndpointResponse;
      try {
        result = await withDpopNonceRetry(async () =>
          oauth.processAuthorizationCodeResponse(
            server,
            client,
            await oauth.authorizationCodeGrantRequest(
              server,
              client,
              ca,
              params,
              request.redirectUri,
              request.codeVerifier,
              { ...http(opts.signal), DPoP: dpop },
            ),
            { expectedNonce: request.nonce, requireIdToken: true },
          ),
        );
      } catch (e) {
        throw mapOauthError(e, 'token request');
      }
      const idClaims = oauth.getValidatedIdTokenClaims(result);
      if (!idClaims) throw new IdentityError('oauth_error', 'the token response has no ID token');
      let userinfo: oauth.UserInfoResponse;
      try {
        userinfo = await withDpopNonceRetry(async () =>
          oauth.processUserInfoResponse(
            server,
            client,
            idClaims.sub,
            await oauth.userInfoRequest(server, client, result.access_token, {
              ...http(opts.signal),
              DPoP: dpop,
            }),
          ),
        );
      } catch (e) {
        throw mapOauthError(e, 'userinfo');
      }
      const claims = normalizeClaims({ ...idClaims, ...userinfo } as Record<string, unknown>);
      checkLevel(claims, request.minAccountLevel);
      return { tokens: createTokens(result as Parameters<typeof createTokens>[0]), claims };
    },
  };
}

/** Random state for the legacy profile (same strength as oauth4webapi's). */
export const randomState = (): string => randomBase64Url(32);
