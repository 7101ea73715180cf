/**
 * @module
 * The symmetric primitives of a PACE protocol OID (ICAO Doc 9303 Part 11 §4.4 and §9.7): key
 * derivation KDF(K, c) (§9.7.1), nonce encryption with K_π (CBC, zero IV, no padding), the block
 * encryption used by the integrated mapping, and the 8-byte authentication-token MAC (AES-CMAC
 * truncated, or the ISO 9797-1 retail MAC with padding method 2 for 3DES).
 */
import { cbc, cmac } from '@noble/ciphers/aes.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@vneid/core/bytes';
import { tripleDesPrimitives } from './triple-des.ts';

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
  const c = new Uint8Array([
    (counter >>> 24) & 0xff,
    (counter >>> 16) & 0xff,
    (counter >>> 8) & 0xff,
    counter & 0xff,
  ]);
  const input = concatBytes(secret, c);
  const digest = suite.cipher === 'aes' && suite.keyBits > 128 ? sha256(input) : sha1(input);
  const key = digest.slice(0, suite.keyLength);
  if (suite.cipher === '3des') {
    // DES parity: the low bit of each byte makes its bit count odd (ICAO 9303-11 §9.7.1).
    for (let i = 0; i < key.length; i++) {
      const b = (key[i] as number) & 0xfe;
      let ones = 0;
      for (let v = b; v > 0; v >>= 1) ones += v & 1;
      key[i] = b | (ones % 2 === 0 ? 1 : 0);
    }
  }
  return key;
}

/** CBC encryption with a zero IV and no padding (data must be whole blocks). */
export function encryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  if (suite.cipher === 'aes') {
    return cbc(key, iv ?? new Uint8Array(16), { disablePadding: true }).encrypt(data);
  }
  return tripleDesPrimitives().encryptCbc(key, data, iv ?? new Uint8Array(8));
}

/** CBC decryption with a zero IV and no padding. */
export function decryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  if (suite.cipher === 'aes') {
    return cbc(key, iv ?? new Uint8Array(16), { disablePadding: true }).decrypt(data);
  }
  return tripleDesPrimitives().decryptCbc(key, data, iv ?? new Uint8Array(8));
}

/** ISO/IEC 9797-1 padding method 2 to a multiple of `blockLength`. */
export function padIso9797(data: Uint8Array, blockLength: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / blockLength) + 1) * blockLength);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Removes ISO/IEC 9797-1 padding method 2; undefined when the padding is malformed. */
export function unpadIso9797(data: Uint8Array): Uint8Array | undefined {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  return i >= 0 && data[i] === 0x80 ? data.subarray(0, i) : undefined;
}

/** The 8-byte MAC of PACE authentication tokens: AES-CMAC truncated, or 3DES retail MAC. */
export function mac8(suite: CipherSuite, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (suite.cipher === 'aes') return cmac(data, key).slice(0, 8);
  return tripleDesPrimitives().retailMac(key, padIso9797(data, 8));
}
