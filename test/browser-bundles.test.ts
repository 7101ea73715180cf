/**
 * @module
 * The browser bundles as a web page with no build step uses them: `pnpm pack` makes the npm
 * tarballs of @vneid/core, @vneid/cccd-reader, @vneid/otp and @vneid/client, they are extracted
 * into a temporary folder laid out as a CDN serves them (`/npm/@vneid/<pkg>@<version>/`), and a
 * static HTTP server on 127.0.0.1 (node:http, with the right MIME types, `application/wasm`
 * included) serves that folder and plain HTML pages whose `<script type="module">` imports
 * `dist/browser/*.js` by relative URL: no import map, no bundler. In headless Chromium the pages
 * - parse a CCCD QR payload (`qr.js`), and scan a QR code drawn by the `qrcode` package as a PNG
 *   (`scan.js`: zxing-wasm's `.wasm`, fetched from beside the bundle only on the first scan);
 * - make a software chip (`emulator.js`), read it with `readCard` (`index.js`, which imports
 *   `pa.js` only when asked for passive authentication) and verify it: PA, CA and AA;
 * - compute RFC 4226 HOTP values (`@vneid/otp`'s `index.js`);
 * - register, verify the SMS code, set a password, log in and read the session through
 *   `@vneid/client`'s `index.js` against the real sandbox (PGlite in memory), which the same
 *   server reverse-proxies on the page's origin (every path outside `/npm/` and `/pages/`), as a
 *   portal's front end would; the page reads the SMS outbox from the sandbox's controls;
 * - and the README's "Use it from a web page" example, as written (its CDN URL pointed at this
 *   server, which lays the packages out as jsDelivr does), finds the QR code in the frames of a
 *   fake camera (Chromium's `--use-file-for-fake-video-capture`, a Y4M file drawn here).
 * Every request leaving 127.0.0.1 is aborted by playwright and fails the test. The tarballs are
 * also checked statically: every `dist/browser/*.js` imports nothing but relative URLs.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyntheticPerson } from '../packages/cccd-reader/src/emulator/index.ts';
import { type RunningSandbox, startSandbox } from '../packages/sandbox/src/index.ts';
import { CHROMIUM, launchChromium } from './support/chromium.ts';
import { type Frame, renderQrFrame, syntheticPayload, syntheticPerson } from './support/qr-images.ts';
import { repoRoot } from './support/vectors.ts';

const PACKAGES = ['core', 'cccd-reader', 'otp', 'client'] as const;
type Pkg = (typeof PACKAGES)[number];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

const SEED = 2032;
const qrPayload = syntheticPayload(2025, 'can-cuoc');
const hotp = JSON.parse(
  readFileSync(join(repoRoot, 'packages/otp/test/otp/vectors/rfc4226-hotp.json'), 'utf8'),
) as { source: string; secretAscii: string; vectors: { count: number; hotp: string }[] };

let site: string;
/** URL path of each extracted package (`/npm/@vneid/core@0.1.0`). */
const pkgUrl = {} as Record<Pkg, string>;
let server: Server;
let base: string;
let sandbox: RunningSandbox | undefined;
let browser: Browser;

/** The `dist/browser/` URL of a package, relative to a page under `/pages/`. */
const bundles = (pkg: Pkg): string => `..${pkgUrl[pkg]}/dist/browser`;

/**
 * A plain page: its module script runs `body` (an async function body that returns a JSON-able
 * value) and stores the outcome in `window.__outcome` for the test to read.
 */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><meta charset="utf-8"><title>${title}</title>
<canvas id="c"></canvas>
<script type="module">
  const loaded = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
  try {
    window.__outcome = { value: await (async () => {${body}})() };
  } catch (e) {
    window.__outcome = { error: String(e && e.stack || e) };
  }
