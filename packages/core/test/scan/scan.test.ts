import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodePng,
  encodePng,
  type FrameOptions,
  renderQrFrame,
  sideBySide,
  syntheticPayload,
  syntheticPerson,
} from '../../../../test/support/qr-images.ts';
import { CccdQrError } from '../../src/qr/index.ts';
import { toRgba } from '../../src/scan/image.ts';
import { scanCccdQr as scanBrowserEntry } from '../../src/scan/index.ts';
import { readZxingWasm, ScanError, type ScanErrorCode, scanCccdQr } from '../../src/scan/node/index.ts';
import {
  cachedWasmSources,
  loadZxingDecoder,
  MAX_CACHED_WASM_SOURCES,
} from '../../src/scan/zxing-decoder.ts';

type Decoder = 'zxing' | 'jsqr';

const corePackage = fileURLToPath(new URL('../../package.json', import.meta.url));

/** How Node resolves `specifier` from inside @vneid/core (self-reference), for import and require. */
function nodeResolve(specifier: string): { import: string; require: string } {
  if (!existsSync(fileURLToPath(new URL('../../dist/scan/node/index.js', import.meta.url)))) {
    throw new Error(
      'packages/core/dist is not built: run `pnpm --filter @vneid/core build` before this test',
    );
  }
  const esm = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `process.stdout.write(import.meta.resolve(${JSON.stringify(specifier)}))`],
    { cwd: dirname(corePackage), encoding: 'utf8' },
  );
  return { import: fileURLToPath(esm), require: createRequire(corePackage).resolve(specifier) };
}

// A defined set of frames each decoder must read. zxing-wasm gets the harder set; jsQR (the
// pure-JS fallback) a milder one. Benchmarks over many more frames live in bench/qr-scan.ts.
const common: [string, FrameOptions][] = [
  ['clean 640×480 grey', {}],
  ['clean 640×480 RGBA', { format: 'rgba' }],
  ['small frame 320×240', { width: 320, height: 240, qrSize: 200 }],
  ['large frame 1280×720 RGBA', { width: 1280, height: 720, qrSize: 420, format: 'rgba' }],
  ['rotated 90°', { rotation: 90 }],
  ['rotated 180°', { rotation: 180 }],
  ['rotated -25°', { rotation: -25 }],
  ['mild perspective', { perspective: 0.08, rotation: 10 }],
  ['mild blur σ=1', { blur: 1, qrSize: 300 }],
  ['mild noise σ=3', { noise: 3 }],
  ['no clutter', { clutter: false }],
];
const zxingOnly: [string, FrameOptions][] = [
  ['rotated 37° with noise', { rotation: 37, noise: 10 }],
  ['strong perspective', { perspective: 0.18, rotation: -20 }],
  ['blur σ=2', { blur: 2, qrSize: 320 }],
  ['noise σ=12', { noise: 12 }],
  ['noise σ=30', { noise: 30 }],
  ['low contrast 0.2', { contrast: 0.2 }],
  ['low contrast 0.2 on a dark card', { contrast: 0.2, brightness: 100, format: 'rgba' }],
  [
    'combined: rotation, perspective, blur, noise, contrast',
    { rotation: 120, perspective: 0.08, blur: 0.8, noise: 8, contrast: 0.6, qrSize: 320 },
  ],
];

const cases: [Decoder, string, FrameOptions][] = [
  ...common.map(([n, o]): [Decoder, string, FrameOptions] => ['zxing', n, o]),
  ...zxingOnly.map(([n, o]): [Decoder, string, FrameOptions] => ['zxing', n, o]),
  ...common.map(([n, o]): [Decoder, string, FrameOptions] => ['jsqr', n, o]),
];

