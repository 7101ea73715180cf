/**
 * A bank's bundle never contains card-side code. Every public subpath of `@vneid/cccd-reader`
 * (each `exports` key but the test-only `./emulator`, `./package.json` and the `./browser/*`
 * folder) is bundled by esbuild from the sources exactly as the size guard does
 * (scripts/subpath-size.ts: `import * as m`, everything the subpath exports), and its metafile
 * must name no module of the chip's side: the software chip (`src/emulator/`), the test PKI
 * (`src/pki-test/`), the card halves of BAC / PACE / AA / CA (`src/protocols/card/`) and card
 * secure messaging (`src/sm/card.ts`). Its type surface, read with the TypeScript checker from
 * the same index files the `.d.ts` are built from, must export no name declared in those
 * modules and none of the card-side names that were once public. The browser bundles the package
 * ships (`dist/browser/`, built here by scripts/build-browser.ts into a temporary folder, code
 * split across all entries at once) are checked the same way: no file a public bundle loads,
 * statically or on demand, carries card-side code. The emulator entry is checked to contain all
 * of it, so the test cannot pass by matching nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBrowserBundles } from '../../../scripts/build-browser.ts';
import { bundleSubpath } from '../../../scripts/subpath-size.ts';

const pkgDir = resolve(new URL('..', import.meta.url).pathname);
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};

/** Not a module for a production bundle (`./emulator`), or not a module at all. */
const NOT_PUBLIC_CODE: ReadonlySet<string> = new Set(['./emulator', './package.json', './browser/*']);
const publicSubpaths = Object.keys(pkg.exports).filter((s) => !NOT_PUBLIC_CODE.has(s));

/** Where the chip's side lives, relative to the package's `src/`. */
const CARD_SIDE = [/^emulator\//, /^pki-test\//, /^protocols\/card\//, /^sm\/card\.ts$/];
const CARD_SIDE_FOLDERS = ['emulator/', 'pki-test/', 'protocols/card/', 'sm/card.ts'];

/**
 * `src/`-relative path of a source file (absolute, or relative to the working directory as
 * esbuild's metafile names them), or undefined when it is not in this package's sources.
 */
const srcRelative = (file: string): string | undefined => {
  const rel = relative(join(pkgDir, 'src'), resolve(process.cwd(), file));
  return rel.startsWith('..') ? undefined : rel.replaceAll('\\', '/');
};
const isCardSide = (file: string): boolean => {
  const rel = srcRelative(file);
  return rel !== undefined && CARD_SIDE.some((re) => re.test(rel));
};

/** Card-side names that public subpaths exported before the emulator was fenced off. */
const ONCE_PUBLIC_CARD_SIDE = [
  'createCardSecureMessaging',
  'CardSecureMessaging',
  'bacCardRespond',
  'BacCardResponse',
  'encryptNonce',
  'encryptChipAuthenticationData',
];

const specifierOf = (subpath: string): string =>
  subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
const indexOf = (subpath: string): string =>
  join(pkgDir, 'src', subpath === '.' ? '' : subpath.slice(2), 'index.ts');

const tmp = mkdtempSync(join(tmpdir(), 'vneid-card-side-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The source modules of the bundle of everything `subpath` exports. */
async function bundledModules(subpath: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmp, 'b-'));
  const metafile = await bundleSubpath(specifierOf(subpath), dir, subpath === './pcsc' ? 'node' : 'browser');
  return Object.keys(metafile.inputs);
}

describe('public @vneid/cccd-reader subpaths bundle no card-side module', () => {
  it('checks every public subpath in package.json "exports"', () => {
    expect(publicSubpaths).toEqual(
      expect.arrayContaining(['.', './transport', './sm', './protocols', './reading', './lds', './pa']),
    );
    expect(publicSubpaths).not.toContain('./emulator');
  });

  it('the test-only emulator entry does contain every card-side location (the check is real)', async () => {
    const inputs = (await bundledModules('./emulator')).map(srcRelative).filter((f) => f !== undefined);
    for (const folder of CARD_SIDE_FOLDERS) {
      expect(
        inputs.some((f) => f.startsWith(folder)),
        `${folder} in the emulator bundle`,
      ).toBe(true);
    }
  });

  for (const subpath of publicSubpaths) {
    it(`${specifierOf(subpath)}`, async () => {
      const inputs = await bundledModules(subpath);
      expect(inputs.map(srcRelative)).toContain(relative(join(pkgDir, 'src'), indexOf(subpath)));
      expect(inputs.filter(isCardSide)).toEqual([]);
    });
  }
});

describe('public @vneid/cccd-reader subpaths export no card-side name or type', () => {
  const options: ts.CompilerOptions = {
    ...ts.getParsedCommandLineOfConfigFile(
      join(pkgDir, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )?.options,
    noEmit: true,
  };
  const entries = [...publicSubpaths.map(indexOf), indexOf('./emulator')];
  const program = ts.createProgram(entries, options);
  const checker = program.getTypeChecker();

  /** Each exported name of the module in `file`, with the files its declaration comes from. */
  const exportsOf = (file: string): Map<string, string[]> => {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`no module symbol for ${file}`);
    const out = new Map<string, string[]>();
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      out.set(
        sym.getName(),
        (target.getDeclarations() ?? []).map((d) => d.getSourceFile().fileName),
      );
    }
    return out;
  };

  /**
   * Names of the chip's side: those once public, and every export of the card halves and the
   * test PKI. (The software chip's own names are checked by where they are declared instead:
   * some, such as `EMRTD_AID`, are constants the reader has too.)
   */
  const cardSideNames = new Set(ONCE_PUBLIC_CARD_SIDE);
  for (const file of program.getSourceFiles()) {
    if (!isCardSide(file.fileName) || srcRelative(file.fileName)?.startsWith('emulator/')) continue;
    for (const name of exportsOf(file.fileName).keys()) cardSideNames.add(name);
  }

  it('knows the card-side names and modules (the check is real)', () => {
    for (const name of [
      ...ONCE_PUBLIC_CARD_SIDE,
      'createTestPki',
      'signSod',
      'signActiveAuthentication',
      'AaRsaPrivateKey',
      'chipAuthenticationCardStep',
    ]) {
      expect(cardSideNames, name).toContain(name);
    }
    const emulator = exportsOf(indexOf('./emulator'));
    expect(emulator.get('createEmulatedCard')?.some(isCardSide)).toBe(true);
    expect(emulator.get('TestPki')?.some(isCardSide)).toBe(true);
  });

  for (const subpath of publicSubpaths) {
    it(`${specifierOf(subpath)}`, () => {
      const exported = exportsOf(indexOf(subpath));
      expect(exported.size, 'the subpath exports something').toBeGreaterThan(0);
      const leaks = [...exported]
        .filter(([name, files]) => cardSideNames.has(name) || files.some(isCardSide))
        .map(([name]) => name);
      expect(leaks).toEqual([]);
    });
  }
});

