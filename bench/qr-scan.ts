/**
 * @module
 * QR scanner benchmark: decode rate and milliseconds per frame of `@vneid/core/scan` (zxing-wasm
 * with its bounded second pass for poor frames), of raw zxing-wasm (the same zxing-wasm build and
 * reader options called directly on the frame, no second pass), of jsQR (the pure-JS fallback) and
 * of @zxing/library (the pure-TypeScript ZXing port, the alternative not chosen), over a fixed
 * seeded set of synthetic camera frames of varied difficulty (`test/support/qr-images.ts`),
 * including 640×480 previews with blur alone or with noise, perspective or glare. All in one run
 * and one process, decoders loaded before timing. `QR_BENCH_FRAMES` shrinks the set for a quick look.
 */
import { createRequire } from 'node:module';
import zxingLibrary from '@zxing/library';
import { readZxingWasm, scanCccdQr } from '../packages/core/src/scan/node/index.ts';
import { SECOND_PASS_ATTEMPTS } from '../packages/core/src/scan/scanner.ts';
import {
  FRAME_CATEGORIES,
  frameSet,
  type LabelledFrame,
  PREVIEW_CATEGORIES,
  renderQrFrame,
} from '../test/support/qr-images.ts';
import type { BenchSuite } from './suites.ts';

const PER_CATEGORY = Number(process.env.QR_BENCH_FRAMES ?? 30);
/** Not one of the seeds the second pass was tuned on (7, 2024, 99). */
const HELD_OUT_SEED = 4242;

interface Tally {
  ok: number;
  total: number;
  ms: number[];
}

// @zxing/library is CommonJS: Node exposes it as a default export only.
const {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} = zxingLibrary;

type Decoder = 'ours' | 'raw-zxing' | 'jsqr' | 'zxing-library';

const LABEL: Record<Decoder, string> = {
  ours: '@vneid/core/scan (zxing-wasm + second pass)',
  'raw-zxing': 'raw zxing-wasm 3.1.4',
  jsqr: 'jsQR 1.4.0',
  'zxing-library': '@zxing/library 0.23.0',
};

/** What the bench uses of `zxing-wasm/reader` (a dependency of @vneid/core, not of the root). */
interface ZxingReader {
  prepareZXingModule(options: {
    overrides: { wasmBinary: ArrayBuffer; locateFile: (path: string) => string };
    fireImmediately: true;
  }): Promise<unknown>;
  readBarcodes(
    image: ImageData,
    options: Record<string, unknown>,
  ): Promise<{ isValid: boolean; bytes: Uint8Array }[]>;
}

/** zxing-wasm exactly as @vneid/core bundles it, called directly: the "raw" baseline. */
let zxing: ZxingReader | undefined;
async function rawZxing(): Promise<ZxingReader> {
  if (zxing !== undefined) return zxing;
  const fromCore = createRequire(new URL('../packages/core/package.json', import.meta.url));
  const z = (await import(fromCore.resolve('zxing-wasm/reader'))) as ZxingReader;
  const wasm = await readZxingWasm();
  const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
  await z.prepareZXingModule({
    overrides: { wasmBinary, locateFile: (p: string) => p },
    fireImmediately: true,
  });
  zxing = z;
  return z;
}

/** Raw zxing-wasm on one frame: grey → RGBA as any caller must, the scanner's first-pass options. */
async function rawZxingScan(frame: LabelledFrame['frame']): Promise<string | null> {
  const z = await rawZxing();
  const { width, height, data } = frame;
  let rgba: Uint8ClampedArray;
  if (data.length === width * height * 4)
    rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  else {
    rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const v = data[i] as number;
      rgba[4 * i] = v;
      rgba[4 * i + 1] = v;
      rgba[4 * i + 2] = v;
      rgba[4 * i + 3] = 255;
    }
  }
  const results = await z.readBarcodes({ data: rgba, width, height, colorSpace: 'srgb' } as ImageData, {
    formats: ['QRCode'],
    tryHarder: true,
    tryRotate: true,
    tryInvert: true,
    tryDownscale: true,
    maxNumberOfSymbols: 4,
    textMode: 'Plain',
  });
  const first = results.find((r) => r.isValid);
  return first === undefined ? null : new TextDecoder('utf-8', { fatal: true }).decode(first.bytes);
}

