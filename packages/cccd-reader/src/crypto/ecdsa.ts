/**
 * @module
 * ECDSA signature verification (BSI TR-03111 §4.2.1.4, SEC 1 §4.1.4) on any prime curve given
 * as an @noble/curves point constructor: the one verifier behind Active Authentication (ICAO
 * Doc 9303 Part 11 §6.1) and passive authentication (Part 12 §4.4). It takes the digest (the
 * caller hashes), r and s as integers (the caller decodes DER or plain r‖s under its own rules)
 * and accepts high-S values, which real chips and document signers produce.
 */
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';

/**
 * True when (r, s) is a valid ECDSA signature of `digest` under `publicKey` (a point of the
 * curve of `Point`, as a point or its SEC 1 encoding). r or s outside [1, n−1], an undecodable
 * key, the identity as key or as u1·G + u2·Q, and a failed equation all give false. The digest's
 * leftmost bits are the integer e (SEC 1 §4.1.3 step 5). High-S is accepted.
 */
export function verifyEcdsaDigest(
  Point: WeierstrassPointCons<bigint>,
  publicKey: Uint8Array | WeierstrassPoint<bigint>,
  digest: Uint8Array,
  r: bigint,
  s: bigint,
): boolean {
  const Fn = Point.Fn;
  const n = Fn.ORDER;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  let q: WeierstrassPoint<bigint>;
  try {
    q = publicKey instanceof Uint8Array ? Point.fromBytes(publicKey) : publicKey;
  } catch {
    return false;
  }
  if (q.is0()) return false;
  let e = 0n;
  for (const byte of digest) e = (e << 8n) | BigInt(byte);
  const excess = digest.length * 8 - Fn.BITS;
  if (excess > 0) e >>= BigInt(excess);
  const w = Fn.inv(s);
  const R = Point.BASE.mulAddUnsafe(Fn.create(e * w), q, Fn.create(r * w));
  return !R.is0() && Fn.create(R.toAffine().x) === r;
}
