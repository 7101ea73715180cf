/**
 * @module
 * ISO/IEC 9797-1 padding method 2 (ICAO Doc 9303 Part 11 §9.8.3): append `80`, then `00`s up
 * to a multiple of the block length, always at least one byte.
 */

/** Pads `data` with method 2 to a multiple of `blockLength` (8 or 16). */
export function padIso9797(data: Uint8Array, blockLength: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / blockLength) + 1) * blockLength);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * Removes method-2 padding strictly: the input is whole blocks, the padding is `80` followed
 * by at most `blockLength - 1` zero bytes. Returns `undefined` when malformed.
 */
export function unpadIso9797(data: Uint8Array, blockLength: number): Uint8Array | undefined {
  if (data.length === 0 || data.length % blockLength !== 0) return undefined;
  let i = data.length - 1;
  const floor = data.length - blockLength;
  while (i >= floor && data[i] === 0) i--;
  if (i < floor || data[i] !== 0x80) return undefined;
  return data.subarray(0, i);
}
