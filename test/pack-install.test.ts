/**
 * @module
 * The release as a user gets it: `pnpm pack` of every published package (workspace ranges
 * rewritten to versions), the tarballs installed with npm into a blank project in a temporary
 * folder outside the workspace (`npm install --prefer-offline` against the registry for the
 * third-party dependencies; `overrides` make the packages' dependencies on each other resolve
 * to the tarballs, since 0.1.0 is not published), and then, with nothing of the workspace
 * reachable:
 * - Node ESM: every subpath of every package's `exports` imports (`import()`), and the SDK
 *   works: a CCCD QR payload parses, RFC 4226 HOTP values come out, a software chip is read and
 *   passes PA, CA and AA, the zxing wasm shipped in the tarball scans a QR code, and the sandbox
 *   starts and answers;
 * - Node CJS: every subpath with a `require` condition loads with `require()` and the same
 *   checks pass; the packages that are ESM only (the sandbox, the CLI) have no `require`;
 * - the `vneid` binary runs;
 * - a browser bundle: esbuild bundles an app importing the packages from the blank project's
 *   `node_modules` (platform browser: a `node:` import would fail the build), and headless
 *   Chromium runs it from 127.0.0.1 with every other request aborted.
 * Needs the packages built (`pnpm build`, as `pnpm test` does first).
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, localPage } from './support/chromium.ts';
import { type StaticSite, serveStatic } from './support/static-site.ts';
import { repoRoot } from './support/vectors.ts';

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
}

const manifests: Array<Manifest & { dir: string }> = readdirSync(join(repoRoot, 'packages'))
  .filter((d) => existsSync(join(repoRoot, 'packages', d, 'package.json')))
  .map((d) => ({
    dir: join(repoRoot, 'packages', d),
    ...(JSON.parse(readFileSync(join(repoRoot, 'packages', d, 'package.json'), 'utf8')) as Manifest),
  }))
  .filter((m) => !m.private);

/** Specifiers of the JavaScript subpaths of a package (no wildcard, no data file). */
function subpaths(m: Manifest): string[] {
  return Object.keys(m.exports)
    .filter((k) => k !== './package.json' && !k.includes('*') && !/\.(ya?ml|json|wasm)$/.test(k))
    .map((k) => (k === '.' ? m.name : `${m.name}/${k.slice(2)}`));
}

/** True when the subpath's export has a `require` condition. */
function hasRequire(m: Manifest, specifier: string): boolean {
  const key = specifier === m.name ? '.' : `./${specifier.slice(m.name.length + 1)}`;
  const entry = m.exports[key];
  return typeof entry === 'object' && entry !== null && 'require' in entry;
}

const QR_PAYLOAD =
  '001099012345|012345678|Nguyễn Văn An|01011999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15062021';
const HOTP = ['755224', '287082', '359152'];

/** The checks every runtime runs: the body of an async function over the loaded modules `m`. */
const SMOKE = `
  const card = m.qr.parseCccdQr(${JSON.stringify(QR_PAYLOAD)});
  const secret = new TextEncoder().encode('12345678901234567890');
  const hotp = [0, 1, 2].map((counter) => m.otp.generateHotp({ secret, counter }));
  const person = m.emulator.createSyntheticPerson(5);
  const files = await m.emulator.createCardFiles(person);
  const read = await m.reader.readCard(m.emulator.createEmulatedCard(files), {
    idNumber: person.idNumber,
    authenticate: { passive: m.pa.createTrustStore({ certificates: [files.trust.csca] }), chip: true, active: true },
  });
  const scanned = m.scanImage ? await m.scan.scanCccdQr(await m.scanImage()) : null;
  return {
    name: card.fullName,
    birth: card.dateOfBirth,
    hotp,
    dg13: read.files.dg13?.idNumber === person.idNumber,
    passive: read.verification?.passive?.ok,
    chip: read.verification?.chip?.ok,
    active: read.verification?.active?.ok,
    scanned: scanned && scanned.text,
  };`;

const EXPECTED = {
  name: 'Nguyễn Văn An',
  birth: '1999-01-01',
  hotp: HOTP,
  dg13: true,
  passive: true,
  chip: true,
  active: true,
  scanned: QR_PAYLOAD,
};

let temp: string;
let project: string;
let qrPng: string;

