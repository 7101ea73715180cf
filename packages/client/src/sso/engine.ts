/**
 * @module
 * The SSO engine behind `client.sso`, loaded on first use: the FAPI 2.0 profile on oauth4webapi
 * or the legacy VNeID profile, chosen by the client's `profile`, behind the same two calls.
 */
import type { ClientContext } from '../options.ts';
import { createFapi2 } from './fapi2.ts';
import { createLegacy } from './legacy.ts';
import type { SsoNamespace } from './types.ts';

export function createSsoNamespace(ctx: ClientContext): SsoNamespace {
  return (ctx.options.profile ?? 'fapi2') === 'vneid-legacy' ? createLegacy(ctx) : createFapi2(ctx);
}
