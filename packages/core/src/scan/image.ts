/**
 * @module
 * The frame format accepted by the scanner: an `ImageData`-like RGBA buffer (4 bytes per
 * pixel, as from a canvas or a video frame) or an 8-bit grey buffer (1 byte per pixel, as
 * from a camera's luma plane).
 */
import { ScanError } from './scan-error.ts';

/** A camera frame or decoded image: RGBA (`data.length === width * height * 4`) or grey (`width * height`). */
export interface ScanImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** Upper bound on pixels, to refuse absurd allocations (64 megapixels). */
const MAX_PIXELS = 64 * 1024 * 1024;

/**
 * Validates `image` and returns its RGBA pixels (grey is expanded to R = G = B, which the
 * decoders convert back to the same luma exactly).
 * @throws {ScanError} `INVALID_IMAGE`
 */
export function toRgba(image: ScanImage): Uint8ClampedArray {
  if (typeof image !== 'object' || image === null) {
    throw new ScanError('INVALID_IMAGE', 'Expected an image object { data, width, height }');
  }
  const { data, width, height } = image;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0) {
    throw new ScanError('INVALID_IMAGE', 'Expected width and height as positive integers', {
      context: { width, height },
    });
  }
  if (width * height > MAX_PIXELS) {
    throw new ScanError('INVALID_IMAGE', `Expected at most ${MAX_PIXELS} pixels`, {
      context: { width, height },
    });
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new ScanError('INVALID_IMAGE', 'Expected image.data as a Uint8ClampedArray or Uint8Array', {
      context: { width, height },
    });
  }
  const pixels = width * height;
  if (data.length === pixels * 4) {
    return data instanceof Uint8ClampedArray
      ? data
      : new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  }
  if (data.length === pixels) {
    const rgba = new Uint8ClampedArray(pixels * 4);
    for (let i = 0, j = 0; i < pixels; i++, j += 4) {
      const v = data[i] as number;
      rgba[j] = v;
      rgba[j + 1] = v;
      rgba[j + 2] = v;
      rgba[j + 3] = 255;
    }
    return rgba;
  }
  throw new ScanError('INVALID_IMAGE', 'Expected width × height × 4 (RGBA) or width × height (grey) bytes', {
    context: { width, height, length: data.length },
  });
}
