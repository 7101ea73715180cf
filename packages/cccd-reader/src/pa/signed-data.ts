/**
 * @module
 * CMS SignedData verification for EF.SOD, EF.CardSecurity and CSCA master lists (RFC 5652
 * §5.3–§5.6; ICAO Doc 9303 Part 10 §4.6.2, Part 12 §9). The bytes are parsed by the SDK's one
 * CMS parser (`lds/sod.ts`: strict DER for chip objects, the RFC 5652 version, digestAlgorithms,
 * eContentType and signed-attribute rules); this layer adds the certificates (pkijs), finds the
 * signer's certificate by the SignerInfo's `sid` only — issuer and serial compared by value
 * (names order-insensitively) or subject key identifier; a `sid` that names no certificate is
 * `signer-certificate-not-found`, never rescued by trying keys — and checks, per SignerInfo,
 * the messageDigest attribute against the hash of the eContent and the signature over the exact
 * signed-attribute bytes re-tagged 0x31, with the algorithm taken from the SignerInfo.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { LdsError } from '../lds/lds-error.ts';
import { type SignedData as CmsSignedData, parseCms, type SignerInfo, SOD_TAG } from '../lds/sod.ts';
import { hashByOid, resolveSignatureAlgorithm } from './algorithms.ts';
import { bytesToBigint } from './asn1.ts';
import { type CertificateInfo, parseCertificateDer, publicKeyOf, readName } from './certificate.ts';
import { PaError, type PaErrorCode } from './pa-error.ts';
import { describeKey } from './public-key.ts';
import { type SignatureFailure, verifySignature } from './verify-signature.ts';

/** A parsed CMS SignedData with its certificates decoded. */
export interface ParsedSignedData {
  /** The SignedData as the CMS parser returned it (exact bytes of every signed part). */
  cms: CmsSignedData;
  eContentType: string;
  eContent: Uint8Array;
  /** Certificates embedded in the SignedData. */
  certificates: CertificateInfo[];
}

/** Options of {@link parseSignedData}. */
export interface ParseSignedDataOptions {
  /** Required eContentType. */
  contentType?: string;
  /** `'der'` (default, chip objects) or `'ber'` (master lists). */
  encoding?: 'der' | 'ber';
  /** Default true (RFC 5652 §5.3); false lets the signature cover the eContent directly. */
  requireSignedAttributes?: boolean;
  /** TLV node budget (master lists). */
  maxNodes?: number;
}

/**
 * Parses a ContentInfo with SignedData, or EF.SOD's tag 77 around one. Throws `PaError(code)`
 * whose `context.rule` names the CMS rule broken (see `CmsRule`).
 */
export function parseSignedData(
  bytes: Uint8Array,
  code: PaErrorCode,
  input: string,
  options: ParseSignedDataOptions = {},
): ParsedSignedData {
  if (!(bytes instanceof Uint8Array)) throw new PaError(code, 'expected bytes', { context: { input } });
  let cms: CmsSignedData;
  try {
    cms = parseCms(bytes, {
      file: input,
      ...(bytes[0] === SOD_TAG ? { wrapper: SOD_TAG } : {}),
      ...options,
    });
  } catch (cause) {
    const rule = cause instanceof LdsError ? cause.context.rule : undefined;
    throw new PaError(code, `malformed CMS SignedData${rule === undefined ? '' : ` (rule: ${rule})`}`, {
      context: { input, ...(rule === undefined ? {} : { rule }) },
      cause,
    });
  }
  const certificates = cms.certificates.map((der, i) => {
    try {
      return parseCertificateDer(der, `${input}.certificates[${i}]`);
    } catch (cause) {
      throw new PaError(code, 'malformed certificate in SignedData', {
        context: { input, rule: 'certificates' },
        cause,
      });
    }
  });
  return { cms, eContentType: cms.eContentType, eContent: cms.eContent, certificates };
}

/** Why the SignerInfo signature failed. */
export type SignerFailure =
  | SignatureFailure
  | 'unsupported-algorithm'
  | 'unsupported-key'
  | 'signer-certificate-not-found';

