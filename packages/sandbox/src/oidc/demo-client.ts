/**
 * @module
 * The pre-registered demo relying party `demo-rp` of the FAPI 2.0 profile: `private_key_jwt`
 * (ES256), PAR, PKCE S256, DPoP-bound access tokens, ES256-signed ID tokens and userinfo.
 * Its private key below is PUBLISHED TEST MATERIAL (it is in the repository and the docs):
 * anyone can act as `demo-rp` against a sandbox, which is the point. Never use it anywhere else.
 * FAPI 2.0 wants exact redirect URI matching, so the redirect URIs are a fixed list; a relying
 * party on another address registers itself through dynamic client registration.
 */
import type { ClientMetadata } from 'oidc-provider';

export const DEMO_RP_CLIENT_ID = 'demo-rp';

/** The demo client's signing key (ES256) for `private_key_jwt` client assertions. Test material. */
export const DEMO_RP_PRIVATE_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'qpJBxe1w7gYnJumeE6mquoU1hvF4XhdsZ3Gn-uk5YqE',
  y: 'BUcQ_HC78ghNFPDdGKY7vjyv6Pe90ZNhZ3lP1wm2twc',
  d: 'WS83JyUOj1bMCEND1O17pH2XKQSo-MgNLrgehQbFWU0',
  kid: 'demo-rp-es256',
  alg: 'ES256',
  use: 'sig',
} as const;

export const DEMO_RP_PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: DEMO_RP_PRIVATE_JWK.x,
  y: DEMO_RP_PRIVATE_JWK.y,
  kid: DEMO_RP_PRIVATE_JWK.kid,
  alg: 'ES256',
  use: 'sig',
} as const;

/** Registered exactly (FAPI 2.0): ports 4020, 3000 and 8080 on 127.0.0.1 and localhost. */
export const DEMO_RP_REDIRECT_URIS: readonly string[] = [4020, 3000, 8080].flatMap((port) => [
  `http://127.0.0.1:${port}/callback`,
  `http://localhost:${port}/callback`,
]);

export const DEMO_RP_SCOPE = 'openid profile vneid';

export function demoRpMetadata(): ClientMetadata {
  return {
    client_id: DEMO_RP_CLIENT_ID,
    client_name: 'VNeID sandbox demo relying party',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [{ ...DEMO_RP_PUBLIC_JWK }] },
    redirect_uris: [...DEMO_RP_REDIRECT_URIS],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    scope: DEMO_RP_SCOPE,
    id_token_signed_response_alg: 'ES256',
    userinfo_signed_response_alg: 'ES256',
    dpop_bound_access_tokens: true,
    require_pushed_authorization_requests: true,
  };
}
