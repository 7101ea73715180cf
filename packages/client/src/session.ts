/**
 * @module
 * How a session is passed to the methods that need one: the `accessToken` string or any object
 * with an `accessToken` (such as what `account.login` returns).
 */
import { IdentityError } from './errors.ts';
export type SessionLike = string | { readonly accessToken: string };

export function bearerOf(session: SessionLike): string {
  const token = typeof session === 'string' ? session : session?.accessToken;
  if (typeof token !== 'string' || token === '')
    throw new IdentityError('invalid_argument', 'a session (accessToken) is required');
  return token;
}

/** Per-call options every method takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Your own request id (default: a random UUID). */
  requestId?: string;
}
