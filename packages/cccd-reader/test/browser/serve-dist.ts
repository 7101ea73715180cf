/**
 * Serves the built ESM files of @vneid/cccd-reader and @vneid/core to a browser on 127.0.0.1,
 * as they are (no rewriting): an import map resolves their bare specifiers — `@vneid/core/*`
 * to packages/core/dist, third-party packages (`@noble/*`, `pkijs`, `asn1js`) to ESM files that
 * esbuild builds from node_modules (one file per specifier, shared code split out so `pkijs`
 * and the reader see the same `asn1js` instance).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const readerDir: string = fileURLToPath(new URL('../../', import.meta.url));
export const readerDist: string = join(readerDir, 'dist');
export const coreDist: string = fileURLToPath(new URL('../../../core/dist', import.meta.url));

/** The entries the page imports, by the specifier an application writes. */
export const READER_ENTRIES: Record<string, string> = {
  '@vneid/cccd-reader': 'index.js',
  '@vneid/cccd-reader/emulator': 'emulator/index.js',
  '@vneid/cccd-reader/pa': 'pa/index.js',
};

const SPECIFIER = /(?<![.\w$])(?:from|import)\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC = /(?<![.\w$])import\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** A dist file's module specifiers, static and dynamic. */
function specifiersOf(file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const dynamic = [...text.matchAll(DYNAMIC)].map((m) => m[2] as string);
  return { static: [...text.matchAll(SPECIFIER)].map((m) => m[2] as string), dynamic };
}

export interface DistGraph {
  /** URL path of every reachable dist file (`/reader/…`, `/core/…`). */
  files: Set<string>;
  /** Bare specifiers reachable from the entries. */
  bare: Set<string>;
  /** URL paths statically imported from the root entry (what loading the root fetches). */
  rootStatic: Set<string>;
  /**
   * URL paths of the /pa entry and of every reader dist file that imports pkijs or asn1js (the
   * shared PA chunk, the emulator): what the root entry must not load until it verifies.
   */
  paFiles: Set<string>;
}

const urlOf = (file: string): string =>
  file.startsWith(readerDist)
    ? `/reader/${relative(readerDist, file).split(sep).join('/')}`
    : `/core/${relative(coreDist, file).split(sep).join('/')}`;

function coreEntry(spec: string): string {
  const sub = spec.slice('@vneid/core'.length).replace(/^\//, '');
  const file = join(coreDist, sub === '' ? 'index.js' : `${sub}/index.js`);
  if (!existsSync(file)) throw new Error(`${spec}: ${file} is not built (run pnpm build in packages/core)`);
  return file;
}

/** Walks the dist module graph from {@link READER_ENTRIES}. */
export function distGraph(): DistGraph {
  const graph: DistGraph = { files: new Set(), bare: new Set(), rootStatic: new Set(), paFiles: new Set() };
  const walk = (start: string, follow: 'all' | 'static', seen: Set<string>): void => {
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      const url = urlOf(file);
      if (seen.has(url)) continue;
      seen.add(url);
      const specs = specifiersOf(file);
      const next = follow === 'all' ? [...specs.static, ...specs.dynamic] : specs.static;
      if (specs.static.some((s) => s === 'pkijs' || s === 'asn1js') && url.startsWith('/reader/'))
        graph.paFiles.add(url);
      for (const s of next) {
        if (s.startsWith('.')) queue.push(resolve(dirname(file), s));
        else {
          if (follow === 'all') graph.bare.add(s);
          if (s.startsWith('@vneid/core')) queue.push(coreEntry(s));
        }
      }
    }
  };
  for (const entry of Object.values(READER_ENTRIES)) walk(join(readerDist, entry), 'all', graph.files);
  walk(join(readerDist, READER_ENTRIES['@vneid/cccd-reader'] as string), 'static', graph.rootStatic);
  graph.paFiles.add(`/reader/${READER_ENTRIES['@vneid/cccd-reader/pa']}`);
  return graph;
}

const vendorName = (spec: string): string => spec.replace(/[^a-zA-Z0-9]+/g, '_');

/** ESM files for the third-party bare specifiers, keyed by URL path (`/vendor/…`). */
export async function bundleVendor(specs: Iterable<string>): Promise<Map<string, Uint8Array>> {
  const entries = [...specs].map((s) => ({ in: s, out: vendorName(s) }));
  const out = await build({
    absWorkingDir: readerDir,
    entryPoints: entries,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: 'vendor',
    write: false,
    logLevel: 'silent',
  });
  const root = join(readerDir, 'vendor');
  return new Map(
    out.outputFiles.map((f) => [`/vendor/${relative(root, f.path).split(sep).join('/')}`, f.contents]),
  );
}

/** The import map of the page. */
export function importMap(graph: DistGraph): { imports: Record<string, string> } {
  const imports: Record<string, string> = {};
  for (const [spec, file] of Object.entries(READER_ENTRIES)) imports[spec] = `/reader/${file}`;
  for (const spec of graph.bare) {
    imports[spec] = spec.startsWith('@vneid/core')
      ? urlOf(coreEntry(spec))
      : `/vendor/${vendorName(spec)}.js`;
  }
  return { imports };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

function fileUnder(root: string, path: string): string | undefined {
  const file = normalize(join(root, path));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

/** Serves `/` (the page), `/reader/*`, `/core/*` and `/vendor/*` on 127.0.0.1. */
export async function serve(
  page: string,
  vendor: Map<string, Uint8Array>,
): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const bundled = vendor.get(path);
    const [, top, rest] = /^\/(reader|core)(\/.*)$/.exec(path) ?? [];
    const file = rest === undefined ? undefined : fileUnder(top === 'reader' ? readerDist : coreDist, rest);
    const body = bundled ?? (file === undefined ? undefined : readFileSync(file));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
