/**
 * @module
 * Certificate revocation lists of CSCAs (RFC 5280 §5; ICAO Doc 9303 Part 12 §7.1.4 CRL profile):
 * DER or PEM input, the issuer name, update times and the revoked serial numbers. The CRL's own
 * signature is checked against the CSCA when it is used.
 */
import * as pkijs from 'pkijs';
import { resolveSignatureAlgorithm } from './algorithms.ts';
import { parseBer } from './asn1.ts';
import {
  type CertificateInfo,
  type IssuedByCheck,
  type Name,
  pemBlocks,
  publicKeyOf,
  readName,
  verifyIssuedBy,
} from './certificate.ts';
import { PaError } from './pa-error.ts';
import { verifiedByWebCrypto } from './webcrypto.ts';

/** A parsed CRL. */
export interface CrlInfo {
  der: Uint8Array;
  crl: pkijs.CertificateRevocationList;
  issuer: Name;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serial number → revocation date. */
  revoked: Map<bigint, Date>;
}

/** Parses one DER CRL. */
export function parseCrlDer(der: Uint8Array, input = 'crl'): CrlInfo {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = new pkijs.CertificateRevocationList({ schema: parseBer(der) });
  } catch (cause) {
    throw new PaError('CRL_MALFORMED', 'expected a DER X.509 CRL', { context: { input }, cause });
  }
  const revoked = new Map<bigint, Date>();
  for (const r of crl.revokedCertificates ?? []) {
    const serial = BigInt.asUintN(
      r.userCertificate.valueBlock.valueHexView.length * 8,
      r.userCertificate.toBigInt(),
    );
    revoked.set(serial, r.revocationDate.value);
  }
  const info: CrlInfo = { der, crl, issuer: readName(crl.issuer), thisUpdate: crl.thisUpdate.value, revoked };
  if (crl.nextUpdate) info.nextUpdate = crl.nextUpdate.value;
  return info;
}

/** CRLs from PEM text (one or many blocks) or DER bytes. */
export function parseCrls(input: string | Uint8Array, name = 'crl'): CrlInfo[] {
  if (typeof input !== 'string') return [parseCrlDer(input, name)];
  const blocks = pemBlocks(input, ['X509 CRL', 'CRL']);
  if (blocks.length === 0)
    throw new PaError('PEM_MALFORMED', 'expected at least one PEM X509 CRL block', {
      context: { input: name },
    });
  return blocks.map((der, i) => parseCrlDer(der, blocks.length > 1 ? `${name}[${i}]` : name));
}

/** Whether `issuer` signed the CRL. */
export function crlSignedBy(crl: CrlInfo, issuer: CertificateInfo): IssuedByCheck {
  // A trust store keeps its CRLs: check each one's signature once per issuer certificate.
  let byIssuer = crlChecks.get(crl);
  if (byIssuer === undefined) {
    byIssuer = new Map();
    crlChecks.set(crl, byIssuer);
  }
  const cached = byIssuer.get(issuer.fingerprintSha256);
  if (cached !== undefined) return cached;
  const key = publicKeyOf(issuer);
  const result: IssuedByCheck =
    key instanceof Error
      ? { ok: false, reason: 'unsupported-key' }
      : verifyIssuedBy(crl.crl.tbsView, crl.crl.signatureAlgorithm, crl.crl.signatureValue, key);
  byIssuer.set(issuer.fingerprintSha256, result);
  return result;
}

const crlChecks = new WeakMap<CrlInfo, Map<string, IssuedByCheck>>();

/** Checks a CRL's signature with WebCrypto where it can (NIST curves) and records a positive answer. */
export async function prewarmCrlSignedBy(crl: CrlInfo, issuer: CertificateInfo): Promise<void> {
  if (crlChecks.get(crl)?.has(issuer.fingerprintSha256)) return;
  try {
    const key = publicKeyOf(issuer);
    if (key instanceof Error || crl.crl.signatureValue.valueBlock.unusedBits !== 0) return;
    const resolved = resolveSignatureAlgorithm(crl.crl.signatureAlgorithm);
    if (!resolved.ok) return;
    const sig = new Uint8Array(crl.crl.signatureValue.valueBlock.valueHexView);
    if ((await verifiedByWebCrypto(resolved.scheme, key, new Uint8Array(crl.crl.tbsView), sig)) !== true)
      return;
    let byIssuer = crlChecks.get(crl);
    if (byIssuer === undefined) {
      byIssuer = new Map();
      crlChecks.set(crl, byIssuer);
    }
    byIssuer.set(issuer.fingerprintSha256, { ok: true });
  } catch {
    // The synchronous check decides.
  }
}
