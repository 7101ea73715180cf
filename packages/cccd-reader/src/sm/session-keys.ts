/**
 * @module
 * Session keys from a shared secret (ICAO Doc 9303 Part 11 §9.7.1): KS_Enc = KDF(K, 1),
 * KS_MAC = KDF(K, 2), and a zero SSC as PACE (§4.4) and chip authentication (§6.2) start with.
 */
import { deriveKey, KDF_ENC, KDF_MAC } from '../crypto/kdf.ts';
import type { SecureMessagingKeys } from './keys.ts';

/**
 * Secure-messaging keys derived from the shared secret K, with SSC = 0 (8 bytes for 3DES,
 * 16 for AES). BAC derives the same keys but sets its own SSC.
 * @throws {ReaderError} `INVALID_ARGUMENT` for an unknown cipher / key length
 */
export function deriveSessionKeys(
  sharedSecret: Uint8Array,
  cipher: '3des' | 'aes',
  keyBits: 128 | 192 | 256,
): SecureMessagingKeys {
  return {
    cipher,
    keyBits,
    kEnc: deriveKey(sharedSecret, KDF_ENC, cipher, keyBits),
    kMac: deriveKey(sharedSecret, KDF_MAC, cipher, keyBits),
    ssc: new Uint8Array(cipher === 'aes' ? 16 : 8),
  };
}
