/**
 * @module
 * EF.SOD (ICAO Doc 9303 Part 10 §4.6.2): tag `77` wrapping a CMS ContentInfo of type SignedData
 * (RFC 5652 §5) whose encapsulated content is the LDSSecurityObject. Decoded with BER rules
 * (real SODs use indefinite lengths). Every part the signature check needs is kept as its exact
 * bytes: the eContent octets, each certificate's DER, and each SignerInfo's `signedAttrs` with
 * its `[0]` tag (passive authentication re-tags it `31`). Nothing is re-encoded.
 */
import { concatBytes } from '@vneid/core/bytes';
import type { Tlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import {
  type LdsSecurityObject,
  parseAlgorithmIdentifier,
  parseLdsSecurityObject,
} from './lds-security-object.ts';
import {
  assertTlv,
  childrenOf,
  decodeFile,
  integerOf,
  oidOf,
  primitiveOf,
  structure,
  TAG,
} from './lds-tlv.ts';

const FILE = 'SOD';
/** EF.SOD's outer tag. */
export const SOD_TAG = 0x77;
/** `id-signedData` (RFC 5652 §5.1). */
export const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
/** `id-messageDigest` (RFC 5652 §11.2). */
export const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4';
/** `id-contentType` (RFC 5652 §11.1). */
export const CONTENT_TYPE_OID = '1.2.840.113549.1.9.3';
/** `id-signingTime` (RFC 5652 §11.3). */
export const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';

/** An AlgorithmIdentifier with its parameters' exact DER (absent when omitted). */
export interface AlgorithmIdentifier {
  oid: string;
  parameters?: Uint8Array;
}

/** One CMS attribute: its type and each value's exact DER. */
export interface CmsAttribute {
  oid: string;
  values: Uint8Array[];
}

/** One SignerInfo (RFC 5652 §5.3). */
export interface SignerInfo {
  version: number;
  /** IssuerAndSerialNumber (issuer Name DER, serial number INTEGER contents) or SubjectKeyIdentifier. */
  sid: { issuer?: Uint8Array; serialNumber?: Uint8Array; subjectKeyIdentifier?: Uint8Array };
  digestAlgorithm: AlgorithmIdentifier;
  /** The signed attributes exactly as encoded, including their `[0]` (A0) tag; null when absent. */
  signedAttrs: Uint8Array | null;
  /** The signed attributes decoded. */
  signedAttributes?: CmsAttribute[];
  /** The messageDigest attribute's octets. */
  messageDigest?: Uint8Array;
  /** The contentType attribute. */
  contentType?: string;
  /** The signingTime attribute as ISO 8601 (UTC), when it parses. */
  signingTime?: string;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  /** The unsigned attributes' exact bytes (with their A1 tag), when present. */
  unsignedAttrs?: Uint8Array;
}

/** The SignedData parts of EF.SOD. */
export interface SignedData {
  version: number;
  digestAlgorithms: AlgorithmIdentifier[];
  /** eContentType (`2.23.136.1.1.1`). */
  eContentType: string;
  /** The eContent octets exactly as signed (the LDSSecurityObject DER). */
  eContent: Uint8Array;
  /** DER of each certificate in `certificates` (usually the Document Signer certificate). */
  certificates: Uint8Array[];
  /** DER of each entry in `crls`. */
  crls: Uint8Array[];
  signerInfos: SignerInfo[];
}

/** Parsed EF.SOD. */
export interface Sod {
  /** The file exactly as read. */
  raw: Uint8Array;
  ldsSecurityObject: LdsSecurityObject;
  signedData: SignedData;
}

/** The contents of an OCTET STRING, primitive or (BER) constructed. */
function octets(tlv: Tlv | undefined, what: string): Uint8Array {
  structure(tlv !== undefined, FILE, `missing ${what}`);
  if (tlv.tag === TAG.OCTET_STRING && tlv.children === undefined) return tlv.value;
  if (tlv.tag === 0x24 && tlv.children !== undefined) {
    return concatBytes(...tlv.children.map((c) => octets(c, what)));
  }
  structure(false, FILE, `expected ${what} as an OCTET STRING`, { tag: tlv.tag, offset: tlv.offset });
}

function utcToIso(tlv: Tlv): string | undefined {
  const text = String.fromCharCode(...tlv.value);
  const m =
    tlv.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const y = m[1] as string;
  const year = y.length === 2 ? (Number(y) < 50 ? `20${y}` : `19${y}`) : y;
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

function parseSignerInfo(tlv: Tlv): SignerInfo {
  const parts = childrenOf(tlv, TAG.SEQUENCE, FILE, 'a SignerInfo');
  structure(parts.length >= 5, FILE, `a SignerInfo needs at least 5 elements, got ${parts.length}`, {
    offset: tlv.offset,
  });
  let i = 0;
  const version = integerOf(parts[i++], FILE, 'the SignerInfo version');
  const sidTlv = parts[i++] as Tlv;
  let sid: SignerInfo['sid'];
  if (sidTlv.tag === TAG.SEQUENCE && sidTlv.children !== undefined) {
    const [issuer, serial] = sidTlv.children;
    structure(
      sidTlv.children.length === 2 && issuer !== undefined,
      FILE,
      'IssuerAndSerialNumber needs an issuer and a serial number',
    );
    childrenOf(issuer, TAG.SEQUENCE, FILE, 'the issuer Name');
    sid = { issuer: issuer.raw, serialNumber: primitiveOf(serial, TAG.INTEGER, FILE, 'the serial number') };
  } else if (sidTlv.tag === 0x80 && sidTlv.children === undefined) {
    sid = { subjectKeyIdentifier: sidTlv.value };
  } else {
    structure(false, FILE, 'unknown SignerIdentifier', { tag: sidTlv.tag, offset: sidTlv.offset });
  }
  const digestAlgorithm = parseAlgorithmIdentifier(parts[i++], FILE, 'the digest algorithm');
  const info: SignerInfo = {
    version,
    sid,
    digestAlgorithm,
    signedAttrs: null,
    signatureAlgorithm: { oid: '' },
    signature: new Uint8Array(0),
  };
  const maybeAttrs = parts[i];
  if (maybeAttrs?.tag === 0xa0) {
    i++;
    structure(maybeAttrs.children !== undefined, FILE, 'signedAttrs must be constructed');
    info.signedAttrs = maybeAttrs.raw;
    info.signedAttributes = maybeAttrs.children.map((attr) => {
      const pair = childrenOf(attr, TAG.SEQUENCE, FILE, 'a signed attribute');
      structure(pair.length === 2, FILE, 'an attribute needs a type and a SET of values', {
        offset: attr.offset,
      });
      const oid = oidOf(pair[0], FILE, 'an attribute type');
      const values = childrenOf(pair[1], TAG.SET, FILE, 'the attribute values');
      const first = values[0];
      if (oid === MESSAGE_DIGEST_OID && first !== undefined)
        info.messageDigest = octets(first, 'the messageDigest');
      if (oid === CONTENT_TYPE_OID && first !== undefined)
        info.contentType = oidOf(first, FILE, 'the contentType');
      if (
        oid === SIGNING_TIME_OID &&
        first !== undefined &&
        (first.tag === TAG.UTC_TIME || first.tag === TAG.GENERALIZED_TIME)
      ) {
        const iso = utcToIso(first);
        if (iso !== undefined) info.signingTime = iso;
      }
      return { oid, values: values.map((v) => v.raw) };
    });
  }
  info.signatureAlgorithm = parseAlgorithmIdentifier(parts[i++], FILE, 'the signature algorithm');
  info.signature = octets(parts[i++], 'the signature');
  const unsigned = parts[i];
  if (unsigned !== undefined) {
    structure(unsigned.tag === 0xa1, FILE, 'unexpected element after the signature', { tag: unsigned.tag });
    info.unsignedAttrs = unsigned.raw;
    i++;
  }
  structure(i === parts.length, FILE, 'unexpected elements in a SignerInfo', { offset: tlv.offset });
  return info;
}

/**
 * Parses the CMS SignedData of EF.SOD (the content of tag 77) without the LDSSecurityObject.
 * @throws {LdsError} as {@link parseSod}
 */
export function parseSignedData(contentInfo: Tlv): SignedData {
  assertTlv(contentInfo, FILE);
  const ci = childrenOf(contentInfo, TAG.SEQUENCE, FILE, 'the ContentInfo');
  structure(ci.length === 2, FILE, `the ContentInfo needs 2 elements, got ${ci.length}`);
  const type = oidOf(ci[0], FILE, 'the content type');
  structure(type === SIGNED_DATA_OID, FILE, 'the ContentInfo is not SignedData');
  const wrapper = childrenOf(ci[1], 0xa0, FILE, 'the [0] content');
  structure(wrapper.length === 1, FILE, 'the [0] content must hold one SignedData');
  const sd = childrenOf(wrapper[0], TAG.SEQUENCE, FILE, 'the SignedData');
  structure(sd.length >= 4, FILE, `the SignedData needs at least 4 elements, got ${sd.length}`);
  let i = 0;
  const version = integerOf(sd[i++], FILE, 'the SignedData version');
  const digestAlgorithms = childrenOf(sd[i++], TAG.SET, FILE, 'the digest algorithms').map((a) =>
    parseAlgorithmIdentifier(a, FILE, 'a digest algorithm'),
  );
  const encap = childrenOf(sd[i++], TAG.SEQUENCE, FILE, 'the EncapsulatedContentInfo');
  structure(encap.length === 2, FILE, 'the EncapsulatedContentInfo has no eContent');
  const eContentType = oidOf(encap[0], FILE, 'the eContentType');
  const explicit = childrenOf(encap[1], 0xa0, FILE, 'the [0] eContent');
  structure(explicit.length === 1, FILE, 'the [0] eContent must hold one OCTET STRING');
  const eContent = octets(explicit[0], 'the eContent');
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  if (sd[i]?.tag === 0xa0) {
    for (const c of childrenOf(sd[i++], 0xa0, FILE, 'the certificates')) certificates.push(c.raw);
  }
  if (sd[i]?.tag === 0xa1) {
    for (const c of childrenOf(sd[i++], 0xa1, FILE, 'the CRLs')) crls.push(c.raw);
  }
  const signerInfos = childrenOf(sd[i++], TAG.SET, FILE, 'the SignerInfos').map(parseSignerInfo);
  structure(i === sd.length, FILE, 'unexpected elements after the SignerInfos');
  structure(signerInfos.length > 0, FILE, 'no SignerInfo');
  return { version, digestAlgorithms, eContentType, eContent, certificates, crls, signerInfos };
}

/**
 * Parses EF.SOD: the CMS SignedData parts and the LDSSecurityObject inside.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`, `LDS_UNSUPPORTED_ALGORITHM`, `LDS_INVALID_TEXT`
 */
export function parseSod(bytes: Uint8Array): Sod {
  const root = decodeFile(bytes, FILE, SOD_TAG, { ber: true });
  const inner = childrenOf(root, SOD_TAG, FILE, 'EF.SOD');
  structure(inner.length === 1, FILE, `expected one ContentInfo inside 77, got ${inner.length}`);
  const signedData = parseSignedData(inner[0] as Tlv);
  let ldsSecurityObject: LdsSecurityObject;
  try {
    ldsSecurityObject = parseLdsSecurityObject(signedData.eContent);
  } catch (cause) {
    if (cause instanceof LdsError) {
      throw new LdsError(cause.code, cause.message.replace(/^LDSSecurityObject/, 'SOD: LDSSecurityObject'), {
        context: { ...cause.context, file: FILE },
        cause,
      });
    }
    throw cause;
  }
  return { raw: bytes, ldsSecurityObject, signedData };
}
