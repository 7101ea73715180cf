/**
 * The built ESM files of @vneid/cccd-reader (and the @vneid/core files they import) in a real
 * browser: Debian's Chromium driven by playwright-core loads packages/cccd-reader/dist and
 * packages/core/dist unmodified from 127.0.0.1 through an import map (see serve-dist.ts).
 *
 * 1. In the page: a synthetic citizen, a brainpool384-signed software chip, and `readCard` over
 *    PACE-CAN with passive, chip and active authentication, all with WebCrypto's randomness.
 * 2. Loading the root entry fetches neither the `/pa` entry nor pkijs/asn1js; `readCard` fetches
 *    them only when asked for passive authentication (the chip then lives in Node, so that the
 *    page loads nothing but the root).
 * 3. Any request leaving 127.0.0.1 fails the test.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fromHex, toHex } from '@vneid/core/bytes';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../../../test/support/chromium.ts';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
} from '../../src/emulator/index.ts';
import { bundleVendor, type DistGraph, distGraph, importMap, readerDist, serve } from './serve-dist.ts';

const SEED = 2031;
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `SKIPPED: @vneid/cccd-reader browser test: Chromium not found at ${CHROMIUM} (run scripts/system-deps.sh)`,
  );
}

let graph: DistGraph;
let server: Server;
let base: string;
let browser: Browser;

/** A context that records every request and aborts (and lists) those leaving the server. */
async function recordingContext(): Promise<{
  context: BrowserContext;
  requests: string[];
  offsite: string[];
}> {
  const context = await browser.newContext();
  const requests: string[] = [];
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`)) {
      requests.push(url.slice(base.length));
      return route.continue();
    }
    offsite.push(url);
    return route.abort();
  });
  return { context, requests, offsite };
}

describe.skipIf(!haveChromium)('@vneid/cccd-reader built ESM files in headless Chromium', () => {
  beforeAll(async () => {
    for (const entry of ['index.js', 'emulator/index.js', 'pa/index.js']) {
      if (!existsSync(join(readerDist, entry)))
        throw new Error(
          'packages/cccd-reader/dist is not built: run `pnpm build` (scripts/test.sh does) before this test',
        );
    }
    graph = distGraph();
    const third = [...graph.bare].filter((s) => !s.startsWith('@vneid/'));
    const vendor = await bundleVendor(third);
    const page = `<!doctype html><meta charset="utf-8"><title>vneid cccd-reader</title>
<script type="importmap">${JSON.stringify(importMap(graph))}</script>`;
    ({ server, base } = await serve(page, vendor));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  it('the dist graph imports only packages an import map can serve (no node:*, no CJS-only)', () => {
    expect(
      [...graph.bare].filter((s) => s.startsWith('node:') || /^(fs|path|crypto|buffer)$/.test(s)),
    ).toEqual([]);
    expect([...graph.bare]).toEqual(expect.arrayContaining(['pkijs', 'asn1js', '@vneid/core/bytes']));
    // The root entry's static graph holds no pkijs user and not the /pa entry.
    expect([...graph.rootStatic].filter((u) => graph.paFiles.has(u))).toEqual([]);
    expect(graph.paFiles.has('/reader/pa/index.js')).toBe(true);
  });

  it('reads a brainpool384 software chip over PACE-CAN with PA + CA + AA, in the page', {
    timeout: 120_000,
  }, async () => {
    const { context, requests, offsite } = await recordingContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);

    // In-page code is a string: vitest would otherwise rewrite its dynamic import().
    const r = (await page.evaluate(`(async () => {
      let drawn = 0;
      const random = (n) => {
        drawn += n;
        return crypto.getRandomValues(new Uint8Array(n));
      };
      const emulator = await import('@vneid/cccd-reader/emulator');
      const { createTrustStore } = await import('@vneid/cccd-reader/pa');
      const { readCard } = await import('@vneid/cccd-reader');
      const person = emulator.createSyntheticPerson(${SEED});
      const files = await emulator.createCardFiles(person, { signer: 'brainpool384', random });
      const read = (certificates) =>
        readCard(emulator.createEmulatedCard(files, { random }), {
          idNumber: person.idNumber,
          random,
          authenticate: { passive: createTrustStore({ certificates }), chip: true, active: true },
        });
      const good = await read([files.trust.csca]);
      const face = good.files.dg2?.faces[0]?.image;
      const v = good.verification;
      // Control: the same chip against a trust store without its CSCA.
      const untrusted = await read([]);
      return {
        personId: person.idNumber,
        accessMethod: good.accessMethod,
        ok: v?.ok,
        passive: v?.passive?.ok,
        chip: v?.chip?.ok,
        active: v?.active?.ok,
        dg13Id: good.files.dg13?.idNumber,
        faceHead: face ? Array.from(face.subarray(0, 3)) : null,
        faceLength: face?.length ?? 0,
        parseErrors: good.parseErrors,
        drawn,
        untrusted: { ok: untrusted.verification?.ok, passive: untrusted.verification?.passive?.ok },
      };
    })()`)) as Record<string, unknown>;

    expect(r.personId).toBe(createSyntheticPerson(SEED).idNumber);
    expect(r.accessMethod).toBe('PACE-CAN');
    expect({ ok: r.ok, passive: r.passive, chip: r.chip, active: r.active }).toEqual({
      ok: true,
      passive: true,
      chip: true,
      active: true,
    });
    expect(r.dg13Id).toBe(r.personId);
    expect(r.faceHead).toEqual([0xff, 0xd8, 0xff]);
    expect(r.faceLength).toBeGreaterThan(1000);
    expect(r.parseErrors).toEqual([]);
    expect(r.drawn).toBeGreaterThan(0);
    expect(r.untrusted).toEqual({ ok: false, passive: false });

    // The files came from the dist (and the import map), nothing from elsewhere.
    expect(requests).toEqual(
      expect.arrayContaining(['/reader/index.js', '/reader/pa/index.js', '/vendor/pkijs.js']),
    );
    expect(requests.filter((u) => u.startsWith('/core/')).length).toBeGreaterThan(0);
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('loads /pa and pkijs only when readCard is asked for passive authentication', {
    timeout: 120_000,
  }, async () => {
    const person = createSyntheticPerson(SEED + 1);
    const files: CardFiles = await createCardFiles(person, { signer: 'brainpool384' });
    let card: EmulatedCard = createEmulatedCard(files);
    const { context, requests, offsite } = await recordingContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The chip lives in Node: the page has only the root entry and a transport to it.
    await page.exposeFunction('chipInsert', () => {
      card = createEmulatedCard(files);
    });
    await page.exposeFunction('chipTransceive', async (hex: string) =>
      toHex(await card.transceive(fromHex(hex))),
    );
    await page.goto(`${base}/`);
    const paLoaded = (): string[] =>
      requests.filter((u) => graph.paFiles.has(u) || u === '/vendor/pkijs.js' || u === '/vendor/asn1js.js');

    const exported = (await page.evaluate(`(async () => {
      const root = await import('@vneid/cccd-reader');
      const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      const bytes = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
      window.readChip = async (authenticate) => {
        await window.chipInsert();
        const transport = { transceive: async (c) => bytes(await window.chipTransceive(hex(c))) };
        const r = await root.readCard(transport, { idNumber: ${JSON.stringify(person.idNumber)}, authenticate });
        const v = r.verification;
        return { accessMethod: r.accessMethod, ok: v?.ok, passive: v?.passive?.ok, chip: v?.chip?.ok, active: v?.active?.ok };
      };
      return Object.keys(root);
    })()`)) as string[];
    expect(exported).toContain('readCard');
    for (const url of graph.rootStatic) expect(requests).toContain(url);
    expect(paLoaded()).toEqual([]);

    const withoutPa = await page.evaluate(`window.readChip({ chip: true, active: true })`);
    // CA and AA ran, but without passive authentication their keys are unauthenticated: not ok.
    expect(withoutPa).toEqual({
      accessMethod: 'PACE-CAN',
      ok: false,
      passive: undefined,
      chip: true,
      active: true,
    });
    expect(paLoaded()).toEqual([]);

    // authenticate.passive makes readCard import /pa (and with it pkijs). The store here is not
    // one createTrustStore made (that needs /pa itself), so the verification fails, closed.
    const fakeStore = await page.evaluate(`window.readChip({ passive: {} })`);
    expect(fakeStore).toMatchObject({ accessMethod: 'PACE-CAN', ok: false, passive: false });
    expect(paLoaded()).toEqual(expect.arrayContaining(['/reader/pa/index.js', '/vendor/pkijs.js']));

    // /pa is now cached: a real store verifies the chip without a new request for it.
    const before = requests.length;
    const verified = await page.evaluate(`(async () => {
      const { createTrustStore } = await import('@vneid/cccd-reader/pa');
      const csca = ${JSON.stringify(files.trust.cscaPem)};
      return window.readChip({ passive: createTrustStore({ certificates: [csca] }), chip: true, active: true });
    })()`);
    expect(verified).toEqual({ accessMethod: 'PACE-CAN', ok: true, passive: true, chip: true, active: true });
    expect(requests.slice(before)).toEqual([]);

    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
