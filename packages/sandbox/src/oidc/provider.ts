/**
 * @module
 * The OpenID Provider (oidc-provider 9.13, FAPI 2.0 Security Profile): issuer = the sandbox's
 * base URL, discovery at `/.well-known/openid-configuration` on the root, every other endpoint
 * under `/oidc/` (so that the legacy VNeID SSO can own `/auth`, `/token` and `/userinfo`). PAR
 * required, PKCE S256, `private_key_jwt` only (FAPI 2.0 allows it or mTLS; no client secrets),
 * DPoP-bound access tokens for every client (DPoP nonces from a secret in the database), `iss`
 * in the authorization response (RFC 9207), 60 s codes, ES256-signed ID tokens and userinfo,
 * open dynamic client registration (RFC 7591), `acr` `LoA1`/`LoA2` from the account level.
 *
 * Time: oidc-provider reads `Date.now()`; the sandbox clock control (`POST /__sandbox/clock`)
 * does NOT move oidc-provider's own checks (`exp`/`iat` of ID tokens and client assertions, DPoP
 * `iat` windows and nonces, cookies, reported `expires_in`). It does expire what is stored —
 * PAR requests, codes, interactions, sessions, grants, access tokens — because the adapter
 * (`adapter.ts`) keeps their expiry on the sandbox clock. oidc-provider prints "Unsupported
 * runtime" on Node 20 and works.
 */
import { type Configuration, errors, interactionPolicy, Provider } from 'oidc-provider';
import type { Services } from '../http/context.ts';
import type { ServerKeys } from '../keys/server-keys.ts';
import { createOidcAdapter } from './adapter.ts';
import { ACR_VALUES, acrOf, findCitizenByAccountId, minLevelOf } from './citizens.ts';
import { demoRpMetadata } from './demo-client.ts';
import { renderMessage } from './login-page.ts';
import type { OidcSecrets } from './secrets-store.ts';

/** The endpoint paths (the issuer's own; discovery is on the root). */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  pushed_authorization_request: '/oidc/par',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  jwks: '/oidc/jwks',
  registration: '/oidc/register',
  revocation: '/oidc/token/revocation',
  end_session: '/oidc/session/end',
  introspection: '/oidc/token/introspection',
  challenge: '/oidc/challenge',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  backchannel_authentication: '/oidc/backchannel',
  credential: '/oidc/credential',
} as const;

export const INTERACTION_PREFIX = '/oidc/interaction/';

/** Scopes and the claims they release. `acr`/`amr` sit under `openid` so that they reach the ID token. */
export const OIDC_CLAIMS = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['name', 'birthdate', 'gender'],
  vneid: ['personal_id', 'account_level'],
} as const;

const ALGS = ['ES256', 'PS256', 'EdDSA'];

/** The lowest account level the request asks for: `acr_values` and an `acr` in the claims parameter. */
export function requestedMinLevel(params: Record<string, unknown>): number {
  let level = minLevelOf(typeof params['acr_values'] === 'string' ? params['acr_values'] : undefined);
  if (typeof params['claims'] === 'string') {
    try {
      const claims = JSON.parse(params['claims']) as {
        id_token?: { acr?: { value?: unknown; values?: unknown; essential?: unknown } };
      };
      const acr = claims.id_token?.acr;
      const values = [
        ...(typeof acr?.value === 'string' ? [acr.value] : []),
        ...(Array.isArray(acr?.values) ? acr.values.filter((v): v is string => typeof v === 'string') : []),
      ];
      if (values.length > 0) level = Math.max(level, minLevelOf(values.join(' ')));
    } catch {
      // oidc-provider rejects a malformed claims parameter itself.
    }
  }
  return level;
}

export interface BuildProviderOptions {
  services: Services;
  keys: ServerKeys;
  secrets: OidcSecrets;
  /** Extra discovery metadata (the legacy profile's endpoints). */
  discovery?: Record<string, unknown>;
}

