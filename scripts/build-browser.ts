/**
 * @module
 * Browser ES module bundles of one package (`dist/browser/`), for pages with no build step that
 * load the SDK from a CDN or a static folder with `<script type="module">`. esbuild bundles every
 * browser subpath of the package's `exports` in one run (`splitting: true`), so that:
 * - each subpath is one file named after it (`.` → `index.js`, `./qr` → `qr.js`), with every
 *   dependency inlined (`@noble/*`, `pkijs`, `zxing-wasm`, and the `@vneid/*` packages it uses,
 *   built from their sources), minified, with a source map;
 * - code shared by several subpaths goes to `chunk-<hash>.js` files the bundles import by
 *   relative URL, and dynamic `import()` stays lazy (the QR decoders, the passive-authentication
 *   code behind `readCard`);
 * - all files sit in one flat folder, so that `new URL('./zxing_reader.wasm', import.meta.url)`
 *   finds the assets copied beside them (`--asset`) whichever chunk the code ends up in;
 * - a one-line `<name>.d.ts` beside each bundle re-exports the npm build's declarations, so
 *   `@vneid/<pkg>/browser/<name>.js` is typed.
 *
 * Node-only subpaths (`…/node`, `./pcsc`) are left out. Run by each package's `build` script
 * after tsup: `tsx ../../scripts/build-browser.ts [--asset <file in the package>]…`. The bench
 * (`bench/bundle-size.ts`) and the size guard (`test/browser-bundle-size.test.ts`) build with
 * {@link buildBrowserBundles} into a temporary folder and measure with {@link measureBundles}.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = resolve(new URL('..', import.meta.url).pathname);

/** One browser bundle: the subpath it stands for and its source entry. */
export interface BrowserEntry {
  /** Output name without extension (`index`, `qr`, `pa`). */
  name: string;
  /** The npm specifier it mirrors (`@vneid/core/qr`). */
  specifier: string;
  /** The subpath's TypeScript entry. */
  source: string;
  /** The npm build's declaration file for the subpath, relative to `dist/browser/`. */
  types: string;
}

interface Manifest {
  name: string;
  exports: Record<string, unknown>;
}

/** True for the `exports` keys that have no browser bundle. */
export function isNodeOnlySubpath(key: string): boolean {
  return key === './package.json' || key.includes('*') || key.endsWith('/node') || key === './pcsc';
}

/** The browser subpaths of the package in `packageDir`, in `exports` order. */
export function browserEntries(packageDir: string): BrowserEntry[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
  return Object.keys(manifest.exports)
    .filter((key) => !isNodeOnlySubpath(key))
    .map((key) => {
      const sub = key === '.' ? '' : key.slice(2);
      return {
        name: sub === '' ? 'index' : sub.replaceAll('/', '-'),
        specifier: sub === '' ? manifest.name : `${manifest.name}/${sub}`,
        source: join(packageDir, 'src', sub, 'index.ts'),
        types: sub === '' ? '../index.js' : `../${sub}/index.js`,
      };
    });
}

/** `@vneid/<pkg>/<sub>` → the TypeScript sources, so a package never waits for another's build. */
const workspaceSources: Plugin = {
  name: 'vneid-workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@vneid\/[a-z-]+(\/.+)?$/ }, (args) => {
      const [, pkg, sub] = /^@vneid\/([a-z-]+)(?:\/(.+))?$/.exec(args.path) ?? [];
      return { path: join(root, 'packages', pkg as string, 'src', sub ?? '', 'index.ts') };
    });
  },
};

export interface BuildBrowserOptions {
  packageDir: string;
  /** Default `<packageDir>/dist/browser`; emptied first. */
  outdir?: string;
  /** Files (relative to the package) copied into the output folder, e.g. a `.wasm`. */
  assets?: string[];
}

export interface BuildBrowserResult {
  packageDir: string;
  outdir: string;
  entries: BrowserEntry[];
  metafile: Metafile;
}

/** Builds the browser bundles of one package (see the module note). */
export async function buildBrowserBundles(options: BuildBrowserOptions): Promise<BuildBrowserResult> {
  const packageDir = resolve(options.packageDir);
  const outdir = resolve(options.outdir ?? join(packageDir, 'dist/browser'));
  const entries = browserEntries(packageDir);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: entries.map((e) => ({ in: e.source, out: e.name })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    plugins: [workspaceSources],
  });
  for (const asset of options.assets ?? [])
    copyFileSync(join(packageDir, asset), join(outdir, basename(asset)));
  for (const e of entries) {
    writeFileSync(join(outdir, `${e.name}.d.ts`), `export * from '${e.types}';\n`);
  }
  return { packageDir, outdir, entries, metafile: result.metafile };
}

