/**
 * @module
 * Test, bench and demo support: realistic synthetic camera frames showing the CCCD QR of a
 * synthetic person (random name parts, random ID serial: never a real person's data). The QR
 * matrix comes from `qrcode` (byte mode, UTF-8); it is rendered with a seeded PRNG onto a
 * cluttered background with scale, rotation, perspective, lighting, low contrast, gaussian
 * blur and gaussian noise, as 8-bit grey or RGBA. PNG read/write via pngjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { centurySexDigit } from '../../packages/core/src/id-number/index.ts';
import { type CccdQrFields, formatCccdQr } from '../../packages/core/src/qr/index.ts';

/** An image as the scanner takes it. */
export interface Frame {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thành'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Bảo', 'Thanh', 'Mỹ'];
const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Khoa', 'Long', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tuấn'];
const GIVEN_F = ['Anh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Trang', 'Yến'];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Điện Biên Phủ'];
const PLACES: readonly [string, string][] = [
  ['001', 'Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội'],
  ['079', 'Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh'],
  ['048', 'Phường Hải Châu I, Quận Hải Châu, Đà Nẵng'],
  ['031', 'Phường Máy Tơ, Quận Ngô Quyền, Hải Phòng'],
  ['092', 'Phường Tân An, Quận Ninh Kiều, Cần Thơ'],
  ['046', 'Phường Phú Hội, TP. Huế, Thừa Thiên Huế'],
];

/** A synthetic card holder with internally consistent fields (ID matches sex and birth year). */
export function syntheticPerson(seed: number, kind?: 'cccd' | 'can-cuoc'): CccdQrFields {
  const rand = prng(seed ^ 0x5eed);
  const sex = rand() < 0.5 ? 'male' : 'female';
  const [region, place] = pick(rand, PLACES);
  const year = 1950 + Math.floor(rand() * 56);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const issueYear = Math.max(2021, year + 14) + Math.floor(rand() * 3);
  const k = kind ?? (rand() < 0.7 ? 'cccd' : 'can-cuoc');
  const fullName =
    sex === 'male'
      ? `${pick(rand, SURNAMES)} ${pick(rand, MIDDLE_M)} ${pick(rand, GIVEN_M)}`
      : `${pick(rand, SURNAMES)} ${pick(rand, MIDDLE_F)} ${pick(rand, GIVEN_F)}`;
  return {
    kind: k,
    idNumber: `${region}${centurySexDigit(year, sex)}${pad(year % 100, 2)}${pad(Math.floor(rand() * 1e6), 6)}`,
    oldIdNumber: rand() < 0.6 ? pad(Math.floor(rand() * 1e9), 9) : null,
    fullName,
    dateOfBirth: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
    sex,
    address: `Số ${1 + Math.floor(rand() * 200)} ${pick(rand, STREETS)}, ${place}`,
    // A Căn cước (≥ 10-field QR) exists only from 2024-07-01 (Law on Identification 2023).
    issueDate:
      k === 'can-cuoc'
        ? `2024-${pad(7 + Math.floor(rand() * 6), 2)}-${pad(1 + Math.floor(rand() * 28), 2)}`
        : `${issueYear}-${pad(1 + Math.floor(rand() * 12), 2)}-${pad(1 + Math.floor(rand() * 28), 2)}`,
    extra:
      k === 'cccd'
        ? []
        : [
            `${pick(rand, SURNAMES)} ${pick(rand, MIDDLE_M)} ${pick(rand, GIVEN_M)}`,
            `${pick(rand, SURNAMES)} ${pick(rand, MIDDLE_F)} ${pick(rand, GIVEN_F)}`,
            '',
          ],
  };
}

/** The QR text of {@link syntheticPerson}. */
export function syntheticPayload(seed: number, kind?: 'cccd' | 'can-cuoc'): string {
  return formatCccdQr(syntheticPerson(seed, kind));
}

