/**
 * @module
 * Signature verification for passive authentication (ICAO Doc 9303 Part 12 §4.4 and Appendix
 * A): RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017 §8.1.2, §8.2.2, §9.1.2, §9.2) computed with
 * bigint arithmetic so that every hash (incl. SHA-224) and any PSS parameter set works
 * synchronously in every runtime, and ECDSA (FIPS 186-4 §6.4, BSI TR-03111 §4.2.1.4) on any prime
 * curve through @noble/curves with high-S signatures accepted (real document signers produce
 * them), signatures in X9.62 DER or plain r‖s form.
 */
import * as asn1js from 'asn1js';
import { verifyEcdsaDigest } from '../crypto/ecdsa.ts';
import { modPow } from '../crypto/mod-pow.ts';
import type { HashAlgorithm, SignatureScheme } from './algorithms.ts';
import { bigintToBytes, bytesToBigint } from './asn1.ts';
import type { PublicKey } from './public-key.ts';

/** Why a signature did not verify. */
export type SignatureFailure = 'signature-invalid' | 'signature-malformed' | 'key-algorithm-mismatch';

/** Outcome of one signature check. */
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

const invalid: SignatureCheck = { ok: false, reason: 'signature-invalid' };
const malformed: SignatureCheck = { ok: false, reason: 'signature-malformed' };

/** Verifies `signature` over `data` (hashed here with the scheme's hash) with `key`. */
export function verifySignature(
  scheme: SignatureScheme,
  key: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  if (scheme.kind === 'ecdsa') {
    if (key.kind !== 'ec') return { ok: false, reason: 'key-algorithm-mismatch' };
    return verifyEcdsa(scheme.hash, scheme.format, key, data, signature);
  }
  if (key.kind !== 'rsa') return { ok: false, reason: 'key-algorithm-mismatch' };
  const k = Math.ceil(key.bits / 8);
  if (signature.length !== k) return malformed;
  const s = bytesToBigint(signature);
  if (s >= key.n) return malformed;
  const m = modPow(s, key.e, key.n);
  if (scheme.kind === 'rsa-pkcs1') return verifyPkcs1(scheme.hash, bigintToBytes(m, k), data);
  return verifyPss(scheme.hash, scheme.mgfHash, scheme.saltLength, scheme.trailerField, m, key.bits, data);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2), accepting DigestInfo with or without NULL parameters. */
function verifyPkcs1(hash: HashAlgorithm, em: Uint8Array, data: Uint8Array): SignatureCheck {
  if (em[0] !== 0x00 || em[1] !== 0x01) return invalid;
  let i = 2;
  while (i < em.length && em[i] === 0xff) i++;
  if (i - 2 < 8 || em[i] !== 0x00) return invalid;
  const t = em.subarray(i + 1);
  const parsed = asn1js.fromBER(t);
  if (parsed.offset !== t.length || !(parsed.result instanceof asn1js.Sequence)) return invalid;
  const [alg, digest] = parsed.result.valueBlock.value;
  if (!(alg instanceof asn1js.Sequence) || !(digest instanceof asn1js.OctetString)) return invalid;
  const [oid, params] = alg.valueBlock.value;
  if (!(oid instanceof asn1js.ObjectIdentifier) || oid.valueBlock.toString() !== hash.oid) return invalid;
  if (params !== undefined && !(params instanceof asn1js.Null)) return invalid;
  if (alg.valueBlock.value.length > 2) return invalid;
  return sameBytes(new Uint8Array(digest.valueBlock.valueHexView), hash.hash(data)) ? { ok: true } : invalid;
}

