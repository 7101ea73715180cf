/**
 * @module
 * Hash and signature algorithm identifiers used by eMRTD security objects and certificates
 * (ICAO Doc 9303 Part 12 §4.4 and Appendix A; RFC 3279, RFC 4055, RFC 5758, BSI TR-03111 §5.2.1
 * plain ECDSA): the hash functions (SHA-1/224/256/384/512, @noble/hashes) and the resolution of
 * a signature AlgorithmIdentifier — taken from the SignerInfo, never from the DSC — to a scheme
 * (RSA PKCS#1 v1.5, RSASSA-PSS with its parameters, ECDSA in DER or plain format).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A hash algorithm name as reported. */
export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A hash algorithm: OID, name, output length and function. */
export interface HashAlgorithm {
  oid: string;
  name: HashName;
  length: number;
  hash(data: Uint8Array): Uint8Array;
}

const HASHES: readonly HashAlgorithm[] = [
  { oid: '1.3.14.3.2.26', name: 'SHA-1', length: 20, hash: (d) => sha1(d) },
  { oid: '2.16.840.1.101.3.4.2.4', name: 'SHA-224', length: 28, hash: (d) => sha224(d) },
  { oid: '2.16.840.1.101.3.4.2.1', name: 'SHA-256', length: 32, hash: (d) => sha256(d) },
  { oid: '2.16.840.1.101.3.4.2.2', name: 'SHA-384', length: 48, hash: (d) => sha384(d) },
  { oid: '2.16.840.1.101.3.4.2.3', name: 'SHA-512', length: 64, hash: (d) => sha512(d) },
];

/** The hash algorithm with this OID, or undefined. */
export function hashByOid(oid: string): HashAlgorithm | undefined {
  return HASHES.find((h) => h.oid === oid);
}

/** The hash algorithm with this name. */
export function hashByName(name: HashName): HashAlgorithm {
  const h = HASHES.find((x) => x.name === name);
  if (h === undefined) throw new Error(`unknown hash ${name}`);
  return h;
}

/** How a signature is computed. */
export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: HashAlgorithm }
  | { kind: 'rsa-pss'; hash: HashAlgorithm; mgfHash: HashAlgorithm; saltLength: number; trailerField: number }
  | { kind: 'ecdsa'; hash: HashAlgorithm; format: 'der' | 'plain' };

/** Result of resolving a signature AlgorithmIdentifier. */
export type SchemeResolution =
  | { ok: true; scheme: SignatureScheme; name: string }
  | { ok: false; oid: string; name: string };

export const OID_RSA_ENCRYPTION: '1.2.840.113549.1.1.1' = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS: '1.2.840.113549.1.1.10' = '1.2.840.113549.1.1.10';
export const OID_MGF1: '1.2.840.113549.1.1.8' = '1.2.840.113549.1.1.8';
export const OID_EC_PUBLIC_KEY: '1.2.840.10045.2.1' = '1.2.840.10045.2.1';

const RSA_PKCS1: Record<string, [HashName, string]> = {
  '1.2.840.113549.1.1.5': ['SHA-1', 'sha1WithRSAEncryption'],
  '1.2.840.113549.1.1.14': ['SHA-224', 'sha224WithRSAEncryption'],
  '1.2.840.113549.1.1.11': ['SHA-256', 'sha256WithRSAEncryption'],
  '1.2.840.113549.1.1.12': ['SHA-384', 'sha384WithRSAEncryption'],
  '1.2.840.113549.1.1.13': ['SHA-512', 'sha512WithRSAEncryption'],
};

const ECDSA: Record<string, [HashName, string, 'der' | 'plain']> = {
  '1.2.840.10045.4.1': ['SHA-1', 'ecdsa-with-SHA1', 'der'],
  '1.2.840.10045.4.3.1': ['SHA-224', 'ecdsa-with-SHA224', 'der'],
  '1.2.840.10045.4.3.2': ['SHA-256', 'ecdsa-with-SHA256', 'der'],
  '1.2.840.10045.4.3.3': ['SHA-384', 'ecdsa-with-SHA384', 'der'],
  '1.2.840.10045.4.3.4': ['SHA-512', 'ecdsa-with-SHA512', 'der'],
  '0.4.0.127.0.7.1.1.4.1.1': ['SHA-1', 'ecdsa-plain-SHA1', 'plain'],
  '0.4.0.127.0.7.1.1.4.1.2': ['SHA-224', 'ecdsa-plain-SHA224', 'plain'],
  '0.4.0.127.0.7.1.1.4.1.3': ['SHA-256', 'ecdsa-plain-SHA256', 'plain'],
  '0.4.0.127.0.7.1.1.4.1.4': ['SHA-384', 'ecdsa-plain-SHA384', 'plain'],
  '0.4.0.127.0.7.1.1.4.1.5': ['SHA-512', 'ecdsa-plain-SHA512', 'plain'],
};