</script>
</html>
`;
}

const PAGES: Record<string, () => string> = {
  'qr.html': () =>
    page(
      'QR payload',
      `
    const { parseCccdQr, formatCccdQr, CccdQrError } = await import('${bundles('core')}/qr.js');
    const text = ${JSON.stringify(qrPayload)};
    const card = parseCccdQr(text);
    let error = null;
    try { parseCccdQr('not|a|cccd'); } catch (e) { error = [e instanceof CccdQrError, e.code]; }
    return { card, formatted: formatCccdQr(card), error, wasm: loaded().filter((p) => p.endsWith('.wasm')) };`,
    ),
  'scan.html': () =>
    page(
      'QR scan',
      `
    const { scanCccdQr } = await import('${bundles('core')}/scan.js');
    const wasmBeforeScan = loaded().filter((p) => p.endsWith('.wasm'));
    const img = new Image();
    img.src = './qr.png';
    await img.decode();
    const canvas = document.getElementById('c');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    const frame = ctx.getImageData(0, 0, img.width, img.height);
    const first = await scanCccdQr(frame);
    const second = await scanCccdQr(frame);
    const blank = await scanCccdQr(new ImageData(64, 64));
    return {
      wasmBeforeScan,
      first: first && { text: first.text, decoder: first.decoder, card: first.card },
      second: second && second.text,
      blank,
      wasm: loaded().filter((p) => p.endsWith('.wasm')),
    };`,
    ),
  'chip.html': () =>
    page(
      'Software chip',
      `
    const reader = await import('${bundles('cccd-reader')}/index.js');
    const emulator = await import('${bundles('cccd-reader')}/emulator.js');
    const paLoaded = () => loaded().some((p) => p.endsWith('/dist/browser/pa.js'));
    const person = emulator.createSyntheticPerson(${SEED});
    const files = await emulator.createCardFiles(person, { signer: 'brainpool384' });
    const read = (authenticate) =>
      reader.readCard(emulator.createEmulatedCard(files), { idNumber: person.idNumber, authenticate });
    const summary = (r) => ({
      accessMethod: r.accessMethod,
      ok: r.verification?.ok,
      passive: r.verification?.passive?.ok,
      chip: r.verification?.chip?.ok,
      active: r.verification?.active?.ok,
    });
    const paAtStart = paLoaded();
    const withoutPa = summary(await read({ chip: true, active: true }));
    const paAfterChipAndActive = paLoaded();
    // Not a store createTrustStore made: readCard loads pa.js by itself, then fails closed.
    const foreignStore = summary(await read({ passive: {} }));
    const paAfterPassive = paLoaded();
    const { createTrustStore } = await import('${bundles('cccd-reader')}/pa.js');
    const good = await read({ passive: createTrustStore({ certificates: [files.trust.csca] }), chip: true, active: true });
    const untrusted = summary(await read({ passive: createTrustStore({ certificates: [] }), active: true }));
    return {
      personId: person.idNumber,
      paAtStart,
      withoutPa,
      paAfterChipAndActive,
      foreignStore,
      paAfterPassive,
      good: summary(good),
      dg13Id: good.files.dg13?.idNumber,
      faceHead: Array.from(good.files.dg2?.faces[0]?.image.subarray(0, 3) ?? []),
      parseErrors: good.parseErrors,
      untrusted,
      paRequests: loaded().filter((p) => p.endsWith('/pa.js')).length,
    };`,
    ),
  'client.html': () =>
    page(
      'Identity client',
      `
    const { createIdentityClient, isIdentityError } = await import('${bundles('client')}/index.js');
    const client = createIdentityClient({ issuer: location.origin });
    const control = async (path) => (await fetch(path)).json();
    const who = (await control('/__sandbox/identities')).identities.find((i) => i.state === 'unregistered');
    const { personalId, phone, fullName, sex, birthDate, address } = who;
    const reg = await client.account.register({ personalId, phone, fullName, sex, birthDate, address, acceptTerms: true });
    const sms = (await control('/__sandbox/outbox/sms?phone=' + encodeURIComponent(phone))).messages.find((m) => m.code);
    let wrongCode = null;
    try {
      await client.account.verifyOtp(reg.otp.challengeId, sms.code === '000000' ? '111111' : '000000');
    } catch (e) {
      wrongCode = [isIdentityError(e), e.code, e.status];
    }
    const verified = await client.account.verifyOtp(reg.otp.challengeId, sms.code);
    const created = await client.account.setRegistrationPassword(reg.registrationId, 'Sandbox@2026x');
    const login = await client.account.login({
      personalId,
      password: 'Sandbox@2026x',
      device: { id: 'browser-1', name: 'Chromium' },
    });
    const current = login.kind === 'session' ? await client.account.currentSession(login.session) : null;
    return {
      personalId,
      maskedPhone: reg.otp.maskedPhone,
      wrongCode,
      verified: verified.status,
      account: { level: created.account.level, state: created.account.state },
      login: login.kind,
      current: current && current.account.personalId,
    };`,
    ),
  'otp.html': () =>
    page(
      'HOTP',
      `
    const { generateHotp, verifyHotp, OtpError } = await import('${bundles('otp')}/index.js');
    const secret = new TextEncoder().encode(${JSON.stringify(hotp.secretAscii)});
    const codes = ${JSON.stringify(hotp.vectors.map((v) => v.count))}.map((counter) => generateHotp({ secret, counter }));
    const verified = verifyHotp({ secret, counter: 0, token: codes[3], lookAhead: 5 });
    let error = null;
    try { generateHotp({ secret: new Uint8Array(4), counter: 0 }); } catch (e) { error = [e instanceof OtpError, e.code]; }
    return { codes, verified, error };`,
    ),
};

/** The ```html block of README.md's "Use it from a web page", its CDN URLs pointed at `/npm/`. */
function readmePage(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from a web page'));
  const html = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  if (html === undefined) throw new Error('README.md: no html example under "Use it from a web page"');
  const cdn = /https:\/\/cdn\.jsdelivr\.net\/npm\/@vneid\/([a-z-]+)@[^/'"]+\//g;
  if (!cdn.test(html)) throw new Error('README.md: the html example imports nothing from jsDelivr');
  return html.replace(cdn, (_, pkg: Pkg) => `..${pkgUrl[pkg]}/`);
}

/** One grey frame as a YUV4MPEG2 (4:2:0) file, the format of Chromium's file-backed fake camera. */
function y4m(frame: Frame): Uint8Array {
  const { width, height } = frame;
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  const chroma = (width / 2) * (height / 2);
  const out = new Uint8Array(header.length + width * height + 2 * chroma);
  out.set(header);
  out.set(frame.data, header.length);
  out.fill(128, header.length + width * height);
  return out;
}

/** Forwards a request to the sandbox on `port` (the page's origin serves both). */
function proxy(req: IncomingMessage, res: ServerResponse, port: number | undefined): void {
  if (port === undefined) {
    res.writeHead(502).end();
    return;
  }
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

/**
 * Serves `root` read-only on 127.0.0.1 under `/npm/` and `/pages/`, and proxies every other path
 * to the sandbox once it runs.
 */
async function serveStatic(root: string): Promise<{ server: Server; base: string }> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith('/npm/') && !path.startsWith('/pages/')) {
      proxy(req, res, sandbox?.port);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

/** Every `.js` file under `dir`. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
}

/** A context that aborts (and lists) every request leaving the server, and records the rest. */
async function guardedContext(): Promise<{
  context: BrowserContext;
  requests: { path: string; type: string }[];
  offsite: string[];
}> {
  const context = await browser.newContext();
  const requests: { path: string; type: string }[] = [];
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`)) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  context.on('response', (r) => {
    if (r.url().startsWith(`${base}/`))
      requests.push({ path: r.url().slice(base.length), type: r.headers()['content-type'] ?? '' });
  });
  return { context, requests, offsite };
}

/** Opens `/pages/<name>`, waits for its script and returns its value (or throws its error). */
async function run(name: string): Promise<{
  value: Record<string, unknown>;
  requests: { path: string; type: string }[];
}> {
  const { context, requests, offsite } = await guardedContext();
  try {
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${base}/pages/${name}`);
    await p.waitForFunction('window.__outcome !== undefined', undefined, { timeout: 100_000 });
    const outcome = (await p.evaluate('window.__outcome')) as {
      value?: Record<string, unknown>;
      error?: string;
    };
    if (outcome.error !== undefined) throw new Error(`${name}: ${outcome.error}`);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    return { value: outcome.value as Record<string, unknown>, requests };
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  for (const pkg of PACKAGES) {
    if (!existsSync(join(repoRoot, 'packages', pkg, 'dist/browser/index.js'))) {
      throw new Error(`packages/${pkg}/dist/browser is not built: run \`pnpm build\` (scripts/test.sh does)`);
    }
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run scripts/system-deps.sh (apt-get install chromium)`,
    );
  }
  site = mkdtempSync(join(tmpdir(), 'vneid-browser-bundles-'));
  const tarballs = join(site, '.tarballs');
  mkdirSync(tarballs);
  for (const pkg of PACKAGES) {
    const dir = join(repoRoot, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const before = new Set(readdirSync(tarballs));
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(tarballs).find((f) => !before.has(f) && f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`pnpm pack made no tarball for ${manifest.name}`);
    pkgUrl[pkg] = `/npm/${manifest.name}@${manifest.version}`;
    const target = join(site, pkgUrl[pkg]);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(tarballs, tarball), '-C', target, '--strip-components=1']);
  }
  rmSync(tarballs, { recursive: true });
  mkdirSync(join(site, 'pages'));
  for (const [name, html] of Object.entries(PAGES)) writeFileSync(join(site, 'pages', name), html());
  writeFileSync(
    join(site, 'pages/qr.png'),
    await QRCode.toBuffer(qrPayload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 }),
  );
  writeFileSync(join(site, 'pages/readme.html'), readmePage());
  const camera = join(site, 'camera.y4m');
  writeFileSync(
    camera,
    y4m(
      renderQrFrame(qrPayload, { width: 640, height: 480, seed: 11, rotation: 12, noise: 4, format: 'grey' }),
    ),
  );
  ({ server, base } = await serveStatic(site));
  // Its public URL is the page's origin: the static server proxies the API to it.
  sandbox = await startSandbox({ port: 0, database: 'memory', baseUrl: base, log: 'silent' });
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${camera}`,
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('browser bundles from the packed packages, in headless Chromium', () => {
  it('every packed dist/browser/*.js imports only relative URLs and has its source map', () => {
    for (const pkg of PACKAGES) {
      const dir = join(site, pkgUrl[pkg], 'dist/browser');
      const files = jsFiles(dir);
      expect(files.length).toBeGreaterThan(1);
      let imports = 0;
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        // esbuild's minified output: `from"…"`, `import"…"`, `import("…")` (messages in strings
        // use single quotes, so they do not match).
        const specifiers = [...text.matchAll(/(?<![\w$.])(?:from|import\(?)"([^"\n]+)"/g)].map(
          (m) => m[1] as string,
        );
        imports += specifiers.length;
        expect(
          specifiers.filter((s) => !s.startsWith('./')),
          `${pkg}/${file.slice(dir.length + 1)}`,
        ).toEqual([]);
        const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
        expect(map, `${file} names its source map`).toBeDefined();
        expect(existsSync(join(dir, map as string)), `${file} ships ${map}`).toBe(true);
      }
      // The pattern above does find esbuild's imports (the bundles share chunks).
      expect(imports, pkg).toBeGreaterThan(files.length / 2);
    }
    expect(existsSync(join(site, pkgUrl.core, 'dist/browser/zxing_reader.wasm'))).toBe(true);
  });

  it('parses a QR payload with core/qr.js, loading no decoder', async () => {
    const { value, requests } = await run('qr.html');
    expect(value.card).toEqual({ ...syntheticPerson(2025, 'can-cuoc'), warnings: [] });
    expect(value.formatted).toBe(qrPayload);
    expect(value.error).toEqual([true, 'WRONG_FIELD_COUNT']);
    expect(value.wasm).toEqual([]);
    expect(requests.some((r) => r.path.includes('/dist/browser/scan.js'))).toBe(false);
  });

  it('scans a qrcode-drawn PNG with core/scan.js and the wasm beside it, fetched once on first scan', {
    timeout: 120_000,
  }, async () => {
    const { value, requests } = await run('scan.html');
    expect(value.wasmBeforeScan).toEqual([]);
    expect(value.first).toEqual({
      text: qrPayload,
      decoder: 'zxing',
      card: { ...syntheticPerson(2025, 'can-cuoc'), warnings: [] },
    });
    expect(value.second).toBe(qrPayload);
    expect(value.blank).toBeNull();
    const wasm = requests.filter((r) => r.path.endsWith('.wasm'));
    expect(wasm).toEqual([
      { path: `${pkgUrl.core}/dist/browser/zxing_reader.wasm`, type: 'application/wasm' },
    ]);
  });

  it('reads the software chip with cccd-reader and verifies it (PA + CA + AA), pa.js loaded on demand', {
    timeout: 120_000,
  }, async () => {
    const { value, requests } = await run('chip.html');
    // The same synthetic citizen from the sources (the page used the bundle).
    const person = createSyntheticPerson(SEED).idNumber;
    expect(value.personId).toBe(person);
    expect(value.paAtStart).toBe(false);
    // One verdict: CA and AA without passive authentication prove a genuine chip but not its
    // data, so the read is not ok.
    expect(value.withoutPa).toEqual({
      accessMethod: 'PACE-CAN',
      ok: false,
      passive: undefined,
      chip: true,
      active: true,
    });
    expect(value.paAfterChipAndActive).toBe(false);
    expect(value.foreignStore).toMatchObject({ ok: false, passive: false });
    expect(value.paAfterPassive).toBe(true);
    expect(value.good).toEqual({
      accessMethod: 'PACE-CAN',
      ok: true,
      passive: true,
      chip: true,
      active: true,
    });
    expect(value.dg13Id).toBe(person);
    expect(value.faceHead).toEqual([0xff, 0xd8, 0xff]);
    expect(value.parseErrors).toEqual([]);
    // Control: the same chip against a store without its CSCA fails.
    expect(value.untrusted).toMatchObject({ ok: false, passive: false, active: true });
    expect(value.paRequests).toBe(1);
    // Everything came from the packed cccd-reader: it needs neither @vneid/core nor a CDN.
    const scripts = requests.filter((r) => r.path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(2);
    for (const r of scripts) {
      expect(r.path.startsWith(`${pkgUrl['cccd-reader']}/dist/browser/`)).toBe(true);
      expect(r.type).toBe('text/javascript; charset=utf-8');
    }
  });

  it("runs README.md's web page example: a fake camera's frames, scanned with the bundle", {
    timeout: 120_000,
  }, async () => {
    const { context, requests, offsite } = await guardedContext();
    try {
      const p = await context.newPage();
      const errors: string[] = [];
      const failed = new Promise<never>((_, reject) =>
        p.on('pageerror', (e) => {
          errors.push(String(e));
          reject(new Error(`readme.html: ${e}`));
        }),
      );
      await p.goto(`${base}/pages/readme.html`);
      await Promise.race([
        p.waitForFunction("document.getElementById('result').textContent.includes('·')", undefined, {
          timeout: 100_000,
        }),
        failed,
      ]);
      const person = syntheticPerson(2025, 'can-cuoc');
      expect(await p.textContent('#result')).toBe(
        `${person.fullName} · ${person.idNumber} · ${person.dateOfBirth}`,
      );
      expect(requests.filter((r) => r.path.endsWith('.wasm')).map((r) => r.type)).toEqual([
        'application/wasm',
      ]);
      expect(requests.some((r) => r.path === `${pkgUrl.core}/dist/browser/scan.js`)).toBe(true);
      expect(errors).toEqual([]);
      expect(offsite).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('registers, verifies the SMS code, logs in and reads the session with client/index.js against the sandbox', {
    timeout: 120_000,
  }, async () => {
    const { value, requests } = await run('client.html');
    expect(value.personalId).toMatch(/^\d{12}$/);
    expect(value.maskedPhone).toMatch(/^\d{3}\*+\d{3}$/);
    expect(value.wrongCode).toEqual([true, 'otp_invalid', 400]);
    expect(value.verified).toBe('otp_verified');
    expect(value.account).toEqual({ level: 0, state: 'app' });
    expect(value.login).toBe('session');
    expect(value.current).toBe(value.personalId);
    const scripts = requests.filter((r) => r.path.endsWith('.js')).map((r) => r.path);
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of scripts) expect(path.startsWith(`${pkgUrl.client}/dist/browser/`)).toBe(true);
    // The API calls went to the sandbox through the page's origin.
    expect(requests.some((r) => r.path.startsWith('/__sandbox/'))).toBe(true);
    expect(
      requests.filter((r) => !r.path.startsWith('/npm/') && !r.path.startsWith('/pages/')).length,
    ).toBeGreaterThan(5);
  });

  it(`computes RFC 4226 HOTP values with otp/index.js (${hotp.source.slice(0, 40)}…)`, async () => {
    const { value } = await run('otp.html');
    expect(value.codes).toEqual(hotp.vectors.map((v) => v.hotp));
    expect(value.verified).toEqual({ ok: true, delta: 3, nextCounter: 4 });
    expect(value.error).toEqual([true, 'INVALID_SECRET']);
  });
});
