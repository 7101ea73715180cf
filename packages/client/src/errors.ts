/**
 * @module
 * The one error of the client, {@link IdentityError}: a stable `code` (the server's RFC 9457
 * `ProblemCode` union, plus the client's own codes for transport, SSO and evidence failures,
 * and `unknown` for a code a newer server adds, the raw one kept in `serverCode`), with the
 * HTTP `status`, `requestId`, `attemptsRemaining` and `retryAfter` of the problem. Branded with
 * `Symbol.for` so that {@link isIdentityError} works across copies of the package.
 */
import type { components } from './generated/api.ts';
import { maskText } from './mask.ts';

/** The problem codes of the server (openapi.yaml `ProblemCode`). */
export type ServerProblemCode = components['schemas']['ProblemCode'];

/** Codes the client itself raises. */
export type ClientErrorCode =
  /** No HTTP answer (DNS, connection, TLS, CORS) after every allowed retry. */
  | 'network_error'
  /** An answer the contract does not allow (not JSON, wrong shape, unexpected status). */
  | 'unexpected_response'
  /** A problem code this version of the client does not know (see `serverCode`). */
  | 'unknown'
  /** The caller's `signal` aborted the request. */
  | 'aborted'
  /** A caller mistake detected before any request (missing option, malformed argument). */
  | 'invalid_argument'
  /** SSO: the callback's `state` is not the one of the request. */
  | 'state_mismatch'
  /** SSO: the callback's or the ID token's `iss` is not the issuer. */
  | 'issuer_mismatch'
  /** SSO: the provider answered the callback with an OAuth error (`serverCode` holds it). */
  | 'authorization_denied'
  /** SSO: the token endpoint refused the code (replayed, expired, wrong verifier); `serverCode` holds the OAuth error. */
  | 'invalid_grant'
  /** SSO: the pushed authorization request expired before the callback. */
  | 'authorization_request_expired'
  /** SSO: any other OAuth/OIDC protocol failure (ID token signature, nonce, DPoP, …). */
  | 'oauth_error'
  /** SSO legacy profile: an envelope could not be decrypted (one error for every cause). */
  | 'decryption_failed'
  /** SSO: the account level is lower than `minAccountLevel`. */
  | 'account_level_too_low'
  /** Chip verification: the evidence JWS did not verify against the issuer's JWKS. */
  | 'evidence_signature_invalid';

export type IdentityErrorCode = ServerProblemCode | ClientErrorCode;

const BRAND: unique symbol = Symbol.for('@vneid/client.IdentityError') as never;

/** Every server problem code this client knows: a Record, so a code added to the contract fails the typecheck here. */
const KNOWN_CODES: Record<ServerProblemCode, true> = {
  invalid_request: true,
  unsupported_media_type: true,
  payload_too_large: true,
  not_found: true,
  method_not_allowed: true,
  unauthorized: true,
  forbidden: true,
  conflict: true,
  invalid_personal_id: true,
  registry_mismatch: true,
  already_registered: true,
  terms_not_accepted: true,
  password_policy_violation: true,
  otp_invalid: true,
  otp_expired: true,
  otp_attempts_exceeded: true,
  otp_already_used: true,
  otp_resend_too_soon: true,
  otp_send_limit: true,
  invalid_credentials: true,
  account_locked: true,
  card_expired: true,
  account_not_activated: true,
  account_not_identified: true,
  already_activated: true,
  device_bound_elsewhere: true,
  new_device_challenge_required: true,
  session_superseded: true,
  session_expired: true,
  passcode_invalid: true,
  passcode_locked: true,
  passcode_policy_violation: true,
  security_answer_invalid: true,
  level_insufficient: true,
  chip_verification_failed: true,
  evidence_mismatch: true,
  share_request_expired: true,
  partner_auth_failed: true,
  nonce_replayed: true,
  rate_limited: true,
  idempotency_key_reused: true,
  fault_injected: true,
  internal_error: true,
};

