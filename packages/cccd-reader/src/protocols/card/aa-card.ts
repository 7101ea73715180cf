/**
 * @module
 * The chip's side of Active Authentication (ICAO Doc 9303 Part 11 §6.1), for the software chip:
 * answering INTERNAL AUTHENTICATE by signing the terminal's challenge.
 *
 * - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial recovery. M1 is a random nonce
 *   filling the capacity, J = `6A ‖ M1 ‖ H(M1 ‖ challenge) ‖ trailer` (`BC` for SHA-1 by
 *   default, `xx CC` otherwise), signature = J^d mod n at the modulus length.
 * - ECDSA: over H(challenge), k from `random`, plain r‖s (TR-03111) by default or DER. S is not
 *   normalised (real chips produce high S too).
 */
import { concatBytes } from '@vneid/core/bytes';
import { modPow } from '../../crypto/mod-pow.ts';
import { ReaderError } from '../../errors.ts';
import { AA_HASHES, type AaHash, defaultEcdsaHash, ecdsaDigestToInteger, ISO9796_HASH_IDS } from '../aa.ts';
import { bigIntToBytes, bytesToBigInt, type EcDomain } from '../pace/domain-parameters.ts';
import { platformRandom } from '../random.ts';

/** An RSA Active Authentication private key (test and emulator use only). */
export interface AaRsaPrivateKey {
  kind: 'rsa';
  /** Modulus. */
  n: bigint;
  /** Private exponent. */
  d: bigint;
}

/** An EC Active Authentication private key (test and emulator use only). */
export interface AaEcPrivateKey {
  kind: 'ec';
  domain: EcDomain;
  /** Private scalar, 0 < d < n. */
  d: bigint;
}

/** Options of {@link signActiveAuthentication}. */
export interface SignActiveAuthenticationOptions {
  /** Hash function (default: SHA-1 for RSA, by key size for ECDSA). */
  hash?: AaHash;
  /** RSA with SHA-1: use the explicit trailer `33 CC` instead of the implicit `BC`. */
  explicitTrailer?: boolean;
  /** ECDSA signature encoding (default `'plain'`). */
  format?: 'plain' | 'der';
  /** Randomness for M1 (RSA) or k (ECDSA); default `crypto.getRandomValues`. */
  random?: (n: number) => Uint8Array;
}

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

function signRsa(
  key: AaRsaPrivateKey,
  challenge: Uint8Array,
  hashName: AaHash,
  explicit: boolean,
  random: (n: number) => Uint8Array,
): Uint8Array {
  const h = AA_HASHES[hashName];
  const keyBits = bitLength(key.n);
  const k = Math.ceil(keyBits / 8);
  const length = Math.ceil((keyBits - 1) / 8);
  const trailer =
    hashName === 'SHA-1' && !explicit ? Uint8Array.of(0xbc) : Uint8Array.of(ISO9796_HASH_IDS[hashName], 0xcc);
  const m1Length = length - 1 - h.length - trailer.length;
  if (m1Length < 1) throw new ReaderError('INVALID_ARGUMENT', 'the RSA key is too short for this hash');
  const m1 = random(m1Length);
  if (m1.length !== m1Length) throw new ReaderError('INVALID_ARGUMENT', 'random() returned the wrong length');
  const rep = bytesToBigInt(
    concatBytes(Uint8Array.of(0x6a), m1, h.hash(concatBytes(m1, challenge)), trailer),
  );
  // With a modulus of 8k+2 … 8k+7 bits the byte-aligned header would not fit below n.
  if (rep >= key.n) throw new ReaderError('INVALID_ARGUMENT', 'the RSA modulus length is not supported');
  return bigIntToBytes(modPow(rep, key.d, key.n), k);
}

function drawScalar(n: bigint, random: (n: number) => Uint8Array): bigint {
  const bits = bitLength(n);
  const mask = (1n << BigInt(bits)) - 1n;
  for (let i = 0; i < 1000; i++) {
    const k = bytesToBigInt(random(Math.ceil(bits / 8))) & mask;
    if (k > 0n && k < n) return k;
  }
  throw new ReaderError('INVALID_ARGUMENT', 'the random source produced no usable nonce');
}

function derInteger(v: bigint): Uint8Array {
  let bytes = bigIntToBytes(v, Math.max(1, Math.ceil(bitLength(v) / 8)));
  if (((bytes[0] as number) & 0x80) !== 0) bytes = concatBytes(Uint8Array.of(0), bytes);
  return concatBytes(Uint8Array.of(0x02, bytes.length), bytes);
}

function signEcdsa(
  key: AaEcPrivateKey,
  challenge: Uint8Array,
  hashName: AaHash,
  format: 'plain' | 'der',
  random: (n: number) => Uint8Array,
): Uint8Array {
  const { n } = key.domain.curve;
  const z = ecdsaDigestToInteger(AA_HASHES[hashName].hash(challenge), n);
  for (;;) {
    const k = drawScalar(n, random);
    const r = key.domain.Point.BASE.multiply(k).toAffine().x % n;
    if (r === 0n) continue;
    const s = (modPow(k, n - 2n, n) * ((z + r * key.d) % n)) % n;
    if (s === 0n) continue;
    if (format === 'plain') {
      const len = Math.ceil(bitLength(n) / 8);
      return concatBytes(bigIntToBytes(r, len), bigIntToBytes(s, len));
    }
    const body = concatBytes(derInteger(r), derInteger(s));
    const header =
      body.length < 0x80 ? Uint8Array.of(0x30, body.length) : Uint8Array.of(0x30, 0x81, body.length);
    return concatBytes(header, body);
  }
}

/**
 * Signs an INTERNAL AUTHENTICATE challenge as a chip does; the result is the response data.
 * @throws {ReaderError} `INVALID_ARGUMENT` when the key is too short for the hash
 */
export function signActiveAuthentication(
  privateKey: AaRsaPrivateKey | AaEcPrivateKey,
  challenge: Uint8Array,
  options: SignActiveAuthenticationOptions = {},
): Uint8Array {
  const random = options.random ?? platformRandom;
  if (privateKey.kind === 'rsa') {
    return signRsa(privateKey, challenge, options.hash ?? 'SHA-1', options.explicitTrailer === true, random);
  }
  const hash = options.hash ?? defaultEcdsaHash(bitLength(privateKey.domain.curve.n));
  return signEcdsa(privateKey, challenge, hash, options.format ?? 'plain', random);
}