/** Sizes of one bundle as a page loads it. */
export interface BundleSize {
  /** The bundle's file name (`qr.js`). */
  file: string;
  specifier: string;
  /** The bundle and the chunks it imports statically: what `import` fetches. */
  initial: number;
  initialGzip: number;
  /** Chunks reachable only through dynamic `import()`: fetched on first use. */
  lazy: number;
  lazyGzip: number;
}

/** Sizes of every bundle and of the whole folder, minified and gzip -9. */
export interface BundleSizes {
  bundles: BundleSize[];
  /** Every `.js` file of the folder (bundles and chunks), each counted once. */
  totalJs: number;
  totalJsGzip: number;
  /** Other files copied beside the bundles (`zxing_reader.wasm`), by name. */
  assets: { file: string; bytes: number; gzip: number }[];
}

/** Measures a {@link buildBrowserBundles} result from its metafile and the files it wrote. */
export function measureBundles(built: BuildBrowserResult, assets: string[] = []): BundleSizes {
  const outputs = built.metafile.outputs;
  // Metafile paths are relative to absWorkingDir (the package directory).
  const pathOf = (file: string): string => resolve(built.packageDir, file);
  const size = new Map<string, { bytes: number; gzip: number }>();
  const sizeOf = (file: string): { bytes: number; gzip: number } => {
    let s = size.get(file);
    if (s === undefined) {
      const bytes = readFileSync(pathOf(file));
      s = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      size.set(file, s);
    }
    return s;
  };
  const closure = (start: string[], kinds: Set<string>): Set<string> => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imp of outputs[file]?.imports ?? []) if (kinds.has(imp.kind)) queue.push(imp.path);
    }
    return seen;
  };
  const sum = (files: Iterable<string>): { bytes: number; gzip: number } => {
    let bytes = 0;
    let gzip = 0;
    for (const f of files) {
      const s = sizeOf(f);
      bytes += s.bytes;
      gzip += s.gzip;
    }
    return { bytes, gzip };
  };
  const bundles = built.entries.map((entry) => {
    const file = Object.keys(outputs).find((f) => f.endsWith(`/${entry.name}.js`) && outputs[f]?.entryPoint);
    if (file === undefined) throw new Error(`no output for ${entry.specifier}`);
    const initial = closure([file], new Set(['import-statement']));
    const all = closure([file], new Set(['import-statement', 'dynamic-import']));
    const lazy = [...all].filter((f) => !initial.has(f));
    const i = sum(initial);
    const l = sum(lazy);
    return {
      file: `${entry.name}.js`,
      specifier: entry.specifier,
      initial: i.bytes,
      initialGzip: i.gzip,
      lazy: l.bytes,
      lazyGzip: l.gzip,
    };
  });
  const total = sum(Object.keys(outputs).filter((f) => f.endsWith('.js')));
  return {
    bundles,
    totalJs: total.bytes,
    totalJsGzip: total.gzip,
    assets: assets.map((a) => {
      const bytes = readFileSync(join(built.outdir, basename(a)));
      return { file: basename(a), bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    }),
  };
}

/** `relative()` with forward slashes, for messages. */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

// CLI: run from a package directory by its build script.
if (
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  const args = process.argv.slice(2);
  const assets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--asset' && args[i + 1] !== undefined) assets.push(args[++i] as string);
    else throw new Error(`build-browser: unknown argument ${args[i]}`);
  }
  const built = await buildBrowserBundles({ packageDir: process.cwd(), assets });
  mkdirSync(built.outdir, { recursive: true });
  const sizes = measureBundles(built, assets);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  for (const b of sizes.bundles) {
    console.log(
      `browser ${b.file.padEnd(14)} ${kb(b.initialGzip).padStart(9)} gzip${b.lazy ? ` (+${kb(b.lazyGzip)} lazy)` : ''}`,
    );
  }
  console.log(
    `browser bundles in ${posixRelative(process.cwd(), built.outdir)}/: ${kb(sizes.totalJsGzip)} gzip in all`,
  );
}
