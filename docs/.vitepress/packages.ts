/**
 * @module
 * The packages that have a README, each shown as the page `packages/<name>` of the site.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const REPO_ROOT: string = new URL('../../', import.meta.url).pathname;

/** Folder names under `packages/` that have a README. */
export const PACKAGE_PAGES: readonly string[] = readdirSync(join(REPO_ROOT, 'packages'))
  .filter((p) => existsSync(join(REPO_ROOT, 'packages', p, 'README.md')))
  .sort();
