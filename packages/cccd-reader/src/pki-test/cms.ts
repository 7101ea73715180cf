/**
 * @module
 * Test signing of chip security objects (RFC 5652 §5 SignedData; ICAO Doc 9303 Part 10 §4.6.2
 * EF.SOD and Appendix D LDSSecurityObject; Part 12 §9 CSCA master lists; RFC 5280 §5 CRLs):
 * encode an LDSSecurityObject from data-group bytes, sign it into EF.SOD (tag 77), sign any
 * other content (EF.CardSecurity SecurityInfos, a CscaMasterList), and issue CRLs.
 */
import * as asn1js from 'asn1js';
import { type HashName, hashByName } from '../pa/algorithms.ts';
import { unsignedInteger } from '../pa/asn1.ts';
import { OID_LDS_SECURITY_OBJECT } from '../pa/lds-security-object.ts';
import { OID_CSCA_MASTER_LIST } from '../pa/master-list.ts';
import { algorithm, bits, der, element, explicit, name, octets, oid, seq, setOf, time } from './der.ts';
import type { TestCertifiedKey, TestPki } from './test-pki.ts';

/** Options of {@link encodeLdsSecurityObject}. */
export interface LdsSecurityObjectOptions {
  /** Data groups as they will be read (bytes hashed exactly as given). */
  dataGroups: Record<number, Uint8Array> | Map<number, Uint8Array>;
  /** Default SHA-256. */
  hashAlgorithm?: HashName;
  /** 0 (no version info, default) or 1 (LDS 1.8 with ldsVersionInfo "0108"/"040000"). */
  version?: 0 | 1;
}

/** DER LDSSecurityObject over the data groups (ICAO Doc 9303 Part 10 §4.6.2.2). */
export function encodeLdsSecurityObject(options: LdsSecurityObjectOptions): Uint8Array {
  const hash = hashByName(options.hashAlgorithm ?? 'SHA-256');
  const entries = (
    options.dataGroups instanceof Map
      ? [...options.dataGroups]
      : Object.entries(options.dataGroups).map(([k, v]) => [Number(k), v] as const)
  )
    .slice()
    .sort((a, b) => a[0] - b[0]);
  const fields: asn1js.AsnType[] = [
    new asn1js.Integer({ value: options.version ?? 0 }),
    algorithm(hash.oid, 'null'),
    seq(...entries.map(([dg, bytes]) => seq(new asn1js.Integer({ value: dg }), octets(hash.hash(bytes))))),
  ];
  if (options.version === 1)
    fields.push(
      seq(new asn1js.PrintableString({ value: '0108' }), new asn1js.PrintableString({ value: '040000' })),
    );
  return der(seq(...fields));
}

/** Options of {@link signCms}. */
export interface SignCmsOptions {
  /** eContentType OID. */
  contentType: string;
  /** eContent bytes (signed as given). */
  content: Uint8Array;
  /** The signer: a PKI's DSC (default) or any certified key. */
  pki: TestPki;
  signer?: TestCertifiedKey;
  /** signingTime attribute; omitted when null; default now. */
  signingTime?: Date | null;
  /** Digest and signature hash; default SHA-256. */
  hashAlgorithm?: HashName;
  /** Embed the signer certificate (default true). */
  includeCertificate?: boolean;
  /** Identify the signer by issuer and serial (default) or by subject key identifier. */
  signerIdentifier?: 'issuer-serial' | 'subject-key-identifier';
}

