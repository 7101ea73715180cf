/**
 * @module
 * Size guard of the npm subpaths: each browser subpath of the packages, bundled for the browser
 * by esbuild from the sources the way an app bundles it (scripts/subpath-size.ts; everything the
 * subpath exports, minified, code-split), must stay within its budget in
 * test/subpath-budgets.json, for the code loaded at start-up (initial) and the code loaded on
 * first use (lazy), gzip. A subpath without a budget, or a budget for a subpath that no longer
 * exists, fails too, so that the list cannot drift from the packages' `exports`. The browser
 * bundles of `dist/browser/` have their own guard (test/browser-bundle-size.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserSubpaths, measureSubpath, type SubpathSize } from '../scripts/subpath-size.ts';

const budgets = JSON.parse(readFileSync(new URL('./subpath-budgets.json', import.meta.url), 'utf8')) as {
  subpaths: Record<string, SubpathSize>;
};
const subpaths = browserSubpaths();

describe('npm subpath sizes (browser, min+gz) stay within test/subpath-budgets.json', () => {
  it('has a budget for every browser subpath and none for a subpath that does not exist', () => {
    expect(Object.keys(budgets.subpaths).sort()).toEqual([...subpaths].sort());
    // The list is real: the facade and the heavy layers are in it.
    expect(subpaths).toEqual(
      expect.arrayContaining(['@vneid/core', '@vneid/core/scan', '@vneid/cccd-reader/pa']),
    );
  });

  for (const specifier of subpaths) {
    it(specifier, async () => {
      const size = await measureSubpath(specifier);
      const budget = budgets.subpaths[specifier];
      expect(budget, `${specifier}: no budget (measured ${JSON.stringify(size)})`).toBeDefined();
      expect(size.initialGzip, `${specifier}: initial bytes gzip`).toBeLessThanOrEqual(
        budget?.initialGzip ?? 0,
      );
      expect(size.lazyGzip, `${specifier}: lazy bytes gzip`).toBeLessThanOrEqual(budget?.lazyGzip ?? 0);
      // The measurement is real: every subpath ships code.
      expect(size.initialGzip).toBeGreaterThan(100);
    });
  }
});
