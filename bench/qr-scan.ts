/**
 * @module
 * QR scanner benchmark: success rate and milliseconds per frame for each decoder (zxing-wasm,
 * jsQR) over a fixed seeded set of synthetic camera frames of varied difficulty
 * (`test/support/qr-images.ts`). @zxing/library is not installed, so it is not measured.
 */
import { scanCccdQr } from '../packages/core/src/scan/node/index.ts';
import { FRAME_CATEGORIES, frameSet, type LabelledFrame } from '../test/support/qr-images.ts';
import type { BenchSuite } from './suites.ts';

const FRAMES = 207; // 23 per category

interface Tally {
  ok: number;
  total: number;
  ms: number[];
}

async function measure(decoder: 'zxing' | 'jsqr', frames: LabelledFrame[]): Promise<Map<string, Tally>> {
  // Warm up (loads the wasm / module) outside the measurements.
  await scanCccdQr(frames[0]?.frame ?? { data: new Uint8Array(1), width: 1, height: 1 }, { decoder });
  const byCategory = new Map<string, Tally>();
  for (const f of frames) {
    const t0 = performance.now();
    const r = await scanCccdQr(f.frame, { decoder });
    const ms = performance.now() - t0;
    const ok = f.payload === null ? r === null : r !== null && r.text === f.payload;
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
  title: 'CCCD QR scanning: zxing-wasm vs jsQR',
  async run(): Promise<string> {
    const frames = frameSet(FRAMES);
    const decoders = ['zxing', 'jsqr'] as const;
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
        `| ${d === 'zxing' ? 'zxing-wasm 3.1.4' : 'jsQR 1.4.0'} | ${pct(t.ok, t.total)} (${t.ok}/${t.total}) | ${median(t.ms).toFixed(1)} | ${mean.toFixed(1)} | ${Math.max(...t.ms).toFixed(0)} |`,
      );
    }
    lines.push(
      '',
      '| Category | zxing-wasm success | zxing-wasm median ms | jsQR success | jsQR median ms |',
    );
    lines.push('| --- | ---: | ---: | ---: | ---: |');
    for (const c of FRAME_CATEGORIES) {
      const z = results.get('zxing')?.get(c) as Tally;
      const j = results.get('jsqr')?.get(c) as Tally;
      lines.push(
        `| ${c} | ${pct(z.ok, z.total)} | ${median(z.ms).toFixed(1)} | ${pct(j.ok, j.total)} | ${median(j.ms).toFixed(1)} |`,
      );
    }
    lines.push('', '@zxing/library is not installed in this workspace and is not measured.');
    return lines.join('\n');
  },
};