/** CMS ContentInfo with SignedData over `content` (DER). */
export function signCms(options: SignCmsOptions): Uint8Array {
  const signer = options.signer ?? options.pki.dsc;
  const hashName = options.hashAlgorithm ?? 'SHA-256';
  const hash = hashByName(hashName);
  const issuerName = (element(signer.certificate) as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const tbsFields = issuerName.valueBlock.value;
  // TBSCertificate: [0] version, serial, signature, issuer, …
  const issuer = tbsFields[3] as asn1js.AsnType;
  const attributes: asn1js.AsnType[] = [
    seq(oid('1.2.840.113549.1.9.3'), new asn1js.Set({ value: [oid(options.contentType)] })),
    seq(oid('1.2.840.113549.1.9.4'), new asn1js.Set({ value: [octets(hash.hash(options.content))] })),
  ];
  const signingTime = options.signingTime === undefined ? new Date() : options.signingTime;
  if (signingTime !== null)
    attributes.push(seq(oid('1.2.840.113549.1.9.5'), new asn1js.Set({ value: [time(signingTime)] })));
  const signedAttrs = setOf(...attributes);
  const signedAttrsDer = der(signedAttrs);
  const signature = signer.key.sign(signedAttrsDer, hashName);
  const bySki = options.signerIdentifier === 'subject-key-identifier';
  const sid = bySki
    ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: signer.subjectKeyIdentifier })
    : seq(element(der(issuer)), unsignedInteger(signer.serialNumber));
  const implicitAttrs = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: signedAttrs.valueBlock.value,
  });
  const signerInfo = seq(
    new asn1js.Integer({ value: bySki ? 3 : 1 }),
    sid,
    algorithm(hash.oid, 'null'),
    implicitAttrs,
    element(signer.key.signatureAlgorithm(hashName)),
    octets(signature),
  );
  const signedData = seq(
    new asn1js.Integer({ value: 3 }),
    new asn1js.Set({ value: [algorithm(hash.oid, 'null')] }),
    seq(oid(options.contentType), explicit(0, octets(options.content))),
    ...(options.includeCertificate === false
      ? []
      : [explicit(0, element(signer.certificate)) as asn1js.AsnType]),
    new asn1js.Set({ value: [signerInfo] }),
  );
  return der(seq(oid('1.2.840.113549.1.7.2'), explicit(0, signedData)));
}

/** Options of {@link signSod}. */
export interface SignSodOptions extends Omit<SignCmsOptions, 'contentType' | 'content'> {
  /** DER LDSSecurityObject (see {@link encodeLdsSecurityObject}). */
  ldsSecurityObject: Uint8Array;
}

/** EF.SOD bytes: `77 len ContentInfo(SignedData(LDSSecurityObject))`. */
export function signSod(options: SignSodOptions): Uint8Array {
  const contentInfo = signCms({
    ...options,
    contentType: OID_LDS_SECURITY_OBJECT,
    content: options.ldsSecurityObject,
  });
  const wrapper = new asn1js.Constructed({
    idBlock: { tagClass: 2, tagNumber: 23 },
    value: [element(contentInfo)],
  });
  return der(wrapper);
}

/** Options of {@link createCrl}. */
export interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** Revocation date of each entry; default thisUpdate. */
  revocationDate?: Date;
}

/** A CRL issued by the PKI's CSCA listing `revokedSerials` (DER). */
export function createCrl(
  pki: TestPki,
  revokedSerials: readonly bigint[],
  options: CrlOptions = {},
): Uint8Array {
  const csca = pki.csca;
  const thisUpdate = options.thisUpdate ?? new Date(Date.now() - 3_600_000);
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + 30 * 86_400_000);
  const revoked = revokedSerials.map((s) =>
    seq(unsignedInteger(s), time(options.revocationDate ?? thisUpdate)),
  );
  const tbs = seq(
    new asn1js.Integer({ value: 1 }),
    element(csca.key.signatureAlgorithm(csca.certificateHash)),
    name(csca.subject),
    time(thisUpdate),
    time(nextUpdate),
    ...(revoked.length > 0 ? [seq(...revoked)] : []),
  );
  const tbsDer = der(tbs);
  return der(
    seq(
      element(tbsDer),
      element(csca.key.signatureAlgorithm(csca.certificateHash)),
      bits(csca.key.sign(tbsDer, csca.certificateHash)),
    ),
  );
}

/**
 * A CSCA master list (ICAO Doc 9303 Part 12 §9) holding `certificates`, signed by `signer`
 * (default the PKI's DSC, standing in for a Master List Signer certified by the CSCA).
 */
export function createMasterList(
  pki: TestPki,
  certificates: readonly Uint8Array[],
  signer?: TestCertifiedKey,
): Uint8Array {
  const content = der(seq(new asn1js.Integer({ value: 0 }), setOf(...certificates.map((c) => element(c)))));
  return signCms({ pki, contentType: OID_CSCA_MASTER_LIST, content, ...(signer ? { signer } : {}) });
}
