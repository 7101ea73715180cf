/**
 * @module
 * Secure messaging (`@vneid/cccd-reader/sm`, ICAO Doc 9303 Part 11 §9.8): the terminal's
 * {@link SecureChannel} and the session-key derivation (KDF of §9.7.1) BAC, PACE and chip
 * authentication share. The card side (`./card.ts`) serves only the test-only software chip and
 * is not exported here.
 */
export { deriveKey, KDF_ENC, KDF_MAC, KDF_PI, type SmCipher, type SmKeyBits } from '../crypto/kdf.ts';
export type { SecureMessagingKeys } from './keys.ts';
export { createSecureChannel, type SecureChannel } from './secure-channel.ts';
export { openSession, type SmSession } from './session.ts';
export { deriveSessionKeys } from './session-keys.ts';
export { protectCommand, unprotectResponse } from './terminal.ts';
