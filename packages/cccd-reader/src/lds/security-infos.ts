/**
 * @module
 * SecurityInfos (ICAO Doc 9303 Part 11 §9.2, BSI TR-03110-3 §A.1): the `SET OF SecurityInfo`
 * found in EF.CardAccess, DG14 (tag `6E`) and the signed content of EF.CardSecurity. Parses
 * PACEInfo, PACEDomainParameterInfo, ChipAuthenticationInfo,
 * ChipAuthenticationDomainParameterInfo, ChipAuthenticationPublicKeyInfo (named, standardized or
 * explicit EC parameters — p, a, b, G, n, h — recognised as a named curve when they match; DH
 * keys with their group), TerminalAuthenticationInfo and ActiveAuthenticationInfo. Anything
 * else, or a known OID whose content does not match its ASN.1 type, is kept raw.
 */
import { VneidError } from '@vneid/core/errors';
import { decodeInteger, decodeOid, decodeTlv, type Tlv } from '@vneid/core/tlv';
import { assertInput } from './lds-tlv.ts';
import {
  CURVE_OIDS,
  type DhGroupParameters,
  describeDomainParameterProtocol,
  describeProtocolOid,
  type EcCurveParameters,
  ID_AA,
  ID_DH_PUBLIC_NUMBER,
  ID_EC_PUBLIC_KEY,
  ID_PRIME_FIELD,
  ID_STANDARDIZED_DOMAIN_PARAMETERS,
  ID_TA,
  identifyModpGroup,
  identifyNamedCurve,
  type KeyAgreement,
  NAMED_CURVES,
  oidName,
  type PaceMapping,
  type ProtocolCipher,
} from './oids.ts';

/** Codes of {@link SecurityInfosError}. */
export type SecurityInfosErrorCode = 'INVALID_TLV' | 'INVALID_STRUCTURE';

/** Non-personal details of a {@link SecurityInfosError}. */
export interface SecurityInfosErrorContext {
  /** Index of the SecurityInfo within the SET. */
  index?: number;
  /** Tag found where another was expected. */
  tag?: number;
}

/** Error thrown by {@link parseSecurityInfos} and {@link parseCardSecurity}. */
export class SecurityInfosError extends VneidError<SecurityInfosErrorCode, SecurityInfosErrorContext> {}

/** Domain parameters as a SecurityInfo gives them. */
export type DomainParameterSpec =
  /** `standardizedDomainParameters` with an ID of ICAO 9303-11 Table 9.5.1. */
  | { kind: 'standardized'; parameterId: number }
  /** EC parameters: a named curve OID, or explicit parameters (`curve`), with `namedCurve` when recognised. */
  | {
      kind: 'ec';
      namedCurve: string | undefined;
      curveOid: string | undefined;
      curve: EcCurveParameters | undefined;
    }
  /** DH group (`dhpublicnumber` DomainParameters); `name` when it is an RFC 5114 group. */
  | { kind: 'dh'; name: string | undefined; group: DhGroupParameters }
  /** An algorithm this parser does not know (kept raw). */
  | { kind: 'unknown'; algorithm: string; raw: Uint8Array };

/** A parsed SubjectPublicKeyInfo of a Chip Authentication key. */
export interface ChipAuthenticationPublicKey {
  /** Algorithm OID (`id-ecPublicKey`, `dhpublicnumber`, `standardizedDomainParameters`, …). */
  algorithm: string;
  domainParameters: DomainParameterSpec;
  /** EC: the encoded point (`04 ‖ x ‖ y`); DH: the public value y, unsigned big-endian. */
  publicKey: Uint8Array;
  /** The whole SubjectPublicKeyInfo. */
  raw: Uint8Array;
}

interface Base {
  /** Protocol OID. */
  oid: string;
  /** Standard name of the OID when known. */
  oidName: string | undefined;
  /** Exact bytes of this SecurityInfo. */
  raw: Uint8Array;
}

/** PACEInfo (ICAO 9303-11 §9.2.1). */
export interface PaceInfo extends Base {
  type: 'PACEInfo';
  version: number;
  parameterId: number | undefined;
  keyAgreement: KeyAgreement;
  mapping: PaceMapping;
  cipher: ProtocolCipher;
  keyLength: 128 | 192 | 256;
}

/** PACEDomainParameterInfo (ICAO 9303-11 §9.2.2). */
export interface PaceDomainParameterInfo extends Base {
  type: 'PACEDomainParameterInfo';
  keyAgreement: KeyAgreement;
  mapping: PaceMapping;
  domainParameters: DomainParameterSpec;
  parameterId: number | undefined;
}