export function buildProvider({ services, keys, secrets, discovery }: BuildProviderOptions): Provider {
  const { db, config, policy } = services;

  const basePolicy = interactionPolicy.base();
  const login = basePolicy.get('login');
  // A session of a lower level than the request asks for must log in again (and then fail
  // with `unmet_authentication_requirements` if the account cannot reach the level).
  login?.checks.add(
    new interactionPolicy.Check(
      'acr_level',
      'the session does not satisfy the requested acr_values',
      async (ctx) => {
        const session = ctx.oidc.session;
        if (!session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const needed = requestedMinLevel((ctx.oidc.params ?? {}) as Record<string, unknown>);
        const have = session.acr === 'LoA2' ? 2 : session.acr === 'LoA1' ? 1 : 0;
        return needed > have
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  login?.checks.add(
    new interactionPolicy.Check('login_hint', 'login_hint names another citizen', async (ctx) => {
      const session = ctx.oidc.session;
      const hint = ctx.oidc.params?.['login_hint'];
      if (!session?.accountId || typeof hint !== 'string') return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const citizen = await findCitizenByAccountId(db, session.accountId);
      return citizen?.personalId === hint
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );

  const configuration: Configuration = {
    adapter: createOidcAdapter(db),
    clients: [demoRpMetadata()],
    jwks: { keys: keys.keys.map((k) => ({ ...k.privateJwk })) as never },
    routes: OIDC_ROUTES,
    scopes: Object.keys(OIDC_CLAIMS),
    claims: Object.fromEntries(Object.entries(OIDC_CLAIMS).map(([k, v]) => [k, [...v]])),
    acrValues: [...ACR_VALUES],
    // The ID token carries the released claims too (not only userinfo), so that an RP has the
    // signed identity in one place.
    conformIdTokenClaims: false,
    clientAuthMethods: ['private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'ES256',
      dpop_bound_access_tokens: true,
    } as Configuration['clientDefaults'],
    // Every client's access tokens are DPoP-bound (FAPI 2.0 sender-constrained tokens): a
    // registration asking for `dpop_bound_access_tokens: false` is refused, a missing one is true.
    extraClientMetadata: {
      properties: ['vneid_sandbox_note'],
      validator(_ctx, key, value, metadata) {
        if (key !== 'vneid_sandbox_note') return;
        if (value !== undefined && typeof value !== 'string')
          throw new errors.InvalidClientMetadata('vneid_sandbox_note must be a string');
        if (metadata['dpop_bound_access_tokens'] === false)
          throw new errors.InvalidClientMetadata(
            'dpop_bound_access_tokens must be true (FAPI 2.0: sender-constrained access tokens)',
          );
        metadata['dpop_bound_access_tokens'] = true;
      },
    },
    enabledJWA: {
      clientAuthSigningAlgValues: ALGS,
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
      dPoPSigningAlgValues: ALGS,
      requestObjectSigningAlgValues: ALGS,
      authorizationSigningAlgValues: ['ES256'],
    } as Configuration['enabledJWA'],
    cookies: {
      keys: secrets.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', secure: config.baseUrl.startsWith('https:') },
      short: { httpOnly: true, sameSite: 'lax', secure: config.baseUrl.startsWith('https:') },
    },
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: '2.0' },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      // Nonces are required on every DPoP proof (PAR, token, userinfo); they are stateless HMACs of
      // the time step under the shared secret, so any process accepts another's nonce.
      dPoP: { enabled: true, nonceSecret: secrets.dpopNonceSecret, requireNonce: () => true },
      registration: { enabled: true },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: { enabled: false },
    } as Configuration['features'],
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: {
      policy: basePolicy,
      url: (_ctx, interaction) => `${INTERACTION_PREFIX}${interaction.uid}`,
    },
    async findAccount(_ctx, sub) {
      const citizen = await findCitizenByAccountId(db, sub);
      if (citizen === null) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            personal_id: citizen.personalId,
            name: citizen.fullName,
            birthdate: citizen.birthDate,
            gender: citizen.sex,
            account_level: citizen.level,
            acr: acrOf(citizen.level),
          };
        },
      };
    },
    clientBasedCORS: () => false,
    discovery: {
      service_documentation: 'https://vneid-sdk.github.io/vneid-sdk/guides/login-with-vneid',
      claim_types_supported: ['normal'],
      vneid_profile: config.profile,
      vneid_policies: policy,
      vneid_sandbox: { autoApprove: config.autoApprove, loginHint: 'personal ID of an active citizen' },
      ...discovery,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderMessage(
        'Lỗi',
        `${String(out['error'] ?? 'error')}: ${String(out['error_description'] ?? '')}`,
      );
    },
  };

  const provider = new Provider(config.baseUrl, configuration);
  provider.proxy = false;
  const logError = (_ctx: unknown, error: Error) =>
    services.log({ level: 'error', area: 'oidc', error: `${error.name}: ${error.message}` });
  provider.on('server_error', logError);
  return provider;
}