/** QR modules (true = dark) for `payload`: UTF-8 text or raw bytes, byte mode, no ECI. */
export function qrMatrix(payload: string | Uint8Array, ecLevel: 'L' | 'M' | 'Q' | 'H' = 'M'): boolean[][] {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  // qrcode's byte segment takes a Buffer-like; a Uint8Array works (it copies it).
  const qr = QRCode.create([{ data: bytes as unknown as Buffer, mode: 'byte' }], {
    errorCorrectionLevel: ecLevel,
  });
  const n = qr.modules.size;
  const rows: boolean[][] = [];
  for (let r = 0; r < n; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < n; c++) row.push(qr.modules.data[r * n + c] === 1);
    rows.push(row);
  }
  return rows;
}

/** How to render a frame. Every parameter has a sensible default. */
export interface FrameOptions {
  width?: number;
  height?: number;
  /** Side of the QR symbol including its 4-module quiet zone, in pixels. Default 45% of the short side. */
  qrSize?: number;
  /** Rotation in degrees (clockwise). */
  rotation?: number;
  /** Perspective: corners moved by up to this fraction of qrSize (0–0.3). */
  perspective?: number;
  /**
   * Blur "sigma" in pixels, approximated by three box passes of an integer radius (coarse:
   * 0.9–1.9 give σ ≈ 1.4, 2.0–3.3 give σ ≈ 2.4). See `defocus` for an exact gaussian.
   */
  blur?: number;
  /** Defocus: an exact gaussian blur of this sigma in pixels (any value, separable kernel to 3σ). */
  defocus?: number;
  /** Gaussian noise sigma in grey levels. */
  noise?: number;
  /**
   * Specular glare on the laminated card: a soft bright spot over part of the QR that blends
   * the image towards white by up to this fraction (0–1) at its centre.
   */
  glare?: number;
  /** Glare spot radius as a fraction of qrSize. Default 0.3. */
  glareRadius?: number;
  /** 1 = near-black on near-white; 0.15 = faint. */
  contrast?: number;
  /** Mean grey level of the card. Default 140. */
  brightness?: number;
  /** Random shapes and a lighting gradient around the card. Default true. */
  clutter?: boolean;
  format?: 'grey' | 'rgba';
  ecLevel?: 'L' | 'M' | 'Q' | 'H';
  seed?: number;
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Homography mapping the unit square (0,0),(1,0),(1,1),(0,1) onto quad p0..p3. */
function squareToQuad(p: readonly [number, number][]): Mat3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = p as [
    [number, number],
    [number, number],
    [number, number],
    [number, number],
  ];
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const h = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  if (r < 1) return src;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const k = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    let acc = 0;
    const row = y * w;
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

/** Approximate gaussian blur: three box passes of matching variance. */
function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0.3) return src;
  const r = Math.max(1, Math.round((Math.sqrt((12 * sigma * sigma) / 3 + 1) - 1) / 2));
  return boxBlur(boxBlur(boxBlur(src, w, h, r), w, h, r), w, h, r);
}

/** Exact gaussian blur (separable kernel to 3σ, clamped edges). */
function exactGaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / sum;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++)
        acc += (k[i + r] as number) * (src[y * w + Math.min(w - 1, Math.max(0, x + i))] as number);
      tmp[y * w + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++)
        acc += (k[i + r] as number) * (tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x] as number);
      out[y * w + x] = acc;
    }
  }
  return out;
}

/**
 * Renders a frame showing the QR of `payload` (text → UTF-8, or raw bytes), or no QR at all
 * when `payload` is null (clutter only).
 */
