/**
 * @module
 * The scanner's second pass for poor camera frames (ISO/IEC 18004 QR symbols in a phone
 * preview, SPEC-NOTES §1): when the decoder finds nothing in the frame as it came, look for
 * the one region dense with module-sized edges (a QR symbol, even blurred), crop it, enlarge
 * it when its modules are small and sharpen it (unsharp mask), then hand only that crop to the
 * decoder again. Cheap where there is nothing to find: a frame without such a region costs one
 * pass over a half-size copy and no second decode. Pure TypeScript on 8-bit grey buffers;
 * all work is bounded by the frame size, and each second decode by {@link MAX_CROP_PIXELS}.
 */

/** An 8-bit grey image. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A frame as the scanner takes it: 8-bit grey (1 byte per pixel) or RGBA (4). */
export interface FrameImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** Where the second pass looks, in frame pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Mean edge strength per pixel inside the region (grey levels). */
  score: number;
}

/**
 * Mean edge strength below which no region is worth a second decode. Measured on synthetic
 * 640×480 frames: cluttered desks without a QR score 5–12, blurred QR symbols 17–65.
 */
export const MIN_REGION_SCORE = 14;

/**
 * The image of the second pass never exceeds this many pixels (bounds each decode's cost):
 * a larger crop is halved first (its modules are large enough then), and a crop is enlarged
 * only while the result stays within it.
 */
export const MAX_CROP_PIXELS: number = 720 * 720;

/** Grey expanded to RGBA (R = G = B), which zxing-wasm converts back to the same luma. */
export function greyToRgba(img: GreyImage): Uint8ClampedArray {
  const n = img.width * img.height;
  const out = new Uint8ClampedArray(n * 4);
  const u32 = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = img.data[i] as number;
    u32[i] = 0xff000000 | (v << 16) | (v << 8) | v; // little-endian RGBA
  }
  return out;
}

const SCALE = 2;
/**
 * The region must be this many times as busy as the frame on average: a noisy frame without a
 * QR is busy everywhere alike (measured: ≤ 1.3× at noise σ 3–25), a symbol is not.
 */
const MIN_REGION_CONTRAST = 1.6;
/** A larger window is preferred while its density is at least this fraction of the densest. */
const LARGEST_WINDOW_RATIO = 0.75;
/** A side of the region keeps growing while the strip added has this fraction of its density. */
const GROW_RATIO = 0.35;

/**
 * Finds the square window densest in strong local edges, on a half-size copy: a QR symbol has
 * dark/light transitions every module in both directions, clutter and text far fewer. Returns
 * null when no window reaches `minScore` (mean absolute neighbour difference, grey levels).
 */
