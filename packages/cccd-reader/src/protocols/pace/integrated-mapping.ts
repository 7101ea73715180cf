/**
 * @module
 * PACE Integrated Mapping (ICAO Doc 9303 Part 11 §4.4.3.3.2 and Appendix B): the terminal sends
 * a second nonce t; both sides compute the pseudo-random value R(s, t) with the protocol's block
 * cipher and map it to the new generator: ECDH → the point encoding f_G (Appendix B, affine
 * form, p ≡ 3 mod 4) of R mod p; DH → g' = (R mod p)^((p−1)/q) mod p.
 */

import {
  requireBigint,
  requireBytes,
  requireCount,
  requireDomain,
  requireEcDomain,
  requireFunction,
} from './arguments.ts';
import {
  bytesToBigInt,
  type EcDomain,
  modInverse,
  modPow,
  type PaceDomain,
  type PaceGenerator,
} from './domain-parameters.ts';
import { PaceError } from './pace-error.ts';

/** Block encryption used by R(s,t): CBC with a zero IV, no padding, key of any supported length. */
export type BlockEncrypt = (key: Uint8Array, data: Uint8Array) => Uint8Array;

const fromHexLocal = (hex: string): Uint8Array =>
  Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

/** Constants c0, c1 of ICAO 9303-11 §4.4.3.3.2 for l = 128 and l = 256. */
const C0: Record<number, Uint8Array> = {
  128: fromHexLocal('a668892a7c41e3ca739f40b057d85904'),
  256: fromHexLocal('d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676'),
};
const C1: Record<number, Uint8Array> = {
  128: fromHexLocal('a4e136ac725f738b01c1f60217c188ad'),
  256: fromHexLocal('54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517'),
};

/**
 * Pseudo-random number generation R_p(s, t) (ICAO 9303-11 §4.4.3.3.2): k0 = E(t, s); for each
 * i, x_i = E(k_i, c1), k_{i+1} = E(k_i, c0), each k_i cut to `keyLength` bytes; output
 * x_0 ‖ … ‖ x_{n−1} with n = ⌈(log2 p + 64) / l⌉.
 */
export function pseudoRandomNumber(
  s: Uint8Array,
  t: Uint8Array,
  pBits: number,
  keyLength: number,
  encrypt: BlockEncrypt,
): Uint8Array {
  requireBytes(s, 's');
  requireBytes(t, 't');
  requireCount(pBits, 'the bit length of p', 16384);
  requireCount(keyLength, 'the key length', 64);
  requireFunction(encrypt, 'encrypt(key, data)');
  const l = s.length * 8;
  const c0 = C0[l];
  const c1 = C1[l];
  if (c0 === undefined || c1 === undefined || t.length !== s.length) {
    throw new PaceError('INVALID_NONCE', 'Integrated mapping needs two nonces of 16 or 32 bytes', {
      context: { length: s.length },
    });
  }
  const n = Math.ceil((pBits + 64) / l);
  const out = new Uint8Array(n * s.length);
  let k = encrypt(t, s);
  for (let i = 0; i < n; i++) {
    const key = k.length > keyLength ? k.subarray(0, keyLength) : k;
    out.set(encrypt(key, c1), i * s.length);
    k = encrypt(key, c0);
  }
  return out;
}

/**
 * Point encoding f_G (ICAO 9303-11 Appendix B.2, affine coordinates) of a field element t;
 * requires p ≡ 3 (mod 4) (all brainpool and NIST P-256/384 curves).
 */
export function encodeFieldElementToPoint(domain: EcDomain, t: bigint): PaceGenerator {
  requireEcDomain(domain);
  requireBigint(t, 't');
  const { p, a, b, h } = domain.curve;
  if (p % 4n !== 3n)
    throw new PaceError('UNSUPPORTED_DOMAIN_PARAMETERS', 'Point encoding needs p ≡ 3 (mod 4)');
  const mod = (x: bigint): bigint => ((x % p) + p) % p;
  const alpha = mod(-t * t);
  const alphaSum = mod(alpha + alpha * alpha);
  if (alphaSum === 0n || a === 0n)
    throw new PaceError('INVALID_MAPPING', 'Point encoding is undefined for this value');
  const x2 = mod(-b * (1n + alphaSum) * modInverse(mod(a * alphaSum), p));
  const x3 = mod(alpha * x2);
  const h2 = mod(x2 * x2 * x2 + a * x2 + b);
  const u = mod(t * t * t * h2);
  const A = modPow(h2, p - 1n - (p + 1n) / 4n, p);
  const [x, y] = mod(A * A * h2) === 1n ? [x2, mod(A * h2)] : [x3, mod(A * u)];
  let point = domain.Point.fromAffine({ x, y });
  point.assertValidity();
  if (h !== 1n) point = point.multiplyUnsafe(h);
  if (point.is0()) throw new PaceError('INVALID_MAPPING', 'Mapped generator is the point at infinity');
  return { kind: 'ec', point };
}

/**
 * Integrated mapping: the generator for nonces s (chip's, decrypted) and t (terminal's, sent in
 * clear). `keyLength` is the cipher's key length in bytes; `encrypt` the CBC block encryption.
 */
export function integratedMapping(
  domain: PaceDomain,
  s: Uint8Array,
  t: Uint8Array,
  keyLength: number,
  encrypt: BlockEncrypt,
): PaceGenerator {
  requireDomain(domain);
  const p = domain.kind === 'ec' ? domain.curve.p : domain.group.p;
  const r = bytesToBigInt(pseudoRandomNumber(s, t, p.toString(2).length, keyLength, encrypt)) % p;
  if (domain.kind === 'ec') return encodeFieldElementToPoint(domain, r);
  const { q } = domain.group;
  const g = modPow(r, (p - 1n) / q, p);
  if (g <= 1n) throw new PaceError('INVALID_MAPPING', 'Mapped generator is trivial');
  return { kind: 'dh', g };
}
