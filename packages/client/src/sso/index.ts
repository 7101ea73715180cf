/**
 * @module
 * `@vneid/client/sso`: "log in with VNeID" without the rest of the client: the FAPI 2.0
 * profile (oauth4webapi: PAR, PKCE S256, DPoP, `private_key_jwt`, `iss` check, ID token) and the
 * legacy VNeID SSO profile (form-encoded token request, `{data,key}` envelopes), plus the
 * envelope crypto on its own.
 */
import { createTransport } from '../http/transport.ts';
import type { IdentityClientOptions } from '../options.ts';
import { createSsoNamespace } from './engine.ts';
import type { SsoNamespace } from './types.ts';

export { normalizeClaims } from './claims.ts';
export { parseRawQuery } from './legacy.ts';
export { createSsoNamespace };

/** The `sso` namespace on its own (same options as `createIdentityClient`). */
export function createSso(options: IdentityClientOptions): SsoNamespace {
  const transport = createTransport({
    baseUrl: options.issuer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return createSsoNamespace({ transport, options });
}
export {
  decryptLegacyData,
  decryptLegacyEnvelope,
  isLegacyEnvelope,
  type LegacyEnvelope,
  type RsaPrivateKeyInput,
  type RsaPrivateNumbers,
  rsaPrivateNumbers,
  unwrapLegacyKey,
} from './legacy-crypto.ts';
export * from './types.ts';