/** ChipAuthenticationInfo (ICAO 9303-11 §9.2.5). */
export interface ChipAuthenticationInfo extends Base {
  type: 'ChipAuthenticationInfo';
  version: number;
  keyId: number | undefined;
  keyAgreement: KeyAgreement;
  cipher: ProtocolCipher;
  keyLength: 128 | 192 | 256;
}

/** ChipAuthenticationDomainParameterInfo (BSI TR-03110-3 §A.1.1.2). */
export interface ChipAuthenticationDomainParameterInfo extends Base {
  type: 'ChipAuthenticationDomainParameterInfo';
  keyAgreement: KeyAgreement;
  domainParameters: DomainParameterSpec;
  keyId: number | undefined;
}

/** ChipAuthenticationPublicKeyInfo (ICAO 9303-11 §9.2.6). */
export interface ChipAuthenticationPublicKeyInfo extends Base {
  type: 'ChipAuthenticationPublicKeyInfo';
  keyAgreement: KeyAgreement;
  publicKey: ChipAuthenticationPublicKey;
  keyId: number | undefined;
}

/** TerminalAuthenticationInfo (ICAO 9303-11 §9.2.8). */
export interface TerminalAuthenticationInfo extends Base {
  type: 'TerminalAuthenticationInfo';
  version: number;
  /** Deprecated `efCVCA` file ID (FID ‖ optional SFI), when present. */
  efCvca: Uint8Array | undefined;
}

/** ActiveAuthenticationInfo (ICAO 9303-11 §9.2.4). */
export interface ActiveAuthenticationInfo extends Base {
  type: 'ActiveAuthenticationInfo';
  version: number;
  signatureAlgorithm: string;
  signatureAlgorithmName: string | undefined;
}

/** A SecurityInfo this parser does not interpret (unknown protocol, or content not as specified). */
export interface UnknownSecurityInfo extends Base {
  type: 'UnknownSecurityInfo';
  /** Why it is kept raw. */
  reason: 'UNKNOWN_PROTOCOL' | 'MALFORMED';
}

/** One SecurityInfo. */
export type SecurityInfo =
  | PaceInfo
  | PaceDomainParameterInfo
  | ChipAuthenticationInfo
  | ChipAuthenticationDomainParameterInfo
  | ChipAuthenticationPublicKeyInfo
  | TerminalAuthenticationInfo
  | ActiveAuthenticationInfo
  | UnknownSecurityInfo;

