/**
 * @module
 * Private keys of the software chip: RSA Active Authentication keys (WebCrypto key generation,
 * cached per process because RSA-2048 generation is slow; the private exponent is kept for
 * ISO/IEC 9796-2 signing), and EC keys on a PACE domain (brainpoolP256r1 for Chip
 * Authentication, as the CCCD). Test keys only: they live in memory and are never printed.
 */
import { fromBase64 } from '@vneid/core/bytes';
import { NAMED_CURVES } from '../lds/oids.ts';
import { exportableRsaKeyPair } from '../pki-test/keys.ts';
import type { AaEcPrivateKey, AaRsaPrivateKey } from '../protocols/card/aa-card.ts';
import {
  bytesToBigInt,
  drawPrivateKey,
  type EcDomain,
  ecDomain,
  encodePoint,
} from '../protocols/pace/domain-parameters.ts';

// The Active Authentication key shapes are defined once, by the AA card signer that takes them.
export type { AaEcPrivateKey, AaRsaPrivateKey } from '../protocols/card/aa-card.ts';

/** An RSA private key (modulus and private exponent) with its SubjectPublicKeyInfo. */
export interface EmulatorRsaKey extends AaRsaPrivateKey {
  /** DER SubjectPublicKeyInfo (rsaEncryption). */
  spki: Uint8Array;
}

/** An EC private key on a domain with its uncompressed public point. */
export interface EmulatorEcKey extends AaEcPrivateKey {
  /** `04 ‖ x ‖ y`. */
  publicKey: Uint8Array;
}

const hidden = (label: string): { toString(): string; toJSON(): string } => ({
  toString: () => `[${label}]`,
  toJSON: () => `[${label}]`,
});

/** Generates an RSA key with WebCrypto (e = 65537). */
export async function generateRsaKey(bits: number): Promise<EmulatorRsaKey> {
  const { spki, jwk } = await exportableRsaKeyPair(bits);
  const big = (v: string | undefined): bigint => bytesToBigInt(fromBase64(v ?? ''));
  return { kind: 'rsa', n: big(jwk.n), d: big(jwk.d), spki, ...hidden(`RSA-${bits} private key`) };
}

const rsaCache = new Map<string, Promise<EmulatorRsaKey>>();

/**
 * An RSA key from the per-process cache: the same `slot` and size give the same key (slot
 * `'chip'` for the card's own key, `'clone'` for a cloned chip's).
 */
export function cachedRsaKey(slot: string, bits = 2048): Promise<EmulatorRsaKey> {
  const id = `${slot}/${bits}`;
  let key = rsaCache.get(id);
  if (key === undefined) {
    key = generateRsaKey(bits);
    rsaCache.set(id, key);
    key.catch(() => rsaCache.delete(id));
  }
  return key;
}

/** The domain of a named curve (`brainpoolP256r1`, `secp256r1`, …). */
export function namedDomain(name: string): EcDomain {
  const curve = NAMED_CURVES[name];
  if (curve === undefined) throw new RangeError(`unknown curve ${name}`);
  return ecDomain(curve);
}

/** A fresh EC key on `domain` from `random(n)`. */
export function generateEcKey(domain: EcDomain, random: (n: number) => Uint8Array): EmulatorEcKey {
  const d = drawPrivateKey(domain, random);
  return {
    kind: 'ec',
    domain,
    d,
    publicKey: encodePoint(domain.Point.BASE.multiply(d)),
    ...hidden(`EC ${domain.name ?? 'explicit'} private key`),
  };
}
