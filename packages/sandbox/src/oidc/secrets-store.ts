/**
 * @module
 * The OpenID Provider's own secrets, kept in the database so that every process of one service
 * uses the same ones: the DPoP nonce secret (a 32-byte key from which oidc-provider derives
 * stateless `DPoP-Nonce` values) and the cookie signing keys. A cookie key is named after its
 * calendar month and created by whichever process starts first in that month (`ON CONFLICT DO
 * NOTHING`), so processes starting together agree; the newest key signs and the two before it
 * still verify. Keys are read at start: a process running across a month boundary keeps
 * signing with its key until it restarts.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';

export interface OidcSecrets {
  dpopNonceSecret: Buffer;
  /** Newest first (keygrip order: the first signs, all verify). */
  cookieKeys: string[];
}

async function ensure(db: Db, name: string, value: () => string): Promise<void> {
  await db.query(
    'INSERT INTO oidc_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
    [name, value(), new Date()],
  );
}

export async function loadOidcSecrets(db: Db): Promise<OidcSecrets> {
  await ensure(db, 'dpop-nonce', () => randomBytes(32).toString('base64'));
  const month = new Date().toISOString().slice(0, 7);
  await ensure(db, `cookie-key:${month}`, () => randomBytes(32).toString('base64url'));
  const nonce = await db.query<{ value: string }>("SELECT value FROM oidc_secrets WHERE name = 'dpop-nonce'");
  const cookies = await db.query<{ value: string }>(
    "SELECT value FROM oidc_secrets WHERE name LIKE 'cookie-key:%' ORDER BY name DESC LIMIT 3",
  );
  return {
    dpopNonceSecret: Buffer.from(nonce.rows[0]!.value, 'base64'),
    cookieKeys: cookies.rows.map((r) => r.value),
  };
}