function mgf1(hash: HashAlgorithm, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  for (let counter = 0, offset = 0; offset < length; counter++) {
    input[seed.length] = counter >>> 24;
    input[seed.length + 1] = (counter >>> 16) & 0xff;
    input[seed.length + 2] = (counter >>> 8) & 0xff;
    input[seed.length + 3] = counter & 0xff;
    const block = hash.hash(input);
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  return out;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2). */
function verifyPss(
  hash: HashAlgorithm,
  mgfHash: HashAlgorithm,
  saltLength: number,
  trailerField: number,
  m: bigint,
  modBits: number,
  data: Uint8Array,
): SignatureCheck {
  if (trailerField !== 1) return invalid;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m.toString(2).length > emBits) return invalid;
  const em = bigintToBytes(m, emLen);
  const hLen = hash.length;
  if (saltLength < 0 || emLen < hLen + saltLength + 2) return invalid;
  if (em[emLen - 1] !== 0xbc) return invalid;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  const topMask = (0xff << (8 - zeroBits)) & 0xff;
  if (((maskedDb[0] as number) & topMask) !== 0) return invalid;
  const db = mgf1(mgfHash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (maskedDb[i] as number);
  db[0] = (db[0] as number) & ~topMask & 0xff;
  const psLen = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return invalid;
  if (db[psLen] !== 0x01) return invalid;
  const salt = db.subarray(db.length - saltLength);
  const mPrime = new Uint8Array(8 + hLen + saltLength);
  mPrime.set(hash.hash(data), 8);
  mPrime.set(salt, 8 + hLen);
  return sameBytes(hash.hash(mPrime), h) ? { ok: true } : invalid;
}

/** Reads one DER/BER definite-length TLV at `offset`: [tag, value start, value end]. */
function readTlv(bytes: Uint8Array, offset: number): [number, number, number] | undefined {
  const tag = bytes[offset];
  let len = bytes[offset + 1];
  if (tag === undefined || len === undefined) return undefined;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[start + i];
      if (b === undefined) return undefined;
      len = (len << 8) | b;
    }
    start += n;
  }
  const end = start + len;
  return end <= bytes.length ? [tag, start, end] : undefined;
}

/**
 * r and s of an ECDSA signature: X9.62 `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * whose lengths must be consistent (non-minimal integer encodings, seen in the field, are
 * tolerated), or plain r‖s (BSI TR-03111 §5.2.1).
 */
export function ecdsaSignatureValues(
  signature: Uint8Array,
  format: 'der' | 'plain',
): { r: bigint; s: bigint } | undefined {
  if (format === 'plain') {
    if (signature.length === 0 || signature.length % 2 !== 0) return undefined;
    const half = signature.length / 2;
    return { r: bytesToBigint(signature.subarray(0, half)), s: bytesToBigint(signature.subarray(half)) };
  }
  const outer = readTlv(signature, 0);
  if (outer?.[0] !== 0x30 || outer[2] !== signature.length) return undefined;
  const r = readTlv(signature, outer[1]);
  if (r?.[0] !== 0x02 || r[2] === r[1]) return undefined;
  const s = readTlv(signature, r[2]);
  if (s?.[0] !== 0x02 || s[2] !== outer[2] || s[2] === s[1]) return undefined;
  // Negative integers are not valid r or s.
  if (((signature[r[1]] as number) & 0x80) !== 0 || ((signature[s[1]] as number) & 0x80) !== 0)
    return undefined;
  return {
    r: bytesToBigint(signature.subarray(r[1], r[2])),
    s: bytesToBigint(signature.subarray(s[1], s[2])),
  };
}

function verifyEcdsa(
  hash: HashAlgorithm,
  format: 'der' | 'plain',
  key: Extract<PublicKey, { kind: 'ec' }>,
  data: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  const rs = ecdsaSignatureValues(signature, format);
  const n = key.curve.params.n;
  if (rs === undefined || rs.r <= 0n || rs.s <= 0n || rs.r >= n || rs.s >= n) return malformed;
  try {
    const ok = verifyEcdsaDigest(key.curve.ecdsa.Point, key.point, hash.hash(data), rs.r, rs.s);
    return ok ? { ok: true } : invalid;
  } catch {
    return malformed;
  }
}