/** @zxing/library on one frame (grey or RGBA → luminance), QR only, TRY_HARDER, UTF-8. */
function zxingLibraryScan(frame: LabelledFrame['frame']): string | null {
  const { width, height, data } = frame;
  const n = width * height;
  const grey = new Uint8ClampedArray(n);
  if (data.length === n) grey.set(data);
  else
    for (let i = 0; i < n; i++)
      grey[i] = (data[4 * i]! * 77 + data[4 * i + 1]! * 150 + data[4 * i + 2]! * 29) >> 8;
  const reader = new MultiFormatReader();
  const hints = new Map<(typeof DecodeHintType)[keyof typeof DecodeHintType], unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
    [DecodeHintType.TRY_HARDER, true],
    [DecodeHintType.CHARACTER_SET, 'UTF-8'],
  ]);
  try {
    return reader
      .decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, width, height))), hints)
      .getText();
  } catch {
    return null; // NotFoundException, ChecksumException, FormatException: no QR decoded
  }
}

async function scanText(decoder: Decoder, frame: LabelledFrame['frame']): Promise<string | null> {
  switch (decoder) {
    case 'ours':
      return (await scanCccdQr(frame, { decoder: 'zxing' }))?.text ?? null;
    case 'raw-zxing':
      return rawZxingScan(frame);
    case 'jsqr':
      return (await scanCccdQr(frame, { decoder: 'jsqr' }))?.text ?? null;
    case 'zxing-library':
      return zxingLibraryScan(frame);
  }
}

/**
 * Every decoder on each frame in turn (interleaved, the first one rotating, so that load on the
 * shared machine hits them alike), after a warm-up that loads the wasm and the modules.
 */
