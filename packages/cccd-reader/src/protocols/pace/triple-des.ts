/**
 * @module
 * Two-key 3DES primitives for the `…-3DES-CBC-CBC` PACE protocols (ICAO Doc 9303 Part 11
 * §9.8.6.1 retail MAC, CBC with zero IV), as one object. PACE itself calls the package's crypto
 * layer directly (see `cipher-suite.ts`); this view of it is kept for callers that take the
 * primitives as a bundle.
 */
import { retailMac, tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../../crypto/index.ts';

/** 3DES-CBC (no padding) and the ISO 9797-1 MAC algorithm 3 over already padded data. */
export interface TripleDesPrimitives {
  encryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  decryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array;
}

const PRIMITIVES: TripleDesPrimitives = {
  encryptCbc: tripleDesCbcEncrypt,
  decryptCbc: tripleDesCbcDecrypt,
  retailMac,
};

/** The 3DES primitives. */
export function tripleDesPrimitives(): TripleDesPrimitives {
  return PRIMITIVES;
}
