/**
 * @module
 * RFC 9457 problem details: every error the service answers on `/v1` is
 * `application/problem+json` with a stable `code`. Flows throw {@link ProblemError}; the HTTP
 * layer turns it into the answer. `detail` never carries personal data or secrets.
 */

/** Every problem code with its HTTP status and title. Keep in sync with `Problem.code` in openapi.yaml. */
export const PROBLEMS = {
  invalid_request: [400, 'The request does not match the API contract'],
  unsupported_media_type: [415, 'The request body must be application/json'],
  payload_too_large: [413, 'The request body is too large'],
  not_found: [404, 'No such resource'],
  method_not_allowed: [405, 'Method not allowed'],
  unauthorized: [401, 'Authentication is required'],
  forbidden: [403, 'Not allowed'],
  conflict: [409, 'The resource is not in a state that allows this'],
  invalid_personal_id: [422, 'The personal ID number is not valid'],
  registry_mismatch: [422, 'The data does not match the population registry ("Không đạt")'],
  already_registered: [409, 'An account exists for this personal ID'],
  terms_not_accepted: [422, 'The terms of use must be accepted'],
  password_policy_violation: [422, 'The password does not meet the password policy'],
  otp_invalid: [400, 'The one-time code is wrong'],
  otp_expired: [410, 'The one-time code has expired'],
  otp_attempts_exceeded: [403, 'Too many wrong one-time codes'],
  otp_already_used: [409, 'The one-time code challenge has been completed'],
  otp_resend_too_soon: [429, 'A new code cannot be sent yet'],
  otp_send_limit: [429, 'Too many codes were sent'],
  invalid_credentials: [401, 'The personal ID or the password is wrong'],
  account_locked: [423, 'The account is locked'],
  account_not_activated: [403, 'The account has not been activated'],
  card_expired: [403, 'The identity card has expired; the account must be renewed'],
  account_not_identified: [403, 'The account has no electronic identification yet'],
  already_activated: [409, 'The account has already been activated'],
  device_bound_elsewhere: [409, 'The device is bound to another account'],
  new_device_challenge_required: [403, 'This device is not the bound device'],
  session_superseded: [401, 'The session ended because another device was bound'],
  session_expired: [401, 'The session has expired'],
  passcode_invalid: [400, 'The passcode is wrong'],
  passcode_locked: [423, 'Too many wrong passcodes'],
  passcode_policy_violation: [422, 'The passcode does not meet the passcode policy'],
  security_answer_invalid: [400, 'The security answers are wrong'],
  level_insufficient: [403, 'The account level is too low for this'],
  chip_verification_failed: [422, 'The chip data could not be verified'],
  evidence_mismatch: [422, 'The evidence does not match the applicant'],
  share_request_expired: [410, 'The share request has expired'],
  partner_auth_failed: [401, 'The partner request signature is not valid'],
  nonce_replayed: [401, 'The request nonce was used before'],
  rate_limited: [429, 'Too many requests'],
  idempotency_key_reused: [422, 'The Idempotency-Key was used for a different request'],
  fault_injected: [503, 'A fault injected through the sandbox controls'],
  internal_error: [500, 'Internal error'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_BASE = 'https://vneid-sdk.github.io/vneid-sdk/problems#';

export interface ProblemExtras {
  /** Overrides the code's default status (fault injection). */
  status?: number;
  detail?: string;
  attemptsRemaining?: number;
  /** Seconds; also sent as the `Retry-After` header. */
  retryAfter?: number;
  /** Other members of the problem object (e.g. `fields` of a registry mismatch, `pointer`). */
  extra?: Record<string, unknown>;
}

export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extras: ProblemExtras;
  constructor(code: ProblemCode, extras: ProblemExtras = {}) {
    super(extras.detail ?? PROBLEMS[code][1]);
    this.name = 'ProblemError';
    this.code = code;
    this.status = extras.status ?? PROBLEMS[code][0];
    this.extras = extras;
  }
}

export const isProblemError = (e: unknown): e is ProblemError => e instanceof ProblemError;

export function problemBody(problem: ProblemError, requestId: string): Record<string, unknown> {
  const { detail, attemptsRemaining, retryAfter, extra } = problem.extras;
  return {
    type: PROBLEM_TYPE_BASE + problem.code,
    title: PROBLEMS[problem.code][1],
    status: problem.status,
    code: problem.code,
    ...(detail !== undefined ? { detail } : {}),
    requestId,
    ...(attemptsRemaining !== undefined ? { attemptsRemaining } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(extra ?? {}),
  };
}

export function problemResponse(problem: ProblemError, requestId: string): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'x-request-id': requestId,
    'cache-control': 'no-store',
  };
  if (problem.extras.retryAfter !== undefined)
    headers['retry-after'] = String(Math.max(0, Math.ceil(problem.extras.retryAfter)));
  return new Response(JSON.stringify(problemBody(problem, requestId)), { status: problem.status, headers });
}
