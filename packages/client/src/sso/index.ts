/**
 * @module
 * `@vneid/client/sso`: "log in with VNeID" without the rest of the client: the FAPI 2.0
 * profile (oauth4webapi: PAR, PKCE S256, DPoP, `private_key_jwt`, `iss` check, ID token) and the
 * legacy VNeID SSO profile (form-encoded token request, `{data,key}` envelopes), plus the
 * envelope crypto on its own.
 */
export { createSsoNamespace } from './engine.ts';
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