export function findSymbolRegion(img: FrameImage, minScore: number = MIN_REGION_SCORE): Region | null {
  const w = img.width >> 1;
  const h = img.height >> 1;
  if (w < 16 || h < 16) return null;
  const src = img.data;
  const W = img.width;
  const rgba = src.length === W * img.height * 4;
  // Half-size sums of 2 × 2 blocks: of the grey values, or of the green channel of RGBA
  // (close to luma, a third of the reads: this runs on every frame the first pass misses).
  const small = new Uint16Array(w * h);
  const step = rgba ? 4 : 1;
  const off = rgba ? 1 : 0;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * W * step + off;
    let b = a + W * step;
    for (let x = 0, i = y * w; x < w; x++, i++, a += 2 * step, b += 2 * step) {
      small[i] =
        (src[a] as number) + (src[a + step] as number) + (src[b] as number) + (src[b + step] as number);
    }
  }
  // Edge energy |dx| + |dy| (in units of 4 grey levels), summed in an integral image.
  const iw = w + 1;
  const integral = new Int32Array(iw * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    const last = y + 1 === h;
    for (let x = 0, i = y * w, k = (y + 1) * iw + 1; x < w; x++, i++, k++) {
      const v = small[i] as number;
      const dx = x + 1 < w ? v - (small[i + 1] as number) : 0;
      const dy = last ? 0 : v - (small[i + w] as number);
      row += (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
      integral[k] = (integral[k - iw] as number) + row;
    }
  }
  const short = Math.min(w, h);
  // The best window of each size; then the largest size still nearly as dense as the densest
  // one, so that the whole symbol (not only its busiest part) is inside.
  const bestBySize: Region[] = [];
  for (const frac of [0.25, 0.35, 0.45, 0.55, 0.65, 0.75]) {
    const side = Math.max(12, Math.round(short * frac));
    const stride = Math.max(2, side >> 3);
    let best: Region | null = null;
    for (let y = 0; y + side <= h; y += stride) {
      for (let x = 0; x + side <= w; x += stride) {
        const sum =
          (integral[(y + side) * iw + x + side] as number) -
          (integral[y * iw + x + side] as number) -
          (integral[(y + side) * iw + x] as number) +
          (integral[y * iw + x] as number);
        const score = sum / (side * side) / 4;
        if (best === null || score > best.score) {
          best = { x: x * SCALE, y: y * SCALE, width: side * SCALE, height: side * SCALE, score };
        }
      }
    }
    if (best !== null) bestBySize.push(best);
  }
  const top = bestBySize.reduce((m, r) => Math.max(m, r.score), 0);
  // A symbol stands out from the rest of the frame; sensor noise (however strong) does not.
  const frameMean = (integral[h * iw + w] as number) / (w * h) / 4;
  if (top < minScore || top < frameMean * MIN_REGION_CONTRAST) return null;
  let chosen: Region | null = null;
  for (const r of bestBySize) if (r.score >= top * LARGEST_WINDOW_RATIO) chosen = r;
  if (chosen === null) return null;
  // Grow each side while the strip added is still busy (a symbol larger than the window, or
  // off-centre in it, in perspective): at most one pass over the half-size frame per side.
  const sumOf = (x0: number, y0: number, x1: number, y1: number): number =>
    (integral[y1 * iw + x1] as number) -
    (integral[y0 * iw + x1] as number) -
    (integral[y1 * iw + x0] as number) +
    (integral[y0 * iw + x0] as number);
  let x0 = chosen.x / SCALE;
  let y0 = chosen.y / SCALE;
  let x1 = x0 + chosen.width / SCALE;
  let y1 = y0 + chosen.height / SCALE;
  const strip = 4;
  // Never beyond 1.6 × the window a side: noise makes every strip look busy.
  const maxSide = Math.round((chosen.width / SCALE) * 1.6);
  const busy = (sum: number, area: number): boolean => sum / area / 4 >= top * GROW_RATIO;
  for (let grown = true; grown; ) {
    grown = false;
    const wideOk = x1 - x0 + strip <= maxSide;
    const tallOk = y1 - y0 + strip <= maxSide;
    if (wideOk && x0 - strip >= 0 && busy(sumOf(x0 - strip, y0, x0, y1), strip * (y1 - y0))) {
      x0 -= strip;
      grown = true;
    }
    if (
      x1 - x0 + strip <= maxSide &&
      x1 + strip <= w &&
      busy(sumOf(x1, y0, x1 + strip, y1), strip * (y1 - y0))
    ) {
      x1 += strip;
      grown = true;
    }
    if (tallOk && y0 - strip >= 0 && busy(sumOf(x0, y0 - strip, x1, y0), strip * (x1 - x0))) {
      y0 -= strip;
      grown = true;
    }
    if (
      y1 - y0 + strip <= maxSide &&
      y1 + strip <= h &&
      busy(sumOf(x0, y1, x1, y1 + strip), strip * (x1 - x0))
    ) {
      y1 += strip;
      grown = true;
    }
  }
  return {
    x: x0 * SCALE,
    y: y0 * SCALE,
    width: (x1 - x0) * SCALE,
    height: (y1 - y0) * SCALE,
    score: sumOf(x0, y0, x1, y1) / ((x1 - x0) * (y1 - y0)) / 4,
  };
}

/** Crops `r` grown by `margin` of its side, clamped to the frame, as grey (luma as zxing computes it). */
export function crop(img: FrameImage, r: Region, margin: number): GreyImage {
  const grow = Math.round(Math.max(r.width, r.height) * margin);
  const x0 = Math.max(0, r.x - grow);
  const y0 = Math.max(0, r.y - grow);
  const x1 = Math.min(img.width, r.x + r.width + grow);
  const y1 = Math.min(img.height, r.y + r.height + grow);
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  const src = img.data;
  if (src.length === img.width * img.height) {
    for (let y = 0; y < height; y++) {
      const from = (y0 + y) * img.width + x0;
      data.set(src.subarray(from, from + width), y * width);
    }
  } else {
    for (let y = 0; y < height; y++) {
      for (let x = 0, j = 4 * ((y0 + y) * img.width + x0); x < width; x++, j += 4) {
        data[y * width + x] =
          (306 * (src[j] as number) + 601 * (src[j + 1] as number) + 117 * (src[j + 2] as number) + 512) >>
          10;
      }
    }
  }
  return { data, width, height };
}

