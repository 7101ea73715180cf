/**
 * @module
 * Third-party notices for the code our packages ship inlined: each package whose published files
 * contain third-party code gets a `THIRD-PARTY-NOTICES` file listing every such npm package —
 * name, version, licence (SPDX id from its package.json), repository, the copyright lines and the
 * full licence text from its LICENSE/LICENCE/COPYING/NOTICE files in node_modules — as the MIT,
 * BSD-3-Clause and Apache-2.0 licences of those packages require for redistribution.
 *
 * What is inlined is taken from esbuild's metafile, not from a hand-kept list:
 * - the browser bundles (`dist/browser/`): {@link buildBrowserBundles} of scripts/build-browser.ts
 *   into a temporary folder, every input under `node_modules/`;
 * - the npm build (`dist/`, tsup): the package's tsup entries bundled by esbuild the way tsup
 *   does — dependencies and peer dependencies external except the config's `noExternal` (e.g.
 *   zxing-wasm and jsQR in `@vneid/core`).
 * Workspace packages (`@vneid/*`, first-party, same licence) are not listed.
 *
 * `tsx scripts/third-party-notices.ts` writes the files (run after changing dependencies; the
 * test `test/third-party-notices.test.ts` fails when a file is stale or missing); `--check`
 * only compares.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { browserEntries, buildBrowserBundles } from './build-browser.ts';

const root = resolve(new URL('..', import.meta.url).pathname);

/** The notices file of each package. */
export const NOTICES_FILE = 'THIRD-PARTY-NOTICES';

/** One inlined third-party package. */
export interface BundledPackage {
  name: string;
  version: string;
  /** SPDX expression from its package.json. */
  license: string;
  repository?: string;
  /** Its package.json `author`, when it names one. */
  author?: string;
  /** Its directory in node_modules. */
  dir: string;
  /** Where it is inlined: `'browser'` (dist/browser) and/or `'npm'` (dist). */
  builds: Array<'browser' | 'npm'>;
}

interface Manifest {
  name: string;
  version: string;
  license?: string;
  author?: string | { name?: string; email?: string };
  contributors?: Array<string | { name?: string }>;
  repository?: string | { url?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The package directory in node_modules that an esbuild input path belongs to. */
export function packageDirOf(input: string): string | undefined {
  const norm = input.split(sep).join('/');
  const at = norm.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = norm.slice(at + 'node_modules/'.length).split('/');
  const parts = rest[0]?.startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1);
  return norm.slice(0, at + 'node_modules/'.length) + parts.join('/');
}

/** Inputs of a metafile that come from node_modules, as package directories (absolute). */
function packageDirs(inputs: string[], base: string): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    const dir = packageDirOf(input);
    if (dir !== undefined) out.add(resolve(base, dir));
  }
  return out;
}

