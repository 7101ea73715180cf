/**
 * @module
 * How a session is passed to the methods that need one: the `accessToken` string or any object
 * with an `accessToken` (such as what `account.login` returns). A session object that names its
 * device (`session.deviceId`, as login answers) makes every call send `X-Device-Id`, so that the
 * server refuses the token on any other device (`new_device_challenge_required`).
 */
import { IdentityError } from './errors.ts';
export type SessionLike =
  | string
  | { readonly accessToken: string; readonly session?: { readonly deviceId?: string } };

export function bearerOf(session: SessionLike): string {
  const token = typeof session === 'string' ? session : session?.accessToken;
  if (typeof token !== 'string' || token === '')
    throw new IdentityError('invalid_argument', 'a session (accessToken) is required');
  return token;
}

/** The bearer token and, when the session names it, its device. */
export function authOf(session: SessionLike): { bearer: string; deviceId?: string } {
  const bearer = bearerOf(session);
  const deviceId = typeof session === 'string' ? undefined : session.session?.deviceId;
  return typeof deviceId === 'string' && deviceId !== '' ? { bearer, deviceId } : { bearer };
}

/** Per-call options every method takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Your own request id (default: a random UUID). */
  requestId?: string;
  /**
   * Your own `Idempotency-Key` for a POST (e.g. kept with a job so that a restarted job does not
   * repeat it); by default each POST gets a fresh one.
   */
  idempotencyKey?: string;
}
