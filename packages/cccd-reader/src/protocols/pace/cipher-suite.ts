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
  padIso9797 as cryptoPadIso9797,
  deriveKey,
  retailMac,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
  unpadIso9797Lenient,
} from '../../crypto/index.ts';
import { requireArgument, requireBytes, requireCount, requireSuite } from './arguments.ts';

// ISO/IEC 9797-1 padding method 2, from the crypto layer. PACE's `unpadIso9797` is the lenient
// variant (no block checks), which chip authentication mapping has always used.
/** ISO/IEC 9797-1 padding method 2 of `data` to a multiple of `blockLength`. */
export function padIso9797(data: Uint8Array, blockLength: number): Uint8Array {
  requireBytes(data, 'the data');
  requireArgument(
    Number.isInteger(blockLength) && blockLength >= 1 && blockLength <= 256,
    'a block length from 1 to 256',
  );
  return cryptoPadIso9797(data, blockLength);
}

/** Removes ISO/IEC 9797-1 padding method 2 (lenient: no block-length check); undefined when absent. */
export function unpadIso9797(data: Uint8Array): Uint8Array | undefined {
  requireBytes(data, 'the data');
  return unpadIso9797Lenient(data);
}

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
  requireArgument(isAes || cipher === '3DES' || cipher === '3des', "the cipher 'AES' or '3DES'");
  requireArgument(
    !isAes || keyBits === 128 || keyBits === 192 || keyBits === 256,
    'an AES key length of 128, 192 or 256',
  );
  return isAes
    ? { cipher: 'aes', keyBits, blockLength: 16, keyLength: keyBits / 8 }
    : { cipher: '3des', keyBits: 128, blockLength: 8, keyLength: 16 };
}

/**
 * KDF(K, c) of ICAO 9303-11 §9.7.1: SHA-1(K ‖ c) for 3DES and AES-128, SHA-256 for AES-192/256,
 * cut to the key length (3DES: Ka ‖ Kb with DES parity bits adjusted).
 */
export function kdf(suite: CipherSuite, secret: Uint8Array, counter: number): Uint8Array {
  requireSuite(suite);
  requireBytes(secret, 'the shared secret');
  requireCount(counter, 'the KDF counter', 0xffffffff);
  return deriveKey(secret, counter, suite.cipher, suite.keyBits);
}

/** CBC encryption with a zero IV and no padding (data must be whole blocks). */
export function encryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  requireSuite(suite);
  requireBytes(key, 'the key');
  requireBytes(data, 'the data');
  if (iv !== undefined) requireBytes(iv, 'the IV');
  return suite.cipher === 'aes' ? aesCbcEncrypt(key, data, iv) : tripleDesCbcEncrypt(key, data, iv);
}

/** CBC decryption with a zero IV and no padding. */
export function decryptBlocks(
  suite: CipherSuite,
  key: Uint8Array,
  data: Uint8Array,
  iv?: Uint8Array,
): Uint8Array {
  requireSuite(suite);
  requireBytes(key, 'the key');
  requireBytes(data, 'the data');
  if (iv !== undefined) requireBytes(iv, 'the IV');
  return suite.cipher === 'aes' ? aesCbcDecrypt(key, data, iv) : tripleDesCbcDecrypt(key, data, iv);
}

/** The 8-byte MAC of PACE authentication tokens: AES-CMAC truncated, or 3DES retail MAC. */
export function mac8(suite: CipherSuite, key: Uint8Array, data: Uint8Array): Uint8Array {
  requireSuite(suite);
  requireBytes(key, 'the key');
  requireBytes(data, 'the data');
  if (suite.cipher === 'aes') return aesCmac(key, data).slice(0, 8);
  return retailMac(key, cryptoPadIso9797(data, 8));
}
