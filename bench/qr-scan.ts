/**
 * @module
 * QR scanner benchmark: success rate and milliseconds per frame for each decoder (zxing-wasm and
 * jsQR as shipped in `@vneid/core/scan`, and @zxing/library — the pure-TypeScript ZXing port — as
 * the alternative we did not choose) over a fixed seeded set of synthetic camera frames of varied
 * difficulty (`test/support/qr-images.ts`).
 */
import zxingLibrary from '@zxing/library';
import { scanCccdQr } from '../packages/core/src/scan/node/index.ts';
import { FRAME_CATEGORIES, frameSet, type LabelledFrame } from '../test/support/qr-images.ts';
import type { BenchSuite } from './suites.ts';

const FRAMES = 207; // 23 per category

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

type Decoder = 'zxing' | 'jsqr' | 'zxing-library';

const LABEL: Record<Decoder, string> = {
  zxing: 'zxing-wasm 3.1.4',
  jsqr: 'jsQR 1.4.0',
  'zxing-library': '@zxing/library 0.23.0',
};

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
  if (decoder === 'zxing-library') return zxingLibraryScan(frame);
  return (await scanCccdQr(frame, { decoder }))?.text ?? null;
}

async function measure(decoder: Decoder, frames: LabelledFrame[]): Promise<Map<string, Tally>> {
  // Warm up (loads the wasm / module) outside the measurements.
  await scanText(decoder, frames[0]?.frame ?? { data: new Uint8Array(1), width: 1, height: 1 });
  const byCategory = new Map<string, Tally>();
  for (const f of frames) {
    const t0 = performance.now();
    const text = await scanText(decoder, f.frame);
    const ms = performance.now() - t0;
    const ok = f.payload === null ? text === null : text === f.payload;
    const t = byCategory.get(f.category) ?? { ok: 0, total: 0, ms: [] };
    t.total++;
    if (ok) t.ok++;
    t.ms.push(ms);
    byCategory.set(f.category, t);
  }
  return byCategory;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const pct = (ok: number, total: number): string => `${((100 * ok) / Math.max(1, total)).toFixed(0)}%`;

export const qrScanSuite: BenchSuite = {
  id: 'qr-scan',
  title: 'CCCD QR scanning: zxing-wasm vs jsQR vs @zxing/library',
  async run(): Promise<string> {
    const frames = frameSet(FRAMES);
    const decoders: Decoder[] = ['zxing', 'jsqr', 'zxing-library'];
    const results = new Map<string, Map<string, Tally>>();
    for (const d of decoders) results.set(d, await measure(d, frames));
    const all = (m: Map<string, Tally>): Tally => {
      const t: Tally = { ok: 0, total: 0, ms: [] };
      for (const v of m.values()) {
        t.ok += v.ok;
        t.total += v.total;
        t.ms.push(...v.ms);
      }
      return t;
    };
    const lines: string[] = [
      `${frames.length} synthetic frames (640×480 and 960×720, grey and RGBA, seeded), ${frames.length / FRAME_CATEGORIES.length} per category. Success = the exact payload was decoded (or, for \`no-qr\`, nothing was reported). Time includes image conversion and parsing; the decoder is loaded before timing.`,
      '',
      '| Decoder | Success | Median ms/frame | Mean ms/frame | Max ms/frame |',
      '| --- | ---: | ---: | ---: | ---: |',
    ];
    for (const d of decoders) {
      const t = all(results.get(d) as Map<string, Tally>);
      const mean = t.ms.reduce((a, b) => a + b, 0) / Math.max(1, t.ms.length);
      lines.push(
        `| ${LABEL[d]} | ${pct(t.ok, t.total)} (${t.ok}/${t.total}) | ${median(t.ms).toFixed(1)} | ${mean.toFixed(1)} | ${Math.max(...t.ms).toFixed(0)} |`,
      );
    }
    lines.push('', `| Category | ${decoders.map((d) => `${LABEL[d]} success | median ms`).join(' | ')} |`);
    lines.push(`| --- | ${decoders.map(() => '---: | ---:').join(' | ')} |`);
    for (const c of FRAME_CATEGORIES) {
      const cells = decoders.map((d) => {
        const t = results.get(d)?.get(c) as Tally;
        return `${pct(t.ok, t.total)} | ${median(t.ms).toFixed(1)}`;
      });
      lines.push(`| ${c} | ${cells.join(' | ')} |`);
    }
    lines.push(
      '',
      'Only zxing-wasm (default) and jsQR (pure-JS fallback) ship in `@vneid/core/scan`; @zxing/library is measured as the alternative that was not chosen.',
    );
    return lines.join('\n');
  },
};
