/**
 * @module
 * The offline verify page in headless Chromium. A software chip (the emulator) is read with
 * `readCard` and saved as `vneid read --out` saves it (`dump.json`: `{ format:
 * 'vneid-card-dump', version: 1, files }`, Base64 per file, plus `csca.pem`); the page, built
 * from TypeScript with esbuild and served from 127.0.0.1, is given the files
 * - through the file input: PA passes (signature, chain to the test CSCA, validity, every data
 *   group read `match`, DG3 `unread`), active/chip authentication are reported as needing the
 *   chip, and the holder is shown: DG13's ID number and name, and DG2's face as an image the
 *   browser decoded to the JPEG's size;
 * - by drag and drop (a `drop` event with a DataTransfer holding the files): the dump alone,
 *   without its test CSCA, and with DG13 replaced by another person's: the chain and DG13 fail,
 *   the verdict is "NOT verified";
 * - a JSON that is not a dump: an error on the page, no report.
 * After the page has loaded, it makes no request at all (the server's log does not grow, and
 * playwright aborts anything leaving 127.0.0.1, which fails the test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
} from '../../packages/cccd-reader/src/emulator/index.ts';
import { readCard } from '../../packages/cccd-reader/src/index.ts';
import { parseDg2 } from '../../packages/cccd-reader/src/lds/index.ts';
import { type LocalPage, launchChromium, localPage } from '../../test/support/chromium.ts';
import { type StaticSite, serveStatic } from '../../test/support/static-site.ts';
import { buildPage } from '../build-pages.ts';

let temp: string;
let site: StaticSite;
let browser: Browser;
let files: CardFiles;
/** The dump as `vneid read --out` writes it. */
let dump: { format: string; version: number; files: Record<string, string> };

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'vneid-offline-verify-'));
  const person = createSyntheticPerson(77);
  files = await createCardFiles(person);
  const read = await readCard(createEmulatedCard(files), { idNumber: person.idNumber });
  const saved: Record<string, string> = {};
  for (const [k, bytes] of Object.entries(read.raw))
    if (bytes) saved[/^\d+$/.test(k) ? `dg${k}` : k] = b64(bytes);
  dump = { format: 'vneid-card-dump', version: 1, files: saved };
  site = await serveStatic(await buildPage('offline-verify', join(temp, 'site')));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** A fresh page on the verify page, with every request off 127.0.0.1 aborted and recorded. */
async function openPage(): Promise<LocalPage> {
  const opened = await localPage(browser);
  const { page, errors } = opened;
  // A Content-Security-Policy violation (a blocked style or script) is an error of the page too.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${site.url}/index.html`);
  await page.waitForLoadState('networkidle');
  return opened;
}

async function fieldTexts(page: Page, list: string): Promise<Record<string, string | null | undefined>> {
  return Object.fromEntries(
    await page
      .locator(`#${list} dd[data-field]`)
      .evaluateAll((dds) => dds.map((dd) => [(dd as HTMLElement).dataset['field'], dd.textContent])),
  );
}

async function groupStatuses(page: Page): Promise<Record<string, string | undefined>> {
  return Object.fromEntries(
    await page
      .locator('#groups tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [`DG${(tr as HTMLElement).dataset['dg']}`, tr.children[1]?.textContent]),
      ),
  );
}

describe('examples/offline-verify in Chromium', () => {
  it('verifies a dump and its CSCA given through the file input, showing the report and the face', async () => {
    const { context, page, offSite, errors } = await openPage();
    const requestsAtLoad = site.requests.length;
    await page.setInputFiles('#files', [
      { name: 'dump.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(dump, null, 2)) },
      { name: 'csca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(files.trust.cscaPem) },
    ]);
    await page.waitForSelector('#status[data-state="done"]');
    expect(await page.locator('#verdict').getAttribute('data-ok')).toBe('true');
    expect(await fieldTexts(page, 'parts')).toEqual({ signature: 'ok', chain: 'ok', validity: 'ok' });
    const read = Object.keys(dump.files).filter((k) => /^dg\d+$/.test(k));
    const statuses = await groupStatuses(page);
    for (const dg of read) expect(statuses[dg.toUpperCase()], dg).toBe('match');
    expect(statuses['DG3']).toBe('unread');
    const chip = await fieldTexts(page, 'chip');
    expect(chip['active']).toMatch(/^not checkable from a dump: .* RSA-2048 key \(hash match\)\.$/);
    expect(chip['chip']).toMatch(/DG14 is present \(hash match\)/);
    const holder = await fieldTexts(page, 'holder');
    expect(holder['idNumber']).toBe(files.person.idNumber);
    expect(holder['fullName']).toBe(files.person.fullName);
    const face = parseDg2(files.dataGroups.get(2) as Uint8Array).faces[0];
    const img = await page.locator('#face').evaluate(async (el: HTMLImageElement) => {
      await el.decode();
      return { hidden: el.hidden, width: el.naturalWidth, height: el.naturalHeight, src: el.src.slice(0, 5) };
    });
    expect(img).toEqual({ hidden: false, width: face?.width, height: face?.height, src: 'blob:' });
    expect(errors).toEqual([]);
    expect(offSite).toEqual([]);
    expect(site.requests.slice(requestsAtLoad)).toEqual([]);
    await context.close();
  });

  it('fails a dropped dump without its CSCA and with another person’s DG13', async () => {
    const other = await createCardFiles(createSyntheticPerson(78));
    const tampered = { ...dump, files: { ...dump.files, dg13: b64(other.dataGroups.get(13) as Uint8Array) } };
    const { context, page, offSite, errors } = await openPage();
    const requestsAtLoad = site.requests.length;
    const text = JSON.stringify(tampered);
    const transfer = await page.evaluateHandle((json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], 'dump.json', { type: 'application/json' }));
      return dt;
    }, text);
    await page.dispatchEvent('#drop', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('#status[data-state="done"]');
    expect(await page.locator('#verdict').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('#verdict').textContent()).toContain('NOT verified');
    const parts = await fieldTexts(page, 'parts');
    expect(parts['signature']).toBe('ok');
    expect(parts['chain']).toBe('failed (no-issuer-in-trust-store)');
    const statuses = await groupStatuses(page);
    expect(statuses['DG13']).toBe('mismatch');
    expect(statuses['DG1']).toBe('match');
    expect(errors).toEqual([]);
    expect(offSite).toEqual([]);
    expect(site.requests.slice(requestsAtLoad)).toEqual([]);
    await context.close();
  });

  it('says so when the file is not a dump', async () => {
    const { context, page } = await openPage();
    await page.setInputFiles('#files', [
      { name: 'dump.json', mimeType: 'application/json', buffer: Buffer.from('{"files":{}}') },
    ]);
    await page.waitForSelector('#status[data-state="error"]');
    expect(await page.locator('#status').textContent()).toContain('not a vneid-card-dump');
    // The page's own styles apply (the CSP lets its inline style sheet through).
    expect(await page.locator('#status').evaluate((el) => getComputedStyle(el).color)).toBe(
      'rgb(176, 0, 32)',
    );
    expect(await page.locator('#report').isHidden()).toBe(true);
    await context.close();
  });
});
