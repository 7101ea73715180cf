/**
 * @module
 * PACE domain parameters (ICAO Doc 9303 Part 11 §4.4.1 and §9.5.1): the standardized IDs
 * 0–2 (RFC 5114 MODP groups) and 8–18 (NIST and brainpool curves), or explicit parameters,
 * turned into working groups: @noble/curves short-Weierstrass points for ECDH, bigint modular
 * arithmetic for DH. Also the key encodings PACE uses (uncompressed points, fixed-length
 * unsigned integers) and the public-key checks ICAO requires.
 */
import {
  type WeierstrassPoint,
  type WeierstrassPointCons,
  weierstrass,
} from '@noble/curves/abstract/weierstrass.js';
import { modPow } from '../../crypto/mod-pow.ts';
import {
  type DhGroupParameters,
  type EcCurveParameters,
  identifyModpGroup,
  identifyNamedCurve,
  standardizedDomainParameters,
} from '../../lds/oids.ts';
import {
  requireArgument,
  requireBigint,
  requireBytes,
  requireCount,
  requireDhDomain,
  requireDomain,
  requireEcDomain,
  requireFunction,
  requireGenerator,
} from './arguments.ts';
import { PaceError } from './pace-error.ts';

export { modPow };

/** An elliptic-curve group over GF(p). */
export interface EcDomain {
  readonly kind: 'ec';
  /** Named curve (e.g. `brainpoolP256r1`) when the parameters are a known one. */
  readonly name: string | undefined;
  readonly curve: EcCurveParameters;
  /** Byte length of a field element (and of private keys). */
  readonly byteLength: number;
  /** @internal noble point constructor */
  readonly Point: WeierstrassPointCons<bigint>;
}

/** A MODP group with a prime-order subgroup. */
export interface DhDomain {
  readonly kind: 'dh';
  readonly name: string | undefined;
  readonly group: DhGroupParameters;
  /** Byte length of p (public values and shared secrets are encoded at this length). */
  readonly byteLength: number;
  /** Byte length of q (private keys). */
  readonly privateKeyLength: number;
}

/** Domain parameters of a PACE run. */
export type PaceDomain = EcDomain | DhDomain;

/** Elliptic-curve point type used throughout PACE. */
export type EcPoint = WeierstrassPoint<bigint>;

const byteLengthOf = (n: bigint): number => Math.ceil(n.toString(2).length / 8);

const CURVE_FIELDS = ['p', 'a', 'b', 'gx', 'gy', 'n', 'h'] as const;

const ecCache = new Map<string, EcDomain>();

/** Builds an EC domain from explicit parameters (cached for named curves). */
export function ecDomain(curve: EcCurveParameters): EcDomain {
  requireArgument(typeof curve === 'object' && curve !== null, 'EC curve parameters {p, a, b, gx, gy, n, h}');
  for (const k of CURVE_FIELDS) requireBigint(curve[k], `the curve parameter ${k}`);
  const name = identifyNamedCurve(curve);
  const cached = name === undefined ? undefined : ecCache.get(name);
  if (cached !== undefined) return cached;
  let Point: WeierstrassPointCons<bigint>;
  try {
    Point = weierstrass({
      p: curve.p,
      n: curve.n,
      h: curve.h,
      a: curve.a,
      b: curve.b,
      Gx: curve.gx,
      Gy: curve.gy,
    });
  } catch (cause) {
    throw new PaceError(
      'UNSUPPORTED_DOMAIN_PARAMETERS',
      'Explicit EC domain parameters are not a valid curve',
      {
        cause,
      },
    );
  }
  const domain: EcDomain = { kind: 'ec', name, curve, byteLength: byteLengthOf(curve.p), Point };
  if (name !== undefined) ecCache.set(name, domain);
  return domain;
}

