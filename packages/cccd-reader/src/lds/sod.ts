/**
 * @module
 * The one CMS SignedData parser of the SDK (RFC 5652 §5) and EF.SOD (ICAO Doc 9303 Part 10
 * §4.6.2: tag `77` wrapping a ContentInfo whose encapsulated content is the LDSSecurityObject).
 * Passive authentication (`pa/`) verifies what this parser returns; EF.CardSecurity and CSCA
 * master lists are read with it too. Chip security objects are DER (Doc 9303 Part 10 §4.6.2:
 * "all security objects SHALL be produced in DER"), so by default every length must be
 * definite and minimal, strings primitive and nothing may follow the structure; BER is accepted
 * only when asked (master lists). Beyond the encoding the parser enforces the rules of
 * RFC 5652 that a verifier can check without keys: the SignedData version (§5.1), the
 * SignerInfo version that matches its `sid` form (§5.3), `digestAlgorithms` naming exactly the
 * signers' digest algorithms (§5.1), the required eContentType, and signed attributes that
 * carry one contentType equal to the eContentType and one messageDigest (§5.3, §11.1, §11.2).
 * Every part the signature check needs is kept as its exact bytes (eContent, certificates,
 * `signedAttrs` with its `[0]` tag); nothing is re-encoded. A broken rule is an
 * `LDS_INVALID_STRUCTURE` (or `LDS_INVALID_TLV` / `LDS_TRAILING_BYTES` for the encoding) whose
 * `context.rule` names it.
 */
import { concatBytes } from '@vneid/core/bytes';
import { decodeTlv, type Tlv, TlvError } from '@vneid/core/tlv';
import { LdsError, type LdsErrorContext } from './lds-error.ts';
import {
  LDS_SECURITY_OBJECT_OID,
  type LdsSecurityObject,
  parseAlgorithmIdentifier,
  parseLdsSecurityObject,
} from './lds-security-object.ts';
import { assertBytes, assertTlv, childrenOf, hexTag, integerOf, oidOf, primitiveOf, TAG } from './lds-tlv.ts';

/** EF.SOD's outer tag. */
export const SOD_TAG = 0x77;
/** `id-signedData` (RFC 5652 §5.1). */
export const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
/** `id-data` (RFC 5652 §4). */
export const DATA_OID = '1.2.840.113549.1.7.1';
/** `id-messageDigest` (RFC 5652 §11.2). */
export const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4';
/** `id-contentType` (RFC 5652 §11.1). */
export const CONTENT_TYPE_OID = '1.2.840.113549.1.9.3';
/** `id-signingTime` (RFC 5652 §11.3). */
export const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';

/** The rule a rejected CMS structure broke (`context.rule` of the {@link LdsError}). */
export type CmsRule =
  /** Not DER: indefinite or non-minimal length, constructed string, bytes after the structure. */
  | 'der'
  /** ContentInfo is not `{ id-signedData, [0] SignedData }` (or EF.SOD not one ContentInfo in 77). */
  | 'content-info'
  /** The eContentType is not the one required (EF.SOD: 2.23.136.1.1.1), or there is no eContent. */
  | 'content-type'
  /** The SignedData version is not the one RFC 5652 §5.1 prescribes for its content (3 for EF.SOD). */
  | 'signed-data-version'
  /** `digestAlgorithms` does not list exactly the SignerInfos' digest algorithms. */
  | 'digest-algorithms'
  /** A certificate or CRL choice other than a plain X.509 certificate / CRL. */
  | 'certificates'
  /** The SignerInfo version does not match its `sid` (1: issuerAndSerialNumber, 3: subjectKeyIdentifier). */
  | 'signer-info-version'
  /** The SignerInfo `sid` is neither an IssuerAndSerialNumber nor a `[0]` SubjectKeyIdentifier. */
  | 'signer-identifier'
  /** Signed attributes missing, empty, repeated, or without one contentType = eContentType and one messageDigest. */
  | 'signed-attributes'
  /** No SignerInfo, or a malformed one. */
  | 'signer-info';

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

