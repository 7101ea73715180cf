/**
 * @module
 * Passive authentication (ICAO Doc 9303 Part 11 §5.1, Part 12 §5–§7, Part 10 §4.6.2): verify
 * EF.SOD's CMS signature (algorithm from the SignerInfo, signature over the exact signed
 * attributes re-tagged 0x31, messageDigest = hash of the eContent), build the path from the
 * Document Signer certificate to a trust anchor, check validity periods under an explicit
 * policy, consult the CSCA's CRL, and compare every data group's hash with the bytes as read.
 * Also verifies other CMS security objects of the chip (EF.CardSecurity). Certificate and CRL
 * signatures on NIST curves are checked with WebCrypto first where the runtime has it
 * (`webcrypto.ts`), and signature results of a known DSC are reused. Returns a report whose
 * `ok` is true only when every part is.
 */
import { parseDg1 } from '../lds/dg1.ts';
import { type HashName, hashByOid } from './algorithms.ts';
import { type CertificateInfo, certificateSignedBy, prewarmSignedBy } from './certificate.ts';
import { crlSignedBy, prewarmCrlSignedBy } from './crl.ts';
import { OID_LDS_SECURITY_OBJECT, parseLdsSecurityObject } from './lds-security-object.ts';
import { PaError } from './pa-error.ts';
import {
  type ParsedSignedData,
  parseSignedData,
  type SignerCheck,
  type SignerFailure,
  sidMatches,
  verifySigner,
} from './signed-data.ts';
import { mayHaveIssued, type TrustAnchor, type TrustStore } from './trust-store.ts';

/** When certificate validity is checked. */
export type ValidityPolicy =
  /** Shell model (RFC 5280 §6): every certificate must be valid now (`now` option). Default. */
  | 'now'
  /** Chain model: the DSC and its CSCA must be valid at the SOD's signingTime (now if absent). */
  | 'signing-time';

/** Options of {@link verifyPassive}. */
export interface VerifyPassiveOptions {
  trustStore: TrustStore;
  /** Clock for validity checks; default `new Date()`. */
  now?: Date | (() => Date);
  /** Fail when no valid, current CRL of the CSCA is in the store. Default false. */
  requireCrl?: boolean;
  /** Validity policy; default `'now'`. */
  validityPolicy?: ValidityPolicy;
  /** Data groups that must be present and match (e.g. `[1, 2, 13]`); others may be unread. */
  requiredDataGroups?: number[];
  /**
   * Scope trust to one issuing country (e.g. `VIETNAM_COUNTRY` for a CCCD): the DSC's issuer C=,
   * the anchor's subject C= and, when DG1 is given, its MRZ issuing state must all be this
   * country, so that a CSCA of another country (from a master list, say) cannot vouch for it.
   */
  country?: IssuingCountry;
}

/** An issuing country: ISO 3166-1 alpha-2 (certificates) and the ICAO 9303 alpha-3 code (MRZ). */
export interface IssuingCountry {
  alpha2: string;
  alpha3?: string;
}

/** The country part of a report (with the `country` option). */
export interface CountryCheck {
  ok: boolean;
  /** The expected alpha-2 code. */
  expected: string;
  /** C= of the DSC's issuer, of the anchor's subject; the MRZ issuing state (DG1). */
  dsc?: string;
  anchor?: string;
  document?: string;
  reason?: 'dsc-country-mismatch' | 'anchor-country-mismatch' | 'document-country-mismatch';
}

/** Status of one data group. */
export type DataGroupStatus =
  /** The file's hash equals the SOD's. */
  | 'match'
  /** The file's hash differs from the SOD's. */
  | 'mismatch'
  /** Listed in the SOD but not given (not read, e.g. DG3 behind EAC): not a failure unless required. */
  | 'unread'
  /** Given but not listed in the SOD: unauthenticated, a failure. */
  | 'not-in-sod';

/** One data group's check. Hashes are hex. */
export interface DataGroupCheck {
  dataGroup: number;
  status: DataGroupStatus;
  /** Hash in the SOD (hex), absent for `not-in-sod`. */
  expected?: string;
  /** Hash of the bytes given (hex), absent for `unread`. */
  actual?: string;
}

