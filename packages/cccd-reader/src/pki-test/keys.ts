/**
 * @module
 * Signing keys of the test PKI: RSA (generated with WebCrypto, signed here with RSA-CRT so that
 * signing is synchronous; PKCS#1 v1.5 and RSASSA-PSS encodings of RFC 8017 §9.1.1 / §9.2) and
 * ECDSA on NIST and brainpool curves with @noble/curves (WebCrypto has no brainpool). ECDSA
 * signatures are not normalised to low S, like many real document signers. SubjectPublicKeyInfo
 * with a named curve or with explicit domain parameters (SEC 1 §C.2).
 */
import { fromBase64 } from '@vneid/core/bytes';
import * as asn1js from 'asn1js';
import { modPow } from '../crypto/mod-pow.ts';
import { type HashAlgorithm, type HashName, hashByName, OID_MGF1, OID_RSASSA_PSS } from '../pa/algorithms.ts';
import { bigintToBytes, bytesToBigint, unsignedInteger } from '../pa/asn1.ts';
import { PaError } from '../pa/pa-error.ts';
import { type Curve, NAMED_CURVE_OIDS, namedCurve } from '../pa/public-key.ts';
import { algorithm, der, explicit, octets, oid, seq } from './der.ts';

/** Source of random bytes. */
export type RandomSource = (length: number) => Uint8Array;

/** The platform CSPRNG. */
export const defaultRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
};

/** Key types of the test PKI. */
export type TestKeyType =
  | { kind: 'rsa'; bits: number; pss: boolean }
  | {
      kind: 'ec';
      curve: 'P-256' | 'P-384' | 'P-521' | 'brainpoolP256r1' | 'brainpoolP384r1' | 'brainpoolP512r1';
      explicit: boolean;
    };

/** A private key that signs synchronously. Printing it shows no secret. */
export interface TestSigningKey {
  readonly type: TestKeyType;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKeyInfo: Uint8Array;
  /** The BIT STRING content of the public key (for key identifiers). */
  readonly publicKey: Uint8Array;
  /** AlgorithmIdentifier (DER) of signatures made with `hash`. */
  signatureAlgorithm(hash: HashName): Uint8Array;
  /** Signs `data` (hashing it with `hash`); ECDSA in DER form. */
  sign(data: Uint8Array, hash: HashName): Uint8Array;
}

const RSA_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.113549.1.1.5',
  'SHA-224': '1.2.840.113549.1.1.14',
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.10045.4.1',
  'SHA-224': '1.2.840.10045.4.3.1',
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

const b64u = (s: string | undefined): bigint => {
  if (s === undefined) throw new Error('missing JWK member');
  return bytesToBigint(fromBase64(s));
};

function mgf1(hash: HashAlgorithm, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let c = 0, off = 0; off < length; c++, off += hash.length) {
    const block = hash.hash(new Uint8Array([...seed, c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]));
    out.set(block.subarray(0, Math.min(hash.length, length - off)), off);
  }
  return out;
}

function digestInfo(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  return der(seq(algorithm(hash.oid, 'null'), octets(hash.hash(data))));
}

/** RSASSA-PSS-params for `hash` with MGF1-`hash` and a salt as long as the hash. */
export function pssParams(hash: HashName): asn1js.Sequence {
  const h = hashByName(hash);
  return seq(
    explicit(0, algorithm(h.oid, 'null')),
    explicit(1, algorithm(OID_MGF1, algorithm(h.oid, 'null'))),
    explicit(2, new asn1js.Integer({ value: h.length })),
  );
}

/**
 * A WebCrypto RSA key pair (e = 65537) exported as the public key's DER SubjectPublicKeyInfo and
 * the private key's JWK (test keys: the private members are needed to sign without WebCrypto).
 */