/** Builds a DH domain from a MODP group. */
export function dhDomain(group: DhGroupParameters): DhDomain {
  requireArgument(typeof group === 'object' && group !== null, 'DH group parameters {p, g, q}');
  requireBigint(group.p, 'p');
  requireBigint(group.g, 'g');
  requireBigint(group.q, 'q');
  if (group.p < 3n || group.q < 2n || group.g < 2n || group.g >= group.p) {
    throw new PaceError('UNSUPPORTED_DOMAIN_PARAMETERS', 'DH group parameters are out of range');
  }
  return {
    kind: 'dh',
    name: identifyModpGroup(group),
    group,
    byteLength: byteLengthOf(group.p),
    privateKeyLength: byteLengthOf(group.q),
  };
}

/** Domain parameters for a standardized parameter ID (ICAO 9303-11 Table 9.5.1: 0–2, 8–18). */
export function domainForParameterId(parameterId: number): PaceDomain {
  const row = standardizedDomainParameters(parameterId);
  if (row === undefined) {
    throw new PaceError(
      'UNSUPPORTED_DOMAIN_PARAMETERS',
      `Unknown standardized domain parameter ID ${parameterId}`,
      {
        context: { parameterId },
      },
    );
  }
  return row.kind === 'dh' ? dhDomain(row.group) : ecDomain(row.curve);
}

/** Big-endian unsigned integer of bytes. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  requireBytes(bytes, 'the bytes');
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Big-endian unsigned encoding of `n` left-padded to `length` bytes. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  requireBigint(n, 'the number');
  requireCount(length, 'the length', 0x10000);
  if (n < 0n) throw new PaceError('INVALID_ARGUMENT', 'PACE: expected a non-negative number');
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new PaceError('INVALID_ARGUMENT', 'PACE: the number does not fit the length');
  return out;
}

/** Minimal big-endian unsigned encoding (at least one byte). */
export function bigIntToMinimalBytes(n: bigint): Uint8Array {
  return bigIntToBytes(n, Math.max(1, byteLengthOf(n)));
}

/** Modular inverse of a modulo prime m. */
export function modInverse(a: bigint, m: bigint): bigint {
  return modPow(a, m - 2n, m);
}

/** The order of the group's prime-order subgroup (n for EC, q for DH). */
export function groupOrder(domain: PaceDomain): bigint {
  return domain.kind === 'ec' ? domain.curve.n : domain.group.q;
}

/** Byte length requested from `random(n)` for a private key of this domain. */
export function privateKeyLength(domain: PaceDomain): number {
  return domain.kind === 'ec' ? byteLengthOf(domain.curve.n) : domain.privateKeyLength;
}

/**
 * Draws a private key: `random(length)` read as a big-endian scalar (bits above the order's bit
 * length cleared), drawn again while it is 0 or ≥ the group order, so that published examples
 * replay byte for byte.
 */
export function drawPrivateKey(domain: PaceDomain, random: (n: number) => Uint8Array): bigint {
  requireDomain(domain);
  requireFunction(random, 'random(n)');
  const order = groupOrder(domain);
  const length = privateKeyLength(domain);
  // Bits above the order's bit length are cleared (a no-op for orders of whole bytes, e.g.
  // brainpoolP256r1), so that P-521 keys do not need ~128 draws on average.
  const mask = (1n << BigInt(order.toString(2).length)) - 1n;
  for (let i = 0; i < 1000; i++) {
    const k = bytesToBigInt(random(length)) & mask;
    if (k > 0n && k < order) return k;
  }
  throw new PaceError('INVALID_MAPPING', 'The random source produced no usable private key');
}

/** Uncompressed SEC1 encoding (04 ‖ x ‖ y) of an EC point. */
export function encodePoint(point: EcPoint): Uint8Array {
  requireArgument(
    typeof (point as Partial<EcPoint> | null)?.toBytes === 'function',
    'an EC point (from decodePoint)',
  );
  return point.toBytes(false);
}

/**
 * Decodes a peer's EC public key (uncompressed or compressed) and checks it is a valid point of
 * the prime-order subgroup, not the point at infinity (ICAO 9303-11 §4.4.3.4 / TR-03111 §3.2.2).
 */
