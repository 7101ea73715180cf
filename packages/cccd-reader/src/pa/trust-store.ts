/**
 * @module
 * Trust store for passive authentication (ICAO Doc 9303 Part 12 §5 and §9, Part 11 §5.1):
 * several CSCA anchors and link certificates (PEM or DER), CSCA master lists whose own CMS
 * signature is verified and whose signer must chain to an explicitly trusted certificate before
 * their CSCAs are used, and CSCA CRLs.
 */
import { type CertificateInfo, certificateSignedBy, parseCertificates } from './certificate.ts';
import { type CrlInfo, parseCrls } from './crl.ts';
import { parseMasterList } from './master-list.ts';
import { PaError } from './pa-error.ts';
import { type SignerFailure, verifySigner } from './signed-data.ts';

/** A certificate the store trusts, and where it came from. */
export interface TrustAnchor {
  certificate: CertificateInfo;
  /** `certificate`: given directly; `master-list`: from a verified master list. */
  source: 'certificate' | 'master-list' | 'unverified-master-list';
  /** Index in `masterLists`, when from a master list. */
  masterList?: number;
}

/** What happened to each master list. */
export interface MasterListReport {
  index: number;
  /** Master list version and number of certificates it holds. */
  version: number;
  certificateCount: number;
  /** Subject of the Master List Signer certificate, when found. */
  signer?: string;
  /** The master list's CMS signature by its signer (and messageDigest). */
  signature: { ok: boolean; algorithm: string; reason?: SignerFailure | 'message-digest-mismatch' };
  /** Whether the signer chains to a trusted certificate (`masterListSigners` or `certificates`). */
  signerTrusted: boolean;
  /** Subject of the certificate that vouches for the signer. */
  trustedBy?: string;
  /** Certificates added to the store from this list. */
  added: number;
}

/** Options of {@link createTrustStore}. */
export interface TrustStoreOptions {
  /**
   * Trusted CSCA certificates and link certificates: PEM text (one or many blocks) or DER bytes.
   * Every certificate given here is a trust anchor.
   */
  certificates?: Array<string | Uint8Array>;
  /** ICAO CSCA master lists (CMS `.ml` files: DER, PEM or Base64). */
  masterLists?: Array<string | Uint8Array>;
  /**
   * Certificates trusted to vouch for master-list signers only (e.g. the German or Dutch CSCA
   * that certifies its Master List Signer). `certificates` are accepted for this too.
   */
  masterListSigners?: Array<string | Uint8Array>;
  /** CSCA CRLs (PEM or DER). */
  crls?: Array<string | Uint8Array>;
  /**
   * Add the CSCAs of master lists whose signature or signer could not be verified (reported as
   * `unverified-master-list` anchors). Default false: such lists are only reported.
   */
  acceptUntrustedMasterLists?: boolean;
  /** Document signer certificates for SODs that do not embed theirs (not anchors). */
  documentSigners?: Array<string | Uint8Array>;
}

