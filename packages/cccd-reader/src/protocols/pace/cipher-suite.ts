/**
 * @module
 * The symmetric primitives of a PACE protocol OID (ICAO Doc 9303 Part 11 §4.4 and §9.7): key
 * derivation KDF(K, c) (§9.7.1), nonce encryption with K_π (CBC, zero IV, no padding), the block
 * encryption used by the integrated mapping, and the 8-byte authentication-token MAC (AES-CMAC
 * truncated, or the ISO 9797-1 retail MAC with padding method 2 for 3DES).
 */
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  deriveKey,
  padIso9797,
  retailMac,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
} from '../../crypto/index.ts';

// ISO/IEC 9797-1 padding method 2, from the crypto layer. PACE's `unpadIso9797` is the lenient
// variant (no block checks), which chip authentication mapping has always used.
export { padIso9797, unpadIso9797Lenient as unpadIso9797 } from '../../crypto/index.ts';

/** Cipher and key length of a PACE / CA protocol. */
export interface CipherSuite {
  readonly cipher: 'aes' | '3des';
  /** 128 (3DES two-key or AES-128), 192 or 256. */
  readonly keyBits: 128 | 192 | 256;
  /** Block length in bytes (8 for 3DES, 16 for AES). */
  readonly blockLength: number;
  /** Key length in bytes (16 for 3DES two-key). */
  readonly keyLength: number;
}

/** The suite for a cipher name and key length as given by `describeProtocolOid`. */
export function cipherSuite(cipher: '3DES' | 'AES' | 'aes' | '3des', keyBits: 128 | 192 | 256): CipherSuite {
  const isAes = cipher === 'AES' || cipher === 'aes';
  return isAes
    ? { cipher: 'aes', keyBits, blockLength: 16, keyLength: keyBits / 8 }
    : { cipher: '3des', keyBits: 128, blockLength: 8, keyLength: 16 };
}

/**
 * KDF(K, c) of ICAO 9303-11 §9.7.1: SHA-1(K ‖ c) for 3DES and AES-128, SHA-256 for AES-192/256,
 * cut to the key length (3DES: Ka ‖ Kb with DES parity bits adjusted).
 */
export function kdf(suite: CipherSuite, secret: Uint8Array, counter: number): Uint8Array {
  return deriveKey(secret, counter, suite.cipher, suite.keyBits);
}

/** CBC encryption with a zero IV and no padding (data must be whole blocks). */
export function encryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  return suite.cipher === 'aes' ? aesCbcEncrypt(key, data, iv) : tripleDesCbcEncrypt(key, data, iv);
}

/** CBC decryption with a zero IV and no padding. */
export function decryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  return suite.cipher === 'aes' ? aesCbcDecrypt(key, data, iv) : tripleDesCbcDecrypt(key, data, iv);
}

/** The 8-byte MAC of PACE authentication tokens: AES-CMAC truncated, or 3DES retail MAC. */
export function mac8(suite: CipherSuite, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (suite.cipher === 'aes') return aesCmac(key, data).slice(0, 8);
  return retailMac(key, padIso9797(data, 8));
}
