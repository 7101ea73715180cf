/**
 * @module
 * YUV4MPEG2 (`.y4m`) video files for Chromium's file-backed fake camera
 * (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>`), which loops
 * the file's frames. Frames are 8-bit grey or RGBA images (test/support/qr-images.ts draws
 * them); RGBA is converted to BT.601 limited-range Y'CbCr, grey gets a slight warm colour cast
 * (the chroma planes of a desk lamp's light), and chroma is subsampled 4:2:0 (`C420jpeg`).
 */
import type { Frame } from './qr-images.ts';

export interface Y4mOptions {
  /** Frames per second (default 10). */
  fps?: number;
  /** Chroma of grey frames, Cb and Cr (default a warm cast: 120, 134). */
  tint?: readonly [number, number];
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Encodes `frames` (all the same even width and height) as one `.y4m` file. */
export function encodeY4m(frames: readonly Frame[], options: Y4mOptions = {}): Uint8Array {
  const first = frames[0];
  if (!first) throw new Error('encodeY4m: no frames');
  const { width, height } = first;
  if (width % 2 || height % 2) throw new Error('encodeY4m: width and height must be even');
  const [tintCb, tintCr] = options.tint ?? [120, 134];
  const header = new TextEncoder().encode(
    `YUV4MPEG2 W${width} H${height} F${options.fps ?? 10}:1 Ip A1:1 C420jpeg\n`,
  );
  const frameHeader = new TextEncoder().encode('FRAME\n');
  const luma = width * height;
  const chroma = luma / 4;
  const size = frameHeader.length + luma + 2 * chroma;
  const out = new Uint8Array(header.length + frames.length * size);
  out.set(header);
  let at = header.length;
  for (const frame of frames) {
    if (frame.width !== width || frame.height !== height) throw new Error('encodeY4m: frames differ in size');
    const rgba = frame.data.length === luma * 4;
    out.set(frameHeader, at);
    const y = at + frameHeader.length;
    const cb = y + luma;
    const cr = cb + chroma;
    for (let i = 0; i < luma; i++) {
      if (!rgba) {
        out[y + i] = clamp(16 + ((frame.data[i] as number) * 219) / 255);
        continue;
      }
      const r = frame.data[4 * i] as number;
      const g = frame.data[4 * i + 1] as number;
      const b = frame.data[4 * i + 2] as number;
      out[y + i] = clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
    }
    for (let row = 0; row < height / 2; row++) {
      for (let col = 0; col < width / 2; col++) {
        const k = row * (width / 2) + col;
        if (!rgba) {
          out[cb + k] = tintCb;
          out[cr + k] = tintCr;
          continue;
        }
        let r = 0;
        let g = 0;
        let b = 0;
        for (const [dy, dx] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          const p = 4 * ((2 * row + dy) * width + 2 * col + dx);
          r += frame.data[p] as number;
          g += frame.data[p + 1] as number;
          b += frame.data[p + 2] as number;
        }
        r /= 4;
        g /= 4;
        b /= 4;
        out[cb + k] = clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
        out[cr + k] = clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
      }
    }
    at += size;
  }
  return out;
}
