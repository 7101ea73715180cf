/**
 * @module
 * Two-key 3DES (DES-EDE with K1 ‖ K2, K3 = K1) in CBC mode and the ISO/IEC 9797-1 MAC
 * algorithm 3 ("retail MAC") with DES, as ICAO Doc 9303 Part 11 §9.8.6.1 uses them for BAC,
 * PACE-3DES and 3DES secure messaging. No padding is applied here: callers pad first.
 */
import { ReaderError } from '../errors.ts';
import { type DesKeySchedule, desBlock, desKeySchedule } from './des.ts';

interface TripleDesKey {
  k1: DesKeySchedule;
  k2: DesKeySchedule;
  k3: DesKeySchedule;
}

function expandKey(key: Uint8Array): TripleDesKey {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24)) {
    throw new ReaderError('INVALID_ARGUMENT', '3DES keys are 16 (two-key) or 24 bytes long');
  }
  const k1 = desKeySchedule(key.subarray(0, 8));
  const k2 = desKeySchedule(key.subarray(8, 16));
  const k3 = key.length === 24 ? desKeySchedule(key.subarray(16, 24)) : k1;
  return { k1, k2, k3 };
}

function checkBlocks(data: Uint8Array, iv: Uint8Array): void {
  if (data.length % 8 !== 0) {
    throw new ReaderError('INVALID_ARGUMENT', '3DES-CBC data must be a multiple of 8 bytes', {
      context: { length: data.length },
    });
  }
  if (iv.length !== 8) throw new ReaderError('INVALID_ARGUMENT', 'the 3DES IV is 8 bytes long');
}

/** 3DES-CBC encryption (EDE) of whole blocks with the given IV. */
export function tripleDesCbcEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(8),
): Uint8Array {
  checkBlocks(data, iv);
  const { k1, k2, k3 } = expandKey(key);
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(8);
  let prev = iv;
  for (let off = 0; off < data.length; off += 8) {
    for (let i = 0; i < 8; i++) block[i] = (data[off + i] as number) ^ (prev[i] as number);
    desBlock(k1, false, block, 0, block, 0);
    desBlock(k2, true, block, 0, block, 0);
    desBlock(k3, false, block, 0, out, off);
    prev = out.subarray(off, off + 8);
  }
  return out;
}

/** 3DES-CBC decryption (DED) of whole blocks with the given IV. */
export function tripleDesCbcDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = new Uint8Array(8),
): Uint8Array {
  checkBlocks(data, iv);
  const { k1, k2, k3 } = expandKey(key);
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(8);
  for (let off = 0; off < data.length; off += 8) {
    desBlock(k3, true, data, off, block, 0);
    desBlock(k2, false, block, 0, block, 0);
    desBlock(k1, true, block, 0, block, 0);
    for (let i = 0; i < 8; i++) {
      const p = off === 0 ? (iv[i] as number) : (data[off - 8 + i] as number);
      out[off + i] = (block[i] as number) ^ p;
    }
  }
  return out;
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 with DES and a 16-byte key Ka ‖ Kb: single-DES CBC under Ka
 * over every block, then the last block decrypted with Kb and encrypted with Ka. The data must
 * already be padded (ICAO uses padding method 2). Returns the 8-byte MAC.
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== 16) {
    throw new ReaderError('INVALID_ARGUMENT', 'the retail MAC key is 16 bytes long');
  }
  if (paddedData.length === 0 || paddedData.length % 8 !== 0) {
    throw new ReaderError('INVALID_ARGUMENT', 'retail MAC input must be whole 8-byte blocks', {
      context: { length: paddedData.length },
    });
  }
  const ka = desKeySchedule(key.subarray(0, 8));
  const kb = desKeySchedule(key.subarray(8, 16));
  const h = new Uint8Array(8);
  for (let off = 0; off < paddedData.length; off += 8) {
    for (let i = 0; i < 8; i++) h[i] = (h[i] as number) ^ (paddedData[off + i] as number);
    desBlock(ka, false, h, 0, h, 0);
  }
  desBlock(kb, true, h, 0, h, 0);
  desBlock(ka, false, h, 0, h, 0);
  return h;
}
