/**
 * @module
 * Builds the browser example pages (`examples/<page>/index.html` + `main.ts`) into a static
 * folder with esbuild, as an application would: `main.ts` bundled for the browser (ES module,
 * minified, source map) with every `@vneid/*` import taken from the packages' TypeScript
 * sources, `index.html` copied beside it, and for the camera page zxing-wasm's reader binary,
 * which `@vneid/core/scan` finds beside the code (`new URL('./zxing_reader.wasm',
 * import.meta.url)`). Serve the folder from any static server: the pages make no other request.
 *
 * `tsx examples/build-pages.ts` writes `examples/<page>/dist/`; the tests build into a temporary
 * folder with {@link buildPage}.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = resolve(new URL('..', import.meta.url).pathname);

/** The browser example pages, by folder name. */
export const PAGES = ['camera-qr', 'offline-verify'] as const;
export type PageName = (typeof PAGES)[number];

/** `@vneid/<pkg>[/<sub>]` → `packages/<pkg>/src/[<sub>/]index.ts`. */
const workspaceSources: Plugin = {
  name: 'vneid-examples-sources',
  setup(b) {
    b.onResolve({ filter: /^@vneid\/[a-z-]+(\/.+)?$/ }, (args) => {
      const [, pkg, sub] = /^@vneid\/([a-z-]+)(?:\/(.+))?$/.exec(args.path) ?? [];
      return { path: join(root, 'packages', pkg as string, 'src', sub ?? '', 'index.ts') };
    });
  },
};

/** Builds one page into `outdir` (emptied first); returns the folder. */
export async function buildPage(name: PageName, outdir: string): Promise<string> {
  const dir = join(root, 'examples', name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(dir, 'main.ts')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [workspaceSources],
  });
  copyFileSync(join(dir, 'index.html'), join(outdir, 'index.html'));
  if (name === 'camera-qr') {
    const fromCore = createRequire(join(root, 'packages/core/package.json'));
    copyFileSync(fromCore.resolve('zxing-wasm/reader/zxing_reader.wasm'), join(outdir, 'zxing_reader.wasm'));
  }
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  for (const name of PAGES) {
    const out = await buildPage(name, join(root, 'examples', name, 'dist'));
    console.log(`built ${name} into ${out}`);
  }
}