describe('scanCccdQr on synthetic camera frames', () => {
  it.each(cases.map(([d, n, o], i) => [d, n, o, i] as const))(
    '%s reads %s',
    async (decoder, _name, options, i) => {
      const kind = i % 3 === 0 ? 'can-cuoc' : 'cccd';
      const payload = syntheticPayload(100 + i, kind);
      const frame = renderQrFrame(payload, { seed: 7 + i, ...options });
      const result = await scanCccdQr(frame, { decoder });
      expect(result).not.toBeNull();
      expect(result?.decoder).toBe(decoder);
      expect(result?.text).toBe(payload);
      expect(result?.card).not.toBeInstanceOf(CccdQrError);
      expect(result?.card).toEqual({ ...syntheticPerson(100 + i, kind), warnings: [] });
    },
  );

  it.each(['zxing', 'jsqr'] as const)('%s returns null for a frame without a QR code', async (decoder) => {
    for (const seed of [1, 2, 3]) {
      expect(await scanCccdQr(renderQrFrame(null, { seed }), { decoder })).toBeNull();
    }
  });

  it.each(['zxing', 'jsqr'] as const)('%s reads a PNG written and read back', async (decoder) => {
    const payload = syntheticPayload(5);
    const png = encodePng(renderQrFrame(payload, { format: 'rgba', rotation: 12, seed: 3 }));
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect((await scanCccdQr(decodePng(png), { decoder }))?.text).toBe(payload);
  });

  it.each(['zxing', 'jsqr'] as const)(
    '%s: another QR code gives the parse error as card',
    async (decoder) => {
      const result = await scanCccdQr(renderQrFrame('https://example.com/not-a-card', { seed: 4 }), {
        decoder,
      });
      expect(result?.text).toBe('https://example.com/not-a-card');
      expect(result?.card).toBeInstanceOf(CccdQrError);
      expect(result?.card).toMatchObject({ code: 'WRONG_FIELD_COUNT' });
    },
  );

  it('passes parse options through (lenient dates)', async () => {
    const text = '001090012345||Nguyễn Văn An|15/03/1990|Nam|Hà Nội|01/07/2021';
    const frame = renderQrFrame(text, { seed: 9 });
    expect((await scanCccdQr(frame))?.card).toMatchObject({
      name: 'CccdQrError',
      code: 'INVALID_DATE_FORMAT',
    });
    const lenient = await scanCccdQr(frame, { parse: { mode: 'lenient' } });
    expect(lenient?.card).toMatchObject({ dateOfBirth: '1990-03-15', issueDate: '2021-07-01' });
  });

  it.each(['zxing', 'jsqr'] as const)(
    '%s decodes the bytes as strict UTF-8 (NOT_UTF8 for Latin-1)',
    async (decoder) => {
      // "Nữ" is not representable in Latin-1; a Latin-1 "é" (0xE9) alone is invalid UTF-8.
      const latin1 = Uint8Array.from([...new TextEncoder().encode('001090012345||Nguy'), 0xe9, 0x6e]);
      const frame = renderQrFrame(latin1, { seed: 11 });
      await expect(scanCccdQr(frame, { decoder })).rejects.toMatchObject({
        name: 'ScanError',
        code: 'NOT_UTF8',
      });
    },
  );
});

describe('several QR codes in one frame', () => {
  const other = (text: string, seed: number) => renderQrFrame(text, { seed, width: 480, qrSize: 200 });
  const card = (seed: number) => renderQrFrame(syntheticPayload(seed), { seed, width: 480, qrSize: 200 });

  it.each([
    ['card right of a URL QR', 22, [other('https://example.com/pay?amount=1000', 21), card(22)]],
    ['card left of a URL QR', 23, [card(23), other('https://example.com/pay?amount=2000', 24)]],
    [
      'card between two other QR codes',
      26,
      [other('WIFI:S:shop;T:WPA;P:secret;;', 25), card(26), other('https://example.com/menu', 27)],
    ],
    [
      'card beside a QR whose text almost parses',
      29,
      [other('001090012345||x|y|Nam|z|01072021', 28), card(29)],
    ],
  ] as const)('returns the CCCD one: %s', async (_n, seed, frames) => {
    for (const order of [frames, [...frames].reverse()]) {
      const result = await scanCccdQr(sideBySide(order), { decoder: 'zxing' });
      expect(result?.text).toBe(syntheticPayload(seed));
      expect(result?.card).toEqual({ ...syntheticPerson(seed), warnings: [] });
    }
  });

  it('with only other QR codes, reports the first with its parse error', async () => {
    const frame = sideBySide([other('https://example.com/a', 31), other('https://example.com/b', 32)]);
    const result = await scanCccdQr(frame, { decoder: 'zxing' });
    expect(['https://example.com/a', 'https://example.com/b']).toContain(result?.text);
    expect(result?.card).toMatchObject({ code: 'WRONG_FIELD_COUNT' });
  });

  it('a non-UTF-8 QR beside the card does not hide the card', async () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode('001090012345||Nguy'), 0xe9, 0x6e]);
    const frames = [renderQrFrame(latin1, { seed: 33, width: 480, qrSize: 200 }), card(34)];
    for (const order of [frames, [...frames].reverse()]) {
      expect((await scanCccdQr(sideBySide(order), { decoder: 'zxing' }))?.text).toBe(syntheticPayload(34));
    }
  });
});

