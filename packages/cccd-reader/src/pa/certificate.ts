/**
 * @module
 * X.509 certificates of the eMRTD PKI (RFC 5280; ICAO Doc 9303 Part 12 §7.1 certificate
 * profile): DER/PEM input, distinguished names compared as sets of attributes (RDN order and
 * string case/whitespace differences between a DSC's issuer and its CSCA's subject occur in
 * real documents), key identifiers, validity and private-key usage periods, and the exact TBS
 * bytes to verify an issuer's signature over.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toHex } from '@vneid/core/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { resolveSignatureAlgorithm } from './algorithms.ts';
import { parseBer } from './asn1.ts';
import { PaError } from './pa-error.ts';
import { type PublicKey, parsePublicKey } from './public-key.ts';
import { type SignatureFailure, verifySignature } from './verify-signature.ts';
import { verifiedByWebCrypto } from './webcrypto.ts';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function attributeText(value: unknown): string {
  const block = (value as { valueBlock?: { value?: unknown } }).valueBlock;
  if (block && typeof block.value === 'string') return block.value;
  if (value instanceof asn1js.BaseBlock) return `#${toHex(new Uint8Array(value.valueBeforeDecodeView))}`;
  return String(value);
}

/** A distinguished name: display text and an order-insensitive comparison key. */
export interface Name {
  /** `CN=CSCA Vietnam, O=…, C=VN` in encoded order. */
  text: string;
  /** Sorted, case- and whitespace-normalised attributes; equal keys = same name. */
  key: string;
  /** The countryName (C=) value, upper case, when the name has exactly one. */
  country?: string;
}

/** Reads a pkijs name. */
export function readName(rdn: pkijs.RelativeDistinguishedNames): Name {
  const parts = rdn.typesAndValues.map((tv) => ({ type: tv.type, value: attributeText(tv.value) }));
  const text = parts.map((p) => `${SHORT_NAMES[p.type] ?? p.type}=${p.value}`).join(', ');
  const key = parts
    .map((p) => `${p.type}=${p.value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()}`)
    .sort()
    .join('\u0000');
  const countries = parts.filter((p) => p.type === '2.5.4.6');
  const name: Name = { text, key };
  if (countries.length === 1) name.country = (countries[0] as { value: string }).value.trim().toUpperCase();
  return name;
}

/** A parsed certificate with the facts passive authentication needs. */
export interface CertificateInfo {
  /** The DER bytes as given. */
  der: Uint8Array;
  /** The pkijs object (for callers that want more). */
  certificate: pkijs.Certificate;
  subject: Name;
  issuer: Name;
  /** Serial number, as bigint. */
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
  /** Private key usage period (2.5.29.16), when present. */
  privateKeyUsagePeriod?: { notBefore?: Date; notAfter?: Date };
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: Uint8Array;
  /** basicConstraints cA. */
  isCa: boolean;
  /** The keyUsage extension's bits (RFC 5280 §4.2.1.3), absent without the extension. */
  keyUsage?: { digitalSignature: boolean; keyCertSign: boolean; cRLSign: boolean };
  /** Subject and issuer names are equal. */
  selfIssued: boolean;
  /** Upper-case hex SHA-256 of the DER bytes. */
  fingerprintSha256: string;
}

function findExtension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

/** Parses one DER certificate. Throws `PaError('CERTIFICATE_MALFORMED')`. */
export function parseCertificateDer(der: Uint8Array, input = 'certificate'): CertificateInfo {
  let cert: pkijs.Certificate;
  try {
    cert = new pkijs.Certificate({ schema: parseBer(der) });
  } catch (cause) {
    throw new PaError('CERTIFICATE_MALFORMED', 'expected a DER X.509 certificate', {
      context: { input },
      cause,
    });
  }
  return describeCertificate(cert, der);
}

