/**
 * The built ESM bundle of @vneid/core in a real browser: Debian's Chromium driven by
 * playwright-core loads packages/core/dist from a local HTTP server, parses a CCCD QR payload
 * and scans a synthetic camera frame (drawn on a canvas, read back as ImageData) with the
 * zxing-wasm decoder, whose .wasm must come from the package itself: any request leaving
 * 127.0.0.1 (e.g. the decoder's default CDN) fails the test.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../../../test/support/chromium.ts';
import {
  encodePng,
  renderQrFrame,
  syntheticPayload,
  syntheticPerson,
} from '../../../../test/support/qr-images.ts';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const payload = syntheticPayload(2024, 'can-cuoc');
const frames: Record<string, Uint8Array> = {
  '/frame.png': encodePng(
    renderQrFrame(payload, { seed: 5, rotation: 20, perspective: 0.06, noise: 6, format: 'rgba' }),
  ),
  '/empty.png': encodePng(renderQrFrame(null, { seed: 6 })),
};
const PAGE = '<!doctype html><meta charset="utf-8"><title>vneid core</title><canvas id="c"></canvas>';
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.png': 'image/png',
};

let server: Server;
let base: string;
let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(dist, 'scan/index.js')) || !existsSync(join(dist, 'scan/zxing_reader.wasm'))) {
    throw new Error(
      'packages/core/dist is not built: run `pnpm build` (scripts/test.sh does) before this test',
    );
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run scripts/system-deps.sh (apt-get install chromium)`,
    );
  }
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    }
    const frame = frames[path];
    if (frame !== undefined) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(frame);
      return;
    }
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('@vneid/core built ESM bundle in headless Chromium', () => {
  it('parses a QR payload and scans a camera frame with the packaged zxing wasm, offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const offsite: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith(`${base}/`)) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);

    // 1. The text parser alone: no decoder is loaded.
    // In-page code is a string: vitest would otherwise rewrite its dynamic import().
    const parsed = (await page.evaluate(`(async () => {
      const text = ${JSON.stringify(payload)};
      const qr = await import('/qr/index.js');
      const card = qr.parseCccdQr(text.normalize('NFD'));
      let errorCode = null;
      try {
        qr.parseCccdQr(text.split('|').slice(0, 6).join('|'));
      } catch (e) {
        errorCode = [e.name, e.code];
      }
      return { card, formatted: qr.formatCccdQr(card), errorCode };
    })()`)) as { card: unknown; formatted: string; errorCode: unknown };
    expect(parsed.card).toEqual({ ...syntheticPerson(2024, 'can-cuoc'), warnings: [] });
    expect(parsed.formatted).toBe(payload);
    expect(parsed.errorCode).toEqual(['CccdQrError', 'WRONG_FIELD_COUNT']);
    const afterParse = [...requests];
    expect(
      afterParse.some((u) => u.endsWith('.wasm') || /\/reader-[^/]*\.js$/.test(u) || /jsQR/.test(u)),
    ).toBe(false);

    // 2. Importing the scanner does not fetch the wasm yet (lazy); scanning does, from here.
    const scanned = (await page.evaluate(`(async () => {
      const scan = await import('/scan/index.js');
      const wasmBeforeScan = performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm'));
      async function frame(src) {
        const img = new Image();
        img.src = src;
        await img.decode();
        const canvas = document.getElementById('c');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height);
      }
      const image = await frame('/frame.png');
      const rgba = await scan.scanCccdQr(image);
      const grey = new Uint8Array(image.width * image.height);
      for (let i = 0; i < grey.length; i++) grey[i] = image.data[4 * i + 1];
      const fromGrey = await scan.scanCccdQr({ data: grey, width: image.width, height: image.height });
      const viaJsqr = await scan.scanCccdQr(image, { decoder: 'jsqr' });
      const empty = await scan.scanCccdQr(await frame('/empty.png'));
      let invalid = null;
      try {
        await scan.scanCccdQr({ data: new Uint8Array(3), width: 2, height: 2 });
      } catch (e) {
        invalid = [e.name, e.code];
      }
      return {
        wasmBeforeScan,
        rgba: rgba && { text: rgba.text, decoder: rgba.decoder, card: rgba.card },
        fromGrey: fromGrey && { text: fromGrey.text, decoder: fromGrey.decoder },
        viaJsqr: viaJsqr && { text: viaJsqr.text, decoder: viaJsqr.decoder },
        empty,
        invalid,
      };
    })()`)) as Record<string, unknown>;
    expect(scanned.wasmBeforeScan).toBe(false);
    expect(scanned.rgba).toEqual({
      text: payload,
      decoder: 'zxing',
      card: { ...syntheticPerson(2024, 'can-cuoc'), warnings: [] },
    });
    expect(scanned.fromGrey).toEqual({ text: payload, decoder: 'zxing' });
    expect(scanned.viaJsqr).toEqual({ text: payload, decoder: 'jsqr' });
    expect(scanned.empty).toBeNull();
    expect(scanned.invalid).toEqual(['ScanError', 'INVALID_IMAGE']);

    expect(requests.filter((u) => u.endsWith('/scan/zxing_reader.wasm'))).toHaveLength(1);
    expect(offsite).toEqual([]);
    expect(requests.every((u) => u.startsWith(`${base}/`))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
