/**
 * @module
 * Bundle size of every public subpath, as a browser app would ship it: esbuild bundles
 * `import * as m from '<subpath>'` (everything the subpath exports, so an upper bound) for the
 * browser, minified, with code splitting. "Initial" is the entry chunk loaded at start-up,
 * "lazy" the chunks loaded on first use (the QR decoders, the certificate code behind
 * readCard's passive authentication); both are also given gzip-compressed. The zxing
 * WebAssembly file is an asset fetched on first scan and is listed separately.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BenchSuite } from './suites.ts';

const root = new URL('..', import.meta.url).pathname;

/** `@vneid/<pkg>/<sub>` → its TypeScript entry. */
function entryOf(specifier: string): string {
  const m = /^@vneid\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  if (!m) throw new Error(`not a @vneid specifier: ${specifier}`);
  return join(root, 'packages', m[1]!, 'src', m[2] ?? '', 'index.ts');
}

function subpaths(): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const key of Object.keys(manifest.exports)) {
      if (key === './package.json' || key.endsWith('/node') || key === './pcsc') continue; // Node-only
      out.push(key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`);
    }
  }
  return out;
}

const kb = (n: number): string => (n / 1024).toFixed(1);

async function measure(
  specifier: string,
): Promise<{ initial: number; initialGz: number; lazy: number; lazyGz: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-size-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, `import * as m from ${JSON.stringify(specifier)};\nglobalThis.__m = m;\n`);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: join(dir, 'out'),
      metafile: true,
      logLevel: 'silent',
      loader: { '.wasm': 'file' },
      plugins: [
        {
          name: 'vneid-sources',
          setup(b) {
            b.onResolve({ filter: /^@vneid\// }, (args) => ({ path: entryOf(args.path) }));
          },
        },
      ],
    });
    // Initial = the entry chunk and what it imports statically; everything else loads on demand.
    const outputs = result.metafile.outputs;
    const entryFile = Object.keys(outputs).find((f) => outputs[f]?.entryPoint?.endsWith('entry.js'));
    const initialFiles = new Set<string>();
    const visit = (file: string): void => {
      if (initialFiles.has(file)) return;
      initialFiles.add(file);
      for (const imp of outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
    };
    if (entryFile) visit(entryFile);
    let initial = 0;
    let initialGz = 0;
    let lazy = 0;
    let lazyGz = 0;
    for (const file of Object.keys(outputs)) {
      if (!file.endsWith('.js')) continue;
      const bytes = readFileSync(file);
      const gz = gzipSync(bytes, { level: 9 }).length;
      if (initialFiles.has(file)) {
        initial += bytes.length;
        initialGz += gz;
      } else {
        lazy += bytes.length;
        lazyGz += gz;
      }
    }
    return { initial, initialGz, lazy, lazyGz };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bundleSizeSuite: BenchSuite = {
  id: 'bundle-size',
  title: 'Bundle size per subpath (browser, minified)',
  async run(): Promise<string> {
    const rows = [
      '| Subpath | Initial KB | Initial KB gzip | Lazy KB | Lazy KB gzip |',
      '| --- | ---: | ---: | ---: | ---: |',
    ];
    for (const specifier of subpaths()) {
      const s = await measure(specifier);
      rows.push(
        `| \`${specifier}\` | ${kb(s.initial)} | ${kb(s.initialGz)} | ${s.lazy ? kb(s.lazy) : '–'} | ${s.lazy ? kb(s.lazyGz) : '–'} |`,
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
    ].join('\n');
  },
};