/** The SignedData parts of a CMS ContentInfo. */
export interface SignedData {
  version: number;
  digestAlgorithms: AlgorithmIdentifier[];
  /** eContentType (`2.23.136.1.1.1` for EF.SOD). */
  eContentType: string;
  /** The eContent octets exactly as signed (the LDSSecurityObject DER for EF.SOD). */
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

/** Options of {@link parseSignedData} and {@link parseCms}. */
export interface CmsParseOptions {
  /** `'der'` (default): chip security objects. `'ber'`: also indefinite and non-minimal lengths (master lists). */
  encoding?: 'der' | 'ber';
  /** The eContentType the content must have (EF.SOD: the LDSSecurityObject OID). */
  contentType?: string;
  /**
   * Require signed attributes (default true; RFC 5652 §5.3 makes them mandatory when the content
   * is not id-data). Without them the signature covers the eContent itself.
   */
  requireSignedAttributes?: boolean;
  /** Name used in error messages and `context.file` (default `'CMS'`). */
  file?: string;
  /** Node budget of the TLV decoder (master lists hold hundreds of certificates). */
  maxNodes?: number;
}

function broke(
  condition: unknown,
  file: string,
  rule: CmsRule,
  message: string,
  context: LdsErrorContext = {},
): asserts condition {
  if (!condition) {
    throw new LdsError('LDS_INVALID_STRUCTURE', `${file}: ${message}`, {
      context: { file, rule, ...context },
    });
  }
}

/** The contents of an OCTET STRING: primitive in DER, also (BER) constructed when allowed. */
function octets(tlv: Tlv | undefined, what: string, file: string, ber: boolean): Uint8Array {
  broke(tlv !== undefined, file, 'signer-info', `missing ${what}`);
  if (tlv.tag === TAG.OCTET_STRING && tlv.children === undefined) return tlv.value;
  if (tlv.tag === 0x24 && tlv.children !== undefined) {
    broke(ber, file, 'der', `${what} is a constructed OCTET STRING, which DER forbids`, {
      offset: tlv.offset,
    });
    return concatBytes(...tlv.children.map((c) => octets(c, what, file, ber)));
  }
  broke(false, file, 'signer-info', `expected ${what} as an OCTET STRING`, {
    tag: tlv.tag,
    offset: tlv.offset,
  });
}

/** RFC 3370 §2.1, RFC 5754 §2: a digest AlgorithmIdentifier has no parameters or NULL. */
function digestAlgorithmOf(tlv: Tlv | undefined, file: string, what: string): AlgorithmIdentifier {
  const alg = parseAlgorithmIdentifier(tlv, file, what);
  const p = alg.parameters;
  broke(
    p === undefined || (p.length === 2 && p[0] === TAG.NULL && p[1] === 0),
    file,
    'digest-algorithms',
    `${what} must have absent or NULL parameters`,
  );
  return alg;
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

function parseSignedAttributes(info: SignerInfo, attrs: Tlv, file: string, ber: boolean): void {
  broke(
    attrs.children !== undefined && attrs.children.length > 0,
    file,
    'signed-attributes',
    'empty signedAttrs',
  );
  info.signedAttrs = attrs.raw;
  const seen = new Set<string>();
  info.signedAttributes = attrs.children.map((attr) => {
    const pair = childrenOf(attr, TAG.SEQUENCE, file, 'a signed attribute');
    broke(pair.length === 2, file, 'signed-attributes', 'an attribute needs a type and a SET of values', {
      offset: attr.offset,
    });
    const oid = oidOf(pair[0], file, 'an attribute type');
    broke(!seen.has(oid), file, 'signed-attributes', `attribute ${oid} appears twice`, {
      offset: attr.offset,
    });
    seen.add(oid);
    const values = childrenOf(pair[1], TAG.SET, file, 'the attribute values');
    broke(values.length > 0, file, 'signed-attributes', `attribute ${oid} has no value`, {
      offset: attr.offset,
    });
    const single = oid === MESSAGE_DIGEST_OID || oid === CONTENT_TYPE_OID || oid === SIGNING_TIME_OID;
    broke(!single || values.length === 1, file, 'signed-attributes', `attribute ${oid} must have one value`, {
      offset: attr.offset,
    });
    const first = values[0] as Tlv;
    if (oid === MESSAGE_DIGEST_OID) info.messageDigest = octets(first, 'the messageDigest', file, ber);
    if (oid === CONTENT_TYPE_OID) info.contentType = oidOf(first, file, 'the contentType');
    if (oid === SIGNING_TIME_OID && (first.tag === TAG.UTC_TIME || first.tag === TAG.GENERALIZED_TIME)) {
      const iso = utcToIso(first);
      if (iso !== undefined) info.signingTime = iso;
    }
    return { oid, values: values.map((v) => v.raw) };
  });
  broke(info.contentType !== undefined, file, 'signed-attributes', 'signedAttrs without a contentType');
  broke(info.messageDigest !== undefined, file, 'signed-attributes', 'signedAttrs without a messageDigest');
}

function parseSignerInfo(tlv: Tlv, file: string, ber: boolean): SignerInfo {
  const parts = childrenOf(tlv, TAG.SEQUENCE, file, 'a SignerInfo');
  broke(
    parts.length >= 5,
    file,
    'signer-info',
    `a SignerInfo needs at least 5 elements, got ${parts.length}`,
    {
      offset: tlv.offset,
    },
  );
  let i = 0;
  const version = integerOf(parts[i++], file, 'the SignerInfo version');
  const sidTlv = parts[i++] as Tlv;
  let sid: SignerInfo['sid'];
  if (sidTlv.tag === TAG.SEQUENCE && sidTlv.children !== undefined) {
    const [issuer, serial] = sidTlv.children;
    broke(
      sidTlv.children.length === 2 && issuer !== undefined,
      file,
      'signer-identifier',
      'IssuerAndSerialNumber needs an issuer and a serial number',
    );
    childrenOf(issuer, TAG.SEQUENCE, file, 'the issuer Name');
    const serialNumber = primitiveOf(serial, TAG.INTEGER, file, 'the serial number');
    broke(serialNumber.length > 0, file, 'signer-identifier', 'empty serial number');
    sid = { issuer: issuer.raw, serialNumber };
    broke(
      version === 1,
      file,
      'signer-info-version',
      `a SignerInfo with issuerAndSerialNumber is version 1, got ${version}`,
    );
  } else if (sidTlv.tag === 0x80 && sidTlv.children === undefined) {
    broke(sidTlv.value.length > 0, file, 'signer-identifier', 'empty subjectKeyIdentifier');
    sid = { subjectKeyIdentifier: sidTlv.value };
    broke(
      version === 3,
      file,
      'signer-info-version',
      `a SignerInfo with subjectKeyIdentifier is version 3, got ${version}`,
    );
  } else {
    broke(false, file, 'signer-identifier', 'unknown SignerIdentifier', {
      tag: sidTlv.tag,
      offset: sidTlv.offset,
    });
  }
  const digestAlgorithm = digestAlgorithmOf(parts[i++], file, 'the digest algorithm');
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
    parseSignedAttributes(info, maybeAttrs, file, ber);
  }
  info.signatureAlgorithm = parseAlgorithmIdentifier(parts[i++], file, 'the signature algorithm');
  info.signature = octets(parts[i++], 'the signature', file, ber);
  const unsigned = parts[i];
  if (unsigned !== undefined) {
    broke(
      unsigned.tag === 0xa1 && unsigned.children !== undefined,
      file,
      'signer-info',
      'unexpected element after the signature',
      {
        tag: unsigned.tag,
      },
    );
    info.unsignedAttrs = unsigned.raw;
    i++;
  }
  broke(i === parts.length, file, 'signer-info', 'unexpected elements in a SignerInfo', {
    offset: tlv.offset,
  });
  return info;
}

function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new LdsError('LDS_INVALID_INPUT', 'CMS: options must be an object', { context: { file: 'CMS' } });
  }
}

