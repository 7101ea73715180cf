/**
 * @module
 * Type and pixel dimensions of a face image read from the image itself, as DG2 headers may
 * disagree with it: JPEG (ITU-T T.81 Annex B: marker segments up to the first SOFn frame
 * header, with JFIF or Exif APP segments), JPEG 2000 as a JP2 file (ISO/IEC 15444-1 Annex I:
 * signature box, then the `ihdr` box inside `jp2h`) or as a raw codestream (Annex A: SOC then
 * the SIZ marker segment). A bounded single pass; nothing is decoded beyond the headers.
 */
import { assertBytes } from './lds-tlv.ts';

/** What the image bytes are. */
export type FaceImageType = 'jpeg' | 'jpeg2000' | 'unknown';

/** Why an image's dimensions could not be read. */
export type FaceImageProblem =
  /** The bytes start with neither a JPEG nor a JPEG 2000 signature. */
  | 'IMAGE_UNRECOGNISED'
  /** The signature is right but the headers are truncated or malformed. */
  | 'IMAGE_CORRUPT';

/** Result of {@link inspectFaceImage}. */
export interface FaceImageInfo {
  type: FaceImageType;
  /** `jfif` / `exif` / `jpeg` (neither APP0 nor APP1 first) / `jp2` / `j2k` (raw codestream). */
  container: 'jfif' | 'exif' | 'jpeg' | 'jp2' | 'j2k' | null;
  width: number | null;
  height: number | null;
  /** Set when the dimensions could not be read. */
  problem?: FaceImageProblem;
}

const u16 = (b: Uint8Array, i: number): number => ((b[i] as number) << 8) | (b[i + 1] as number);
const u32 = (b: Uint8Array, i: number): number => u16(b, i) * 0x10000 + u16(b, i + 2);

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

function corrupt(type: FaceImageType, container: FaceImageInfo['container']): FaceImageInfo {
  return { type, container, width: null, height: null, problem: 'IMAGE_CORRUPT' };
}

function inspectJpeg(b: Uint8Array): FaceImageInfo {
  let container: FaceImageInfo['container'] = 'jpeg';
  let pos = 2;
  let first = true;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return corrupt('jpeg', container);
    let marker = b[pos + 1] as number;
    // Fill bytes (T.81 B.1.1.2): any number of FF before a marker.
    while (marker === 0xff && pos + 2 < b.length) {
      pos++;
      marker = b[pos + 1] as number;
    }
    pos += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda || marker === 0x00)
      return corrupt('jpeg', container);
    if (pos + 2 > b.length) break;
    const length = u16(b, pos);
    if (length < 2 || pos + length > b.length) return corrupt('jpeg', container);
    if (first) {
      if (marker === 0xe0 && length >= 7 && startsWith(b.subarray(pos + 2), [0x4a, 0x46, 0x49, 0x46, 0]))
        container = 'jfif';
      else if (
        marker === 0xe1 &&
        length >= 8 &&
        startsWith(b.subarray(pos + 2), [0x45, 0x78, 0x69, 0x66, 0, 0])
      )
        container = 'exif';
      first = false;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (length < 8) return corrupt('jpeg', container);
      const height = u16(b, pos + 3);
      const width = u16(b, pos + 5);
      if (width === 0) return corrupt('jpeg', container);
      // A height of 0 means "defined by the DNL marker" (T.81 B.2.2); report it as unknown.
      return { type: 'jpeg', container, width, height: height === 0 ? null : height };
    }
    pos += length;
  }
  return corrupt('jpeg', container);
}

function inspectJ2kCodestream(
  b: Uint8Array,
  start: number,
  end: number,
  container: 'jp2' | 'j2k',
): FaceImageInfo {
  // SOC FF4F then SIZ FF51: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz.
  if (end - start < 4 + 2 + 2 + 16 || u16(b, start) !== 0xff4f || u16(b, start + 2) !== 0xff51) {
    return corrupt('jpeg2000', container);
  }
  const p = start + 4;
  const lsiz = u16(b, p);
  if (lsiz < 38 || p + lsiz > end) return corrupt('jpeg2000', container);
  const xsiz = u32(b, p + 4);
  const ysiz = u32(b, p + 8);
  const xo = u32(b, p + 12);
  const yo = u32(b, p + 16);
  if (xsiz <= xo || ysiz <= yo) return corrupt('jpeg2000', container);
  return { type: 'jpeg2000', container, width: xsiz - xo, height: ysiz - yo };
}

interface Box {
  type: number;
  start: number;
  end: number;
}

function* boxes(b: Uint8Array, start: number, end: number): Generator<Box | null> {
  let pos = start;
  while (pos < end) {
    if (pos + 8 > end) {
      yield null;
      return;
    }
    let length = u32(b, pos);
    const type = u32(b, pos + 4);
    let header = 8;
    if (length === 1) {
      if (pos + 16 > end) {
        yield null;
        return;
      }
      const high = u32(b, pos + 8);
      if (high !== 0) {
        yield null;
        return;
      }
      length = u32(b, pos + 12);
      header = 16;
    } else if (length === 0) {
      length = end - pos;
    }
    if (length < header || pos + length > end) {
      yield null;
      return;
    }
    yield { type, start: pos + header, end: pos + length };
    pos += length;
  }
}

const BOX_JP2H = 0x6a703268;
const BOX_IHDR = 0x69686472;
const BOX_JP2C = 0x6a703263;

function inspectJp2(b: Uint8Array): FaceImageInfo {
  for (const box of boxes(b, 0, b.length)) {
    if (box === null) return corrupt('jpeg2000', 'jp2');
    if (box.type === BOX_JP2H) {
      for (const inner of boxes(b, box.start, box.end)) {
        if (inner === null) return corrupt('jpeg2000', 'jp2');
        if (inner.type === BOX_IHDR) {
          if (inner.end - inner.start < 14) return corrupt('jpeg2000', 'jp2');
          const height = u32(b, inner.start);
          const width = u32(b, inner.start + 4);
          if (width === 0 || height === 0) return corrupt('jpeg2000', 'jp2');
          return { type: 'jpeg2000', container: 'jp2', width, height };
        }
      }
      return corrupt('jpeg2000', 'jp2');
    }
    if (box.type === BOX_JP2C) return inspectJ2kCodestream(b, box.start, box.end, 'jp2');
  }
  return corrupt('jpeg2000', 'jp2');
}

/** Reads the type and dimensions of a JPEG or JPEG 2000 image from its own headers. */
export function inspectFaceImage(image: Uint8Array): FaceImageInfo {
  assertBytes(image, 'face image');
  if (image.length >= 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff)
    return inspectJpeg(image);
  if (startsWith(image, JP2_SIGNATURE)) return inspectJp2(image);
  if (startsWith(image, [0xff, 0x4f, 0xff, 0x51])) return inspectJ2kCodestream(image, 0, image.length, 'j2k');
  return { type: 'unknown', container: null, width: null, height: null, problem: 'IMAGE_UNRECOGNISED' };
}