/** Half size, each pixel the mean of a 2 × 2 block. */
export function halve(img: GreyImage): GreyImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const out = new Uint8Array(w * h);
  const W = img.width;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 2 * y * W + 2 * x;
      out[y * w + x] =
        ((img.data[i] as number) +
          (img.data[i + 1] as number) +
          (img.data[i + W] as number) +
          (img.data[i + W + 1] as number) +
          2) >>
        2;
    }
  }
  return { data: out, width: w, height: h };
}

/** Bilinear enlargement by an integer factor. */
export function upscale(img: GreyImage, factor: number): GreyImage {
  if (factor <= 1) return img;
  const { width: w, height: h, data: src } = img;
  const W = w * factor;
  const H = h * factor;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.min(h - 2, Math.floor(fy));
    const ty = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.min(w - 2, Math.floor(fx));
      const tx = fx - x0;
      const i = y0 * w + x0;
      const top = (src[i] as number) * (1 - tx) + (src[i + 1] as number) * tx;
      const bottom = (src[i + w] as number) * (1 - tx) + (src[i + w + 1] as number) * tx;
      out[y * W + x] = top * (1 - ty) + bottom * ty + 0.5;
    }
  }
  return { data: out, width: W, height: H };
}

/** Box blur of radius r (separable, clamped edges) on a float copy. */
function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const k = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let x = -r; x <= r; x++) acc += src[row + Math.min(w - 1, Math.max(0, x))] as number;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc / k;
      acc += (src[row + Math.min(w - 1, x + r + 1)] as number) - (src[row + Math.max(0, x - r)] as number);
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let y = -r; y <= r; y++) acc += tmp[Math.min(h - 1, Math.max(0, y)) * w + x] as number;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = acc / k;
      acc +=
        (tmp[Math.min(h - 1, y + r + 1) * w + x] as number) - (tmp[Math.max(0, y - r) * w + x] as number);
    }
  }
  return out;
}

/**
 * Unsharp mask: `v + amount · (v − blur(v))` with a two-pass box blur of radius `radius`
 * (≈ a gaussian), which restores the module contrast that defocus spreads out.
 */
export function unsharp(img: GreyImage, radius: number, amount: number): GreyImage {
  const { width: w, height: h } = img;
  const f = Float32Array.from(img.data);
  const b = boxBlur(boxBlur(f, w, h, radius), w, h, radius);
  const out = new Uint8Array(w * h);
  for (let i = 0; i < f.length; i++) {
    const v = (f[i] as number) + amount * ((f[i] as number) - (b[i] as number));
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
  }
  return { data: out, width: w, height: h };
}

/** One way of preparing the crop: enlargement factor, then unsharp masks `[radius, amount]`. */
export interface SharpenRecipe {
  factor: 1 | 2;
  steps: readonly (readonly [number, number])[];
}

/**
 * The recipes of the second pass, tried in this order on the same crop; a step
 * `[radius, amount]` is `v + amount · (v − blur_radius(v))` (so amount −1 is a plain blur).
 * Chosen greedily on 240 blurred 640×480 previews (alone and with noise, perspective, glare;
 * three seeds): of the 68 the first pass missed, enlarging ×2 then sharpening rescues 60
 * (the bilinear enlargement also smooths noise), smoothing then sharpening 3 more, a gentle
 * double sharpening at the original size 2 more. Radii are in the enlarged image's pixels.
 */
export const SHARPEN_RECIPES: readonly SharpenRecipe[] = [
  { factor: 2, steps: [[4, 6]] },
  {
    factor: 1,
    steps: [
      [1, -1],
      [2, 4],
    ],
  },
  {
    factor: 1,
    steps: [
      [2, 2],
      [1, 2],
    ],
  },
];

/**
 * The second-pass image for `region` with `SHARPEN_RECIPES[recipe]`: cropped with a margin,
 * halved while over {@link MAX_CROP_PIXELS}, enlarged by the recipe's factor when that stays
 * within the bound, and sharpened.
 */
export function enhanceRegion(img: FrameImage, region: Region, recipe: number): GreyImage {
  const r = SHARPEN_RECIPES[recipe] ?? { factor: 1, steps: [] };
  let c = crop(img, region, 0.12);
  while (c.width * c.height > MAX_CROP_PIXELS) c = halve(c);
  const factor = c.width * c.height * r.factor * r.factor <= MAX_CROP_PIXELS ? r.factor : 1;
  let out = upscale(c, factor);
  for (const [radius, amount] of r.steps) {
    out = unsharp(out, Math.max(1, Math.round((radius * factor) / r.factor)), amount);
  }
  return out;
}
