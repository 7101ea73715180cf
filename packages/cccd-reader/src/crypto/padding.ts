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

/** Index of the `80` marker when `data[floor..]` ends in `80 00…00`, else -1. */
function paddingStart(data: Uint8Array, floor: number): number {
  let i = data.length - 1;
  while (i >= floor && data[i] === 0) i--;
  return i >= floor && data[i] === 0x80 ? i : -1;
}

/**
 * Removes method-2 padding strictly: the input is whole blocks, the padding is `80` followed
 * by at most `blockLength - 1` zero bytes. Returns `undefined` when malformed.
 */
export function unpadIso9797(data: Uint8Array, blockLength: number): Uint8Array | undefined {
  if (data.length === 0 || data.length % blockLength !== 0) return undefined;
  const i = paddingStart(data, data.length - blockLength);
  return i < 0 ? undefined : data.subarray(0, i);
}

/**
 * Removes method-2 padding without block checks: strips any run of trailing `00`s and the `80`
 * before them (PACE chip authentication mapping data). Returns `undefined` without an `80`.
 */
export function unpadIso9797Lenient(data: Uint8Array): Uint8Array | undefined {
  const i = paddingStart(data, 0);
  return i < 0 ? undefined : data.subarray(0, i);
}
