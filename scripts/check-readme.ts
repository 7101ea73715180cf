/**
 * Type-checks every ```ts block of README.md, packages/*\/README.md and every Markdown page of
 * docs/ (except docs/api, which typedoc generates) against the package sources, so that the
 * usage snippets users copy cannot drift from the API.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.tmp/readme-snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Every `.md` under `dir`, skipping generated and build folders. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return ['api', 'node_modules', '.vitepress'].includes(e.name) ? [] : markdownFiles(path);
    return e.name.endsWith('.md') ? [relative(root, path)] : [];
  });
}

const docs = [
  'README.md',
  ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`),
  ...markdownFiles(join(root, 'docs')).sort(),
];
let count = 0;
for (const doc of docs) {
  const path = join(root, doc);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    count++;
    const name = `${doc.replace(/[/.]/g, '_')}_${count}.ts`;
    // Each snippet is its own module; top-level await is allowed as in an ES module.
    writeFileSync(join(out, name), `${match[1]}\nexport {};\n`);
  }
}
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../tsconfig.tools.json',
    compilerOptions: { noUnusedLocals: false, rootDir: '../..' },
    include: ['./*.ts'],
  }),
);
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(out, 'tsconfig.json'), '--noEmit'], {
  stdio: 'inherit',
});
console.log(`check-readme: ${count} snippets type-check`);