export function renderQrFrame(payload: string | Uint8Array | null, options: FrameOptions = {}): Frame {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const rand = prng(options.seed ?? 1);
  const contrast = options.contrast ?? 1;
  const mid = options.brightness ?? 140;
  const light = mid + contrast * 110;
  const dark = mid - contrast * 110;
  const g = new Float32Array(width * height);

  // Background: desk-like grey, random rectangles and bars, a lighting gradient.
  const clutter = options.clutter ?? true;
  g.fill(clutter ? 60 + rand() * 80 : mid);
  if (clutter) {
    for (let i = 0; i < 25; i++) {
      const rw = 10 + rand() * width * 0.3;
      const rh = 10 + rand() * height * 0.3;
      const x0 = Math.floor(rand() * width);
      const y0 = Math.floor(rand() * height);
      const v = 20 + rand() * 220;
      for (let y = y0; y < Math.min(height, y0 + rh); y++) {
        for (let x = x0; x < Math.min(width, x0 + rw); x++) g[y * width + x] = v;
      }
    }
    for (let i = 0; i < 60; i++) {
      // small "printed text" blobs
      const x0 = Math.floor(rand() * width);
      const y0 = Math.floor(rand() * height);
      const v = rand() < 0.5 ? 30 : 200;
      for (let y = y0; y < Math.min(height, y0 + 2 + rand() * 4); y++) {
        for (let x = x0; x < Math.min(width, x0 + 3 + rand() * 20); x++) g[y * width + x] = v;
      }
    }
  }

  let qrBox: { cx: number; cy: number; size: number } | null = null;
  if (payload !== null) {
    const m = qrMatrix(payload, options.ecLevel ?? 'M');
    const n = m.length;
    const quiet = 4;
    const total = n + 2 * quiet;
    const size = options.qrSize ?? Math.min(width, height) * 0.45;
    const theta = ((options.rotation ?? 0) * Math.PI) / 180;
    const cx = width / 2 + (rand() - 0.5) * Math.max(0, width - size * 1.5) * 0.5;
    const cy = height / 2 + (rand() - 0.5) * Math.max(0, height - size * 1.5) * 0.5;
    qrBox = { cx, cy, size };
    const jitter = (options.perspective ?? 0) * size;
    const corners: [number, number][] = [
      [-0.5, -0.5],
      [0.5, -0.5],
      [0.5, 0.5],
      [-0.5, 0.5],
    ].map(([u, v]) => {
      const x = (u as number) * size + (rand() - 0.5) * 2 * jitter;
      const y = (v as number) * size + (rand() - 0.5) * 2 * jitter;
      return [cx + x * Math.cos(theta) - y * Math.sin(theta), cy + x * Math.sin(theta) + y * Math.cos(theta)];
    });
    const inv = invert3(squareToQuad(corners));
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    const xMin = Math.max(0, Math.floor(Math.min(...xs)));
    const xMax = Math.min(width - 1, Math.ceil(Math.max(...xs)));
    const yMin = Math.max(0, Math.floor(Math.min(...ys)));
    const yMax = Math.min(height - 1, Math.ceil(Math.max(...ys)));
    const S = 3;
    for (let y = yMin; y <= yMax; y++) {
      for (let x = xMin; x <= xMax; x++) {
        let sum = 0;
        let inside = 0;
        for (let sy = 0; sy < S; sy++) {
          for (let sx = 0; sx < S; sx++) {
            const px = x + (sx + 0.5) / S;
            const py = y + (sy + 0.5) / S;
            const wq = inv[6] * px + inv[7] * py + inv[8];
            const u = (inv[0] * px + inv[1] * py + inv[2]) / wq;
            const v = (inv[3] * px + inv[4] * py + inv[5]) / wq;
            if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
            inside++;
            const col = Math.floor(u * total) - quiet;
            const row = Math.floor(v * total) - quiet;
            const on = row >= 0 && row < n && col >= 0 && col < n && (m[row] as boolean[])[col] === true;
            sum += on ? dark : light;
          }
        }
        if (inside > 0) {
          const i = y * width + x;
          g[i] = (sum + (S * S - inside) * (g[i] as number)) / (S * S);
        }
      }
    }
  }

  let out = gaussianBlur(g, width, height, options.blur ?? 0);
  if ((options.defocus ?? 0) > 0) out = exactGaussianBlur(out, width, height, options.defocus as number);
  const glare = options.glare ?? 0;
  if (glare > 0 && qrBox !== null) {
    // A glare spot centred somewhere over the symbol (lamination reflects the light source).
    const gxc = qrBox.cx + (rand() - 0.5) * qrBox.size * 0.6;
    const gyc = qrBox.cy + (rand() - 0.5) * qrBox.size * 0.6;
    const radius = (options.glareRadius ?? 0.3) * qrBox.size;
    if (out === g) out = g.slice();
    const r2 = 2 * radius * radius;
    const x0 = Math.max(0, Math.floor(gxc - 3 * radius));
    const x1 = Math.min(width - 1, Math.ceil(gxc + 3 * radius));
    const y0 = Math.max(0, Math.floor(gyc - 3 * radius));
    const y1 = Math.min(height - 1, Math.ceil(gyc + 3 * radius));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const a = glare * Math.exp(-((x - gxc) ** 2 + (y - gyc) ** 2) / r2);
        const i = y * width + x;
        out[i] = (out[i] as number) + (255 - (out[i] as number)) * a;
      }
    }
  }
  // Lighting: a soft linear gradient across the frame.
  const gx = clutter ? (rand() - 0.5) * 0.5 : 0;
  const gy = clutter ? (rand() - 0.5) * 0.5 : 0;
  const noise = options.noise ?? 0;
  const format = options.format ?? 'grey';
  const data = new Uint8ClampedArray(width * height * (format === 'rgba' ? 4 : 1));
  if (out === g) out = g.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const light = 1 + gx * (x / width - 0.5) + gy * (y / height - 0.5);
      const v = (out[i] as number) * light + (noise > 0 ? gaussian(rand) * noise : 0);
      if (format === 'grey') {
        data[i] = v;
      } else {
        data[4 * i] = v * 1.02;
        data[4 * i + 1] = v;
        data[4 * i + 2] = v * 0.94;
        data[4 * i + 3] = 255;
      }
    }
  }
  return { data, width, height };
}

