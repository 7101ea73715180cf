/**
 * @module
 * Bundle size of every public subpath, as a browser app would ship it: esbuild bundles
 * `import * as m from '<subpath>'` (everything the subpath exports, so an upper bound) for the
 * browser, minified, with code splitting. "Initial" is the entry chunk loaded at start-up,
 * "lazy" the chunks loaded on first use (the QR decoders, the certificate code behind
 * readCard's passive authentication); both are also given gzip-compressed. The zxing
 * WebAssembly file is an asset fetched on first scan and is listed separately. A second table
 * measures the self-contained browser bundles of `dist/browser/` (scripts/build-browser.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBrowserBundles, measureBundles } from '../scripts/build-browser.ts';
import { browserSubpaths, measureSubpath } from '../scripts/subpath-size.ts';
import type { BenchSuite } from './suites.ts';

const root = new URL('..', import.meta.url).pathname;

const kb = (n: number): string => (n / 1024).toFixed(1);

/** Packages that ship browser bundles (`dist/browser/`, built by scripts/build-browser.ts). */
export const BROWSER_PACKAGES: readonly string[] = ['core', 'cccd-reader', 'otp', 'client'];

/** The table of every package's `dist/browser/` bundles, built into a temporary folder. */
async function browserBundleRows(): Promise<string[]> {
  const rows = [
    '| Bundle | Initial KB | Initial KB gzip | Lazy KB | Lazy KB gzip |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const pkg of BROWSER_PACKAGES) {
    const dir = mkdtempSync(join(tmpdir(), 'vneid-browser-'));
    try {
      const built = await buildBrowserBundles({ packageDir: join(root, 'packages', pkg), outdir: dir });
      const sizes = measureBundles(built);
      const name = built.entries[0]?.specifier ?? pkg;
      for (const b of sizes.bundles) {
        rows.push(
          `| \`${name}/browser/${b.file}\` | ${kb(b.initial)} | ${kb(b.initialGzip)} | ${b.lazy ? kb(b.lazy) : '–'} | ${b.lazy ? kb(b.lazyGzip) : '–'} |`,
        );
      }
      rows.push(
        `| ${name}: all of \`dist/browser/*.js\` | ${kb(sizes.totalJs)} | ${kb(sizes.totalJsGzip)} | | |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export const bundleSizeSuite: BenchSuite = {
  id: 'bundle-size',
  title: 'Bundle size per subpath (browser, minified)',
  async run(): Promise<string> {
    const rows = [
      '| Subpath | Initial KB | Initial KB gzip | Lazy KB | Lazy KB gzip |',
      '| --- | ---: | ---: | ---: | ---: |',
    ];
    for (const specifier of browserSubpaths()) {
      const s = await measureSubpath(specifier);
      rows.push(
        `| \`${specifier}\` | ${kb(s.initial)} | ${kb(s.initialGzip)} | ${s.lazy ? kb(s.lazy) : '–'} | ${s.lazy ? kb(s.lazyGzip) : '–'} |`,
      );
    }
    const wasmPath = createRequire(join(root, 'packages/core/package.json')).resolve(
      'zxing-wasm/reader/zxing_reader.wasm',
    );
    const wasm = readFileSync(wasmPath);
    return [
      'Each row bundles everything the subpath exports (`import * as m`), so an app that imports a few functions ships less. "Lazy" chunks load on first use only (dynamic `import()`).',
      '',
      ...rows,
      '',
      `The zxing-wasm decoder adds a ${kb(wasm.length)} KB WebAssembly asset (${kb(gzipSync(wasm, { level: 9 }).length)} KB gzip), fetched from \`@vneid/core\` itself on the first scan.`,
      '',
      '### Browser bundles (`dist/browser/`, no bundler)',
      '',
      'The self-contained ES modules a page imports by URL (`<script type="module">`), as `pnpm build` writes them: every dependency inlined, minified, code shared by a package\'s bundles in chunks they import by relative URL. "Initial" is the bundle and the chunks it imports statically, "lazy" what it imports on first use; gzip is per file (as a server sends them), so a bundle costs a little more than in the table above. Each package inlines the `@vneid/core` code it uses. The size guard `test/browser-bundle-size.test.ts` holds these within `test/browser-bundle-budgets.json`.',
      '',
      ...(await browserBundleRows()),
      '',
      `\`@vneid/core/browser/scan.js\` fetches \`zxing_reader.wasm\` (${kb(wasm.length)} KB) from beside itself on the first scan.`,
    ].join('\n');
  },
};
