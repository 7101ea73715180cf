/**
 * @module
 * The tokens of a login, as an object that never prints them (`toJSON`, `toString` and
 * `util.inspect` show only their kind and lifetime).
 */
import { INSPECT } from '../mask.ts';
import type { SsoTokens } from './types.ts';

export function createTokens(t: {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}): SsoTokens {
  const summary = (): Record<string, unknown> => ({
    tokenType: t.token_type ?? 'bearer',
    ...(t.expires_in !== undefined ? { expiresIn: t.expires_in } : {}),
    ...(t.scope !== undefined ? { scope: t.scope } : {}),
    accessToken: '[redacted]',
    ...(t.refresh_token !== undefined ? { refreshToken: '[redacted]' } : {}),
    ...(t.id_token !== undefined ? { idToken: '[redacted]' } : {}),
  });
  const tokens: SsoTokens = {
    accessToken: t.access_token,
    tokenType: t.token_type ?? 'bearer',
    ...(t.expires_in !== undefined ? { expiresIn: t.expires_in } : {}),
    ...(t.refresh_token !== undefined ? { refreshToken: t.refresh_token } : {}),
    ...(t.id_token !== undefined ? { idToken: t.id_token } : {}),
    ...(t.scope !== undefined ? { scope: t.scope } : {}),
    toJSON: summary,
  };
  Object.defineProperties(tokens, {
    toJSON: { enumerable: false, value: summary },
    toString: { enumerable: false, value: () => `SsoTokens(${tokens.tokenType})` },
    [INSPECT]: { enumerable: false, value: () => `SsoTokens(${JSON.stringify(summary())})` },
  });
  return tokens;
}