async function measure(
  decoders: Decoder[],
  frames: LabelledFrame[],
): Promise<Map<Decoder, Map<string, Tally>>> {
  const warm = renderQrFrame(null, { seed: 1 });
  for (const d of decoders) for (let i = 0; i < 3; i++) await scanText(d, frames[i]?.frame ?? warm);
  const out = new Map<Decoder, Map<string, Tally>>(decoders.map((d) => [d, new Map()]));
  for (const [i, f] of frames.entries()) {
    // Rotate which decoder goes first, so that none always meets a cold cache or a warm one.
    for (const d of [...decoders.slice(i % decoders.length), ...decoders.slice(0, i % decoders.length)]) {
      const t0 = performance.now();
      const text = await scanText(d, f.frame);
      const ms = performance.now() - t0;
      const ok = f.payload === null ? text === null : text === f.payload;
      const byCategory = out.get(d) as Map<string, Tally>;
      const t = byCategory.get(f.category) ?? { ok: 0, total: 0, ms: [] };
      t.total++;
      if (ok) t.ok++;
      t.ms.push(ms);
      byCategory.set(f.category, t);
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const pct = (ok: number, total: number): string => `${((100 * ok) / Math.max(1, total)).toFixed(0)}%`;

function merge(m: Map<string, Tally>, categories: readonly string[]): Tally {
  const t: Tally = { ok: 0, total: 0, ms: [] };
  for (const c of categories) {
    const v = m.get(c);
    if (v === undefined) continue;
    t.ok += v.ok;
    t.total += v.total;
    t.ms.push(...v.ms);
  }
  return t;
}

/** The realistic set: every category but the stress ones (`small`, `hard`), see the notes. */
const STRESS = ['small', 'hard'];
const REALISTIC = FRAME_CATEGORIES.filter((c) => !STRESS.includes(c));

export const qrScanSuite: BenchSuite = {
  id: 'qr-scan',
  title: 'CCCD QR scanning: @vneid/core/scan vs raw zxing-wasm vs jsQR',
  async run(): Promise<string> {
    const frames = frameSet(PER_CATEGORY * FRAME_CATEGORIES.length, HELD_OUT_SEED);
    const decoders: Decoder[] = ['ours', 'raw-zxing', 'jsqr', 'zxing-library'];
    const results = await measure(decoders, frames);
    const res = (d: Decoder): Map<string, Tally> => results.get(d) as Map<string, Tally>;
    const lines: string[] = [
      `${frames.length} synthetic frames (640×480 and 960×720, grey and RGBA, seeded), ${PER_CATEGORY} per category, each decoder run on each frame in turn (rotating which goes first). Success = the exact payload was decoded (or, for \`no-qr\`, nothing was reported). Time per frame includes image conversion and parsing; decoders are loaded before timing. "Raw zxing-wasm" is the same zxing-wasm build called directly with the scanner's first-pass options; ours adds the second pass (a sharpened, possibly enlarged crop of the one edge-dense region, at most ${SECOND_PASS_ATTEMPTS} more decodes of at most 720×720 pixels, only when the first pass finds nothing and such a region exists).`,
      '',
      '| Decoder | Realistic set: success | median ms | All frames: success | median ms | mean ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const d of decoders) {
      const real = merge(res(d), REALISTIC);
      const all = merge(res(d), FRAME_CATEGORIES);
      const mean = all.ms.reduce((a, b) => a + b, 0) / Math.max(1, all.ms.length);
      lines.push(
        `| ${LABEL[d]} | ${pct(real.ok, real.total)} (${real.ok}/${real.total}) | ${median(real.ms).toFixed(1)} | ${pct(all.ok, all.total)} (${all.ok}/${all.total}) | ${median(all.ms).toFixed(1)} | ${mean.toFixed(1)} | ${Math.max(...all.ms).toFixed(0)} |`,
      );
    }
    const shown: Decoder[] = ['ours', 'raw-zxing', 'jsqr'];
    lines.push('', `| Category | ${shown.map((d) => `${LABEL[d]} success | median ms`).join(' | ')} |`);
    lines.push(`| --- | ${shown.map(() => '---: | ---:').join(' | ')} |`);
    for (const c of FRAME_CATEGORIES) {
      const cells = shown.map((d) => {
        const t = res(d).get(c) as Tally;
        return `${pct(t.ok, t.total)} | ${median(t.ms).toFixed(1)}`;
      });
      const tag = STRESS.includes(c) ? ' (stress)' : PREVIEW_CATEGORIES.includes(c) ? ' (preview)' : '';
      lines.push(`| ${c}${tag} | ${cells.join(' | ')} |`);
    }
    const ours = merge(res('ours'), REALISTIC);
    const raw = merge(res('raw-zxing'), REALISTIC);
    const noQr = {
      ours: median(res('ours').get('no-qr')?.ms ?? []),
      raw: median(res('raw-zxing').get('no-qr')?.ms ?? []),
    };
    lines.push(
      '',
      `Realistic set: ours ${pct(ours.ok, ours.total)} at ${median(ours.ms).toFixed(1)} ms median per frame, ${(median(ours.ms) / Math.max(1e-9, median(raw.ms))).toFixed(2)}× raw zxing-wasm (${pct(raw.ok, raw.total)} at ${median(raw.ms).toFixed(1)} ms). A frame with no QR: ${noQr.ours.toFixed(1)} ms median (raw ${noQr.raw.toFixed(1)} ms).`,
      '',
      'The realistic set is every category except `small` (symbols of 22–32 % of the short side at 2–3 px per module) and `hard` (everything at once: any rotation, perspective, blur, strong noise and low contrast), kept as stress categories. `(preview)` marks the 640×480 previews: symbol at 42–62 % of the short side (≈ 3.5–5 px per module), exact gaussian defocus σ 1.3–2.5 px alone, or σ 1.2–2.3 px with noise σ 6–14, with perspective 6–14 % (rotation ±25°), or with a glare spot blending 40–70 % towards white; the second pass’s recipes were chosen on frame sets of other seeds (7, 2024, 99) than this one (4242). The older `blur` category uses the generator’s coarse three-box blur (effective σ ≈ 1.4 or ≈ 2.4 px) at 640×480 and 960×720. Only zxing-wasm (default) and jsQR (pure-JS fallback) ship in `@vneid/core/scan`; @zxing/library is measured as the alternative that was not chosen.',
    );
    return lines.join('\n');
  },
};