/** Parsed SecurityInfos with the input bytes. */
export interface SecurityInfos {
  infos: SecurityInfo[];
  /** The bytes parsed (the whole file, e.g. DG14 with its `6E` wrapper). */
  raw: Uint8Array;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const OID = 0x06;
const OCTET_STRING = 0x04;
const BIT_STRING = 0x03;

/** Thrown inside a SecurityInfo to keep it raw as MALFORMED. */
class Malformed extends Error {}

function expect(tlv: Tlv | undefined, tag: number): Tlv {
  if (tlv === undefined || tlv.tag !== tag) throw new Malformed();
  return tlv;
}

function oidOf(tlv: Tlv | undefined): string {
  try {
    return decodeOid(expect(tlv, OID).value);
  } catch {
    throw new Malformed();
  }
}

function intOf(tlv: Tlv | undefined): number {
  try {
    return decodeInteger(expect(tlv, INTEGER).value);
  } catch {
    throw new Malformed();
  }
}

function optionalInt(tlv: Tlv | undefined): number | undefined {
  return tlv === undefined ? undefined : intOf(tlv);
}

/** Unsigned value of INTEGER contents (a leading 00 allowed; negatives rejected). */
function bigIntOf(tlv: Tlv | undefined): bigint {
  const v = expect(tlv, INTEGER).value;
  if (v.length === 0 || ((v[0] as number) & 0x80) !== 0) throw new Malformed();
  return bytesToBig(v);
}

function bytesToBig(v: Uint8Array): bigint {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
}

function children(tlv: Tlv): Tlv[] {
  if (!tlv.constructed || tlv.children === undefined) throw new Malformed();
  return tlv.children;
}

/** X9.62 ECParameters (explicit, prime field). */
function parseExplicitEcParameters(tlv: Tlv): EcCurveParameters {
  const [version, fieldId, curve, base, order, cofactor] = children(expect(tlv, SEQUENCE));
  if (intOf(version) !== 1) throw new Malformed();
  const [fieldType, prime] = children(expect(fieldId, SEQUENCE));
  if (oidOf(fieldType) !== ID_PRIME_FIELD) throw new Malformed();
  const p = bigIntOf(prime);
  const [a, b] = children(expect(curve, SEQUENCE));
  const g = expect(base, OCTET_STRING).value;
  const len = Math.ceil(p.toString(2).length / 8);
  if (g.length !== 2 * len + 1 || g[0] !== 0x04) throw new Malformed();
  return {
    p,
    a: bytesToBig(expect(a, OCTET_STRING).value),
    b: bytesToBig(expect(b, OCTET_STRING).value),
    gx: bytesToBig(g.subarray(1, 1 + len)),
    gy: bytesToBig(g.subarray(1 + len)),
    n: bigIntOf(order),
    h: cofactor === undefined ? 1n : bigIntOf(cofactor),
  };
}

/** AlgorithmIdentifier → domain parameters. */
function parseAlgorithmIdentifier(tlv: Tlv): { algorithm: string; domain: DomainParameterSpec } {
  const [alg, params] = children(expect(tlv, SEQUENCE));
  const algorithm = oidOf(alg);
  if (algorithm === ID_STANDARDIZED_DOMAIN_PARAMETERS) {
    return { algorithm, domain: { kind: 'standardized', parameterId: intOf(params) } };
  }
  if (algorithm === ID_EC_PUBLIC_KEY) {
    if (params?.tag === OID) {
      const curveOid = oidOf(params);
      const namedCurve = Object.entries(CURVE_OIDS).find(([, o]) => o === curveOid)?.[0];
      return {
        algorithm,
        domain: {
          kind: 'ec',
          namedCurve,
          curveOid,
          curve: namedCurve === undefined ? undefined : NAMED_CURVES[namedCurve],
        },
      };
    }
    const curve = parseExplicitEcParameters(expect(params, SEQUENCE));
    const namedCurve = identifyNamedCurve(curve);
    return {
      algorithm,
      domain: {
        kind: 'ec',
        namedCurve,
        curveOid: namedCurve === undefined ? undefined : CURVE_OIDS[namedCurve],
        curve,
      },
    };
  }
  if (algorithm === ID_DH_PUBLIC_NUMBER) {
    const [p, g, q] = children(expect(params, SEQUENCE));
    const group = { p: bigIntOf(p), g: bigIntOf(g), q: bigIntOf(q) };
    return { algorithm, domain: { kind: 'dh', name: identifyModpGroup(group), group } };
  }
  return { algorithm, domain: { kind: 'unknown', algorithm, raw: tlv.raw } };
}

function parseSubjectPublicKeyInfo(tlv: Tlv): ChipAuthenticationPublicKey {
  const [algId, key] = children(expect(tlv, SEQUENCE));
  return parsePublicKeyParts(expect(algId, SEQUENCE), key, tlv.raw);
}

function parsePublicKeyParts(algId: Tlv, key: Tlv | undefined, raw: Uint8Array): ChipAuthenticationPublicKey {
  const { algorithm, domain } = parseAlgorithmIdentifier(algId);
  const bits = expect(key, BIT_STRING).value;
  if (bits.length < 2 || bits[0] !== 0) throw new Malformed();
  let publicKey = bits.subarray(1);
  if (domain.kind === 'dh' || algorithm === ID_DH_PUBLIC_NUMBER) {
    // DH public value: the BIT STRING holds a DER INTEGER y.
    let y: Tlv;
    try {
      y = decodeTlv(publicKey);
    } catch {
      throw new Malformed();
    }
    const v = expect(y, INTEGER).value;
    publicKey = v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
  } else if (publicKey[0] !== 0x04 && publicKey[0] !== 0x02 && publicKey[0] !== 0x03) {
    throw new Malformed();
  }
  return { algorithm, domainParameters: domain, publicKey, raw };
}

function parseOne(tlv: Tlv, index: number): SecurityInfo {
  if (tlv.tag !== SEQUENCE || tlv.children === undefined) {
    throw new SecurityInfosError('INVALID_STRUCTURE', `SecurityInfo ${index} is not a SEQUENCE`, {
      context: { index, tag: tlv.tag },
    });
  }
  const [protocol, required, optional, ...extra] = tlv.children;
  let oid: string;
  try {
    oid = oidOf(protocol);
  } catch {
    throw new SecurityInfosError(
      'INVALID_STRUCTURE',
      `SecurityInfo ${index} does not start with an OBJECT IDENTIFIER`,
      {
        context: { index, tag: protocol?.tag ?? 0 },
      },
    );
  }
  const base = { oid, oidName: oidName(oid), raw: tlv.raw };
  if (required === undefined) return { type: 'UnknownSecurityInfo', ...base, reason: 'MALFORMED' };
  try {
    const described = describeProtocolOid(oid);
    const dpProtocol = describeDomainParameterProtocol(oid);
    const noExtra = (): void => {
      if (extra.length > 0) throw new Malformed();
    };
    if (described?.protocol === 'PACE') {
      noExtra();
      return {
        type: 'PACEInfo',
        ...base,
        version: intOf(required),
        parameterId: optionalInt(optional),
        keyAgreement: described.keyAgreement as KeyAgreement,
        mapping: described.mapping as PaceMapping,
        cipher: described.cipher as ProtocolCipher,
        keyLength: described.keyLength as 128 | 192 | 256,
      };
    }
    if (dpProtocol !== undefined) {
      noExtra();
      return {
        type: 'PACEDomainParameterInfo',
        ...base,
        ...dpProtocol,
        domainParameters: parseAlgorithmIdentifier(required).domain,
        parameterId: optionalInt(optional),
      };
    }
    if (described?.protocol === 'CA') {
      noExtra();
      return {
        type: 'ChipAuthenticationInfo',
        ...base,
        version: intOf(required),
        keyId: optionalInt(optional),
        keyAgreement: described.keyAgreement as KeyAgreement,
        cipher: described.cipher as ProtocolCipher,
        keyLength: described.keyLength as 128 | 192 | 256,
      };
    }
    if (oid === `${ID_CA_BASE}.1` || oid === `${ID_CA_BASE}.2`) {
      noExtra();
      return {
        type: 'ChipAuthenticationDomainParameterInfo',
        ...base,
        keyAgreement: oid.endsWith('.1') ? 'DH' : 'ECDH',
        domainParameters: parseAlgorithmIdentifier(required).domain,
        keyId: optionalInt(optional),
      };
    }
    if (described?.protocol === 'PK') {
      if (required.children?.[0]?.tag === OID && optional?.tag === BIT_STRING && extra.length <= 1) {
        // Seen in the wild (JMRTD's efcardsecurity.dump): the SubjectPublicKeyInfo's two parts
        // written directly into the SecurityInfo instead of inside a SEQUENCE.
        return {
          type: 'ChipAuthenticationPublicKeyInfo',
          ...base,
          keyAgreement: described.keyAgreement as KeyAgreement,
          publicKey: parsePublicKeyParts(required, optional, tlv.raw),
          keyId: optionalInt(extra[0]),
        };
      }
      noExtra();
      return {
        type: 'ChipAuthenticationPublicKeyInfo',
        ...base,
        keyAgreement: described.keyAgreement as KeyAgreement,
        publicKey: parseSubjectPublicKeyInfo(required),
        keyId: optionalInt(optional),
      };
    }
    if (oid === ID_TA) {
      noExtra();
      return {
        type: 'TerminalAuthenticationInfo',
        ...base,
        version: intOf(required),
        efCvca: optional === undefined ? undefined : parseFileId(optional),
      };
    }
    if (oid === ID_AA) {
      noExtra();
      const signatureAlgorithm = oidOf(optional);
      return {
        type: 'ActiveAuthenticationInfo',
        ...base,
        version: intOf(required),
        signatureAlgorithm,
        signatureAlgorithmName: oidName(signatureAlgorithm),
      };
    }
    return { type: 'UnknownSecurityInfo', ...base, reason: 'UNKNOWN_PROTOCOL' };
  } catch (e) {
    if (e instanceof Malformed) return { type: 'UnknownSecurityInfo', ...base, reason: 'MALFORMED' };
    throw e;
  }
}

const ID_CA_BASE = '0.4.0.127.0.7.2.2.3';

/** FileID ::= SEQUENCE { fid OCTET STRING (2), sfi OCTET STRING (1) OPTIONAL } → fid ‖ sfi. */
function parseFileId(tlv: Tlv): Uint8Array {
  const [fid, sfi] = children(expect(tlv, SEQUENCE));
  const f = expect(fid, OCTET_STRING).value;
  if (f.length !== 2) throw new Malformed();
  if (sfi === undefined) return f.slice();
  const s = expect(sfi, OCTET_STRING).value;
  if (s.length !== 1) throw new Malformed();
  return Uint8Array.of(f[0] as number, f[1] as number, s[0] as number);
}

/**
 * Parses SecurityInfos: a DER `SET OF SecurityInfo` (EF.CardAccess, the eContent of
 * EF.CardSecurity) or DG14 (`6E` wrapping the SET). Every SecurityInfo keeps its raw bytes.
 * @throws {SecurityInfosError} `INVALID_TLV` (bytes are not BER-TLV), `INVALID_STRUCTURE`
 *   (not a SET of SEQUENCEs each starting with an OID).
 */
export function parseSecurityInfos(bytes: Uint8Array): SecurityInfos {
  let root: Tlv;
  try {
    root = decodeTlv(bytes);
  } catch (cause) {
    throw new SecurityInfosError('INVALID_TLV', 'SecurityInfos are not valid BER-TLV', { cause });
  }
  if (root.tag === 0x6e) {
    const inner = root.children;
    if (inner?.length !== 1) {
      throw new SecurityInfosError('INVALID_STRUCTURE', 'DG14 must contain exactly one SET', {
        context: { tag: 0x6e },
      });
    }
    root = inner[0] as Tlv;
  }
  if (root.tag !== SET || root.children === undefined) {
    throw new SecurityInfosError('INVALID_STRUCTURE', 'SecurityInfos must be a SET', {
      context: { tag: root.tag },
    });
  }
  return { infos: root.children.map(parseOne), raw: bytes };
}

/** EF.CardSecurity: the SecurityInfos signed inside its CMS SignedData, plus the CMS parts. */
export interface CardSecurity {
  /** eContentType of the SignedData (`0.4.0.127.0.7.3.2.1` id-SecurityObject). */
  contentType: string;
  /** The SecurityInfos of the signed content. */
  securityInfos: SecurityInfos;
  /** The eContent octets exactly as signed. */
  eContent: Uint8Array;
  /** The whole file. */
  raw: Uint8Array;
}

/**
 * Extracts and parses the SecurityInfos of EF.CardSecurity (BSI TR-03110-3 §A.1.2): a CMS
 * ContentInfo (signedData) whose encapsulated content is the DER SecurityInfos. The signature
 * is not checked here (passive authentication does that).
 * @throws {SecurityInfosError}
 */
export function parseCardSecurity(bytes: Uint8Array): CardSecurity {
  const fail = (what: string): never => {
    throw new SecurityInfosError('INVALID_STRUCTURE', `EF.CardSecurity: ${what}`);
  };
  let root: Tlv;
  try {
    root = decodeTlv(bytes, { ber: true });
  } catch (cause) {
    throw new SecurityInfosError('INVALID_TLV', 'EF.CardSecurity is not valid BER-TLV', { cause });
  }
  const safeOid = (t: Tlv | undefined): string | undefined => {
    try {
      return t?.tag === OID ? decodeOid(t.value) : undefined;
    } catch {
      return undefined;
    }
  };
  const [ctype, content] = root.tag === SEQUENCE ? (root.children ?? []) : [];
  if (safeOid(ctype) !== '1.2.840.113549.1.7.2') fail('not a CMS signedData');
  const signedData = content?.tag === 0xa0 ? content.children?.[0] : undefined;
  const encap =
    signedData?.tag === SEQUENCE
      ? signedData.children?.find((c, i) => i > 1 && c.tag === SEQUENCE)
      : undefined;
  const [eType, eWrap] = encap?.children ?? [];
  const contentType = safeOid(eType);
  if (contentType === undefined) fail('no encapsulated content type');
  const octets = eWrap?.tag === 0xa0 ? eWrap.children?.[0] : undefined;
  if (octets === undefined || (octets.tag !== OCTET_STRING && octets.tag !== 0x24))
    fail('no encapsulated content');
  const o = octets as Tlv;
  // Constructed (BER) OCTET STRING: concatenate its segments.
  const eContent =
    o.tag === OCTET_STRING
      ? o.value
      : Uint8Array.from((o.children ?? []).flatMap((c) => Array.from(c.value)));
  return {
    contentType: contentType as string,
    securityInfos: parseSecurityInfos(eContent),
    eContent,
    raw: bytes,
  };
}

/** The PACEInfos of parsed SecurityInfos, in file order. */
export function paceInfos(infos: SecurityInfos | readonly SecurityInfo[]): PaceInfo[] {
  const list: unknown = Array.isArray(infos) ? infos : (infos as SecurityInfos | null)?.infos;
  assertInput(Array.isArray(list), 'SecurityInfos', 'parsed SecurityInfos or an array of SecurityInfo');
  return (list as SecurityInfo[]).filter(
    (i): i is PaceInfo => typeof i === 'object' && i !== null && i.type === 'PACEInfo',
  );
}
