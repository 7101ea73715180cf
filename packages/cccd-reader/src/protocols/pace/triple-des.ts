/**
 * @module
 * Two-key 3DES primitives PACE needs for the `…-3DES-CBC-CBC` protocols (ICAO Doc 9303 Part 11
 * §9.8.6.1 retail MAC, CBC with zero IV), taken from the package's crypto layer.
 */
import { PaceError } from './pace-error.ts';

/** 3DES-CBC (no padding) and the ISO 9797-1 MAC algorithm 3 over already padded data. */
export interface TripleDesPrimitives {
  encryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  decryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
  retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array;
}

/** The 3DES primitives. */
export function tripleDesPrimitives(): TripleDesPrimitives {
  throw new PaceError('UNSUPPORTED_PROTOCOL', '3DES is not available yet');
}