/** Outcome of verifying one SignerInfo. */
export interface SignerCheck {
  signature: { ok: boolean; algorithm: string; reason?: SignerFailure; key?: string };
  messageDigest: {
    ok: boolean;
    present: boolean;
    reason?: 'mismatch' | 'missing' | 'unsupported-digest' | 'content-type-mismatch';
  };
  /** signingTime attribute, when present. */
  signingTime?: Date;
  /** The signer's certificate (the one its `sid` designates), when found. */
  signer?: CertificateInfo;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function issuerKey(der: Uint8Array): string | undefined {
  try {
    const parsed = asn1js.fromBER(der);
    if (parsed.offset !== der.length) return undefined;
    return readName(new pkijs.RelativeDistinguishedNames({ schema: parsed.result })).key;
  } catch {
    return undefined;
  }
}

/** Whether the SignerInfo's `sid` designates `cert` (RFC 5652 §5.3). */
export function sidMatches(sid: SignerInfo['sid'], cert: CertificateInfo): boolean {
  if (sid.subjectKeyIdentifier !== undefined) {
    return (
      cert.subjectKeyIdentifier !== undefined &&
      sameBytes(cert.subjectKeyIdentifier, sid.subjectKeyIdentifier)
    );
  }
  if (sid.issuer === undefined || sid.serialNumber === undefined) return false;
  if (bytesToBigint(sid.serialNumber) !== cert.serialNumber) return false;
  const key = issuerKey(sid.issuer);
  return key !== undefined && key === cert.issuer.key;
}

function pkijsAlgorithm(alg: SignerInfo['signatureAlgorithm']): pkijs.AlgorithmIdentifier {
  const params = alg.parameters === undefined ? undefined : asn1js.fromBER(alg.parameters).result;
  return new pkijs.AlgorithmIdentifier({
    algorithmId: alg.oid,
    ...(params === undefined ? {} : { algorithmParams: params }),
  });
}

/**
 * Verifies SignerInfo `index` (default the first) of `parsed` with the certificate its `sid`
 * designates among the embedded ones and `extra`.
 */
export function verifySigner(
  parsed: ParsedSignedData,
  extra: readonly CertificateInfo[] = [],
  index = 0,
): SignerCheck {
  const signer = parsed.cms.signerInfos[index] as SignerInfo;
  const digestOid = signer.digestAlgorithm.oid;
  const resolved = resolveSignatureAlgorithm(pkijsAlgorithm(signer.signatureAlgorithm), digestOid);
  const result: SignerCheck = {
    signature: { ok: false, algorithm: resolved.name },
    messageDigest: { ok: false, present: false },
  };
  if (signer.signingTime !== undefined) result.signingTime = new Date(signer.signingTime);
  const digest = hashByOid(digestOid);
  if (signer.signedAttrs !== null) {
    const md = signer.messageDigest;
    if (md === undefined) result.messageDigest = { ok: false, present: false, reason: 'missing' };
    else if (digest === undefined)
      result.messageDigest = { ok: false, present: true, reason: 'unsupported-digest' };
    else if (!sameBytes(digest.hash(parsed.eContent), md))
      result.messageDigest = { ok: false, present: true, reason: 'mismatch' };
    else if (signer.contentType !== parsed.eContentType)
      result.messageDigest = { ok: false, present: true, reason: 'content-type-mismatch' };
    else result.messageDigest = { ok: true, present: true };
  } else {
    // Without signed attributes the signature covers the content itself.
    result.messageDigest = { ok: true, present: false };
  }
  const designated = [...parsed.certificates, ...extra].filter((c) => sidMatches(signer.sid, c));
  if (designated.length === 0) {
    result.signature.reason = 'signer-certificate-not-found';
    return result;
  }
  if (!resolved.ok) {
    result.signer = designated[0] as CertificateInfo;
    result.signature.reason = 'unsupported-algorithm';
    return result;
  }
  let signedBytes = parsed.eContent;
  if (signer.signedAttrs !== null) {
    signedBytes = signer.signedAttrs.slice();
    signedBytes[0] = 0x31;
  }
  let outcome: { ok: true } | { ok: false; reason: SignerFailure } = {
    ok: false,
    reason: 'signer-certificate-not-found',
  };
  for (const cert of designated) {
    result.signer = cert;
    const key = publicKeyOf(cert);
    if (key instanceof Error) {
      outcome = { ok: false, reason: 'unsupported-key' };
      continue;
    }
    result.signature.key = describeKey(key);
    outcome = verifySignature(resolved.scheme, key, signedBytes, signer.signature);
    if (outcome.ok) break;
  }
  if (outcome.ok) result.signature.ok = true;
  else result.signature.reason = outcome.reason;
  return result;
}
