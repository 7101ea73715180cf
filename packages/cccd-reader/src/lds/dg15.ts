/**
 * @module
 * DG15, the Active Authentication public key (ICAO Doc 9303 Part 10 §4.7.15, Part 11 §6.1):
 * tag `6F` wrapping a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) — RSA (RFC 8017 A.1.1
 * RSAPublicKey) or EC (RFC 5480, SEC 1 §C.2: a named curve OID or explicit ECParameters,
 * recognised against the named-curve table when possible).
 */
import { decodeTlv, type Tlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import {
  assertTlv,
  childrenOf,
  decodeFile,
  oidOf,
  primitiveOf,
  structure,
  TAG,
  tlvFailure,
} from './lds-tlv.ts';
import { CURVE_OIDS, type EcCurveParameters, identifyNamedCurve } from './oids.ts';

const FILE = 'DG15';
/** DG15's outer tag. */
export const DG15_TAG = 0x6f;
/** `rsaEncryption`. */
export const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
/** `id-ecPublicKey`. */
export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

/** An RSA Active Authentication key. */
export interface Dg15RsaKey {
  algorithm: 'rsa';
  /** Modulus, unsigned big-endian without leading zeros. */
  modulus: Uint8Array;
  /** Bit length of the modulus (e.g. 2048, 1792). */
  modulusBits: number;
  /** Public exponent, unsigned big-endian. */
  exponent: Uint8Array;
  /** Public exponent as a number when it fits (65537). */
  publicExponent: number | null;
  /** The whole SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
}

/** An EC Active Authentication key. */
export interface Dg15EcKey {
  algorithm: 'ec';
  /** Named curve (`brainpoolP256r1`, `secp256r1` …) when the OID or the explicit parameters match one. */
  curveName: string | undefined;
  /** The curve OID when the key names one. */
  curveOid: string | undefined;
  /** Explicit parameters, when given that way. */
  explicitParameters: EcCurveParameters | undefined;
  /** The encoded public point (`04 ‖ x ‖ y` or compressed). */
  publicKey: Uint8Array;
  spki: Uint8Array;
}

/** Parsed DG15. */
export interface Dg15 {
  raw: Uint8Array;
  publicKey: Dg15RsaKey | Dg15EcKey;
}

const toBig = (v: Uint8Array): bigint => {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
};

const unsigned = (v: Uint8Array): Uint8Array => {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
};

function innerTlv(bytes: Uint8Array): Tlv {
  try {
    return decodeTlv(bytes);
  } catch (cause) {
    throw tlvFailure(cause, FILE);
  }
}

function bitString(tlv: Tlv | undefined, what: string): Uint8Array {
  const v = primitiveOf(tlv, TAG.BIT_STRING, FILE, what);
  structure(v.length >= 1 && v[0] === 0, FILE, `${what} must have no unused bits`);
  return v.subarray(1);
}

function explicitCurve(params: Tlv): EcCurveParameters {
  const p = childrenOf(params, TAG.SEQUENCE, FILE, 'the explicit EC parameters');
  structure(p.length >= 5, FILE, 'explicit EC parameters need version, field, curve, base and order');
  const field = childrenOf(p[1], TAG.SEQUENCE, FILE, 'the field ID');
  structure(
    oidOf(field[0], FILE, 'the field type') === '1.2.840.10045.1.1',
    FILE,
    'only prime fields are supported',
  );
  const prime = toBig(primitiveOf(field[1], TAG.INTEGER, FILE, 'the prime'));
  const curve = childrenOf(p[2], TAG.SEQUENCE, FILE, 'the curve');
  const a = toBig(primitiveOf(curve[0], TAG.OCTET_STRING, FILE, 'the coefficient a'));
  const b = toBig(primitiveOf(curve[1], TAG.OCTET_STRING, FILE, 'the coefficient b'));
  const base = primitiveOf(p[3], TAG.OCTET_STRING, FILE, 'the base point');
  structure(
    base.length >= 3 && base[0] === 0x04 && base.length % 2 === 1,
    FILE,
    'the base point must be uncompressed',
  );
  const half = (base.length - 1) / 2;
  const n = toBig(primitiveOf(p[4], TAG.INTEGER, FILE, 'the order'));
  const h = p[5] === undefined ? 1n : toBig(primitiveOf(p[5], TAG.INTEGER, FILE, 'the cofactor'));
  return { p: prime, a, b, gx: toBig(base.subarray(1, 1 + half)), gy: toBig(base.subarray(1 + half)), n, h };
}

/**
 * Parses a SubjectPublicKeyInfo (RSA or EC) as found in DG15.
 * @throws {LdsError} `LDS_INVALID_STRUCTURE`, `LDS_UNSUPPORTED_ALGORITHM`
 */
export function parseActiveAuthenticationKey(spki: Tlv): Dg15RsaKey | Dg15EcKey {
  assertTlv(spki, FILE);
  const parts = childrenOf(spki, TAG.SEQUENCE, FILE, 'the SubjectPublicKeyInfo');
  structure(parts.length === 2, FILE, 'a SubjectPublicKeyInfo holds an algorithm and a key');
  const alg = childrenOf(parts[0], TAG.SEQUENCE, FILE, 'the algorithm');
  const oid = oidOf(alg[0], FILE, 'the algorithm OID');
  const key = bitString(parts[1], 'the public key');
  if (oid === RSA_ENCRYPTION_OID) {
    const rsa = childrenOf(innerTlv(key), TAG.SEQUENCE, FILE, 'the RSAPublicKey');
    structure(rsa.length === 2, FILE, 'RSAPublicKey holds a modulus and an exponent');
    const modulus = unsigned(primitiveOf(rsa[0], TAG.INTEGER, FILE, 'the modulus'));
    const exponent = unsigned(primitiveOf(rsa[1], TAG.INTEGER, FILE, 'the exponent'));
    structure(modulus.length > 0 && modulus[0] !== 0, FILE, 'the modulus is zero');
    const modulusBits = (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0] as number));
    const e = toBig(exponent);
    return {
      algorithm: 'rsa',
      modulus,
      modulusBits,
      exponent,
      publicExponent: e <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e) : null,
      spki: spki.raw,
    };
  }
  if (oid === EC_PUBLIC_KEY_OID) {
    const params = alg[1];
    structure(params !== undefined, FILE, 'an EC key needs domain parameters');
    let curveOid: string | undefined;
    let explicitParameters: EcCurveParameters | undefined;
    let curveName: string | undefined;
    if (params.tag === TAG.OID) {
      curveOid = oidOf(params, FILE, 'the named curve');
      curveName = Object.entries(CURVE_OIDS).find(([, o]) => o === curveOid)?.[0];
    } else {
      explicitParameters = explicitCurve(params);
      curveName = identifyNamedCurve(explicitParameters);
      if (curveName !== undefined) curveOid = CURVE_OIDS[curveName];
    }
    structure(key.length > 0, FILE, 'the EC public point is empty');
    return { algorithm: 'ec', curveName, curveOid, explicitParameters, publicKey: key, spki: spki.raw };
  }
  throw new LdsError('LDS_UNSUPPORTED_ALGORITHM', `${FILE}: unsupported public-key algorithm ${oid}`, {
    context: { file: FILE },
  });
}

/**
 * Parses DG15.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`, `LDS_UNSUPPORTED_ALGORITHM`
 */
export function parseDg15(bytes: Uint8Array): Dg15 {
  const inner = childrenOf(decodeFile(bytes, FILE, DG15_TAG), DG15_TAG, FILE, 'DG15');
  structure(inner.length === 1, FILE, `expected one SubjectPublicKeyInfo inside 6F, got ${inner.length}`);
  return { raw: bytes, publicKey: parseActiveAuthenticationKey(inner[0] as Tlv) };
}
