/**
 * @module
 * The options of {@link createIdentityClient} and the context every namespace receives.
 */
import type { PartnerCredentials } from './http/partner-signing.ts';
import type { Logger, RetryOptions, Transport } from './http/transport.ts';
import type { RsaPrivateKeyInput } from './sso/legacy-crypto.ts';
import type { SsoProfile } from './sso/types.ts';

/** How the relying party authenticates to the token endpoint. */
export type ClientAuth =
  /** FAPI 2.0: a JWT signed with the client's private key (RFC 7523). */
  | { kind: 'private_key_jwt'; key: CryptoKey | JsonWebKey; kid: string }
  /**
   * Legacy VNeID SSO: `client_secret` in the form body; `decryptionKey` is the RSA private key
   * whose public half VNeID encrypts the `{data,key}` envelopes to.
   */
  | { kind: 'client_secret_post'; secret: string; decryptionKey?: RsaPrivateKeyInput };

export interface DpopOptions {
  /** A fixed DPoP key pair (ES256); default: a new non-extractable pair per login. */
  keyPair?: CryptoKeyPair;
}

export interface IdentityClientOptions {
  /** The service's base URL; also the OpenID issuer (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  /** Default `fapi2`. */
  profile?: SsoProfile;
  /** The OAuth client id (SSO). */
  clientId?: string;
  clientAuth?: ClientAuth;
  /** DPoP for FAPI 2.0 (always used there; this only fixes the key). */
  dpop?: DpopOptions;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** Aborts every request of this client. */
  signal?: AbortSignal;
  /** Partner credentials for chip verification and share requests (back end only). */
  partner?: PartnerCredentials;
  retry?: RetryOptions;
  /**
   * `auto` (default): each POST carries a fresh `Idempotency-Key` (kept across its retries), so
   * a POST whose answer was lost is retried safely: the server answers it once. `off`: POSTs are
   * retried only when given `idempotencyKey`.
   */
  idempotencyKeys?: 'auto' | 'off';
  logger?: Logger;
  /** Jitter source in [0, 1) (tests). */
  random?: () => number;
  /** Endpoints of the legacy VNeID SSO (default `<issuer>/auth`, `/token`, `/userinfo`). */
  legacyEndpoints?: { authorization?: string; token?: string; userinfo?: string };
  /** Lets the SSO talk to an `http://` issuer (the local sandbox); never in production. */
  allowInsecureRequests?: boolean;
}

/** What every namespace gets. */
export interface ClientContext {
  transport: Transport;
  options: IdentityClientOptions;
}
