/**
 * @module
 * Key derivation of ICAO Doc 9303 Part 11 §9.7.1: KDF(K, c) = H(K ‖ c) with c a 32-bit
 * big-endian counter (1 for K_Enc, 2 for K_MAC, 3 for K_π), H = SHA-1 for 3DES and AES-128
 * and SHA-256 for AES-192/256; 3DES keys are the first 16 bytes with DES parity adjusted.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ReaderError } from '../errors.ts';

/** Secure-messaging cipher of ICAO 9303-11 §9.8. */
export type SmCipher = '3des' | 'aes';
/** Key length in bits (3DES two-key counts as 128). */
export type SmKeyBits = 128 | 192 | 256;

/** KDF counter for the encryption key. */
export const KDF_ENC = 1;
/** KDF counter for the MAC key. */
export const KDF_MAC = 2;
/** KDF counter for the PACE password key K_π. */
export const KDF_PI = 3;

/** Sets the low bit of each byte so that every byte has an odd number of ones (DES parity). */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const b = (key[i] as number) & 0xfe;
    let ones = 0;
    for (let v = b; v > 0; v >>= 1) ones += v & 1;
    out[i] = b | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/**
 * KDF(seed, counter) for the given cipher and key length (ICAO 9303-11 §9.7.1).
 * @throws {ReaderError} `INVALID_ARGUMENT` for an unknown cipher / key length or a bad counter
 */
export function deriveKey(
  seed: Uint8Array,
  counter: number,
  cipher: SmCipher,
  keyBits: SmKeyBits,
): Uint8Array {
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new ReaderError('INVALID_ARGUMENT', 'the KDF counter is a 32-bit unsigned integer');
  }
  if (cipher !== '3des' && cipher !== 'aes')
    throw new ReaderError('INVALID_ARGUMENT', "the cipher is '3des' or 'aes'");
  if (keyBits !== 128 && keyBits !== 192 && keyBits !== 256) {
    throw new ReaderError('INVALID_ARGUMENT', 'the key length is 128, 192 or 256 bits');
  }
  if (cipher === '3des' && keyBits !== 128)
    throw new ReaderError('INVALID_ARGUMENT', 'two-key 3DES keys are 128 bits');
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  input[seed.length] = counter >>> 24;
  input[seed.length + 1] = (counter >>> 16) & 0xff;
  input[seed.length + 2] = (counter >>> 8) & 0xff;
  input[seed.length + 3] = counter & 0xff;
  const digest = cipher === 'aes' && keyBits > 128 ? sha256(input) : sha1(input);
  const key = digest.slice(0, keyBits / 8);
  return cipher === '3des' ? adjustDesParity(key) : key;
}