/** A set of trust anchors and CRLs. Immutable; build a new one to add more. */
export interface TrustStore {
  readonly anchors: readonly TrustAnchor[];
  readonly crls: readonly CrlInfo[];
  readonly masterLists: readonly MasterListReport[];
  readonly documentSigners: readonly CertificateInfo[];
  /** Anchors whose subject matches `cert`'s issuer (names order-insensitive) or whose SKI = its AKI. */
  issuerCandidates(cert: CertificateInfo): TrustAnchor[];
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

function list<T>(value: T[] | undefined, name: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PaError('INVALID_ARGUMENT', `${name} must be an array`, { context: { input: name } });
  return value;
}

/** Whether `issuer` could have issued `cert` (name or key identifier). */
export function mayHaveIssued(issuer: CertificateInfo, cert: CertificateInfo): boolean {
  // Key identifiers, when both are present, decide (they tell apart successive CSCA keys under
  // one name); otherwise the names, compared order-insensitively.
  if (cert.authorityKeyIdentifier && issuer.subjectKeyIdentifier) {
    return sameBytes(cert.authorityKeyIdentifier, issuer.subjectKeyIdentifier);
  }
  return issuer.subject.key === cert.issuer.key;
}

/**
 * Builds a trust store.
 *
 * @example
 * ```ts
 * const store = createTrustStore({ certificates: [vietnamCsca()], masterLists: [mlBytes], masterListSigners: [deCsca] });
 * ```
 */
export function createTrustStore(options: TrustStoreOptions = {}): TrustStore {
  if (typeof options !== 'object' || options === null)
    throw new PaError('INVALID_ARGUMENT', 'options must be an object', { context: { input: 'options' } });
  const anchors: TrustAnchor[] = [];
  const seen = new Set<string>();
  const add = (a: TrustAnchor): boolean => {
    if (seen.has(a.certificate.fingerprintSha256)) return false;
    seen.add(a.certificate.fingerprintSha256);
    anchors.push(a);
    return true;
  };
  list(options.certificates, 'certificates').forEach((c, i) => {
    for (const cert of parseCertificates(c, `certificates[${i}]`))
      add({ certificate: cert, source: 'certificate' });
  });
  const explicit = [...anchors.map((a) => a.certificate)];
  list(options.masterListSigners, 'masterListSigners').forEach((c, i) => {
    explicit.push(...parseCertificates(c, `masterListSigners[${i}]`));
  });
  const masterLists: MasterListReport[] = [];
  list(options.masterLists, 'masterLists').forEach((input, index) => {
    const ml = parseMasterList(input, `masterLists[${index}]`);
    // Every SignerInfo must verify; the first one's signer is the one reported and vouched for.
    const checks = ml.signedData.cms.signerInfos.map((_, i) => verifySigner(ml.signedData, [], i));
    const check =
      checks.find((c) => !c.signature.ok || !c.messageDigest.ok) ?? (checks[0] as (typeof checks)[0]);
    const report: MasterListReport = {
      index,
      version: ml.version,
      certificateCount: ml.certificates.length,
      signature: { ok: check.signature.ok && check.messageDigest.ok, algorithm: check.signature.algorithm },
      signerTrusted: false,
      added: 0,
    };
    if (check.signature.reason) report.signature.reason = check.signature.reason;
    else if (!check.messageDigest.ok) report.signature.reason = 'message-digest-mismatch';
    const signer = check.signer;
    if (signer) {
      report.signer = signer.subject.text;
      const direct = explicit.find((c) => c.fingerprintSha256 === signer.fingerprintSha256);
      const voucher =
        direct ?? explicit.find((c) => mayHaveIssued(c, signer) && certificateSignedBy(signer, c).ok);
      if (voucher) {
        report.signerTrusted = true;
        report.trustedBy = voucher.subject.text;
      }
    }
    const trusted = report.signature.ok && report.signerTrusted;
    if (trusted || options.acceptUntrustedMasterLists === true) {
      for (const cert of ml.certificates) {
        if (
          add({
            certificate: cert,
            source: trusted ? 'master-list' : 'unverified-master-list',
            masterList: index,
          })
        )
          report.added++;
      }
    }
    masterLists.push(report);
  });
  const crls: CrlInfo[] = [];
  list(options.crls, 'crls').forEach((c, i) => {
    crls.push(...parseCrls(c, `crls[${i}]`));
  });
  const documentSigners: CertificateInfo[] = [];
  list(options.documentSigners, 'documentSigners').forEach((c, i) => {
    documentSigners.push(...parseCertificates(c, `documentSigners[${i}]`));
  });
  return {
    anchors,
    crls,
    masterLists,
    documentSigners,
    issuerCandidates(cert: CertificateInfo): TrustAnchor[] {
      return anchors.filter((a) => mayHaveIssued(a.certificate, cert));
    },
  };
}
