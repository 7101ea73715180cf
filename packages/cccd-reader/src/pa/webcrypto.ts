/**
 * @module
 * ECDSA verification through WebCrypto (W3C Web Cryptography API, ECDSA on P-256, P-384 and
 * P-521; FIPS 186-4 §6.4) for passive authentication: where the runtime has `crypto.subtle`,
 * certificate and CRL signatures on NIST curves (the Vietnamese CSCA is P-384) are checked
 * natively, several times faster than the portable verifier, before the synchronous checks run;
 * only a positive answer is recorded (see `certificate.ts`), so a runtime without WebCrypto, a
 * curve it lacks (brainpool) or any failure leaves the decision to the portable verifier.
 */
import type { SignatureScheme } from './algorithms.ts';
import { bigintToBytes } from './asn1.ts';
import type { PublicKey } from './public-key.ts';
import { ecdsaSignatureValues } from './verify-signature.ts';

const NATIVE_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521']);

/**
 * True when WebCrypto verified `signature` over `data`; undefined when it cannot decide (no
 * `crypto.subtle`, not ECDSA on a named NIST curve, malformed input, or it said no).
 */
export async function verifiedByWebCrypto(
  scheme: SignatureScheme,
  key: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<true | undefined> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (subtle === undefined || scheme.kind !== 'ecdsa' || key.kind !== 'ec') return undefined;
  if (key.curve.explicit || !NATIVE_CURVES.has(key.curve.name) || scheme.hash.name === 'SHA-224')
    return undefined;
  const rs = ecdsaSignatureValues(signature, scheme.format);
  const n = key.curve.params.n;
  if (rs === undefined || rs.r <= 0n || rs.s <= 0n || rs.r >= n || rs.s >= n) return undefined;
  try {
    const len = key.curve.orderLength;
    const raw = new Uint8Array(2 * len);
    raw.set(bigintToBytes(rs.r, len), 0);
    raw.set(bigintToBytes(rs.s, len), len);
    const imported = await subtle.importKey(
      'raw',
      key.point as Uint8Array<ArrayBuffer>,
      { name: 'ECDSA', namedCurve: key.curve.name },
      false,
      ['verify'],
    );
    const ok = await subtle.verify(
      { name: 'ECDSA', hash: scheme.hash.name },
      imported,
      raw,
      data as Uint8Array<ArrayBuffer>,
    );
    return ok ? true : undefined;
  } catch {
    return undefined;
  }
}
