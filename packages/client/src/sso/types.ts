/**
 * @module
 * The types of "log in with VNeID" shared by both profiles: the authorization request the
 * relying party keeps server-side between the redirect and the callback, the tokens, and the
 * normalised claims (with the personal ID masked in every string form).
 */
import { INSPECT, maskPersonalId, maskValue } from '../mask.ts';

export type SsoProfile = 'fapi2' | 'vneid-legacy';

/** What {@link SsoNamespace.createAuthorizationRequest} returns: keep it server-side (session store), never in the browser. */
export interface AuthorizationRequest {
  /** Where to send the browser (303). */
  url: string;
  state: string;
  /** PKCE verifier (fapi2); empty for the legacy profile, which has no PKCE. */
  codeVerifier: string;
  /** OIDC nonce (fapi2); empty for the legacy profile, which has no nonce. */
  nonce: string;
  /** Milliseconds since the epoch after which the callback is refused. */
  expiresAt: number;
  redirectUri: string;
  profile: SsoProfile;
  /** The lowest account level accepted (1 or 2). */
  minAccountLevel: number;
  /** The DPoP key pair bound to this login (fapi2, when the client has no fixed one). */
  dpopKeyPair?: CryptoKeyPair;
}

export interface CreateAuthorizationRequestInput {
  redirectUri: string;
  /** Default `openid profile vneid` (fapi2) / `openid` (legacy). */
  scope?: string;
  /** 1 (LoA1, default) or 2 (LoA2). */
  minAccountLevel?: 1 | 2;
  /** A personal ID to pre-fill the login (sandbox `--auto-approve` completes with it). */
  loginHint?: string;
  signal?: AbortSignal;
}

export interface SsoTokens {
  accessToken: string;
  tokenType: string;
  expiresIn?: number;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  toJSON(): Record<string, unknown>;
}

export interface NormalizedClaimsInit {
  personalId: string;
  fullName?: string;
  birthDate?: string;
  sex?: 'male' | 'female';
  accountLevel?: number;
  raw: Record<string, unknown>;
}

/** The citizen as both profiles describe them; prints, logs and serialises with the ID masked. */
export class IdentityClaims {
  readonly personalId: string;
  readonly fullName: string | undefined;
  /** `YYYY-MM-DD`. */
  readonly birthDate: string | undefined;
  readonly sex: 'male' | 'female' | undefined;
  readonly accountLevel: number | undefined;
  /** The claims exactly as the provider sent them. */
  readonly raw: Readonly<Record<string, unknown>>;

  constructor(init: NormalizedClaimsInit) {
    this.personalId = init.personalId;
    this.fullName = init.fullName;
    this.birthDate = init.birthDate;
    this.sex = init.sex;
    this.accountLevel = init.accountLevel;
    this.raw = init.raw;
  }

  toJSON(): Record<string, unknown> {
    return {
      personalId: maskPersonalId(this.personalId),
      fullName: this.fullName,
      birthDate: this.birthDate,
      sex: this.sex,
      accountLevel: this.accountLevel,
      raw: maskValue(this.raw),
    };
  }

  toString(): string {
    return `IdentityClaims(${maskPersonalId(this.personalId)}, level ${this.accountLevel ?? '?'})`;
  }
}
// util.inspect (Node) prints the masked form; a computed class member would not survive isolatedDeclarations.
Object.defineProperty(IdentityClaims.prototype, INSPECT, {
  value(this: IdentityClaims): string {
    return this.toString();
  },
});

export interface SsoResult {
  tokens: SsoTokens;
  claims: IdentityClaims;
}

export interface SsoNamespace {
  createAuthorizationRequest(input: CreateAuthorizationRequestInput): Promise<AuthorizationRequest>;
  handleCallback(
    url: string | URL,
    request: AuthorizationRequest,
    options?: { signal?: AbortSignal },
  ): Promise<SsoResult>;
}
