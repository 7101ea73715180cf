/**
 * @module
 * The dynamic route `packages/[pkg].md`: one page per package, whose content is the package's
 * README as written (its relative links are resolved from the README's folder by the site's
 * link rule in `.vitepress/config.ts`).
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_PAGES, REPO_ROOT } from '../.vitepress/packages.ts';

export default {
  paths() {
    return PACKAGE_PAGES.map((pkg) => ({
      params: { pkg },
      content: readFileSync(`${REPO_ROOT}packages/${pkg}/README.md`, 'utf8'),
    }));
  },
};