/** PNG bytes of a frame (grey or RGBA). */
export function encodePng(frame: Frame): Uint8Array {
  const png = new PNG({ width: frame.width, height: frame.height });
  const grey = frame.data.length === frame.width * frame.height;
  for (let i = 0; i < frame.width * frame.height; i++) {
    for (let c = 0; c < 4; c++) {
      png.data[4 * i + c] = grey
        ? c === 3
          ? 255
          : (frame.data[i] as number)
        : (frame.data[4 * i + c] as number);
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** Writes a frame as a PNG file (creating directories). */
export function writePng(path: string, frame: Frame): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(frame));
}

/** Decodes PNG bytes to an RGBA frame. */
export function decodePng(bytes: Uint8Array): Frame {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return {
    data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    width: png.width,
    height: png.height,
  };
}

/** One frame of the fixed benchmark / test set. */
export interface LabelledFrame {
  category: string;
  options: FrameOptions;
  /** The QR text shown, or null for a frame without a QR. */
  payload: string | null;
  frame: Frame;
}

/** Difficulty categories with their parameter ranges. */
export const FRAME_CATEGORIES: readonly string[] = [
  'clean',
  'small',
  'rotated',
  'perspective',
  'blur',
  'noise',
  'low-contrast',
  'hard',
  'no-qr',
  'preview-blur',
  'blur+noise',
  'blur+perspective',
  'blur+glare',
];

/**
 * The low-resolution preview conditions (640×480, defocus blur alone or with noise,
 * perspective or glare): the symbol at 42–62 % of the short side, as a scanning guide frames it.
 */
export const PREVIEW_CATEGORIES: readonly string[] = [
  'preview-blur',
  'blur+noise',
  'blur+perspective',
  'blur+glare',
];

function optionsFor(category: string, rand: () => number, seed: number): FrameOptions {
  const r = (a: number, b: number): number => a + rand() * (b - a);
  const base: FrameOptions = {
    width: rand() < 0.5 ? 640 : 960,
    height: 0,
    rotation: r(-8, 8),
    format: rand() < 0.5 ? 'grey' : 'rgba',
    seed,
  };
  base.height = base.width === 640 ? 480 : 720;
  const short = base.height;
  const preview: FrameOptions = { ...base, width: 640, height: 480, qrSize: 480 * r(0.42, 0.62) };
  switch (category) {
    case 'clean':
      return { ...base, qrSize: short * r(0.4, 0.7) };
    case 'small':
      return { ...base, qrSize: short * r(0.22, 0.32), blur: r(0, 0.6), noise: r(0, 6) };
    case 'rotated':
      return { ...base, qrSize: short * r(0.4, 0.6), rotation: r(-180, 180), noise: r(0, 6) };
    case 'perspective':
      return { ...base, qrSize: short * r(0.4, 0.6), perspective: r(0.08, 0.2), rotation: r(-30, 30) };
    case 'blur':
      return { ...base, qrSize: short * r(0.45, 0.65), blur: r(1, 2.6) };
    case 'noise':
      return { ...base, qrSize: short * r(0.4, 0.6), noise: r(15, 40) };
    case 'low-contrast':
      return {
        ...base,
        qrSize: short * r(0.4, 0.6),
        contrast: r(0.12, 0.3),
        brightness: r(90, 180),
        noise: r(0, 4),
      };
    case 'hard':
      return {
        ...base,
        qrSize: short * r(0.3, 0.5),
        rotation: r(-180, 180),
        perspective: r(0.05, 0.15),
        blur: r(0.5, 1.8),
        noise: r(8, 25),
        contrast: r(0.25, 0.6),
      };
    case 'preview-blur':
      return { ...preview, defocus: r(1.3, 2.5), rotation: r(-10, 10) };
    case 'blur+noise':
      return { ...preview, defocus: r(1.2, 2.3), noise: r(6, 14) };
    case 'blur+perspective':
      return { ...preview, defocus: r(1.2, 2.3), perspective: r(0.06, 0.14), rotation: r(-25, 25) };
    case 'blur+glare':
      return { ...preview, defocus: r(1.2, 2.3), glare: r(0.4, 0.7), glareRadius: r(0.2, 0.4) };
    default:
      return { ...base };
  }
}

/**
 * A fixed, seeded set of `count` frames cycling through {@link FRAME_CATEGORIES}; payloads
 * are synthetic persons (CCCD and Căn cước).
 */
export function frameSet(count: number, seed = 2024): LabelledFrame[] {
  const rand = prng(seed);
  const frames: LabelledFrame[] = [];
  for (let i = 0; i < count; i++) {
    const category = FRAME_CATEGORIES[i % FRAME_CATEGORIES.length] as string;
    const options = optionsFor(category, rand, seed * 1000 + i);
    const payload = category === 'no-qr' ? null : syntheticPayload(seed * 1000 + i);
    frames.push({ category, options, payload, frame: renderQrFrame(payload, options) });
  }
  return frames;
}

/** Grey frames of equal height placed side by side (a frame that shows several QR codes). */
export function sideBySide(frames: readonly Frame[]): Frame {
  const height = frames[0]?.height ?? 0;
  const width = frames.reduce((w, f) => w + f.width, 0);
  const data = new Uint8ClampedArray(width * height);
  let x0 = 0;
  for (const f of frames) {
    if (f.height !== height || f.data.length !== f.width * f.height) {
      throw new Error('sideBySide takes grey frames of one height');
    }
    for (let y = 0; y < height; y++)
      data.set(f.data.subarray(y * f.width, (y + 1) * f.width), y * width + x0);
    x0 += f.width;
  }
  return { data, width, height };
}
