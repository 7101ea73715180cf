/**
 * @module
 * Internal symmetric crypto of the reader (no public subpath): DES/3DES, the retail MAC, AES,
 * AES-CMAC, ISO 9797-1 padding method 2, the ICAO 9303-11 KDF and the hashes it uses.
 */

export { sha1 } from '@noble/hashes/legacy.js';
export { sha256 } from '@noble/hashes/sha2.js';
export { aesCbcDecrypt, aesCbcEncrypt, aesCmac, aesEcbEncrypt } from './aes.ts';
export { type DesKeySchedule, desBlock, desKeySchedule } from './des.ts';
export {
  adjustDesParity,
  deriveKey,
  KDF_ENC,
  KDF_MAC,
  KDF_PI,
  type SmCipher,
  type SmKeyBits,
} from './kdf.ts';
export { padIso9797, unpadIso9797, unpadIso9797Lenient } from './padding.ts';
export { retailMac, tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './triple-des.ts';
