/**
 * @module
 * Sizes of the npm subpaths as a browser app ships them, for the size guard
 * (`test/subpath-size.test.ts`, budgets in `test/subpath-budgets.json`). Each public subpath of
 * the browser packages (every `exports` key but `./package.json`, the `./browser/*` folder and
 * the Node-only `…/node` and `./pcsc`) is bundled by esbuild from an entry that imports all of
 * it (`import * as m`: an upper bound), from the TypeScript sources, for the browser, minified,
 * with code splitting; "initial" is the gzip size (level 9) of the entry chunk and the chunks it
 * imports statically, "lazy" of the chunks behind dynamic `import()`. This is how
 * `bench/bundle-size.ts` measures its table, so the budgets and `docs/benchmarks.md` agree.
 *
 * `tsx scripts/subpath-size.ts --write-budgets` records the current sizes plus 10 % headroom
 * (rounded up to 100 bytes) as the budgets; do it only with a reason in the commit message.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { isNodeOnlySubpath } from './build-browser.ts';

const root = resolve(new URL('..', import.meta.url).pathname);

/** Packages that only run in Node (servers, command lines): no browser subpaths. */
const NODE_PACKAGES = new Set(['sandbox', 'cli']);

/** A budget: gzip bytes loaded at start-up and on demand. */
export interface SubpathSize {
  initialGzip: number;
  lazyGzip: number;
}

/** A measurement: the budget's gzip sizes plus the raw minified sizes (for the bench table). */
export interface SubpathMeasure extends SubpathSize {
  initial: number;
  lazy: number;
}

/** Every browser subpath of every package, as npm specifiers (`@vneid/core/qr`). */
export function browserSubpaths(): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    if (NODE_PACKAGES.has(pkg)) continue;
    const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const key of Object.keys(manifest.exports)) {
      if (isNodeOnlySubpath(key)) continue;
      out.push(key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`);
    }
  }
  return out;
}

function sourceOf(specifier: string): string {
  const m = /^@vneid\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  if (!m) throw new Error(`not a @vneid specifier: ${specifier}`);
  return join(root, 'packages', m[1] as string, 'src', m[2] ?? '', 'index.ts');
}

/** How a subpath is bundled: for the browser, or for Node (`./pcsc`, with its native binding left out). */
export type SubpathPlatform = 'browser' | 'node';

/**
 * Bundles everything `specifier` exports (`import * as m`) from the sources into `dir/out`, the
 * way the size guard measures it; the metafile names every source module that ends up in it.
 */
export async function bundleSubpath(
  specifier: string,
  dir: string,
  platform: SubpathPlatform = 'browser',
): Promise<Metafile> {
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, `import * as m from ${JSON.stringify(specifier)};\nglobalThis.__m = m;\n`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform,
    target: 'es2022',
    outdir: join(dir, 'out'),
    metafile: true,
    logLevel: 'silent',
    loader: { '.wasm': 'file' },
    external: platform === 'node' ? ['@pokusew/pcsclite'] : [],
    plugins: [
      {
        name: 'vneid-sources',
        setup(b) {
          b.onResolve({ filter: /^@vneid\// }, (args) => ({ path: sourceOf(args.path) }));
        },
      },
    ],
  });
  return result.metafile;
}

/** Bundles everything `specifier` exports for the browser and measures it (see the module note). */
export async function measureSubpath(specifier: string): Promise<SubpathMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-subpath-'));
  try {
    const { outputs } = await bundleSubpath(specifier, dir);
    const entryFile = Object.keys(outputs).find((f) => outputs[f]?.entryPoint?.endsWith('entry.js'));
    const initial = new Set<string>();
    const visit = (file: string): void => {
      if (initial.has(file)) return;
      initial.add(file);
      for (const imp of outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
    };
    if (entryFile) visit(entryFile);
    const size: SubpathMeasure = { initial: 0, initialGzip: 0, lazy: 0, lazyGzip: 0 };
    for (const file of Object.keys(outputs)) {
      if (!file.endsWith('.js')) continue;
      const bytes = readFileSync(resolve(process.cwd(), file));
      const gz = gzipSync(bytes, { level: 9 }).length;
      if (initial.has(file)) {
        size.initial += bytes.length;
        size.initialGzip += gz;
      } else {
        size.lazy += bytes.length;
        size.lazyGzip += gz;
      }
    }
    return size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measured bytes plus 10 %, rounded up to 100 bytes (0 stays 0). */
export const withHeadroom = (bytes: number): number =>
  bytes === 0 ? 0 : Math.ceil((bytes * 1.1) / 100) * 100;

if (process.argv.includes('--write-budgets')) {
  const subpaths: Record<string, SubpathSize> = {};
  for (const s of browserSubpaths()) {
    const m = await measureSubpath(s);
    subpaths[s] = { initialGzip: withHeadroom(m.initialGzip), lazyGzip: withHeadroom(m.lazyGzip) };
    console.log(`${s}: initial ${m.initialGzip}, lazy ${m.lazyGzip} bytes gzip`);
  }
  const note =
    'Budgets in bytes, gzip -9, of each npm subpath bundled for the browser by esbuild from `import * as m` (scripts/subpath-size.ts; as bench/bundle-size.ts measures): initialGzip is the entry chunk and its static imports, lazyGzip the chunks behind dynamic import(). Measured plus 10 %, rounded up to 100 bytes. Raise a budget only with a reason in the commit message (tsx scripts/subpath-size.ts --write-budgets).';
  writeFileSync(
    join(root, 'test/subpath-budgets.json'),
    `${JSON.stringify({ note, measured: new Date().toISOString().slice(0, 10), subpaths }, null, 2)}\n`,
  );
}
