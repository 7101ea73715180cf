/**
 * @module
 * The camera page in headless Chromium with Chromium's fake camera fed a video file: a `.y4m`
 * of synthetic frames (test/support/qr-images.ts: a cluttered desk, then the card's QR code of a
 * synthetic person, rotated, in perspective, blurred and noisy, in colour) that loops. The page
 * is built from TypeScript with esbuild (examples/build-pages.ts) and served from 127.0.0.1; the
 * test clicks "Start the camera", waits until the page has read the card, and compares every
 * field shown with the person the QR code was made from. Every request leaving 127.0.0.1 is
 * aborted and fails the test; the page asks only for itself, its script and the zxing wasm.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, localPage } from '../../test/support/chromium.ts';
import {
  type Frame,
  renderQrFrame,
  syntheticPayload,
  syntheticPerson,
} from '../../test/support/qr-images.ts';
import { type StaticSite, serveStatic } from '../../test/support/static-site.ts';
import { encodeY4m } from '../../test/support/y4m.ts';
import { buildPage } from '../build-pages.ts';

const SEED = 4711;
const person = syntheticPerson(SEED, 'can-cuoc');
const payload = syntheticPayload(SEED, 'can-cuoc');

let temp: string;
let site: StaticSite;
let browser: Browser;

/** Two seconds of desk without a card, then the card's QR code moving a little. */
function cameraFrames(): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < 6; i++)
    frames.push(renderQrFrame(null, { width: 640, height: 480, seed: 100 + i, format: 'rgba' }));
  for (let i = 0; i < 14; i++)
    frames.push(
      renderQrFrame(payload, {
        width: 640,
        height: 480,
        seed: 200 + i,
        rotation: -8 + i * 1.2,
        perspective: 0.06,
        blur: 0.6,
        noise: 3,
        contrast: 0.8,
        format: 'rgba',
      }),
    );
  return frames;
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'vneid-camera-qr-'));
  const dir = await buildPage('camera-qr', join(temp, 'site'));
  const camera = join(temp, 'camera.y4m');
  writeFileSync(camera, encodeY4m(cameraFrames(), { fps: 10 }));
  site = await serveStatic(dir);
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${camera}`,
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('examples/camera-qr in Chromium with a fake camera', () => {
  it('scans the QR code in the camera frames and shows the parsed card', { timeout: 90_000 }, async () => {
    const { context, page, offSite, errors } = await localPage(browser);
    await page.goto(`${site.url}/index.html`);
    expect(await page.locator('#status').getAttribute('data-state')).toBe('idle');
    await page.click('#start');
    await page.waitForSelector('#status[data-state="found"]', { timeout: 60_000 });

    const shown = Object.fromEntries(
      await page
        .locator('dd[data-field]')
        .evaluateAll((dds) => dds.map((dd) => [(dd as HTMLElement).dataset['field'], dd.textContent])),
    );
    const ddmmyyyy = (iso: string): string => iso.split('-').reverse().join('/');
    expect(shown).toEqual({
      idNumber: person.idNumber,
      oldIdNumber: person.oldIdNumber ?? '—',
      fullName: person.fullName,
      dateOfBirth: ddmmyyyy(person.dateOfBirth),
      sex: person.sex === 'male' ? 'Nam' : 'Nữ',
      address: person.address,
      issueDate: ddmmyyyy(person.issueDate),
      kind: 'Căn cước',
    });
    // The camera is released once the card is read.
    expect(
      await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).srcObject),
    ).toBeNull();
    expect(errors).toEqual([]);
    expect(offSite).toEqual([]);
    expect([...new Set(site.requests)].sort()).toEqual(['/index.html', '/main.js', '/zxing_reader.wasm']);
    await context.close();
  });
});