beforeAll(async () => {
  for (const m of manifests)
    if (!existsSync(join(m.dir, 'dist')))
      throw new Error(`${m.name} is not built: run pnpm build first (pnpm test does)`);
  temp = mkdtempSync(join(tmpdir(), 'vneid-pack-'));
  const packs = join(temp, 'packs');
  mkdirSync(packs);
  const tarballs: Record<string, string> = {};
  await Promise.all(
    manifests.map(async (m) => {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', packs], { cwd: m.dir });
      const file = stdout.trim().split('\n').at(-1) as string;
      tarballs[m.name] = `file:${file.startsWith('/') ? file : join(packs, file)}`;
    }),
  );
  project = join(temp, 'blank');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'blank', private: true, dependencies: tarballs, overrides: tarballs }, null, 2),
  );
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    timeout: 240_000,
    env: { ...process.env, npm_config_workspaces: 'false' },
  });
  qrPng = join(project, 'qr.png');
  await QRCode.toFile(qrPng, QR_PAYLOAD, { errorCorrectionLevel: 'M', margin: 4, scale: 4 });
}, 300_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** Runs `source` as a file of the blank project with Node; returns its JSON output. */
async function node(file: string, source: string): Promise<unknown> {
  writeFileSync(join(project, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: project, timeout: 60_000 });
  return JSON.parse(stdout);
}

/** Node script lines that decode qr.png with pngjs (a dependency of the CLI) for the scanner. */
const PNG_IMAGE = (load: string) => `
  scanImage: async () => {
    const { PNG } = ${load};
    const png = PNG.sync.read(fs.readFileSync('qr.png'));
    return { data: new Uint8Array(png.data), width: png.width, height: png.height };
  },`;

