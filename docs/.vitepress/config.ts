/**
 * @module
 * The documentation site (VitePress): the guides and reference pages of `docs/`, the package
 * READMEs as pages (`packages/[pkg].md`, a dynamic route), the generated troubleshooting pages
 * and the typedoc API in Markdown (`docs/api/`, written by `pnpm run docs:api`). Relative links
 * keep working on GitHub and on the site: a markdown-it rule resolves each relative link from
 * the file it was written in, points links to another docs page or a package README at its
 * page, and links to any other existing file of the repository at GitHub (a missing one stays
 * relative, so VitePress reports it). Dead links fail the build
 * (VitePress's default), and `scripts/docs/build.ts` fails on any warning.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type DefaultTheme, defineConfig, type MarkdownRenderer } from 'vitepress';
import { PACKAGE_PAGES, REPO_ROOT } from './packages.ts';

const root = resolve(REPO_ROOT);
const docs = join(root, 'docs');
const REPOSITORY = 'https://github.com/vneid-sdk/vneid-sdk';

/** The first `# heading` of a Markdown file, without code spans' backticks. */
function titleOf(file: string): string {
  const heading = /^# (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? file;
  return heading.replaceAll('`', '');
}

function items(dir: string, link: (name: string) => string): DefaultTheme.SidebarItem[] {
  return readdirSync(join(docs, dir))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()
    .map((f) => ({ text: titleOf(join(docs, dir, f)), link: link(f.replace(/\.md$/, '')) }));
}

/** The source file a page was written in (a package page shows that package's README). */
function sourceOf(env: { path?: string; relativePath?: string }): string | undefined {
  const pkg = /^packages\/([a-z-]+)\.md$/.exec(env.relativePath ?? '');
  if (pkg) return join(root, 'packages', pkg[1] as string, 'README.md');
  return env.path;
}

/** Where a relative link written in `source` should point on the page at `page` (both absolute). */
export function rewriteLink(href: string, source: string, page: string): string {
  if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) return href;
  const [path = '', hash] = href.split('#', 2);
  const suffix = hash === undefined ? '' : `#${hash}`;
  const target = resolve(dirname(source), decodeURIComponent(path));
  const fromPage = (file: string): string => {
    const rel = relative(dirname(page), file).split(sep).join('/');
    return (rel.startsWith('.') ? rel : `./${rel}`) + suffix;
  };
  if (target === join(docs, 'README.md')) return fromPage(join(docs, 'index.md'));
  if (target.startsWith(docs + sep)) return path === '' ? href : fromPage(target);
  const pkg = /^packages\/([a-z-]+)(?:\/README\.md|\/)?$/.exec(relative(root, target).split(sep).join('/'));
  if (pkg && PACKAGE_PAGES.includes(pkg[1] as string))
    return fromPage(join(docs, 'packages', `${pkg[1]}.md`));
  const rel = relative(root, target).split(sep).join('/');
  // Outside the repository, or a file that does not exist: VitePress reports it as dead.
  if (rel.startsWith('..') || !existsSync(target)) return href;
  const isDir = statSync(target).isDirectory();
  return `${REPOSITORY}/${isDir ? 'tree' : 'blob'}/main/${rel}${suffix}`;
}

/** The markdown-it rule that applies {@link rewriteLink} to every link and image. */
function relativeLinks(md: MarkdownRenderer): void {
  md.core.ruler.after('inline', 'vneid-relative-links', (state) => {
    const env = state.env as { path?: string; relativePath?: string };
    const source = sourceOf(env);
    if (!source || !env.relativePath) return;
    const page = join(docs, env.relativePath);
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        const attr = token.type === 'link_open' ? 'href' : token.type === 'image' ? 'src' : undefined;
        const value = attr && token.attrGet(attr);
        if (attr && value) token.attrSet(attr, rewriteLink(value, source, page));
      }
    }
  });
}

const api = existsSync(join(docs, 'api/index.md'));

export default defineConfig({
  title: 'vneid-sdk',
  description:
    'TypeScript SDK for Vietnamese citizen identity cards (CCCD / Căn cước): QR, chip reading and verification, OTP, and a VNeID-style identity sandbox.',
  lang: 'en',
  base: '/vneid-sdk/',
  srcExclude: ['README.md', '**/README.md'],
  cleanUrls: false,
  lastUpdated: false,
  markdown: {
    config: relativeLinks,
    languageAlias: { jsonc: 'json' },
  },
  vite: {
    build: { chunkSizeWarningLimit: 4096 },
  },
  themeConfig: {
    nav: [
      { text: 'Guides', link: '/guides/qr-and-id' },
      { text: 'Troubleshooting', link: '/troubleshooting' },
      ...(api ? [{ text: 'API', link: '/api/' }] : []),
      { text: 'GitHub', link: REPOSITORY },
    ],
    sidebar: [
      { text: 'Guides', items: items('guides', (n) => `/guides/${n}`) },
      {
        text: 'Reference',
        items: [
          { text: 'Troubleshooting by error code', link: '/troubleshooting' },
          { text: 'Problem codes (identity API)', link: '/problems' },
          { text: 'Security model', link: '/security' },
          { text: 'Field evidence', link: '/field-evidence' },
          { text: 'Benchmarks', link: '/benchmarks' },
          ...(api ? [{ text: 'API reference', link: '/api/' }] : []),
        ],
      },
      {
        text: 'Packages',
        items: PACKAGE_PAGES.map((p) => ({ text: `@vneid/${p}`, link: `/packages/${p}` })),
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    socialLinks: [{ icon: 'github', link: REPOSITORY }],
  },
});
