/**
 * @module
 * Size guard of the browser bundles (`dist/browser/`): each package's bundles are built from the
 * sources with the build's own function (scripts/build-browser.ts) into a temporary folder and
 * measured, min+gz per file, against test/browser-bundle-budgets.json: every bundle's initial
 * and lazy bytes, and every package's total. A bundle without a budget, or a budget without a
 * bundle, fails too, so that the list cannot drift. The same build must not put one source module
 * into two files: code shared by a package's bundles lives once, in a chunk.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_PACKAGES } from '../bench/bundle-size.ts';
import { type BuildBrowserResult, buildBrowserBundles, measureBundles } from '../scripts/build-browser.ts';
import { repoRoot } from './support/vectors.ts';

interface Budgets {
  bundles: Record<string, { initialGzip: number; lazyGzip: number }>;
  packages: Record<string, number>;
}

const budgets = JSON.parse(
  readFileSync(new URL('./browser-bundle-budgets.json', import.meta.url), 'utf8'),
) as Budgets;
const temp = mkdtempSync(join(tmpdir(), 'vneid-bundle-size-'));

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('browser bundle sizes (min+gz) stay within test/browser-bundle-budgets.json', () => {
  const seen = new Set<string>();

  for (const pkg of BROWSER_PACKAGES) {
    describe(pkg, () => {
      let built: BuildBrowserResult;

      it('builds, each source module in exactly one output file', async () => {
        built = await buildBrowserBundles({
          packageDir: join(repoRoot, 'packages', pkg),
          outdir: join(temp, pkg),
        });
        const owners = new Map<string, string[]>();
        for (const [file, output] of Object.entries(built.metafile.outputs)) {
          for (const [input, part] of Object.entries(output.inputs)) {
            if (part.bytesInOutput === 0) continue;
            owners.set(input, [...(owners.get(input) ?? []), file]);
          }
        }
        expect(owners.size).toBeGreaterThan(built.entries.length);
        expect([...owners].filter(([, files]) => files.length > 1)).toEqual([]);
      });

      it('every bundle and the whole folder within budget', () => {
        const sizes = measureBundles(built);
        const name = built.entries[0]?.specifier as string;
        const over: string[] = [];
        for (const b of sizes.bundles) {
          const key = `${name}/browser/${b.file}`;
          seen.add(key);
          const budget = budgets.bundles[key];
          if (budget === undefined) {
            over.push(`${key}: no budget (measured initial ${b.initialGzip}, lazy ${b.lazyGzip} bytes gzip)`);
            continue;
          }
          if (b.initialGzip > budget.initialGzip)
            over.push(`${key}: initial ${b.initialGzip} > ${budget.initialGzip} bytes gzip`);
          if (b.lazyGzip > budget.lazyGzip)
            over.push(`${key}: lazy ${b.lazyGzip} > ${budget.lazyGzip} bytes gzip`);
        }
        const total = budgets.packages[name];
        if (total === undefined || sizes.totalJsGzip > total)
          over.push(`${name}: dist/browser/*.js ${sizes.totalJsGzip} > ${total} bytes gzip`);
        expect(over).toEqual([]);
        // The measurement is real: every bundle has bytes.
        for (const b of sizes.bundles) expect(b.initialGzip, b.file).toBeGreaterThan(100);
      });
    });
  }

  it('has no budget for a bundle that is not built', () => {
    expect(seen.size).toBeGreaterThan(0);
    expect(Object.keys(budgets.bundles).filter((k) => !seen.has(k))).toEqual([]);
    expect(Object.keys(budgets.packages).sort()).toEqual(
      BROWSER_PACKAGES.map(
        (p) => JSON.parse(readFileSync(join(repoRoot, 'packages', p, 'package.json'), 'utf8')).name,
      ).sort(),
    );
  });
});
