/**
 * @module
 * Third-party notices: every package whose published files inline third-party code (its browser
 * bundles, or tsup's `noExternal`) ships a `THIRD-PARTY-NOTICES` listed in its `files`, and the
 * file is exactly what scripts/third-party-notices.ts generates from esbuild's metafile and the
 * packages in node_modules — so a dependency that is inlined but missing from the notices (a new
 * one, or a new version) fails here. Regenerate with `pnpm exec tsx scripts/third-party-notices.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BundledPackage,
  expectedNotices,
  NOTICES_FILE,
  packageDirOf,
  renderNotices,
  workspacePackages,
} from '../scripts/third-party-notices.ts';
import { repoRoot } from './support/vectors.ts';

const found = new Map<string, BundledPackage[]>();

describe('THIRD-PARTY-NOTICES of each package match the code it inlines', () => {
  for (const pkg of workspacePackages()) {
    it(pkg, { timeout: 120_000 }, async () => {
      const dir = join(repoRoot, 'packages', pkg);
      const { text, packages } = await expectedNotices(pkg);
      found.set(pkg, packages);
      const file = join(dir, NOTICES_FILE);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { files?: string[] };
      if (text === undefined) {
        expect(existsSync(file), `${pkg} inlines no third-party code but has ${NOTICES_FILE}`).toBe(false);
        return;
      }
      expect(existsSync(file), `${pkg}: ${NOTICES_FILE} missing (run scripts/third-party-notices.ts)`).toBe(
        true,
      );
      const have = readFileSync(file, 'utf8');
      for (const p of packages)
        expect(have, `${pkg}: ${p.name}@${p.version} is inlined but not in ${NOTICES_FILE}`).toContain(
          `\n${p.name} ${p.version}\n`,
        );
      expect(have, `${pkg}: ${NOTICES_FILE} is stale (run scripts/third-party-notices.ts)`).toBe(text);
      expect(manifest.files, `${pkg}: ${NOTICES_FILE} is not in package.json "files"`).toContain(
        NOTICES_FILE,
      );
    });
  }

  it('the metafile finds what we know is inlined (the lists are real)', () => {
    const names = (pkg: string): string[] => (found.get(pkg) ?? []).map((p) => p.name);
    expect(names('core')).toEqual(expect.arrayContaining(['jsqr', 'zxing-wasm']));
    expect(names('cccd-reader')).toEqual(expect.arrayContaining(['pkijs', 'asn1js', '@noble/curves']));
    expect(names('client')).toEqual(expect.arrayContaining(['oauth4webapi']));
    expect(names('otp')).toEqual(expect.arrayContaining(['@noble/hashes']));
    // tsup inlines zxing-wasm and jsQR into core's npm build too.
    expect(found.get('core')?.find((p) => p.name === 'jsqr')?.builds).toEqual(['browser', 'npm']);
    // The Node-only packages inline nothing.
    expect(names('cli')).toEqual([]);
  });
});

describe('notice helpers', () => {
  it('packageDirOf names the package an input path belongs to (scoped or not, pnpm layout)', () => {
    expect(
      packageDirOf('../../node_modules/.pnpm/pkijs@4.0.0_asn1js@4.0.0/node_modules/pkijs/build/index.es.js'),
    ).toBe('../../node_modules/.pnpm/pkijs@4.0.0_asn1js@4.0.0/node_modules/pkijs');
    expect(packageDirOf('node_modules/@noble/hashes/esm/sha2.js')).toBe('node_modules/@noble/hashes');
    expect(packageDirOf('src/index.ts')).toBeUndefined();
  });

  it('renders the licence text and copyright of each package and refuses a package without a licence file', () => {
    const jsqr = found.get('core')?.find((p) => p.name === 'jsqr');
    expect(jsqr).toBeDefined();
    const text = renderNotices('@vneid/x', [jsqr as BundledPackage]);
    expect(text).toContain('jsqr 1.4.0\nLicense: Apache-2.0');
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(() =>
      renderNotices('@vneid/x', [{ ...(jsqr as BundledPackage), dir: join(repoRoot, 'scripts') }]),
    ).toThrow(/no LICENSE file/);
  });
});