/** Facts of an already parsed pkijs certificate. */
export function describeCertificate(cert: pkijs.Certificate, der?: Uint8Array): CertificateInfo {
  const bytes = der ?? new Uint8Array(cert.toSchema().toBER());
  const ski = findExtension(cert, '2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
  const aki = findExtension(cert, '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
  const pkup = findExtension(cert, '2.5.29.16')?.parsedValue as pkijs.PrivateKeyUsagePeriod | undefined;
  const bc = findExtension(cert, '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
  const subject = readName(cert.subject);
  const issuer = readName(cert.issuer);
  const info: CertificateInfo = {
    der: bytes,
    certificate: cert,
    subject,
    issuer,
    serialNumber: BigInt.asUintN(
      cert.serialNumber.valueBlock.valueHexView.length * 8,
      cert.serialNumber.toBigInt(),
    ),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    isCa: bc?.cA === true,
    selfIssued: subject.key === issuer.key,
    fingerprintSha256: toHex(sha256(bytes)).toUpperCase(),
  };
  const ku = findExtension(cert, '2.5.29.15')?.parsedValue as asn1js.BitString | undefined;
  if (ku instanceof asn1js.BitString) {
    const bits = ku.valueBlock.valueHexView;
    const bit = (n: number): boolean => (((bits[n >> 3] ?? 0) >> (7 - (n & 7))) & 1) === 1;
    info.keyUsage = { digitalSignature: bit(0), keyCertSign: bit(5), cRLSign: bit(6) };
  }
  if (ski instanceof asn1js.OctetString)
    info.subjectKeyIdentifier = new Uint8Array(ski.valueBlock.valueHexView);
  if (aki?.keyIdentifier)
    info.authorityKeyIdentifier = new Uint8Array(aki.keyIdentifier.valueBlock.valueHexView);
  if (pkup && (pkup.notBefore || pkup.notAfter)) {
    info.privateKeyUsagePeriod = {};
    if (pkup.notBefore) info.privateKeyUsagePeriod.notBefore = pkup.notBefore;
    if (pkup.notAfter) info.privateKeyUsagePeriod.notAfter = pkup.notAfter;
  }
  return info;
}

/** The Base64 bodies of the PEM blocks with one of these labels, in order. */
export function pemBlocks(text: string, labels: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (!labels.includes(m[1] as string)) continue;
    const body = (m[2] as string).replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    try {
      out.push(fromBase64(body));
    } catch (cause) {
      throw new PaError('PEM_MALFORMED', `invalid Base64 in a PEM ${m[1]} block`, { cause });
    }
  }
  return out;
}

/** Certificates from PEM text (one or many blocks) or DER bytes. */
export function parseCertificates(input: string | Uint8Array, name = 'certificate'): CertificateInfo[] {
  if (typeof input !== 'string') return [parseCertificateDer(input, name)];
  const blocks = pemBlocks(input, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
  if (blocks.length === 0)
    throw new PaError('PEM_MALFORMED', 'expected at least one PEM CERTIFICATE block', {
      context: { input: name },
    });
  return blocks.map((der, i) => parseCertificateDer(der, blocks.length > 1 ? `${name}[${i}]` : name));
}

/** Outcome of checking that `issuer` signed `subject`. */
export type IssuedByCheck =
  | { ok: true }
  | { ok: false; reason: SignatureFailure | 'unsupported-algorithm' | 'unsupported-key' };

/** Verifies an issuer's signature over a certificate's (or CRL's) exact TBS bytes. */
export function verifyIssuedBy(
  tbs: Uint8Array,
  signatureAlgorithm: pkijs.AlgorithmIdentifier,
  signatureValue: asn1js.BitString,
  issuerKey: PublicKey,
): IssuedByCheck {
  const resolved = resolveSignatureAlgorithm(signatureAlgorithm);
  if (!resolved.ok) return { ok: false, reason: 'unsupported-algorithm' };
  return verifySignature(
    resolved.scheme,
    issuerKey,
    tbs,
    new Uint8Array(signatureValue.valueBlock.valueHexView),
  );
}

const keyCache = new WeakMap<CertificateInfo, PublicKey | Error>();

/** The certificate's public key, or the reason it cannot be used. Cached. */
export function publicKeyOf(info: CertificateInfo): PublicKey | Error {
  const cached = keyCache.get(info);
  if (cached) return cached;
  let key: PublicKey | Error;
  try {
    key = parsePublicKey(info.certificate.subjectPublicKeyInfo);
  } catch (e) {
    key = e instanceof Error ? e : new Error(String(e));
  }
  keyCache.set(info, key);
  return key;
}

/**
 * Outcomes of {@link certificateSignedBy} by `issuer fingerprint > subject fingerprint`. The
 * fingerprints are SHA-256 over the whole DER (TBS, algorithm and signature), so an entry is the
 * same computation's result: a bank verifying many cards of one Document Signer checks the
 * DSC → CSCA signature once. Bounded (oldest entries dropped first).
 */
const issuedByCache = new Map<string, IssuedByCheck>();
const ISSUED_BY_CACHE_SIZE = 4096;

/** Whether `issuer` signed `subject` (names are not compared here). */
export function certificateSignedBy(subject: CertificateInfo, issuer: CertificateInfo): IssuedByCheck {
  const id = `${issuer.fingerprintSha256}>${subject.fingerprintSha256}`;
  const cached = issuedByCache.get(id);
  if (cached !== undefined) return cached;
  const result = computeSignedBy(subject, issuer);
  if (issuedByCache.size >= ISSUED_BY_CACHE_SIZE)
    issuedByCache.delete(issuedByCache.keys().next().value as string);
  issuedByCache.set(id, result);
  return result;
}

/** RFC 5280 §4.1.1.2: the outer algorithm equals the TBS's; the signature BIT STRING has no unused bits. */
function wellFormedSignature(cert: pkijs.Certificate): boolean {
  const inner = new Uint8Array(cert.signature.toSchema().toBER());
  const outer = new Uint8Array(cert.signatureAlgorithm.toSchema().toBER());
  return (
    inner.length === outer.length &&
    inner.every((b, i) => b === outer[i]) &&
    cert.signatureValue.valueBlock.unusedBits === 0
  );
}

function computeSignedBy(subject: CertificateInfo, issuer: CertificateInfo): IssuedByCheck {
  const key = publicKeyOf(issuer);
  if (key instanceof Error) return { ok: false, reason: 'unsupported-key' };
  const cert = subject.certificate;
  if (!wellFormedSignature(cert)) return { ok: false, reason: 'signature-malformed' };
  return verifyIssuedBy(cert.tbsView, cert.signatureAlgorithm, cert.signatureValue, key);
}

/**
 * Checks `issuer`'s signature on `subject` with WebCrypto where it can (NIST curves) and records
 * a positive answer for {@link certificateSignedBy}; never throws, never records a failure.
 */
export async function prewarmSignedBy(subject: CertificateInfo, issuer: CertificateInfo): Promise<void> {
  const id = `${issuer.fingerprintSha256}>${subject.fingerprintSha256}`;
  if (issuedByCache.has(id)) return;
  try {
    const key = publicKeyOf(issuer);
    const cert = subject.certificate;
    if (key instanceof Error || !wellFormedSignature(cert)) return;
    const resolved = resolveSignatureAlgorithm(cert.signatureAlgorithm);
    if (!resolved.ok) return;
    const sig = new Uint8Array(cert.signatureValue.valueBlock.valueHexView);
    if ((await verifiedByWebCrypto(resolved.scheme, key, new Uint8Array(cert.tbsView), sig)) !== true) return;
    if (issuedByCache.size >= ISSUED_BY_CACHE_SIZE)
      issuedByCache.delete(issuedByCache.keys().next().value as string);
    issuedByCache.set(id, { ok: true });
  } catch {
    // The synchronous check decides.
  }
}
