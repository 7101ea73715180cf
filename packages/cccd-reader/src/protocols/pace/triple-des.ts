/**
 * @module
 * Two-key 3DES primitives PACE needs for the `…-3DES-CBC-CBC` protocols (ICAO Doc 9303 Part 11
 * §9.8.6.1 retail MAC, CBC with zero IV), taken from the package's crypto layer.
 */
import { retailMac, tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../../crypto/index.ts';

/** 3DES-CBC (no padding) and the ISO 9797-1 MAC algorithm 3 over already padded data. */
export interface TripleDesPrimitives {
  encryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  decryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array;
}

const PRIMITIVES: TripleDesPrimitives = {
  encryptCbc: (key, data, iv) => tripleDesCbcEncrypt(key, data, iv),
  decryptCbc: (key, data, iv) => tripleDesCbcDecrypt(key, data, iv),
  retailMac: (key, paddedData) => retailMac(key, paddedData),
};

/** The 3DES primitives. */
export function tripleDesPrimitives(): TripleDesPrimitives {
  return PRIMITIVES;
}