/** The server's problem codes this client knows. */
export const SERVER_PROBLEM_CODES: readonly ServerProblemCode[] = Object.keys(
  KNOWN_CODES,
) as ServerProblemCode[];
const KNOWN = new Set<string>(SERVER_PROBLEM_CODES);

export interface IdentityErrorOptions {
  status?: number;
  requestId?: string;
  serverCode?: string;
  attemptsRemaining?: number;
  retryAfter?: number;
  /** Further members of the problem (e.g. `fields` of `registry_mismatch`), masked. */
  problem?: Record<string, unknown>;
  cause?: unknown;
}

/** The error every method of the client throws. */
export class IdentityError<C extends IdentityErrorCode = IdentityErrorCode> extends Error {
  readonly code: C;
  /** The code exactly as the server sent it (also for `unknown`); absent for client codes. */
  readonly serverCode: string | undefined;
  /** HTTP status of the answer, if there was one. */
  readonly status: number | undefined;
  /** `X-Request-Id` of the request (quote it to support). */
  readonly requestId: string | undefined;
  /** Tries left (wrong OTP, passcode). */
  readonly attemptsRemaining: number | undefined;
  /** Seconds to wait (problem member or `Retry-After`). */
  readonly retryAfter: number | undefined;
  /** The problem object as answered (strings masked), for fields such as `fields`. */
  readonly problem: Readonly<Record<string, unknown>> | undefined;

  constructor(code: C, message: string, options: IdentityErrorOptions = {}) {
    super(maskText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IdentityError';
    this.code = code;
    this.serverCode = options.serverCode;
    this.status = options.status;
    this.requestId = options.requestId;
    this.attemptsRemaining = options.attemptsRemaining;
    this.retryAfter = options.retryAfter;
    this.problem = options.problem;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.serverCode !== undefined ? { serverCode: this.serverCode } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.requestId !== undefined ? { requestId: this.requestId } : {}),
      ...(this.attemptsRemaining !== undefined ? { attemptsRemaining: this.attemptsRemaining } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }
}

/**
 * True when `e` is an {@link IdentityError} (of any copy of this package); with `code`, also
 * narrows to that code.
 */
export function isIdentityError<C extends IdentityErrorCode>(e: unknown, code?: C): e is IdentityError<C> {
  if (typeof e !== 'object' || e === null || (e as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (e as IdentityError).code === code;
}

/** Maps a server code to the client's union: known codes as they are, others `unknown`. */
export function toIdentityCode(serverCode: unknown): ServerProblemCode | 'unknown' {
  return typeof serverCode === 'string' && KNOWN.has(serverCode)
    ? (serverCode as ServerProblemCode)
    : 'unknown';
}

/** Builds the error for a problem+json (or any non-2xx) answer. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  retryAfterHeader: number | undefined,
): IdentityError {
  const problem = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  if (!problem || typeof problem['code'] !== 'string') {
    return new IdentityError('unexpected_response', `HTTP ${status} without a problem code`, {
      status,
      requestId,
      retryAfter: retryAfterHeader,
    });
  }
  const serverCode = problem['code'] as string;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const title = typeof problem['title'] === 'string' ? problem['title'] : serverCode;
  const detail = typeof problem['detail'] === 'string' ? `: ${problem['detail']}` : '';
  const masked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(problem))
    masked[k] =
      typeof v === 'string'
        ? maskText(v)
        : Array.isArray(v)
          ? v.map((x) => (typeof x === 'string' ? maskText(x) : x))
          : v;
  return new IdentityError(toIdentityCode(serverCode), `${title}${detail} (${serverCode}, HTTP ${status})`, {
    status,
    serverCode,
    requestId: typeof problem['requestId'] === 'string' ? problem['requestId'] : requestId,
    attemptsRemaining: num(problem['attemptsRemaining']),
    retryAfter: num(problem['retryAfter']) ?? retryAfterHeader,
    problem: masked,
  });
}
