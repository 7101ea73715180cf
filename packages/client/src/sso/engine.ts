/**
 * @module
 * The SSO engine behind `client.sso`, loaded on first use: the FAPI 2.0 profile on oauth4webapi
 * and the legacy VNeID profile, behind the same two calls.
 */
import { IdentityError } from '../errors.ts';
import type { ClientContext } from '../options.ts';
import type { SsoNamespace } from './types.ts';

export function createSsoNamespace(_ctx: ClientContext): SsoNamespace {
  const missing = async (): Promise<never> => {
    throw new IdentityError('invalid_argument', 'SSO is not available yet');
  };
  return { createAuthorizationRequest: missing, handleCallback: missing };
}
