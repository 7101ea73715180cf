/**
 * @module
 * Compact JWS verification (RFC 7515) with WebCrypto against a JWK Set, for the service's
 * signed answers (chip verification evidence): ES256 (RFC 7518 §3.4, raw r‖s signatures as
 * WebCrypto produces them), PS256 and EdDSA; `kid` selects the key; nothing but these
 * algorithms is accepted (no `none`, no HMAC).
 */
import { buf, fromBase64, fromUtf8, utf8 } from '../encoding.ts';

export interface JwsParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const ALGS: Record<string, { import: Record<string, unknown>; verify: Record<string, unknown> }> = {
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
  PS256: { import: { name: 'RSA-PSS', hash: 'SHA-256' }, verify: { name: 'RSA-PSS', saltLength: 32 } },
  EdDSA: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' } },
};

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = fromBase64(part);
  if (!bytes || /[+/=]/.test(part)) return undefined;
  try {
    const value = JSON.parse(fromUtf8(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Header and payload when the signature verifies under a key of `jwks`; undefined otherwise. */
export async function verifyCompactJws(
  jws: string,
  jwks: { keys: JsonWebKey[] },
): Promise<JwsParts | undefined> {
  if (typeof jws !== 'string') return undefined;
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const payload = decodeJson(p);
  const signature = /[+/=]/.test(s) ? undefined : fromBase64(s);
  if (!header || !payload || !signature) return undefined;
  const alg = typeof header['alg'] === 'string' ? ALGS[header['alg']] : undefined;
  if (!alg || header['crit'] !== undefined) return undefined;
  const kid = header['kid'];
  const candidates = jwks.keys.filter(
    (k) =>
      (kid === undefined || (k as { kid?: unknown }).kid === kid) &&
      ((k as { use?: string }).use === undefined || (k as { use?: string }).use === 'sig') &&
      ((k as { alg?: string }).alg === undefined || (k as { alg?: string }).alg === header['alg']),
  );
  for (const jwk of candidates) {
    try {
      const { d: _d, key_ops: _o, ...pub } = jwk as JsonWebKey & { kid?: string };
      const key = await crypto.subtle.importKey('jwk', pub, alg.import as never, false, ['verify']);
      if (await crypto.subtle.verify(alg.verify as never, key, buf(signature), buf(utf8(`${h}.${p}`))))
        return { header, payload };
    } catch {
      // a key of another type or curve: try the next one
    }
  }
  return undefined;
}
