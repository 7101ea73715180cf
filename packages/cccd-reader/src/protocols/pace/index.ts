/**
 * @module
 * PACE (ICAO Doc 9303 Part 11 §4.4): `performPace` against a card, and the terminal's pure
 * building blocks (nonce decryption, generic / integrated mapping, the check of the chip
 * authentication mapping, key agreement, authentication tokens, public key data objects, domain
 * parameters). The chip's side (nonce encryption, computing A_IC) is not exported: it lives in
 * `../card/pace-card.ts` for the test-only software chip (`@vneid/cccd-reader/emulator`).
 */
export {
  computeAuthenticationToken,
  encodePublicKeyDataObject,
  verifyAuthenticationToken,
} from './authentication-token.ts';
export {
  decryptChipAuthenticationData,
  verifyChipAuthenticationMapping,
} from './chip-authentication-mapping.ts';
export {
  type CipherSuite,
  cipherSuite,
  decryptBlocks,
  encryptBlocks,
  kdf,
  mac8,
  padIso9797,
  unpadIso9797,
} from './cipher-suite.ts';
export {
  agree,
  baseGenerator,
  bigIntToBytes,
  bytesToBigInt,
  type DhDomain,
  decodeDhPublic,
  decodePoint,
  dhDomain,
  domainForParameterId,
  drawPrivateKey,
  type EcDomain,
  type EcPoint,
  ecDomain,
  encodePoint,
  type PaceDomain,
  type PaceGenerator,
  type PaceKeyPair,
  publicKeyFor,
  sharedSecret,
} from './domain-parameters.ts';
export { genericMapping } from './generic-mapping.ts';
export {
  type BlockEncrypt,
  encodeFieldElementToPoint,
  integratedMapping,
  pseudoRandomNumber,
} from './integrated-mapping.ts';
export { PaceError, type PaceErrorCode, type PaceErrorContext } from './pace-error.ts';
export {
  decryptNonce,
  type PacePassword,
  type PasswordReference,
  passwordBytes,
  passwordKey,
  passwordReference,
} from './password.ts';
export {
  type PaceResult,
  type PaceSessionKeys,
  type PaceStep,
  type PerformPaceOptions,
  performPace,
} from './perform-pace.ts';
export { type PaceCamReport, selectPaceInfo, verifyPaceCam } from './select-pace-info.ts';
