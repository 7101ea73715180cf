/**
 * @module
 * `@vneid/cccd-reader/pa`: passive authentication of eMRTD / CCCD chips (ICAO Doc 9303 Part 11
 * §5.1, Part 12): a trust store of CSCAs, link certificates, master lists and CRLs, and
 * `verifyPassive`, which checks EF.SOD and the data groups and returns a report. Uses pkijs and
 * asn1js, so it stays behind its own subpath.
 */

export type { HashName } from './algorithms.ts';
export { VIETNAM_COUNTRY, VIETNAM_CSCA_PEM, VIETNAM_CSCA_SHA256, vietnamCsca } from './anchors/vietnam.ts';
export { type CertificateInfo, type Name, parseCertificates } from './certificate.ts';
export { type CrlInfo, parseCrls } from './crl.ts';
export { type ParsedMasterList, parseMasterList } from './master-list.ts';
export { PaError, type PaErrorCode, type PaErrorContext } from './pa-error.ts';
export type { SignerFailure } from './signed-data.ts';
export {
  createTrustStore,
  type MasterListReport,
  type TrustAnchor,
  type TrustStore,
  type TrustStoreOptions,
} from './trust-store.ts';
export {
  type ChainFailure,
  type CountryCheck,
  type CrlCheck,
  type DataGroupCheck,
  type DataGroupStatus,
  type IssuingCountry,
  type PassiveInput,
  type PassiveReport,
  type SecurityObjectReport,
  type SignedObjectReport,
  type ValidityCheck,
  type ValidityFailure,
  type ValidityPolicy,
  type VerifyPassiveOptions,
  type VerifySecurityObjectOptions,
  verifyPassive,
  verifySecurityObject,
} from './verify-passive.ts';