/** Package directories inlined into the browser bundles of `packageDir`. */
async function browserInlined(packageDir: string): Promise<Set<string>> {
  // Only packages whose build runs scripts/build-browser.ts ship dist/browser.
  const scripts = readJson<{ scripts?: Record<string, string> }>(join(packageDir, 'package.json')).scripts;
  if (!scripts?.build?.includes('build-browser.ts') || browserEntries(packageDir).length === 0)
    return new Set();
  const temp = mkdtempSync(join(tmpdir(), 'vneid-notices-'));
  try {
    const built = await buildBrowserBundles({ packageDir, outdir: temp });
    return packageDirs(Object.keys(built.metafile.inputs), packageDir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

interface TsupOptions {
  entry?: string[];
  noExternal?: Array<string | RegExp>;
  external?: Array<string | RegExp>;
  platform?: 'node' | 'browser' | 'neutral';
}

/** Package directories tsup inlines into `dist/` of `packageDir` (see the module note). */
async function npmInlined(packageDir: string): Promise<Set<string>> {
  const configFile = join(packageDir, 'tsup.config.ts');
  if (!existsSync(configFile)) return new Set();
  const config = ((await import(pathToFileURL(configFile).href)) as { default: TsupOptions }).default;
  const noExternal = config.noExternal ?? [];
  const inlined = (name: string): boolean =>
    noExternal.some((p) => (typeof p === 'string' ? p === name : p.test(name)));
  if (noExternal.length === 0) return new Set();
  const manifest = readJson<Manifest>(join(packageDir, 'package.json'));
  const deps = Object.keys({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  }).filter((d) => !inlined(d));
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: config.entry ?? ['src/index.ts'],
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(packageDir, '.notices-out'),
    format: 'esm',
    splitting: true,
    platform: config.platform ?? 'node',
    target: 'es2022',
    logLevel: 'silent',
    loader: { '.wasm': 'file' },
    external: [
      ...deps,
      ...deps.map((d) => `${d}/*`),
      ...(config.external ?? []).filter((e): e is string => typeof e === 'string'),
      ...builtinModules,
      'node:*',
    ],
  });
  return packageDirs(Object.keys(result.metafile.inputs), packageDir);
}

function repositoryOf(m: Manifest): string | undefined {
  const r = typeof m.repository === 'string' ? m.repository : m.repository?.url;
  return r?.replace(/^git\+/, '').replace(/\.git$/, '');
}

function authorOf(m: Manifest): string | undefined {
  const name = (a: string | { name?: string } | undefined): string | undefined =>
    typeof a === 'string' ? a.replace(/\s*<[^>]*>/, '') : a?.name;
  const people = [name(m.author), ...(m.contributors ?? []).map(name)].filter((n) => n !== undefined);
  return people.length === 0 ? undefined : people.join(', ');
}

/** Every third-party package inlined into the published files of `packages/<pkg>`, by name. */
export async function bundledPackages(pkg: string): Promise<BundledPackage[]> {
  const packageDir = join(root, 'packages', pkg);
  const byDir = new Map<string, BundledPackage>();
  const add = (dirs: Set<string>, build: 'browser' | 'npm'): void => {
    for (const dir of dirs) {
      const m = readJson<Manifest>(join(dir, 'package.json'));
      if (m.name.startsWith('@vneid/')) continue;
      const have = byDir.get(dir);
      if (have) {
        if (!have.builds.includes(build)) have.builds.push(build);
        continue;
      }
      byDir.set(dir, {
        name: m.name,
        version: m.version,
        license: m.license ?? 'UNKNOWN',
        ...(repositoryOf(m) === undefined ? {} : { repository: repositoryOf(m) as string }),
        ...(authorOf(m) === undefined ? {} : { author: authorOf(m) as string }),
        dir,
        builds: [build],
      });
    }
  };
  add(await browserInlined(packageDir), 'browser');
  add(await npmInlined(packageDir), 'npm');
  return [...byDir.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The licence and notice files of a package directory, by name. */
function licenseFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => LICENSE_FILE.test(f))
    .sort();
}

/** Facts about inlined code that its package's own files do not state. */
const SUPPLEMENTS: Readonly<Record<string, string>> = {
  'zxing-wasm':
    'Its WebAssembly reader (zxing_reader.wasm, shipped beside the scanner) is compiled from\n' +
    'zxing-cpp (https://github.com/zxing-cpp/zxing-cpp), Copyright the ZXing authors, licensed\n' +
    'under the Apache License, Version 2.0 (full text under jsqr in this file).',
};

/** The notices text for `packages`. */
export function renderNotices(packageName: string, packages: BundledPackage[]): string {
  const lines: string[] = [
    `Third-party software notices for ${packageName}`,
    '',
    `${packageName} is MIT-licensed (see LICENSE). Its published files include code from the`,
    'packages below, inlined by the build (dist/browser: the browser bundles; dist: the npm',
    'build). Each is used under its own licence, reproduced here. Generated by',
    'scripts/third-party-notices.ts from the packages in node_modules; do not edit by hand.',
    '',
  ];
  for (const p of packages) {
    lines.push('='.repeat(78));
    lines.push(`${p.name} ${p.version}`);
    lines.push(`License: ${p.license}`);
    if (p.repository) lines.push(`Repository: ${p.repository}`);
    lines.push(`Inlined in: ${p.builds.map((b) => (b === 'browser' ? 'dist/browser' : 'dist')).join(', ')}`);
    const files = licenseFiles(p.dir);
    if (files.length === 0)
      throw new Error(`${p.name}@${p.version} ships no LICENSE file: add its licence text by hand`);
    const texts = files.map((f) => readFileSync(join(p.dir, f), 'utf8').replace(/\r\n?/g, '\n').trimEnd());
    const copyright = [
      ...new Set(
        texts.flatMap((t) =>
          t
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => /^(copyright\s+(\(c\)|©|\d{4})|\(c\)\s*\d{4}|©\s*\d{4})/i.test(l)),
        ),
      ),
    ];
    // Licences without a copyright line (the Apache-2.0 text is a template): name the holder.
    if (copyright.length === 0)
      copyright.push(`Copyright: the ${p.name} authors${p.author === undefined ? '' : ` (${p.author})`}`);
    for (const c of copyright) lines.push(c);
    const note = SUPPLEMENTS[p.name];
    if (note?.includes('under jsqr') && !packages.some((q) => q.name === 'jsqr'))
      throw new Error(`the ${p.name} note points at the Apache-2.0 text of jsqr, which is not in this file`);
    if (note !== undefined) lines.push('', note);
    for (let i = 0; i < files.length; i++) {
      lines.push('', `----- ${files[i]} -----`, '', texts[i] as string);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Packages of the workspace (folder names under packages/). */
export function workspacePackages(): string[] {
  return readdirSync(join(root, 'packages'))
    .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
    .sort();
}

/** The notices file each package should have (`undefined`: it inlines no third-party code). */
export async function expectedNotices(
  pkg: string,
): Promise<{ text: string | undefined; packages: BundledPackage[] }> {
  const packages = await bundledPackages(pkg);
  const name = readJson<Manifest>(join(root, 'packages', pkg, 'package.json')).name;
  return { text: packages.length === 0 ? undefined : renderNotices(name, packages), packages };
}

// CLI
if (
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const pkg of workspacePackages()) {
    const { text, packages } = await expectedNotices(pkg);
    const file = join(root, 'packages', pkg, NOTICES_FILE);
    const have = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const summary = packages.map((p) => `${p.name}@${p.version}`).join(', ') || 'none';
    if (have === text) {
      console.log(`${pkg}: up to date (${summary})`);
      continue;
    }
    stale++;
    if (check) {
      console.log(`${pkg}: ${NOTICES_FILE} is ${have === undefined ? 'missing' : 'stale'} (${summary})`);
    } else if (text === undefined) {
      rmSync(file);
      console.log(`${pkg}: removed ${NOTICES_FILE} (no third-party code inlined)`);
    } else {
      writeFileSync(file, text);
      console.log(`${pkg}: wrote ${NOTICES_FILE} (${summary})`);
    }
  }
  if (check && stale > 0) process.exitCode = 1;
}