describe('the browser bundles of public subpaths load no card-side module', () => {
  /**
   * Each browser bundle name (`sm`), with the source modules (absolute paths; the build's
   * metafile names them relative to the package directory) of every file it loads.
   */
  const loaded = async (): Promise<Map<string, string[]>> => {
    const { entries, metafile, outdir } = await buildBrowserBundles({
      packageDir: pkgDir,
      outdir: join(mkdtempSync(join(tmp, 'browser-')), 'out'),
    });
    const outputs = metafile.outputs;
    const out = new Map<string, string[]>();
    for (const entry of entries) {
      const entryFile = Object.keys(outputs).find(
        (f) => resolve(pkgDir, f) === join(outdir, `${entry.name}.js`),
      );
      if (entryFile === undefined) throw new Error(`no output for ${entry.name}`);
      const files = new Set<string>();
      const visit = (file: string): void => {
        if (files.has(file)) return;
        files.add(file);
        for (const imp of outputs[file]?.imports ?? []) if (!imp.external) visit(imp.path);
      };
      visit(entryFile);
      const modules = [...files].flatMap((f) =>
        Object.entries(outputs[f]?.inputs ?? {})
          .filter(([, part]) => part.bytesInOutput > 0)
          .map(([input]) => resolve(pkgDir, input)),
      );
      out.set(entry.name, modules);
    }
    return out;
  };

  it('every public browser bundle, the emulator bundle holding all card-side locations', async () => {
    const bundles = await loaded();
    const emulator = (bundles.get('emulator') ?? []).map(srcRelative).filter((f) => f !== undefined);
    for (const folder of CARD_SIDE_FOLDERS) {
      expect(
        emulator.some((f) => f.startsWith(folder)),
        `${folder} in emulator.js`,
      ).toBe(true);
    }
    const publicBundles = [...bundles.keys()].filter((name) => name !== 'emulator');
    expect(publicBundles).toEqual(expect.arrayContaining(['index', 'sm', 'protocols', 'pa']));
    for (const name of publicBundles) {
      expect((bundles.get(name) ?? []).filter(isCardSide), `${name}.js`).toEqual([]);
    }
  });
});