/** Why the chain check failed. */
export type ChainFailure =
  | 'signer-certificate-not-found'
  | 'no-issuer-in-trust-store'
  | 'issuer-signature-invalid'
  | 'unsupported-issuer-key'
  | 'unsupported-algorithm'
  /** The issuing certificate is not a CA: basicConstraints cA and keyUsage keyCertSign (RFC 5280 §4.2.1.3, §4.2.1.9). */
  | 'issuer-not-ca'
  /** The DSC's keyUsage lacks digitalSignature (or the extension is missing; Doc 9303 Part 12 §7.1). */
  | 'dsc-key-usage';

/** Why the validity check failed. */
export type ValidityFailure =
  | 'dsc-expired'
  | 'dsc-not-yet-valid'
  | 'csca-expired'
  | 'csca-not-yet-valid'
  | 'signing-time-outside-dsc-validity'
  /** The DSC was issued (notBefore) outside the anchor's private key usage period. */
  | 'dsc-issued-outside-csca-key-usage'
  | 'no-certificate';

/** The certificate-validity part of a report. Dates are ISO 8601 strings. */
export interface ValidityCheck {
  ok: boolean;
  policy: ValidityPolicy;
  /** The instant certificates were checked at. */
  checkedAt: string;
  /** signingTime attribute of the SOD, when present. */
  signingTime?: string;
  certificates: Array<{
    role: 'dsc' | 'anchor';
    subject: string;
    notBefore: string;
    notAfter: string;
    ok: boolean;
  }>;
  reason?: ValidityFailure;
}

/** The revocation part of a report. */
export interface CrlCheck {
  /** `good`: a CRL of the issuer, signed by it, does not list the DSC. */
  status: 'good' | 'revoked' | 'unavailable';
  ok: boolean;
  thisUpdate?: string;
  nextUpdate?: string;
  /** The CRL's nextUpdate is before the check time. */
  stale?: boolean;
  revocationDate?: string;
  reason?: 'no-crl' | 'crl-signature-invalid' | 'crl-stale';
}

/** Report on a CMS security object (EF.SOD, EF.CardSecurity). */
export interface SignedObjectReport {
  ok: boolean;
  signature: {
    ok: boolean;
    algorithm: string;
    reason?: SignerFailure;
    key?: string;
  };
  messageDigest: SignerCheck['messageDigest'];
  chain: {
    ok: boolean;
    path: string[];
    anchor?: string;
    anchorSource?: TrustAnchor['source'];
    reason?: ChainFailure;
  };
  validity: ValidityCheck;
  crl: CrlCheck;
  /** With the `country` option: whether the DSC, its anchor (and DG1) belong to that country. */
  country?: CountryCheck;
  /** The signer (DSC) certificate's subject, serial (hex) and SHA-256 fingerprint. */
  signer?: { subject: string; issuer: string; serialNumber: string; fingerprintSha256: string };
  /**
   * Present when the SignedData has more than one SignerInfo: the report of each, in order (the
   * fields above are the first's). Every SignerInfo must verify for `ok`.
   */
  signerInfos?: Array<Omit<SignedObjectReport, 'signerInfos'>>;
}

/** Report of {@link verifyPassive}. */
export interface PassiveReport extends SignedObjectReport {
  lds: { version: number; hashAlgorithm: { oid: string; name?: HashName } };
  dataGroups: DataGroupCheck[];
  /** Required data groups that were unread. */
  missingRequired: number[];
}

