/**
 * @module
 * The service's signing keys (ES256 and RS256 JWKs), created once and kept in the database so
 * that every process of one service signs with the same keys and publishes the same JWKS. Used by
 * the OpenID Provider (ID tokens, userinfo) and by chip verification (evidence JWS).
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomId } from '../secrets.ts';
import type { Db } from '../store/db.ts';

export interface ServerKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface ServerKeys {
  /** Every key; the first is the default signing key (ES256). */
  keys: ServerKey[];
  /** The public JWKS as served at the `jwks_uri`. */
  jwks: { keys: JWK[] };
  byAlg(alg: ServerKey['alg']): ServerKey;
}

const SLOTS = [
  { slot: 'es256', alg: 'ES256' as const, options: {} },
  { slot: 'rs256', alg: 'RS256' as const, options: { modulusLength: 2048 } },
];

export async function loadServerKeys(db: Db): Promise<ServerKeys> {
  const existing = await db.query<{ slot: string }>('SELECT slot FROM server_keys');
  const have = new Set(existing.rows.map((r) => r.slot));
  for (const { slot, alg, options } of SLOTS) {
    if (have.has(slot)) continue;
    const { privateKey, publicKey } = await generateKeyPair(alg, { ...options, extractable: true });
    const kid = randomId(12);
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    // Two processes starting together: the first insert wins, both read the winner below.
    await db.query(
      'INSERT INTO server_keys (slot, kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slot) DO NOTHING',
      [slot, kid, alg, JSON.stringify(privateJwk), JSON.stringify(publicJwk)],
    );
  }
  const { rows } = await db.query<{
    slot: string;
    kid: string;
    alg: ServerKey['alg'];
    private_jwk: JWK;
    public_jwk: JWK;
  }>('SELECT slot, kid, alg, private_jwk, public_jwk FROM server_keys ORDER BY slot');
  const keys = rows.map((r) => ({
    kid: r.kid,
    alg: r.alg,
    privateJwk: r.private_jwk,
    publicJwk: r.public_jwk,
  }));
  return {
    keys,
    jwks: { keys: keys.map((k) => k.publicJwk) },
    byAlg(alg) {
      const key = keys.find((k) => k.alg === alg);
      if (key === undefined) throw new Error(`no ${alg} key`);
      return key;
    },
  };
}