/**
 * Resolves a signature AlgorithmIdentifier. `digestOid` is the SignerInfo's digestAlgorithm,
 * used when the signature OID names no hash (`rsaEncryption`, `id-ecPublicKey`).
 */
export function resolveSignatureAlgorithm(
  algorithm: pkijs.AlgorithmIdentifier,
  digestOid?: string,
): SchemeResolution {
  const oid = algorithm.algorithmId;
  // RFC 4055 §5 / RFC 5758 §3.2: PKCS#1 v1.5 and ECDSA identifiers carry NULL or no parameters.
  const params = algorithm.algorithmParams as unknown;
  if (oid !== OID_RSASSA_PSS && params !== undefined && !(params instanceof asn1js.Null)) {
    return { ok: false, oid, name: `${oid} (unexpected parameters)` };
  }
  const pkcs1 = RSA_PKCS1[oid];
  if (pkcs1) return { ok: true, scheme: { kind: 'rsa-pkcs1', hash: hashByName(pkcs1[0]) }, name: pkcs1[1] };
  const ec = ECDSA[oid];
  if (ec) return { ok: true, scheme: { kind: 'ecdsa', hash: hashByName(ec[0]), format: ec[2] }, name: ec[1] };
  if (oid === OID_RSA_ENCRYPTION || oid === OID_EC_PUBLIC_KEY) {
    const hash = digestOid === undefined ? undefined : hashByOid(digestOid);
    if (hash === undefined) return { ok: false, oid, name: oid };
    return oid === OID_RSA_ENCRYPTION
      ? { ok: true, scheme: { kind: 'rsa-pkcs1', hash }, name: `rsaEncryption (${hash.name})` }
      : {
          ok: true,
          scheme: { kind: 'ecdsa', hash, format: 'der' },
          name: `id-ecPublicKey (ECDSA ${hash.name})`,
        };
  }
  if (oid === OID_RSASSA_PSS) return resolvePss(algorithm);
  return { ok: false, oid, name: oid };
}

function resolvePss(algorithm: pkijs.AlgorithmIdentifier): SchemeResolution {
  const oid = algorithm.algorithmId;
  let params: pkijs.RSASSAPSSParams;
  try {
    const raw = algorithm.algorithmParams as asn1js.AsnType | undefined;
    params =
      raw === undefined || raw instanceof asn1js.Null || !(raw instanceof asn1js.Sequence)
        ? new pkijs.RSASSAPSSParams()
        : new pkijs.RSASSAPSSParams({ schema: raw });
  } catch {
    return { ok: false, oid, name: 'RSASSA-PSS (malformed parameters)' };
  }
  const hash = hashByOid(params.hashAlgorithm.algorithmId || '1.3.14.3.2.26');
  const mgfOid = params.maskGenAlgorithm.algorithmId || OID_MGF1;
  let mgfHashOid = '1.3.14.3.2.26';
  if (mgfOid !== OID_MGF1) return { ok: false, oid, name: `RSASSA-PSS (mask generation ${mgfOid})` };
  const mgfParams = params.maskGenAlgorithm.algorithmParams as asn1js.AsnType | undefined;
  if (mgfParams instanceof asn1js.Sequence) {
    try {
      mgfHashOid = new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId;
    } catch {
      return { ok: false, oid, name: 'RSASSA-PSS (malformed MGF1 parameters)' };
    }
  }
  const mgfHash = hashByOid(mgfHashOid);
  if (hash === undefined || mgfHash === undefined)
    return { ok: false, oid, name: 'RSASSA-PSS (unknown hash)' };
  const saltLength = params.saltLength;
  const trailerField = params.trailerField;
  return {
    ok: true,
    scheme: { kind: 'rsa-pss', hash, mgfHash, saltLength, trailerField },
    name: `RSASSA-PSS (${hash.name}, MGF1-${mgfHash.name}, salt ${saltLength})`,
  };
}