describe('scanCccdQr errors and decoder selection', () => {
  const good = renderQrFrame(syntheticPayload(1), { seed: 1 });
  const invalidImages: [string, unknown][] = [
    ['null', null],
    ['zero width', { data: new Uint8Array(0), width: 0, height: 10 }],
    ['fractional height', { data: new Uint8Array(40), width: 10, height: 0.4 }],
    ['wrong length', { data: new Uint8Array(10 * 10 * 3), width: 10, height: 10 }],
    ['plain array data', { data: [0, 0, 0, 0], width: 1, height: 1 }],
    ['Float32Array data', { data: new Float32Array(4), width: 1, height: 1 }],
    ['too many pixels', { data: new Uint8Array(1), width: 100_000, height: 100_000 }],
  ];
  it.each(invalidImages)('rejects %s with INVALID_IMAGE', async (_n, image) => {
    for (const decoder of ['zxing', 'jsqr'] as const) {
      await expect(scanCccdQr(image as never, { decoder })).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    }
  });

  it('rejects an unknown decoder with INVALID_OPTIONS', async () => {
    const err = await scanCccdQr(good, { decoder: 'quagga' as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScanError);
    expect((err as ScanError).code satisfies ScanErrorCode).toBe('INVALID_OPTIONS');
  });

  it('zxing with unusable wasm bytes is DECODER_UNAVAILABLE; auto falls back to jsQR', async () => {
    const bad = new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]);
    await expect(scanCccdQr(good, { decoder: 'zxing', wasm: bad })).rejects.toMatchObject({
      code: 'DECODER_UNAVAILABLE',
    });
    const fallback = await scanCccdQr(good, { decoder: 'auto', wasm: bad });
    expect(fallback?.decoder).toBe('jsqr');
    expect(fallback?.text).toBe(syntheticPayload(1));
    // The good module is used again afterwards (a failed source never sticks).
    expect((await scanCccdQr(good, { decoder: 'zxing' }))?.decoder).toBe('zxing');
    expect((await scanCccdQr(good, { decoder: 'zxing', wasm: await readZxingWasm() }))?.text).toBe(
      syntheticPayload(1),
    );
  });

  it('in Node, @vneid/core/scan is the Node entry (export condition `node`), which uses zxing-wasm', async () => {
    // Resolved by Node itself (ESM and CommonJS), as an application importing the package is.
    const resolved = nodeResolve('@vneid/core/scan');
    expect(resolved).toEqual(nodeResolve('@vneid/core/scan/node'));
    expect(resolved.import).toMatch(/\/dist\/scan\/node\/index\.js$/);
    expect(resolved.require).toMatch(/\/dist\/scan\/node\/index\.cjs$/);
    // What that specifier loads in Node decodes with zxing-wasm, by default and with `auto`.
    const built = (await import(pathToFileURL(resolved.import).href)) as { scanCccdQr: typeof scanCccdQr };
    expect((await built.scanCccdQr(good))?.decoder).toBe('zxing');
    expect((await built.scanCccdQr(good, { decoder: 'auto' }))?.text).toBe(syntheticPayload(1));
    expect((await scanCccdQr(good))?.decoder).toBe('zxing');
  });

  it('the browser entry never fetches a file: URL (in Node it is reached only by skipping the `node` condition)', async () => {
    await expect(scanBrowserEntry(good, { decoder: 'zxing' })).rejects.toMatchObject({
      code: 'DECODER_UNAVAILABLE',
    });
    expect((await scanBrowserEntry(good, { wasm: (await readZxingWasm()).slice() }))?.decoder).toBe('zxing');
  });

  it('the wasm cache is bounded (fresh bytes per scan do not pile up) and drops failed loads', async () => {
    const wasm = await readZxingWasm();
    for (let i = 0; i < MAX_CACHED_WASM_SOURCES + 3; i++) {
      const decode = await loadZxingDecoder(wasm.slice());
      expect(cachedWasmSources()).toBeLessThanOrEqual(MAX_CACHED_WASM_SOURCES);
      expect(await decode(toRgba(good), good.width, good.height)).toHaveLength(1);
    }
    expect(cachedWasmSources()).toBe(MAX_CACHED_WASM_SOURCES);
    const before = cachedWasmSources();
    for (let i = 0; i < 3; i++) {
      await expect(loadZxingDecoder(new Uint8Array([0, 0x61, 0x73, 0x6d, i]))).rejects.toMatchObject({
        code: 'DECODER_UNAVAILABLE',
      });
    }
    expect(cachedWasmSources()).toBeLessThanOrEqual(before);
    // The decoder still works afterwards with the default wasm.
    expect((await scanCccdQr(good))?.text).toBe(syntheticPayload(1));
  });

  it('grey and RGBA forms of the same frame give the same result', async () => {
    const grey = renderQrFrame(syntheticPayload(2), { seed: 2, format: 'grey' });
    const rgba = new Uint8ClampedArray(grey.data.length * 4);
    grey.data.forEach((v, i) => {
      rgba.set([v, v, v, 255], 4 * i);
    });
    const a = await scanCccdQr(grey);
    const b = await scanCccdQr({ data: rgba, width: grey.width, height: grey.height });
    expect(a?.text).toBe(syntheticPayload(2));
    expect(b?.text).toBe(a?.text);
  });
});
