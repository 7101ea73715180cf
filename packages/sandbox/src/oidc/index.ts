/**
 * @module
 * The "log in with VNeID" area: oidc-provider's Node callback mounted in front of Hono for the
 * discovery document (`/.well-known/openid-configuration`, on the root) and `/oidc/*`, the login
 * page at `/oidc/interaction/*`, and in the `vneid-legacy` profile the legacy SSO at `/auth`,
 * `/auth/*`, `/token` and `/userinfo`. oidc-provider stays mounted in the legacy profile (its
 * discovery answers and lists the legacy endpoints under `vneid_legacy`); the paths do not
 * collide because every oidc-provider endpoint is under `/oidc/`.
 *
 * Also exports the published test material of the demo clients (`demo-rp`, `demo-legacy`,
 * `demo-legacy-enc`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Area, AreaContext } from '../areas.ts';
import { createInteractionHandler } from './interactions.ts';
import { createLegacyHandler, isLegacyPath, LEGACY_ROUTES, seedLegacyClients } from './legacy.ts';
import { buildProvider, INTERACTION_PREFIX, OIDC_CLAIMS } from './provider.ts';
import { loadOidcSecrets } from './secrets-store.ts';

export * from './demo-client.ts';
export * from './demo-legacy-client.ts';
export { LEGACY_ROUTES, LEGACY_TTL } from './legacy.ts';
export { OIDC_CLAIMS, OIDC_ROUTES } from './provider.ts';

export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** The log's route: ids in oidc-provider's paths (resume uid, registered client id) are not logged. */
function routeTemplate(path: string): string {
  const m = /^\/oidc\/(auth|register)\/[^/]+$/.exec(path);
  return m ? `/oidc/${m[1]}/:id` : path;
}

export async function oidcArea({ services, keys }: AreaContext): Promise<Area> {
  const secrets = await loadOidcSecrets(services.db);
  const legacy = services.config.profile === 'vneid-legacy';
  const base = services.config.baseUrl;
  const provider = buildProvider({
    services,
    keys,
    secrets,
    ...(legacy
      ? {
          discovery: {
            vneid_legacy: {
              authorization_endpoint: `${base}${LEGACY_ROUTES.authorization}`,
              token_endpoint: `${base}${LEGACY_ROUTES.token}`,
              userinfo_endpoint: `${base}${LEGACY_ROUTES.userinfo}`,
              token_endpoint_auth_methods_supported: ['client_secret_post'],
              response_envelope: 'RSAES-PKCS1-v1_5(AES-128 key) + AES-128-ECB/PKCS7 JSON, base64 {data,key}',
              claims_supported: ['sub', 'citizenPid', 'fullName', 'birthDate', 'accountType', 'accountLevel'],
            },
          },
        }
      : {}),
  });
  const callback = provider.callback();
  const interactions = createInteractionHandler(provider, services);
  const legacyHandler = legacy ? createLegacyHandler(services) : null;

  return {
    name: 'oidc',
    async seed() {
      // After `POST /__sandbox/reset` empties every table, put this process's shared secrets
      // back, so that the cookie keys and DPoP nonces stay the same for every process.
      const now = new Date();
      await services.db.query(
        "INSERT INTO oidc_secrets (name, value, created_at) VALUES ('dpop-nonce', $1, $2) ON CONFLICT (name) DO NOTHING",
        [secrets.dpopNonceSecret.toString('base64'), now],
      );
      const month = now.toISOString().slice(0, 7);
      await services.db.query(
        'INSERT INTO oidc_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [`cookie-key:${month}`, secrets.cookieKeys[0], now],
      );
      await seedLegacyClients(services.db, services);
    },
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path.startsWith(INTERACTION_PREFIX)) {
        void interactions(req, res);
        return true;
      }
      if (legacyHandler !== null && isLegacyPath(path)) {
        void legacyHandler(req, res);
        return true;
      }
      if (path === DISCOVERY_PATH || path.startsWith('/oidc/')) {
        const started = performance.now();
        res.once('finish', () =>
          services.log({
            method: req.method,
            route: routeTemplate(path),
            status: res.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
          }),
        );
        callback(req, res);
        return true;
      }
      return false;
    },
  };
}

/** Claim names per scope, for documentation. */
export const OIDC_SCOPES = Object.keys(OIDC_CLAIMS);
