/**
 * @module
 * AES for ICAO Doc 9303 Part 11 §9.8.6.2 (via `@noble/ciphers`): CBC without padding, one-block
 * ECB encryption (the SM IV is E(KS_Enc, SSC)) and AES-CMAC (NIST SP 800-38B).
 */
import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { ReaderError } from '../errors.ts';

function checkAes(key: Uint8Array, data: Uint8Array): void {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
    throw new ReaderError('INVALID_ARGUMENT', 'AES keys are 16, 24 or 32 bytes long');
  }
  if (data.length % 16 !== 0) {
    throw new ReaderError('INVALID_ARGUMENT', 'AES data must be a multiple of 16 bytes', {
      context: { length: data.length },
    });
  }
}

/** AES-CBC encryption of whole blocks (IV default: zero). */
export function aesCbcEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(16),
): Uint8Array {
  checkAes(key, data);
  return cbc(key, iv, { disablePadding: true }).encrypt(data);
}

/** AES-CBC decryption of whole blocks (IV default: zero). */
export function aesCbcDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(16),
): Uint8Array {
  checkAes(key, data);
  return cbc(key, iv, { disablePadding: true }).decrypt(data);
}

/** AES-ECB encryption of whole blocks (no padding). */
export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkAes(key, data);
  return ecb(key, { disablePadding: true }).encrypt(data);
}

/** AES-CMAC (NIST SP 800-38B, RFC 4493): the full 16-byte tag. */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkAes(key, new Uint8Array(0));
  return cmac(data, key);
}
