/**
 * @module
 * CMS SignedData as used by EF.SOD, EF.CardSecurity and CSCA master lists (RFC 5652 §5; ICAO
 * Doc 9303 Part 10 §4.6.2, Part 12 §9): parse a ContentInfo (BER, indefinite lengths and
 * chunked eContent accepted), find the signer's certificate (issuer and serial compared by
 * value, names order-insensitively, or subject key identifier; falling back to the embedded
 * certificate whose key verifies), check the messageDigest attribute against the hash of the
 * eContent and the signature over the exact signed-attribute bytes re-tagged 0x31, with the
 * algorithm taken from the SignerInfo.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { hashByOid, resolveSignatureAlgorithm } from './algorithms.ts';
import { type BerLimits, octetStringValue, parseBer } from './asn1.ts';
import { type CertificateInfo, describeCertificate, publicKeyOf, readName } from './certificate.ts';
import { PaError, type PaErrorCode } from './pa-error.ts';
import { describeKey } from './public-key.ts';
import { type SignatureFailure, verifySignature } from './verify-signature.ts';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** A parsed CMS SignedData. */
export interface ParsedSignedData {
  signedData: pkijs.SignedData;
  eContentType: string;
  eContent: Uint8Array;
  /** Certificates embedded in the SignedData. */
  certificates: CertificateInfo[];
}

/** Parses a ContentInfo with SignedData; strips an outer application tag (EF.SOD's 77). */
export function parseSignedData(
  bytes: Uint8Array,
  code: PaErrorCode,
  input: string,
  limits: BerLimits = {},
): ParsedSignedData {
  const fail = (message: string, cause?: unknown): never => {
    throw new PaError(code, message, { context: { input }, cause });
  };
  if (!(bytes instanceof Uint8Array)) fail('expected bytes');
  let root: asn1js.AsnType;
  try {
    root = parseBer(bytes, limits);
  } catch (cause) {
    return fail('expected BER-encoded CMS ContentInfo', cause);
  }
  // EF.SOD: [APPLICATION 23] { ContentInfo }
  if (root.idBlock.tagClass === 2 && root.idBlock.tagNumber === 23) {
    const inner = (root as asn1js.Constructed).valueBlock.value;
    if (!Array.isArray(inner) || inner.length !== 1) return fail('expected one ContentInfo inside tag 77');
    root = inner[0] as asn1js.AsnType;
  }
  let contentInfo: pkijs.ContentInfo;
  let signedData: pkijs.SignedData;
  try {
    contentInfo = new pkijs.ContentInfo({ schema: root });
  } catch (cause) {
    return fail('expected CMS ContentInfo', cause);
  }
  if (contentInfo.contentType !== OID_SIGNED_DATA) return fail('ContentInfo does not hold SignedData');
  try {
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (cause) {
    return fail('malformed CMS SignedData', cause);
  }
  const eContentElement = signedData.encapContentInfo.eContent;
  if (eContentElement === undefined) return fail('SignedData has no encapsulated content');
  let eContent: Uint8Array;
  try {
    eContent = octetStringValue(eContentElement);
  } catch (cause) {
    return fail('eContent is not an OCTET STRING', cause);
  }
  const certificates: CertificateInfo[] = [];
  for (const item of signedData.certificates ?? []) {
    if (item instanceof pkijs.Certificate) {
      try {
        certificates.push(describeCertificate(item));
      } catch (cause) {
        return fail('malformed certificate in SignedData', cause);
      }
    }
  }
  if (signedData.signerInfos.length === 0) return fail('SignedData has no SignerInfo');
  return { signedData, eContentType: signedData.encapContentInfo.eContentType, eContent, certificates };
}

/** Why the SignerInfo signature failed. */
export type SignerFailure =
  | SignatureFailure
  | 'unsupported-algorithm'
  | 'unsupported-key'
  | 'signer-certificate-not-found';

/** Outcome of verifying the (first) SignerInfo. */
export interface SignerCheck {
  signature: { ok: boolean; algorithm: string; reason?: SignerFailure; key?: string };
  messageDigest: {
    ok: boolean;
    present: boolean;
    reason?: 'mismatch' | 'missing' | 'unsupported-digest' | 'content-type-mismatch';
  };
  /** signingTime attribute, when present. */
  signingTime?: Date;
  /** The signer's certificate, when found. */
  signer?: CertificateInfo;
  /** The SignerInfo's sid did not designate the certificate; it was found by its key. */
  signerFoundByKey: boolean;
}

function attributeValue(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | undefined {
  return signer.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0] as asn1js.AsnType | undefined;
}

function sidMatches(sid: unknown, cert: CertificateInfo): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const serial = BigInt.asUintN(
      sid.serialNumber.valueBlock.valueHexView.length * 8,
      sid.serialNumber.toBigInt(),
    );
    return serial === cert.serialNumber && readName(sid.issuer).key === cert.issuer.key;
  }
  const ski = (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  if (ski && cert.subjectKeyIdentifier) {
    const a = cert.subjectKeyIdentifier;
    return a.length === ski.length && a.every((b, i) => b === ski[i]);
  }
  return false;
}

