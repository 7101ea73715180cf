/**
 * @module
 * Public keys of document signers and CSCAs (RFC 5280 SubjectPublicKeyInfo, RFC 3279 §2.3.1 RSA
 * and §2.3.5 / SEC 1 §C.2 EC keys, ICAO Doc 9303 Part 12 §4.4.6): RSA modulus and exponent, EC
 * keys on named curves (NIST P-256/384/521, brainpoolP256r1/384r1/512r1) or with explicit
 * domain parameters, which are matched to a named curve when they are one and otherwise built
 * with @noble/curves (e.g. brainpoolP224r1 in the BSI 2008 test document).
 */

import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { ecdsa, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import type { CHash } from '@noble/curves/utils.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { CURVE_OIDS, type EcCurveParameters, NAMED_CURVES } from '../crypto/curves.ts';
import { OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION, OID_RSASSA_PSS } from './algorithms.ts';
import { bytesToBigint, integerValue, parseBer } from './asn1.ts';

/** Parameters of a short Weierstrass curve y² = x³ + ax + b over GF(p). */
export interface CurveParameters {
  p: bigint;
  a: bigint;
  b: bigint;
  Gx: bigint;
  Gy: bigint;
  n: bigint;
  h: bigint;
}

/** An EC curve usable for ECDSA verification. */
export interface Curve {
  /** Named curve (`brainpoolP384r1`, `P-256`, …) or `explicit` when it matches none we know. */
  name: string;
  /** True when the key carried explicit domain parameters. */
  explicit: boolean;
  /** Byte length of the field / of r and s. */
  fieldLength: number;
  orderLength: number;
  ecdsa: ECDSA;
  params: CurveParameters;
}

/** A parsed public key. */
export type PublicKey =
  | { kind: 'rsa'; n: bigint; e: bigint; bits: number }
  | { kind: 'ec'; curve: Curve; point: Uint8Array; bits: number };

interface NamedCurve {
  name: string;
  oid: string;
  ecdsa: ECDSA;
}

/** Passive-authentication names of the curves of the one table (lds/oids.ts), with the hash
 * @noble/curves pairs with each for signing (RFC 6979 nonces in the test PKI). */
const SUPPORTED: readonly (readonly [name: string, table: string, hash: CHash])[] = [
  ['P-256', 'secp256r1', sha256],
  ['P-384', 'secp384r1', sha384],
  ['P-521', 'secp521r1', sha512],
  ['brainpoolP256r1', 'brainpoolP256r1', sha256],
  ['brainpoolP384r1', 'brainpoolP384r1', sha384],
  ['brainpoolP512r1', 'brainpoolP512r1', sha512],
];

const NAMED: readonly NamedCurve[] = SUPPORTED.map(([name, table, hash]) => {
  const c = NAMED_CURVES[table] as EcCurveParameters;
  return {
    name,
    oid: CURVE_OIDS[table] as string,
    ecdsa: ecdsa(weierstrass({ p: c.p, a: c.a, b: c.b, Gx: c.gx, Gy: c.gy, n: c.n, h: c.h }), hash),
  };
});

/** Names of the named curves supported, with their OIDs. */
export const NAMED_CURVE_OIDS: Readonly<Record<string, string>> = Object.fromEntries(
  NAMED.map((c) => [c.name, c.oid]),
);

/** Why a key could not be used. */
export class UnsupportedKey extends Error {}

function byteLength(v: bigint): number {
  return Math.ceil(v.toString(2).length / 8);
}

function curveOf(c: NamedCurve, explicit: boolean): Curve {
  const params = c.ecdsa.Point.CURVE() as CurveParameters;
  return {
    name: c.name,
    explicit,
    fieldLength: byteLength(params.p),
    orderLength: byteLength(params.n),
    ecdsa: c.ecdsa,
    params,
  };
}

/** The named curve with this name (`P-256`, `brainpoolP384r1`, …). */
export function namedCurve(name: string): Curve {
  const c = NAMED.find((x) => x.name === name);
  if (c === undefined) throw new UnsupportedKey(`curve ${name} is not supported`);
  return curveOf(c, false);
}

const built = new Map<string, Curve>();

/** A curve for explicit parameters: a known named curve when they match one, else built. */
export function curveFromParameters(params: CurveParameters): Curve {
  for (const c of NAMED) {
    const q = c.ecdsa.Point.CURVE() as CurveParameters;
    if (
      q.p === params.p &&
      q.a === params.a &&
      q.b === params.b &&
      q.Gx === params.Gx &&
      q.Gy === params.Gy &&
      q.n === params.n
    ) {
      return curveOf(c, true);
    }
  }
  const key = [params.p, params.a, params.b, params.Gx, params.Gy, params.n, params.h]
    .map((v) => v.toString(16))
    .join(':');
  const cached = built.get(key);
  if (cached) return cached;
  let e: ECDSA;
  try {
    e = ecdsa(weierstrass({ ...params }), sha256);
  } catch (cause) {
    throw new UnsupportedKey('explicit EC parameters do not define a valid curve', { cause });
  }
  const curve: Curve = {
    name: 'explicit',
    explicit: true,
    fieldLength: byteLength(params.p),
    orderLength: byteLength(params.n),
    ecdsa: e,
    params,
  };
  built.set(key, curve);
  return curve;
}

const ID_PRIME_FIELD = '1.2.840.10045.1.1';

/** Parses SEC 1 ECParameters (specifiedCurve) into curve parameters. */
export function parseExplicitParameters(seq: asn1js.Sequence): CurveParameters {
  const [version, fieldId, curve, base, order, cofactor] = seq.valueBlock.value;
  if (
    !(version instanceof asn1js.Integer) ||
    !(fieldId instanceof asn1js.Sequence) ||
    !(curve instanceof asn1js.Sequence)
  ) {
    throw new UnsupportedKey('malformed explicit EC parameters');
  }
  const [fieldType, prime] = fieldId.valueBlock.value;
  if (
    !(fieldType instanceof asn1js.ObjectIdentifier) ||
    fieldType.valueBlock.toString() !== ID_PRIME_FIELD ||
    prime === undefined
  ) {
    throw new UnsupportedKey('only prime-field EC parameters are supported');
  }
  const p = integerValue(prime);
  const [a, b] = curve.valueBlock.value;
  if (!(a instanceof asn1js.OctetString) || !(b instanceof asn1js.OctetString))
    throw new UnsupportedKey('malformed curve a/b');
  if (!(base instanceof asn1js.OctetString) || order === undefined)
    throw new UnsupportedKey('malformed base point');
  const g = new Uint8Array(base.valueBlock.valueHexView);
  const len = byteLength(p);
  if (g[0] !== 0x04 || g.length !== 1 + 2 * len) throw new UnsupportedKey('base point must be uncompressed');
  return {
    p,
    a: bytesToBigint(new Uint8Array(a.valueBlock.valueHexView)),
    b: bytesToBigint(new Uint8Array(b.valueBlock.valueHexView)),
    Gx: bytesToBigint(g.subarray(1, 1 + len)),
    Gy: bytesToBigint(g.subarray(1 + len)),
    n: integerValue(order),
    h: cofactor instanceof asn1js.Integer ? integerValue(cofactor) : 1n,
  };
}

/** Curve named by an EC parameters element (OID or explicit SEQUENCE). */
export function curveFromAlgorithmParams(params: unknown): Curve {
  if (params instanceof asn1js.ObjectIdentifier) {
    const oid = params.valueBlock.toString();
    const c = NAMED.find((x) => x.oid === oid);
    if (c === undefined) throw new UnsupportedKey(`named curve ${oid} is not supported`);
    return curveOf(c, false);
  }
  if (params instanceof asn1js.Sequence) return curveFromParameters(parseExplicitParameters(params));
  throw new UnsupportedKey('EC key without domain parameters');
}

/** Parses a SubjectPublicKeyInfo. Throws `UnsupportedKey` for keys we cannot verify with. */
export function parsePublicKey(spki: pkijs.PublicKeyInfo): PublicKey {
  const oid = spki.algorithm.algorithmId;
  const keyBytes = new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView);
  if (oid === OID_RSA_ENCRYPTION || oid === OID_RSASSA_PSS) {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (read directly: pkijs
    // strips the sign byte of the modulus).
    let n: bigint;
    let e: bigint;
    try {
      const seq = parseBer(keyBytes);
      if (!(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2)
        throw new UnsupportedKey('expected RSAPublicKey');
      n = integerValue(seq.valueBlock.value[0] as asn1js.AsnType);
      e = integerValue(seq.valueBlock.value[1] as asn1js.AsnType);
    } catch (cause) {
      throw new UnsupportedKey('malformed RSA public key', { cause });
    }
    if (n < 3n || e < 3n || e % 2n === 0n) throw new UnsupportedKey('invalid RSA public key');
    return { kind: 'rsa', n, e, bits: n.toString(2).length };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = curveFromAlgorithmParams(spki.algorithm.algorithmParams);
    try {
      curve.ecdsa.Point.fromBytes(keyBytes).assertValidity();
    } catch (cause) {
      throw new UnsupportedKey('EC public key is not a point of its curve', { cause });
    }
    return { kind: 'ec', curve, point: keyBytes, bits: curve.params.n.toString(2).length };
  }
  throw new UnsupportedKey(`public key algorithm ${oid} is not supported`);
}

/** A short description: `RSA-2048`, `EC brainpoolP384r1`, `EC explicit (brainpoolP256r1)`. */
export function describeKey(key: PublicKey): string {
  if (key.kind === 'rsa') return `RSA-${key.bits}`;
  return key.curve.explicit
    ? `EC explicit parameters (${key.curve.name === 'explicit' ? `${key.bits}-bit curve` : key.curve.name})`
    : `EC ${key.curve.name}`;
}
