/**
 * @module
 * A tiny synthetic face picture as a valid baseline JPEG (ITU-T T.81): one grey-scale component,
 * each 8×8 block one flat shade (only DC coefficients are coded, every AC run ends with EOB),
 * with the DC Huffman table of T.81 Annex K.3 (Table K.3). The picture is a schematic face (hair,
 * oval, eyes, mouth) varied by a seed, never a photograph of anyone. A JFIF APP0 segment comes
 * first; a COM segment can pad the file to the size of real DG2 images (~15 KB) so that reading
 * it costs as many APDUs as on a real card.
 */
import { seededRandom } from './random.ts';

/** Options of {@link createFaceJpeg}. */
export interface FaceJpegOptions {
  /** Width in pixels (default 300, as CCCD portraits). */
  width?: number;
  /** Height in pixels (default 400). */
  height?: number;
  /** Varies the shades and features. */
  seed?: number;
  /** Pad the file with a comment segment up to this many bytes (default: no padding). */
  targetBytes?: number;
}

/** T.81 Table K.3: luminance DC code lengths (BITS) and values (HUFFVAL). */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** An AC table holding only EOB (0x00) with the 1-bit code `0`. */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

/** Canonical Huffman codes (T.81 Annex C): value → [code, length]. */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < (bits[length - 1] as number); i++) {
      out.set(values[k++] as number, [code, length]);
      code++;
    }
    code <<= 1;
  }
  return out;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    // Byte stuffing (T.81 B.1.1.5): a coded FF is followed by 00.
    if (this.acc === 0xff) this.bytes.push(0x00);
    this.acc = 0;
    this.count = 0;
  }
  finish(): number[] {
    // Pad the last byte with 1-bits (T.81 F.1.2.3).
    while (this.count !== 0) this.write(1, 1);
    return this.bytes;
  }
}

const segment = (marker: number, body: readonly number[]): number[] => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/** The shade (0–255) of block (bx, by) of a schematic face on a `cols`×`rows` block grid. */
function shade(bx: number, by: number, cols: number, rows: number, tone: number, hair: number): number {
  const x = (bx + 0.5) / cols - 0.5;
  const y = (by + 0.5) / rows - 0.5;
  const face = (x / 0.3) ** 2 + ((y - 0.05) / 0.38) ** 2 <= 1;
  const hairCap = (x / 0.34) ** 2 + ((y + 0.08) / 0.4) ** 2 <= 1 && y < -0.18;
  const eye = Math.abs(Math.abs(x) - 0.11) < 0.05 && Math.abs(y + 0.04) < 0.025;
  const mouth = Math.abs(x) < 0.1 && Math.abs(y - 0.22) < 0.02;
  const shoulders = y > 0.38 && Math.abs(x) < 0.48;
  if (hairCap) return hair;
  if (eye) return 45;
  if (mouth) return 110;
  if (face) return tone;
  if (shoulders) return 70;
  return 230;
}

/**
 * A schematic face as a baseline grey-scale JPEG of the given size.
 * @throws {RangeError} for dimensions outside 8–65535
 */
export function createFaceJpeg(options: FaceJpegOptions = {}): Uint8Array {
  const width = options.width ?? 300;
  const height = options.height ?? 400;
  for (const n of [width, height]) {
    if (!Number.isInteger(n) || n < 8 || n > 0xffff) throw new RangeError('JPEG dimensions must be 8–65535');
  }
  const rng = seededRandom(options.seed ?? 0);
  const tone = rng.int(150, 200);
  const hair = rng.int(20, 80);
  const cols = Math.ceil(width / 8);
  const rows = Math.ceil(height / 8);
  const dc = huffmanCodes(DC_BITS, DC_VALUES);
  const ac = huffmanCodes(AC_BITS, AC_VALUES);
  const eob = ac.get(0) as [number, number];
  const writer = new BitWriter();
  let previous = 0;
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      // Flat block of level v: DCT DC = 8·(v − 128); quantised by 8 → v − 128.
      const value = shade(bx, by, cols, rows, tone, hair) - 128;
      const diff = value - previous;
      previous = value;
      const size = diff === 0 ? 0 : Math.abs(diff).toString(2).length;
      const [code, length] = dc.get(size) as [number, number];
      writer.write(code, length);
      if (size > 0) writer.write(diff >= 0 ? diff : diff + (1 << size) - 1, size);
      writer.write(eob[0], eob[1]);
    }
  }
  const scan = writer.finish();

  const jfif = segment(
    0xe0,
    [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00],
  );
  const note = Array.from('Synthetic face for tests: not a photograph of any person.', (c) =>
    c.charCodeAt(0),
  );
  const dqt = segment(0xdb, [0x00, ...new Array<number>(64).fill(8)]);
  const sof = segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const dht = segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES]);
  const sos = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  const fixed = 2 + jfif.length + dqt.length + sof.length + dht.length + sos.length + scan.length + 2;
  let comment = note;
  const target = options.targetBytes ?? 0;
  const room = target - fixed - 4;
  if (room > note.length) {
    // Pad with readable filler (a comment segment holds at most 65533 bytes).
    const filler = Array.from(
      { length: Math.min(room, 65533) - note.length },
      (_, i) => 0x41 + ((i * 7 + rng.int(0, 25)) % 26),
    );
    comment = [...note, ...filler];
  }
  const com = segment(0xfe, comment);
  return Uint8Array.from([0xff, 0xd8, ...jfif, ...com, ...dqt, ...sof, ...dht, ...sos, ...scan, 0xff, 0xd9]);
}