/**
 * Parses a decoded CMS ContentInfo holding SignedData (RFC 5652 §3, §5) and checks the rules
 * listed in the module comment.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_STRUCTURE` (with `context.rule`), `LDS_UNSUPPORTED_ALGORITHM`
 */
export function parseSignedData(contentInfo: Tlv, options: CmsParseOptions = {}): SignedData {
  checkOptions(options);
  const file = options.file ?? 'CMS';
  assertTlv(contentInfo, file);
  const ber = options.encoding === 'ber';
  const ci = childrenOf(contentInfo, TAG.SEQUENCE, file, 'the ContentInfo');
  broke(ci.length === 2, file, 'content-info', `the ContentInfo needs 2 elements, got ${ci.length}`);
  const type = oidOf(ci[0], file, 'the content type');
  broke(type === SIGNED_DATA_OID, file, 'content-info', 'the ContentInfo is not SignedData');
  const wrapper = childrenOf(ci[1], 0xa0, file, 'the [0] content');
  broke(wrapper.length === 1, file, 'content-info', 'the [0] content must hold one SignedData');
  const sd = childrenOf(wrapper[0], TAG.SEQUENCE, file, 'the SignedData');
  broke(sd.length >= 4, file, 'content-info', `the SignedData needs at least 4 elements, got ${sd.length}`);
  let i = 0;
  const version = integerOf(sd[i++], file, 'the SignedData version');
  const digestAlgorithms = childrenOf(sd[i++], TAG.SET, file, 'the digest algorithms').map((a) =>
    digestAlgorithmOf(a, file, 'a digest algorithm'),
  );
  const encap = childrenOf(sd[i++], TAG.SEQUENCE, file, 'the EncapsulatedContentInfo');
  broke(encap.length === 2, file, 'content-type', 'the EncapsulatedContentInfo has no eContent');
  const eContentType = oidOf(encap[0], file, 'the eContentType');
  if (options.contentType !== undefined) {
    broke(
      eContentType === options.contentType,
      file,
      'content-type',
      `the eContentType is not ${options.contentType}`,
    );
  }
  const explicit = childrenOf(encap[1], 0xa0, file, 'the [0] eContent');
  broke(explicit.length === 1, file, 'content-type', 'the [0] eContent must hold one OCTET STRING');
  const eContent = octets(explicit[0], 'the eContent', file, ber);
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  if (sd[i]?.tag === 0xa0) {
    for (const c of childrenOf(sd[i++], 0xa0, file, 'the certificates')) {
      broke(c.tag === TAG.SEQUENCE, file, 'certificates', 'only X.509 certificates may be embedded', {
        tag: c.tag,
      });
      certificates.push(c.raw);
    }
  }
  if (sd[i]?.tag === 0xa1) {
    for (const c of childrenOf(sd[i++], 0xa1, file, 'the CRLs')) {
      broke(c.tag === TAG.SEQUENCE, file, 'certificates', 'only X.509 CRLs may be embedded', { tag: c.tag });
      crls.push(c.raw);
    }
  }
  const signerInfos = childrenOf(sd[i++], TAG.SET, file, 'the SignerInfos').map((s) =>
    parseSignerInfo(s, file, ber),
  );
  broke(i === sd.length, file, 'content-info', 'unexpected elements after the SignerInfos');
  broke(signerInfos.length > 0, file, 'signer-info', 'no SignerInfo');
  // RFC 5652 §5.1: with only X.509 certificates and CRLs, version 3 when the content is not
  // id-data or a SignerInfo is version 3, otherwise 1.
  const expected = eContentType !== DATA_OID || signerInfos.some((s) => s.version === 3) ? 3 : 1;
  broke(
    version === expected,
    file,
    'signed-data-version',
    `the SignedData version must be ${expected}, got ${version}`,
    {
      expected,
      actual: version,
    },
  );
  const listed = new Set(digestAlgorithms.map((a) => a.oid));
  const used = new Set(signerInfos.map((s) => s.digestAlgorithm.oid));
  broke(
    listed.size === digestAlgorithms.length &&
      listed.size === used.size &&
      [...used].every((o) => listed.has(o)),
    file,
    'digest-algorithms',
    'digestAlgorithms must list each SignerInfo digest algorithm once, and no other',
  );
  const requireAttrs = options.requireSignedAttributes !== false;
  for (const s of signerInfos) {
    broke(
      !requireAttrs || s.signedAttrs !== null,
      file,
      'signed-attributes',
      'a SignerInfo has no signed attributes',
    );
    broke(
      s.contentType === undefined || s.contentType === eContentType,
      file,
      'signed-attributes',
      'the contentType attribute differs from the eContentType',
    );
  }
  return { version, digestAlgorithms, eContentType, eContent, certificates, crls, signerInfos };
}