describe('the packed packages installed into a blank project outside the workspace', () => {
  it('installs every published package from its tarball, not from the workspace', () => {
    expect(manifests.map((m) => m.name).sort()).toEqual(
      readdirSync(join(project, 'node_modules/@vneid'))
        .map((d) => `@vneid/${d}`)
        .sort(),
    );
    for (const m of manifests) {
      const installed = join(project, 'node_modules', m.name);
      // A real folder with the packed files, not a link into the workspace.
      expect(lstatSync(installed).isSymbolicLink(), m.name).toBe(false);
      expect(existsSync(join(installed, 'dist')), m.name).toBe(true);
      const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(JSON.stringify(pkg), m.name).not.toContain('workspace:');
    }
    // A single copy of each package: the dependencies between them resolved to the tarballs.
    const nested = readdirSync(join(project, 'node_modules/@vneid')).filter((d) =>
      existsSync(join(project, 'node_modules/@vneid', d, 'node_modules/@vneid')),
    );
    expect(nested).toEqual([]);
  });

  it('Node ESM: every subpath imports, and QR, OTP, a chip read with PA/CA/AA, a scan and the sandbox work', {
    timeout: 120_000,
  }, async () => {
    const specifiers = manifests.flatMap(subpaths);
    const out = (await node(
      'esm-check.mjs',
      `import fs from 'node:fs';
const loaded = {};
for (const s of ${JSON.stringify(specifiers)}) loaded[s] = Object.keys(await import(s)).length;
const m = {
  qr: await import('@vneid/core/qr'),
  otp: await import('@vneid/otp'),
  reader: await import('@vneid/cccd-reader'),
  emulator: await import('@vneid/cccd-reader/emulator'),
  pa: await import('@vneid/cccd-reader/pa'),
  scan: await import('@vneid/core/scan/node'),
  ${PNG_IMAGE("await import('pngjs')")}
};
const smoke = await (async () => {${SMOKE}})();
const { startSandbox } = await import('@vneid/sandbox');
const sandbox = await startSandbox({ port: 0, database: 'memory', log: 'silent' });
const answer = await fetch(sandbox.url + '/__sandbox/identities');
const identities = (await answer.json()).identities.length;
await sandbox.stop();
console.log(JSON.stringify({ exports: loaded, smoke, sandbox: { status: answer.status, identities } }));
`,
    )) as {
      exports: Record<string, number>;
      smoke: unknown;
      sandbox: { status: number; identities: number };
    };
    expect(Object.keys(out.exports).sort()).toEqual([...specifiers].sort());
    for (const [s, n] of Object.entries(out.exports)) expect(n, s).toBeGreaterThan(0);
    expect(out.smoke).toEqual(EXPECTED);
    expect(out.sandbox.status).toBe(200);
    expect(out.sandbox.identities).toBeGreaterThan(0);
  });

  it('Node CJS: every subpath with a require condition loads with require(), and the SDK works', {
    timeout: 60_000,
  }, async () => {
    const cjs = manifests.flatMap((m) => subpaths(m).filter((s) => hasRequire(m, s)));
    // The ESM-only packages say so: no require condition at all.
    for (const m of manifests.filter((x) => ['@vneid/sandbox', '@vneid/cli'].includes(x.name)))
      expect(
        subpaths(m).filter((s) => hasRequire(m, s)),
        m.name,
      ).toEqual([]);
    expect(cjs).toContain('@vneid/core');
    expect(cjs).toContain('@vneid/cccd-reader/pa');
    const out = (await node(
      'cjs-check.cjs',
      `const fs = require('node:fs');
const loaded = {};
for (const s of ${JSON.stringify(cjs)}) loaded[s] = Object.keys(require(s)).length;
const m = {
  qr: require('@vneid/core/qr'),
  otp: require('@vneid/otp'),
  reader: require('@vneid/cccd-reader'),
  emulator: require('@vneid/cccd-reader/emulator'),
  pa: require('@vneid/cccd-reader/pa'),
  scan: require('@vneid/core/scan/node'),
  ${PNG_IMAGE("require('pngjs')")}
};
(async () => {${SMOKE}})().then((smoke) => console.log(JSON.stringify({ exports: loaded, smoke })));
`,
    )) as { exports: Record<string, number>; smoke: unknown };
    expect(Object.keys(out.exports).sort()).toEqual([...cjs].sort());
    for (const [s, n] of Object.entries(out.exports)) expect(n, s).toBeGreaterThan(0);
    expect(out.smoke).toEqual(EXPECTED);
  });

  it('the vneid binary runs from node_modules/.bin', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/vneid'), ['id', '001099012345', '--json'], {
      cwd: project,
    });
    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ ok: true, idNumber: '001******345' }));
  });

  describe('in a browser bundle made with esbuild', () => {
    let site: StaticSite;
    let browser: Browser;

    beforeAll(async () => {
      const dir = join(temp, 'site');
      mkdirSync(dir);
      writeFileSync(
        join(project, 'app.js'),
        `import * as qr from '@vneid/core/qr';
import * as scan from '@vneid/core/scan';
import * as otp from '@vneid/otp';
import * as reader from '@vneid/cccd-reader';
import * as emulator from '@vneid/cccd-reader/emulator';
import * as pa from '@vneid/cccd-reader/pa';
import { createIdentityClient } from '@vneid/client';

async function scanImage() {
  const img = new Image();
  img.src = './qr.png';
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height);
}
const m = { qr, scan, otp, reader, emulator, pa, scanImage };
try {
  const smoke = await (async () => {${SMOKE}})();
  const client = typeof createIdentityClient({ issuer: location.origin }).account.login;
  window.__outcome = { smoke, client };
} catch (e) {
  window.__outcome = { error: String(e && e.stack || e) };
}
`,
      );
      await build({
        absWorkingDir: project,
        entryPoints: ['app.js'],
        outdir: dir,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        logLevel: 'silent',
      });
      // The zxing wasm comes from the installed @vneid/core, copied beside the bundle as an app
      // deploys it (the scanner looks for it beside the code).
      copyFileSync(
        join(project, 'node_modules/@vneid/core/dist/scan/zxing_reader.wasm'),
        join(dir, 'zxing_reader.wasm'),
      );
      copyFileSync(qrPng, join(dir, 'qr.png'));
      writeFileSync(
        join(dir, 'index.html'),
        '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="./app.js"></script>\n',
      );
      site = await serveStatic(dir);
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await site?.close();
    });

    it('runs in Chromium: QR, OTP, a chip read with PA/CA/AA, a scan with the packaged wasm', {
      timeout: 90_000,
    }, async () => {
      const { context, page, offSite } = await localPage(browser);
      await page.goto(`${site.url}/index.html`);
      await page.waitForFunction(() => (window as { __outcome?: unknown }).__outcome !== undefined, null, {
        timeout: 60_000,
      });
      const outcome = await page.evaluate(() => (window as { __outcome?: unknown }).__outcome);
      expect(outcome).toEqual({ smoke: EXPECTED, client: 'function' });
      expect(offSite).toEqual([]);
      expect(site.requests).toContain('/zxing_reader.wasm');
      await context.close();
    });
  });
});
