/**
 * @module
 * Test PKI for the software chip and the passive-authentication tests (ICAO Doc 9303 Part 12):
 * CSCA and Document Signer certificates for RSA, RSA-PSS, ECDSA P-256 and brainpool (optionally
 * with explicit EC parameters), EF.SOD signing, CRLs and CSCA master lists. TEST ONLY: key and
 * certificate generators for the software chip and the tests; reachable only through the
 * test-only `@vneid/cccd-reader/emulator` entry, never from a public reader subpath.
 */
export {
  type CrlOptions,
  createCrl,
  createMasterList,
  encodeLdsSecurityObject,
  type LdsSecurityObjectOptions,
  type SignCmsOptions,
  type SignSodOptions,
  signCms,
  signSod,
} from './cms.ts';
export type { RandomSource, TestKeyType, TestSigningKey } from './keys.ts';
export {
  createLinkCertificate,
  createTestPki,
  TEST_PKI_ALGORITHMS,
  type TestCertifiedKey,
  type TestPki,
  type TestPkiAlgorithm,
  type TestPkiOptions,
  toPem,
} from './test-pki.ts';