/** Input of {@link verifyPassive}: EF.SOD and the data groups as read, keyed by number. */
export interface PassiveInput {
  sod: Uint8Array;
  files: Record<number, Uint8Array> | Map<number, Uint8Array>;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function resolveNow(now: VerifyPassiveOptions['now']): Date {
  const d = typeof now === 'function' ? now() : (now ?? new Date());
  if (!(d instanceof Date) || Number.isNaN(d.getTime()))
    throw new PaError('INVALID_ARGUMENT', 'now must be a valid Date');
  return d;
}

function buildChain(
  signer: CertificateInfo,
  store: TrustStore,
): { chain: SignedObjectReport['chain']; anchor?: TrustAnchor } {
  const path = [signer.subject.text];
  const direct = store.anchors.find((a) => a.certificate.fingerprintSha256 === signer.fingerprintSha256);
  const signs = signer.keyUsage?.digitalSignature === true;
  if (direct)
    return {
      chain: signs
        ? { ok: true, path, anchor: signer.subject.text, anchorSource: direct.source }
        : { ok: false, path, reason: 'dsc-key-usage' },
      anchor: direct,
    };
  const candidates = store.issuerCandidates(signer);
  if (candidates.length === 0) return { chain: { ok: false, path, reason: 'no-issuer-in-trust-store' } };
  let reason: ChainFailure = 'issuer-signature-invalid';
  for (const candidate of candidates) {
    const check = certificateSignedBy(signer, candidate.certificate);
    const issuer = candidate.certificate;
    if (check.ok && !(issuer.isCa && issuer.keyUsage?.keyCertSign === true)) {
      reason = 'issuer-not-ca';
      continue;
    }
    if (check.ok && !signs) return { chain: { ok: false, path, reason: 'dsc-key-usage' } };
    if (check.ok) {
      path.push(candidate.certificate.subject.text);
      // Follow link certificates up to a self-issued CSCA held in the store (display only).
      let current = candidate.certificate;
      for (let depth = 0; depth < 4 && !current.selfIssued; depth++) {
        const up = store.anchors.find(
          (a) =>
            a.certificate !== current &&
            mayHaveIssued(a.certificate, current) &&
            certificateSignedBy(current, a.certificate).ok,
        );
        if (!up) break;
        path.push(up.certificate.subject.text);
        current = up.certificate;
      }
      return {
        chain: { ok: true, path, anchor: candidate.certificate.subject.text, anchorSource: candidate.source },
        anchor: candidate,
      };
    }
    if (check.reason === 'unsupported-key') reason = 'unsupported-issuer-key';
    else if (check.reason === 'unsupported-algorithm') reason = 'unsupported-algorithm';
  }
  return { chain: { ok: false, path, reason } };
}

function checkCountry(
  signer: CertificateInfo | undefined,
  anchor: TrustAnchor | undefined,
  country: IssuingCountry,
): CountryCheck {
  const expected = country.alpha2.toUpperCase();
  const out: CountryCheck = { ok: false, expected };
  if (signer?.issuer.country !== undefined) out.dsc = signer.issuer.country;
  if (anchor?.certificate.subject.country !== undefined) out.anchor = anchor.certificate.subject.country;
  if (out.dsc !== expected) out.reason = 'dsc-country-mismatch';
  else if (anchor !== undefined && out.anchor !== expected) out.reason = 'anchor-country-mismatch';
  // Without an anchor the chain fails on its own; the country part judges what is there.
  out.ok = out.reason === undefined;
  return out;
}

function checkValidity(
  signer: CertificateInfo | undefined,
  anchor: TrustAnchor | undefined,
  signingTime: Date | undefined,
  policy: ValidityPolicy,
  now: Date,
): ValidityCheck {
  const at = policy === 'signing-time' && signingTime ? signingTime : now;
  const result: ValidityCheck = { ok: false, policy, checkedAt: at.toISOString(), certificates: [] };
  if (signingTime) result.signingTime = signingTime.toISOString();
  if (!signer) {
    result.reason = 'no-certificate';
    return result;
  }
  const entry = (role: 'dsc' | 'anchor', c: CertificateInfo): boolean => {
    const ok = c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime();
    result.certificates.push({
      role,
      subject: c.subject.text,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      ok,
    });
    return ok;
  };
  const dscOk = entry('dsc', signer);
  const anchorOk = anchor && anchor.certificate !== signer ? entry('anchor', anchor.certificate) : true;
  const t = at.getTime();
  if (!dscOk) result.reason = t > signer.notAfter.getTime() ? 'dsc-expired' : 'dsc-not-yet-valid';
  else if (!anchorOk && anchor)
    result.reason = t > anchor.certificate.notAfter.getTime() ? 'csca-expired' : 'csca-not-yet-valid';
  else if (signingTime && (signingTime < signer.notBefore || signingTime > signer.notAfter))
    result.reason = 'signing-time-outside-dsc-validity';
  else if (anchor && anchor.certificate !== signer && !withinKeyUsage(anchor.certificate, signer.notBefore)) {
    result.reason = 'dsc-issued-outside-csca-key-usage';
  }
  result.ok = result.reason === undefined;
  return result;
}

function withinKeyUsage(issuer: CertificateInfo, issuedAt: Date): boolean {
  const period = issuer.privateKeyUsagePeriod;
  if (!period) return true;
  // One day of tolerance: issuers stamp notBefore a little before or after signing.
  const slack = 86_400_000;
  if (period.notBefore && issuedAt.getTime() < period.notBefore.getTime() - slack) return false;
  if (period.notAfter && issuedAt.getTime() > period.notAfter.getTime() + slack) return false;
  return true;
}

function checkCrl(
  signer: CertificateInfo | undefined,
  anchor: TrustAnchor | undefined,
  store: TrustStore,
  now: Date,
  require: boolean,
): CrlCheck {
  const issuers = anchor ? [anchor] : signer ? store.issuerCandidates(signer) : [];
  const byName = signer ? store.crls.filter((c) => c.issuer.key === signer.issuer.key) : [];
  if (!signer || byName.length === 0) return { status: 'unavailable', ok: !require, reason: 'no-crl' };
  const usable = byName
    .filter((crl) => issuers.some((a) => crlSignedBy(crl, a.certificate).ok))
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
  const crl = usable[0];
  if (!crl) return { status: 'unavailable', ok: !require, reason: 'crl-signature-invalid' };
  const out: CrlCheck = { status: 'good', ok: true, thisUpdate: crl.thisUpdate.toISOString() };
  if (crl.nextUpdate) out.nextUpdate = crl.nextUpdate.toISOString();
  out.stale = crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < now.getTime();
  const revokedAt = crl.revoked.get(signer.serialNumber);
  if (revokedAt) {
    out.status = 'revoked';
    out.ok = false;
    out.revocationDate = revokedAt.toISOString();
  } else if (out.stale && require) {
    out.ok = false;
    out.reason = 'crl-stale';
  }
  return out;
}

function verifyObject(parsed: ParsedSignedData, options: VerifyPassiveOptions): SignedObjectReport {
  const store = options.trustStore;
  if (!store || !Array.isArray(store.anchors))
    throw new PaError('INVALID_ARGUMENT', 'trustStore must come from createTrustStore');
  const now = resolveNow(options.now);
  // More than one SignerInfo (Doc 9303 Part 10 §4.6.2.1 recommends one): each must verify.
  const reports = parsed.cms.signerInfos.map((_, i) => verifySignerInfo(parsed, options, now, i));
  const first = reports[0] as SignedObjectReport;
  if (reports.length === 1) return first;
  return { ...first, ok: reports.every((r) => r.ok), signerInfos: reports };
}

function verifySignerInfo(
  parsed: ParsedSignedData,
  options: VerifyPassiveOptions,
  now: Date,
  index: number,
): SignedObjectReport {
  const store = options.trustStore;
  const signerCheck = verifySigner(parsed, store.documentSigners, index);
  const signer = signerCheck.signer;
  const { chain, anchor } = signer
    ? buildChain(signer, store)
    : { chain: { ok: false, path: [], reason: 'signer-certificate-not-found' as const }, anchor: undefined };
  const validity = checkValidity(
    signer,
    anchor,
    signerCheck.signingTime,
    options.validityPolicy ?? 'now',
    now,
  );
  const crl = checkCrl(signer, anchor, store, now, options.requireCrl === true);
  const signature: SignedObjectReport['signature'] = { ...signerCheck.signature };
  const country = options.country === undefined ? undefined : checkCountry(signer, anchor, options.country);
  const report: SignedObjectReport = {
    ok:
      signature.ok &&
      signerCheck.messageDigest.ok &&
      chain.ok &&
      validity.ok &&
      crl.ok &&
      (country === undefined || country.ok),
    signature,
    messageDigest: signerCheck.messageDigest,
    chain,
    validity,
    crl,
  };
  if (country !== undefined) report.country = country;
  if (signer) {
    report.signer = {
      subject: signer.subject.text,
      issuer: signer.issuer.text,
      serialNumber: signer.serialNumber.toString(16),
      fingerprintSha256: signer.fingerprintSha256,
    };
  }
  return report;
}

/** The MRZ issuing state of DG1 (ICAO Doc 9303 Part 4–6: characters 3–5), when readable. */
function issuingStateOf(dg1: Uint8Array): string | undefined {
  try {
    return parseDg1(dg1).mrz.issuingState;
  } catch {
    return undefined;
  }
}

function fileMap(files: PassiveInput['files']): Map<number, Uint8Array> {
  const map = new Map<number, Uint8Array>();
  const entries =
    files instanceof Map
      ? [...files.entries()]
      : Object.entries(files ?? {}).map(([k, v]) => [Number(k), v] as const);
  for (const [k, v] of entries) {
    if (!Number.isInteger(k) || k < 1 || k > 16 || !(v instanceof Uint8Array)) {
      throw new PaError('INVALID_ARGUMENT', 'files must map data-group numbers 1–16 to bytes', {
        context: { input: 'files' },
      });
    }
    map.set(k, v);
  }
  return map;
}

/**
 * Verifies a document by passive authentication.
 *
 * Throws `PaError` only when EF.SOD cannot be parsed (`SOD_MALFORMED`,
 * `LDS_SECURITY_OBJECT_MALFORMED`) or an argument is wrong (`INVALID_ARGUMENT`); every
 * verification failure is a reason in the report. Hash the files exactly as read.
 */
export async function verifyPassive(
  input: PassiveInput,
  options: VerifyPassiveOptions,
): Promise<PassiveReport> {
  try {
    const parsed = parseSod(input);
    await prewarm(parsed, options);
    return verifyPassiveSync(input, options, parsed);
  } catch (e) {
    // Contract: only PaError escapes; anything else is a structure this parser did not expect.
    if (e instanceof PaError) throw e;
    throw new PaError('SOD_MALFORMED', 'EF.SOD has an unexpected structure', {
      context: { input: 'sod' },
      cause: e,
    });
  }
}

function parseSod(input: PassiveInput): ParsedSignedData {
  if (!input || !(input.sod instanceof Uint8Array))
    throw new PaError('INVALID_ARGUMENT', 'sod must be bytes', { context: { input: 'sod' } });
  return parseSignedData(input.sod, 'SOD_MALFORMED', 'sod', { contentType: OID_LDS_SECURITY_OBJECT });
}

/**
 * Checks the DSC → anchor and CRL signatures that WebCrypto can check natively (NIST curves)
 * ahead of the synchronous verification, which then finds them recorded. Never throws.
 */
async function prewarm(parsed: ParsedSignedData, options: VerifyPassiveOptions): Promise<void> {
  const store = options?.trustStore;
  if (!store || !Array.isArray(store.anchors) || typeof store.issuerCandidates !== 'function') return;
  const jobs: Promise<void>[] = [];
  const all = [...parsed.certificates, ...store.documentSigners];
  for (const info of parsed.cms.signerInfos) {
    for (const dsc of all.filter((c) => sidMatches(info.sid, c))) {
      for (const anchor of store.issuerCandidates(dsc)) {
        jobs.push(prewarmSignedBy(dsc, anchor.certificate));
        for (const crl of store.crls)
          if (crl.issuer.key === dsc.issuer.key) jobs.push(prewarmCrlSignedBy(crl, anchor.certificate));
      }
    }
  }
  await Promise.all(jobs);
}

function verifyPassiveSync(
  input: PassiveInput,
  options: VerifyPassiveOptions,
  parsed: ParsedSignedData,
): PassiveReport {
  const files = fileMap(input.files);
  const lds = parseLdsSecurityObject(parsed.eContent);
  const base = verifyObject(parsed, options);
  const hash = hashByOid(lds.hashAlgorithm.oid);
  const dataGroups: DataGroupCheck[] = lds.dataGroupHashes
    .map(({ dataGroup, hash: expected }): DataGroupCheck => {
      const file = files.get(dataGroup);
      if (file === undefined) return { dataGroup, status: 'unread', expected: hex(expected) };
      const actual = hash ? hash.hash(file) : new Uint8Array(0);
      const same =
        hash !== undefined && actual.length === expected.length && actual.every((b, i) => b === expected[i]);
      return { dataGroup, status: same ? 'match' : 'mismatch', expected: hex(expected), actual: hex(actual) };
    })
    .sort((a, b) => a.dataGroup - b.dataGroup);
  for (const [dataGroup, file] of files) {
    if (!lds.dataGroupHashes.some((h) => h.dataGroup === dataGroup)) {
      dataGroups.push({ dataGroup, status: 'not-in-sod', ...(hash ? { actual: hex(hash.hash(file)) } : {}) });
    }
  }
  const missingRequired = (options.requiredDataGroups ?? []).filter(
    (n) => !dataGroups.some((d) => d.dataGroup === n && d.status === 'match'),
  );
  const dataOk =
    dataGroups.every((d) => d.status === 'match' || d.status === 'unread') && missingRequired.length === 0;
  const ldsInfo: PassiveReport['lds'] = {
    version: lds.version,
    hashAlgorithm: { oid: lds.hashAlgorithm.oid },
  };
  if (lds.hashAlgorithm.name) ldsInfo.hashAlgorithm.name = lds.hashAlgorithm.name;
  const report: PassiveReport = { ...base, ok: base.ok && dataOk, lds: ldsInfo, dataGroups, missingRequired };
  const dg1 = files.get(1);
  if (options.country?.alpha3 !== undefined && dg1 !== undefined) {
    const document = issuingStateOf(dg1);
    for (const r of [report, ...(report.signerInfos ?? [])]) {
      if (r.country === undefined) continue;
      if (document !== undefined) r.country.document = document;
      if (r.country.ok && document !== options.country.alpha3.toUpperCase()) {
        r.country.ok = false;
        r.country.reason = 'document-country-mismatch';
        r.ok = false;
      }
    }
    if (report.signerInfos) report.ok = report.signerInfos.every((r) => r.ok) && dataOk;
  }
  return report;
}

/** Options of {@link verifySecurityObject}. */
export interface VerifySecurityObjectOptions extends VerifyPassiveOptions {
  /** The eContentType required (EF.CardSecurity: id-SecurityObject, 0.4.0.127.0.7.3.2.1). */
  contentType?: string;
}

/** Report of {@link verifySecurityObject}: the signed content is returned for parsing. */
export interface SecurityObjectReport extends SignedObjectReport {
  contentType: string;
  /** The signed content (for EF.CardSecurity: DER SecurityInfos). */
  content: Uint8Array;
}

/**
 * Verifies another CMS-signed chip object, such as EF.CardSecurity (BSI TR-03110 / ICAO 9303-11
 * §9.2.9): signature, messageDigest, chain, validity and CRL, as for the SOD.
 */
export async function verifySecurityObject(
  bytes: Uint8Array,
  options: VerifySecurityObjectOptions,
): Promise<SecurityObjectReport> {
  try {
    return await verifySecurityObjectAsync(bytes, options);
  } catch (e) {
    if (e instanceof PaError) throw e;
    throw new PaError('SIGNED_DATA_MALFORMED', 'the security object has an unexpected structure', {
      context: { input: 'securityObject' },
      cause: e,
    });
  }
}

async function verifySecurityObjectAsync(
  bytes: Uint8Array,
  options: VerifySecurityObjectOptions,
): Promise<SecurityObjectReport> {
  // EF.CardSecurity in the field (JMRTD's sample) may sign the SecurityInfos without signed attributes.
  const parsed = parseSignedData(bytes, 'SIGNED_DATA_MALFORMED', 'securityObject', {
    requireSignedAttributes: false,
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
  });
  await prewarm(parsed, options);
  return { ...verifyObject(parsed, options), contentType: parsed.eContentType, content: parsed.eContent };
}