export function decodePoint(domain: EcDomain, bytes: Uint8Array): EcPoint {
  requireEcDomain(domain);
  requireBytes(bytes, 'the encoded point');
  let point: EcPoint;
  try {
    point = domain.Point.fromBytes(bytes);
    point.assertValidity();
  } catch (cause) {
    throw new PaceError('INVALID_PUBLIC_KEY', 'Public key is not a point on the curve', {
      cause,
      context: { length: bytes.length },
    });
  }
  if (point.is0() || (domain.curve.h !== 1n && point.multiplyUnsafe(domain.curve.n).is0() === false)) {
    throw new PaceError('INVALID_PUBLIC_KEY', 'Public key is not in the prime-order subgroup');
  }
  return point;
}

/** Decodes and checks a peer's DH public value: 1 < y < p−1 and y^q ≡ 1 (mod p). */
export function decodeDhPublic(domain: DhDomain, bytes: Uint8Array): bigint {
  requireDhDomain(domain);
  requireBytes(bytes, 'the DH public value');
  const { p, q } = domain.group;
  const y = bytesToBigInt(bytes);
  if (
    bytes.length === 0 ||
    bytes.length > domain.byteLength ||
    y <= 1n ||
    y >= p - 1n ||
    modPow(y, q, p) !== 1n
  ) {
    throw new PaceError('INVALID_PUBLIC_KEY', 'DH public value is outside the prime-order subgroup', {
      context: { length: bytes.length },
    });
  }
  return y;
}

/** A key pair of a PACE step; `publicKey` is the encoding sent to the peer. */
export interface PaceKeyPair {
  privateKey: bigint;
  publicKey: Uint8Array;
}

/** Generator of a PACE group: an EC point or a DH group element. */
export type PaceGenerator = { kind: 'ec'; point: EcPoint } | { kind: 'dh'; g: bigint };

/** The domain's own generator. */
export function baseGenerator(domain: PaceDomain): PaceGenerator {
  requireDomain(domain);
  return domain.kind === 'ec' ? { kind: 'ec', point: domain.Point.BASE } : { kind: 'dh', g: domain.group.g };
}

/** Public key of `privateKey` over `generator` (EC: uncompressed point; DH: |p| bytes). */
export function publicKeyFor(domain: PaceDomain, generator: PaceGenerator, privateKey: bigint): Uint8Array {
  requireDomain(domain);
  requireGenerator(generator);
  requireBigint(privateKey, 'the private key');
  if (domain.kind === 'ec') {
    if (generator.kind !== 'ec')
      throw new PaceError('INVALID_MAPPING', 'Generator does not match the domain');
    return encodePoint(generator.point.multiply(privateKey));
  }
  if (generator.kind !== 'dh') throw new PaceError('INVALID_MAPPING', 'Generator does not match the domain');
  return bigIntToBytes(modPow(generator.g, privateKey, domain.group.p), domain.byteLength);
}

/**
 * Raw key agreement: EC → the point privateKey·peer (checked not infinity); DH → peer^privateKey.
 * Returned as a group element so mappings can reuse it.
 */
export function agree(
  domain: PaceDomain,
  privateKey: bigint,
  peerPublicKey: Uint8Array,
): { kind: 'ec'; point: EcPoint } | { kind: 'dh'; value: bigint } {
  requireDomain(domain);
  requireBigint(privateKey, 'the private key');
  requireBytes(peerPublicKey, "the peer's public key");
  if (domain.kind === 'ec') {
    const peer = decodePoint(domain, peerPublicKey);
    const point = peer.multiply(privateKey);
    if (point.is0()) throw new PaceError('INVALID_PUBLIC_KEY', 'Key agreement gave the point at infinity');
    return { kind: 'ec', point };
  }
  const y = decodeDhPublic(domain, peerPublicKey);
  return { kind: 'dh', value: modPow(y, privateKey, domain.group.p) };
}

/**
 * Shared secret K of the final key agreement (ICAO 9303-11 §4.4.3.4): ECDH → the x-coordinate
 * at field length; DH → the group element at |p| bytes.
 */
export function sharedSecret(domain: PaceDomain, privateKey: bigint, peerPublicKey: Uint8Array): Uint8Array {
  const k = agree(domain, privateKey, peerPublicKey);
  return k.kind === 'ec'
    ? bigIntToBytes(k.point.toAffine().x, domain.byteLength)
    : bigIntToBytes(k.value, domain.byteLength);
}
