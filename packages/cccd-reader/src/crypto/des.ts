/**
 * @module
 * The DES block cipher (FIPS 46-3), written from the standard's tables: initial and final
 * permutations, the key schedule (PC-1, left shifts, PC-2) and the 16-round Feistel network
 * with the expansion E, the eight S-boxes and the permutation P. S-boxes and P are combined
 * into eight 64-entry lookup tables at first use. Only used as the building block of two-key
 * 3DES and the ISO 9797-1 retail MAC (ICAO Doc 9303 Part 11 §9.8.6.1).
 */

// Tables of FIPS 46-3, 1-based bit positions counted from the most significant bit.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13,
  53, 21, 61, 29, 36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26,
  33, 1, 41, 9, 49, 17, 57, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
// S-boxes: S[i][row * 16 + column].
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
];

/** Bit `pos` (1-based from the most significant bit) of a 64-bit value held as two words. */
function bit64(hi: number, lo: number, pos: number): number {
  return pos <= 32 ? (hi >>> (32 - pos)) & 1 : (lo >>> (64 - pos)) & 1;
}

/**
 * A 64 → 64 permutation as byte lookup tables: entry (byte position b, value v) holds the output
 * bits that byte b contributes, so a permutation is 8 lookups instead of 64 bit moves.
 */
function byteTables(table: readonly number[]): Uint32Array {
  const out = new Uint32Array(8 * 256 * 2);
  for (let b = 0; b < 8; b++) {
    for (let v = 0; v < 256; v++) {
      const hi = b < 4 ? v << (24 - 8 * b) : 0;
      const lo = b >= 4 ? v << (24 - 8 * (b - 4)) : 0;
      let h = 0;
      let l = 0;
      for (let i = 0; i < 32; i++) h = (h << 1) | bit64(hi >>> 0, lo >>> 0, table[i] as number);
      for (let i = 32; i < 64; i++) l = (l << 1) | bit64(hi >>> 0, lo >>> 0, table[i] as number);
      out[(b * 256 + v) * 2] = h >>> 0;
      out[(b * 256 + v) * 2 + 1] = l >>> 0;
    }
  }
  return out;
}

let ipTables: Uint32Array | undefined;
let fpTables: Uint32Array | undefined;

/** Applies a permutation given as byte tables to two 32-bit words. */
function permute64(t: Uint32Array, hi: number, lo: number): [number, number] {
  let h = 0;
  let l = 0;
  for (let b = 0; b < 4; b++) {
    const i = (b * 256 + ((hi >>> (24 - 8 * b)) & 0xff)) * 2;
    h |= t[i] as number;
    l |= t[i + 1] as number;
  }
  for (let b = 4; b < 8; b++) {
    const i = (b * 256 + ((lo >>> (24 - 8 * (b - 4))) & 0xff)) * 2;
    h |= t[i] as number;
    l |= t[i + 1] as number;
  }
  return [h >>> 0, l >>> 0];
}

let spTables: Uint32Array[] | undefined;

/** SP[i][x]: P applied to the 4-bit output of S-box i (input x) placed at its position. */
function sp(): Uint32Array[] {
  if (spTables !== undefined) return spTables;
  const tables: Uint32Array[] = [];
  for (let i = 0; i < 8; i++) {
    const t = new Uint32Array(64);
    const box = S[i] as number[];
    for (let x = 0; x < 64; x++) {
      const row = ((x >> 4) & 2) | (x & 1);
      const col = (x >> 1) & 15;
      const out = (box[row * 16 + col] as number) << (28 - 4 * i);
      let v = 0;
      for (let j = 0; j < 32; j++) v = (v << 1) | ((out >>> (32 - (P[j] as number))) & 1);
      t[x] = v >>> 0;
    }
    tables.push(t);
  }
  spTables = tables;
  return tables;
}

/** The 16 round keys, each as eight 6-bit chunks. */
export type DesKeySchedule = Uint8Array;

