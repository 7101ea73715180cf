/**
 * @module
 * The `verify` namespace: chip verification for banks (C06 style): the raw chip files in, a
 * result whose evidence JWS is checked against the issuer's JWKS before `verified` is returned.
 */
import type { ClientContext } from '../options.ts';

// biome-ignore lint/suspicious/noEmptyInterface: filled as the server's endpoint lands
export interface VerifyNamespace {}

export function createVerifyNamespace(_ctx: ClientContext): VerifyNamespace {
  return {};
}