export async function exportableRsaKeyPair(bits: number): Promise<{ spki: Uint8Array; jwk: JsonWebKey }> {
  const subtle = globalThis.crypto.subtle;
  const pair = (await subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: bits,
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return { spki, jwk: await subtle.exportKey('jwk', pair.privateKey) };
}

/** Generates an RSA key with WebCrypto (e = 65537). */
export async function generateRsaKey(
  bits: number,
  pss: boolean,
  random: RandomSource,
): Promise<TestSigningKey> {
  if (!globalThis.crypto?.subtle)
    throw new PaError('UNSUPPORTED_ALGORITHM', 'RSA test keys need WebCrypto (globalThis.crypto.subtle)');
  const { spki, jwk } = await exportableRsaKeyPair(bits);
  const p = b64u(jwk.p);
  const q = b64u(jwk.q);
  const dp = b64u(jwk.dp);
  const dq = b64u(jwk.dq);
  const qi = b64u(jwk.qi);
  const k = Math.ceil(bits / 8);
  const privateOp = (m: bigint): Uint8Array => {
    const m1 = modPow(m, dp, p);
    const m2 = modPow(m, dq, q);
    const h = (qi * ((m1 - m2 + p) % p)) % p;
    return bigintToBytes(m2 + h * q, k);
  };
  const spkiSeq = asn1js.fromBER(spki).result as asn1js.Sequence;
  const publicKey = new Uint8Array((spkiSeq.valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView);
  return {
    type: { kind: 'rsa', bits, pss },
    publicKeyInfo: spki,
    publicKey,
    signatureAlgorithm: (hash) =>
      der(pss ? algorithm(OID_RSASSA_PSS, pssParams(hash)) : algorithm(RSA_OIDS[hash], 'null')),
    sign(data, hashName) {
      const hash = hashByName(hashName);
      if (!pss) {
        const t = digestInfo(hash, data);
        const em = new Uint8Array(k).fill(0xff);
        em[0] = 0;
        em[1] = 1;
        em[k - t.length - 1] = 0;
        em.set(t, k - t.length);
        return privateOp(bytesToBigint(em));
      }
      // EMSA-PSS-ENCODE (RFC 8017 §9.1.1), salt length = hash length.
      const emBits = bits - 1;
      const emLen = Math.ceil(emBits / 8);
      const salt = random(hash.length);
      const mPrime = new Uint8Array(8 + 2 * hash.length);
      mPrime.set(hash.hash(data), 8);
      mPrime.set(salt, 8 + hash.length);
      const h = hash.hash(mPrime);
      const db = new Uint8Array(emLen - hash.length - 1);
      db[db.length - salt.length - 1] = 1;
      db.set(salt, db.length - salt.length);
      const mask = mgf1(hash, h, db.length);
      for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
      db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
      const em = new Uint8Array(emLen);
      em.set(db);
      em.set(h, db.length);
      em[emLen - 1] = 0xbc;
      return privateOp(bytesToBigint(em));
    },
    toString: () => `[TestSigningKey RSA-${bits}]`,
  } as TestSigningKey;
}

/** ECParameters with explicit domain parameters (SEC 1 §C.2, version 1, prime field). */
export function explicitParameters(curve: Curve): asn1js.Sequence {
  const { p, a, b, Gx, Gy, n, h } = curve.params;
  const len = curve.fieldLength;
  return seq(
    new asn1js.Integer({ value: 1 }),
    seq(oid('1.2.840.10045.1.1'), unsignedInteger(p)),
    seq(octets(bigintToBytes(a, len)), octets(bigintToBytes(b, len))),
    octets(new Uint8Array([4, ...bigintToBytes(Gx, len), ...bigintToBytes(Gy, len)])),
    unsignedInteger(n),
    unsignedInteger(h),
  );
}

/** Generates an EC key with @noble/curves. */
export function generateEcKey(
  curveName: Extract<TestKeyType, { kind: 'ec' }>['curve'],
  explicitParams: boolean,
  random: RandomSource,
): TestSigningKey {
  const curve = namedCurve(curveName);
  const e = curve.ecdsa;
  const secretKey = e.utils.randomSecretKey(random(e.lengths.seed ?? curve.orderLength + 16));
  const publicKey = e.getPublicKey(secretKey, false);
  const params = explicitParams ? explicitParameters(curve) : oid(NAMED_CURVE_OIDS[curveName] as string);
  const spki = der(
    seq(algorithm('1.2.840.10045.2.1', params), new asn1js.BitString({ valueHex: publicKey })),
  );
  return {
    type: { kind: 'ec', curve: curveName, explicit: explicitParams },
    publicKeyInfo: spki,
    publicKey,
    signatureAlgorithm: (hash) => der(algorithm(ECDSA_OIDS[hash])),
    sign: (data, hash) =>
      e.sign(hashByName(hash).hash(data), secretKey, { prehash: false, lowS: false, format: 'der' }),
    toString: () => `[TestSigningKey EC ${curveName}]`,
  } as TestSigningKey;
}