/** Expands an 8-byte DES key (parity bits ignored) into its 16 round keys. */
export function desKeySchedule(key: Uint8Array): DesKeySchedule {
  const hi =
    (((key[0] as number) << 24) |
      ((key[1] as number) << 16) |
      ((key[2] as number) << 8) |
      (key[3] as number)) >>>
    0;
  const lo =
    (((key[4] as number) << 24) |
      ((key[5] as number) << 16) |
      ((key[6] as number) << 8) |
      (key[7] as number)) >>>
    0;
  // C and D: 28-bit halves after PC-1.
  let c = 0;
  let d = 0;
  for (let i = 0; i < 28; i++) c = (c << 1) | bit64(hi, lo, PC1[i] as number);
  for (let i = 28; i < 56; i++) d = (d << 1) | bit64(hi, lo, PC1[i] as number);
  const out = new Uint8Array(16 * 8);
  const rot = (v: number, n: number): number => ((v << n) | (v >>> (28 - n))) & 0x0fffffff;
  for (let round = 0; round < 16; round++) {
    const n = SHIFTS[round] as number;
    c = rot(c, n);
    d = rot(d, n);
    // Bits 1–28 are C, 29–56 are D.
    for (let chunk = 0; chunk < 8; chunk++) {
      let v = 0;
      for (let j = 0; j < 6; j++) {
        const pos = PC2[chunk * 6 + j] as number;
        const b = pos <= 28 ? (c >>> (28 - pos)) & 1 : (d >>> (56 - pos)) & 1;
        v = (v << 1) | b;
      }
      out[round * 8 + chunk] = v;
    }
  }
  return out;
}

/**
 * The Feistel function f(R, K): expansion E, key mixing, S-boxes and P. Chunk i of E(R) is bits
 * 4i … 4i+5 of R (1-based, bit 0 meaning bit 32 and bit 33 meaning bit 1), i.e. R rotated right
 * by 27 − 4i, low 6 bits.
 */
function feistel(r: number, k: DesKeySchedule, o: number, sp: Uint32Array[]): number {
  return (
    ((sp[0] as Uint32Array)[(((r >>> 27) | (r << 5)) & 63) ^ (k[o] as number)] as number) |
    ((sp[1] as Uint32Array)[((r >>> 23) & 63) ^ (k[o + 1] as number)] as number) |
    ((sp[2] as Uint32Array)[((r >>> 19) & 63) ^ (k[o + 2] as number)] as number) |
    ((sp[3] as Uint32Array)[((r >>> 15) & 63) ^ (k[o + 3] as number)] as number) |
    ((sp[4] as Uint32Array)[((r >>> 11) & 63) ^ (k[o + 4] as number)] as number) |
    ((sp[5] as Uint32Array)[((r >>> 7) & 63) ^ (k[o + 5] as number)] as number) |
    ((sp[6] as Uint32Array)[((r >>> 3) & 63) ^ (k[o + 6] as number)] as number) |
    ((sp[7] as Uint32Array)[(((r << 1) | (r >>> 31)) & 63) ^ (k[o + 7] as number)] as number)
  );
}

/** Encrypts (or decrypts) one 8-byte block at `offset` of `input` into `output`. */
export function desBlock(
  schedule: DesKeySchedule,
  decrypt: boolean,
  input: Uint8Array,
  inOffset: number,
  output: Uint8Array,
  outOffset: number,
): void {
  const tables = sp();
  const hi =
    (((input[inOffset] as number) << 24) |
      ((input[inOffset + 1] as number) << 16) |
      ((input[inOffset + 2] as number) << 8) |
      (input[inOffset + 3] as number)) >>>
    0;
  const lo =
    (((input[inOffset + 4] as number) << 24) |
      ((input[inOffset + 5] as number) << 16) |
      ((input[inOffset + 6] as number) << 8) |
      (input[inOffset + 7] as number)) >>>
    0;
  ipTables ??= byteTables(IP);
  fpTables ??= byteTables(FP);
  let [l, r] = permute64(ipTables, hi, lo);
  for (let i = 0; i < 16; i++) {
    const round = decrypt ? 15 - i : i;
    const next = (l ^ feistel(r, schedule, round * 8, tables)) >>> 0;
    l = r;
    r = next;
  }
  // Pre-output block is R16 ‖ L16.
  const [oh, ol] = permute64(fpTables, r, l);
  output[outOffset] = oh >>> 24;
  output[outOffset + 1] = (oh >>> 16) & 0xff;
  output[outOffset + 2] = (oh >>> 8) & 0xff;
  output[outOffset + 3] = oh & 0xff;
  output[outOffset + 4] = ol >>> 24;
  output[outOffset + 5] = (ol >>> 16) & 0xff;
  output[outOffset + 6] = (ol >>> 8) & 0xff;
  output[outOffset + 7] = ol & 0xff;
}