/**
 * Decodes and parses CMS bytes: a ContentInfo with SignedData, or (EF.SOD) that ContentInfo in
 * tag `77` when `wrapper` is given. Nothing may follow the structure.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV` (rule `der`), `LDS_TRAILING_BYTES`
 *   (rule `der`), `LDS_UNEXPECTED_TAG`, `LDS_INVALID_STRUCTURE` (with `context.rule`)
 */
export function parseCms(
  bytes: Uint8Array,
  options: CmsParseOptions & { wrapper?: number } = {},
): SignedData {
  checkOptions(options);
  const file = options.file ?? 'CMS';
  assertBytes(bytes, file);
  const ber = options.encoding === 'ber';
  let root: Tlv;
  try {
    root = decodeTlv(bytes, {
      ber,
      ...(options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes }),
    });
  } catch (cause) {
    const trailing = cause instanceof TlvError && cause.code === 'TLV_TRAILING_BYTES';
    const context: LdsErrorContext = { file, rule: 'der' };
    if (cause instanceof TlvError && cause.context.offset !== undefined)
      context.offset = cause.context.offset;
    throw new LdsError(
      trailing ? 'LDS_TRAILING_BYTES' : 'LDS_INVALID_TLV',
      trailing
        ? `${file}: bytes after the structure`
        : `${file} is not valid ${ber ? 'BER' : 'DER (definite, minimal lengths)'}`,
      { context, cause },
    );
  }
  if (options.wrapper !== undefined) {
    if (root.tag !== options.wrapper) {
      throw new LdsError(
        'LDS_UNEXPECTED_TAG',
        `${file}: expected tag ${hexTag(options.wrapper)}, got ${hexTag(root.tag)}`,
        {
          context: { file, tag: root.tag, rule: 'content-info' },
        },
      );
    }
    const inner = childrenOf(root, options.wrapper, file, file);
    broke(
      inner.length === 1,
      file,
      'content-info',
      `expected one ContentInfo inside ${hexTag(options.wrapper)}, got ${inner.length}`,
    );
    root = inner[0] as Tlv;
  }
  return parseSignedData(root, options);
}

/**
 * Parses EF.SOD: strict DER, tag 77 around one ContentInfo whose SignedData (version 3) signs an
 * LDSSecurityObject (`2.23.136.1.1.1`) with signed attributes; then the LDSSecurityObject.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE` (with `context.rule`), `LDS_UNSUPPORTED_ALGORITHM`, `LDS_INVALID_TEXT`
 */
export function parseSod(bytes: Uint8Array): Sod {
  const signedData = parseCms(bytes, { file: 'SOD', wrapper: SOD_TAG, contentType: LDS_SECURITY_OBJECT_OID });
  let ldsSecurityObject: LdsSecurityObject;
  try {
    ldsSecurityObject = parseLdsSecurityObject(signedData.eContent, { encoding: 'der' });
  } catch (cause) {
    if (cause instanceof LdsError) {
      throw new LdsError(cause.code, cause.message.replace(/^LDSSecurityObject/, 'SOD: LDSSecurityObject'), {
        context: { ...cause.context, file: 'SOD' },
        cause,
      });
    }
    throw cause;
  }
  return { raw: bytes, ldsSecurityObject, signedData };
}