/**
 * Verifies the first SignerInfo of `parsed` against a certificate from `candidates` (the
 * embedded ones first, then `extra`).
 */
export function verifySigner(parsed: ParsedSignedData, extra: readonly CertificateInfo[] = []): SignerCheck {
  const signer = parsed.signedData.signerInfos[0] as pkijs.SignerInfo;
  const digestOid = signer.digestAlgorithm.algorithmId;
  const resolved = resolveSignatureAlgorithm(signer.signatureAlgorithm, digestOid);
  const result: SignerCheck = {
    signature: { ok: false, algorithm: resolved.name },
    messageDigest: { ok: false, present: false },
    signerFoundByKey: false,
  };
  // messageDigest and contentType attributes
  const digest = hashByOid(digestOid);
  const signedAttrs = signer.signedAttrs;
  if (signedAttrs) {
    const md = attributeValue(signer, OID_MESSAGE_DIGEST);
    const ct = attributeValue(signer, OID_CONTENT_TYPE);
    const st = attributeValue(signer, OID_SIGNING_TIME);
    if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime)
      result.signingTime = st.toDate();
    if (!(md instanceof asn1js.OctetString)) {
      result.messageDigest = { ok: false, present: false, reason: 'missing' };
    } else if (digest === undefined) {
      result.messageDigest = { ok: false, present: true, reason: 'unsupported-digest' };
    } else {
      const expected = digest.hash(parsed.eContent);
      const actual = new Uint8Array(md.valueBlock.valueHexView);
      const same = expected.length === actual.length && expected.every((b, i) => b === actual[i]);
      if (!same) result.messageDigest = { ok: false, present: true, reason: 'mismatch' };
      else if (ct instanceof asn1js.ObjectIdentifier && ct.valueBlock.toString() !== parsed.eContentType) {
        result.messageDigest = { ok: false, present: true, reason: 'content-type-mismatch' };
      } else result.messageDigest = { ok: true, present: true };
    }
  } else {
    // Without signed attributes the signature covers the content itself.
    result.messageDigest = { ok: true, present: false };
  }
  if (!resolved.ok) {
    result.signature.reason = 'unsupported-algorithm';
    return result;
  }
  const signedBytes = signedAttrs ? new Uint8Array(signedAttrs.encodedValue) : parsed.eContent;
  const signature = new Uint8Array(signer.signature.valueBlock.valueHexView);
  const all = [...parsed.certificates, ...extra];
  const designated = all.filter((c) => sidMatches(signer.sid, c));
  const tryCert = (
    cert: CertificateInfo,
  ): ReturnType<typeof verifySignature> | { ok: false; reason: 'unsupported-key' } => {
    const key = publicKeyOf(cert);
    if (key instanceof Error) return { ok: false, reason: 'unsupported-key' };
    return verifySignature(resolved.scheme, key, signedBytes, signature);
  };
  let chosen: CertificateInfo | undefined;
  let outcome: ReturnType<typeof tryCert> | undefined;
  for (const cert of designated) {
    chosen = cert;
    outcome = tryCert(cert);
    if (outcome.ok) break;
  }
  if (!outcome?.ok) {
    // The sid may differ byte-for-byte from the certificate: accept the certificate whose key verifies.
    for (const cert of all) {
      if (designated.includes(cert)) continue;
      const o = tryCert(cert);
      if (o.ok) {
        chosen = cert;
        outcome = o;
        result.signerFoundByKey = true;
        break;
      }
    }
  }
  if (chosen === undefined || outcome === undefined) {
    result.signature.reason = 'signer-certificate-not-found';
    return result;
  }
  result.signer = chosen;
  const key = publicKeyOf(chosen);
  if (!(key instanceof Error)) result.signature.key = describeKey(key);
  if (outcome.ok) result.signature.ok = true;
  else result.signature.reason = outcome.reason;
  return result;
}
