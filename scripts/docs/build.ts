/**
 * @module
 * `pnpm docs:build`: the documentation site, strictly. It regenerates the troubleshooting pages
 * from the sources (`scripts/docs/error-codes.ts`), writes the API reference first when
 * `docs/api/` is missing (`pnpm run docs:api`, typedoc in Markdown), then runs `vitepress build
 * docs` (into `docs/.vitepress/dist`). VitePress fails on a dead link by itself; this script
 * also fails when the build prints any warning (a line with `warn`, `(!)` or `error`), so that a
 * broken page cannot pass with a message nobody reads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(bin('tsx'), ['--tsconfig', 'tsconfig.tools.json', 'scripts/docs/error-codes.ts']);
if (!existsSync(join(root, 'docs/api/index.md'))) run(bin('typedoc'), []);

const child = spawn(bin('vitepress'), ['build', 'docs'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
});
const complaints: string[] = [];
const watch = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream): void => {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    out.write(chunk);
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (/warn|\(!\)|error/i.test(line)) complaints.push(line.trim());
  });
  stream.on('end', () => {
    if (/warn|\(!\)|error/i.test(rest)) complaints.push(rest.trim());
  });
};
watch(child.stdout, process.stdout);
watch(child.stderr, process.stderr);
child.on('close', (code) => {
  if (code !== 0) {
    console.error(`docs:build: vitepress exited with ${code}`);
    process.exit(code ?? 1);
  }
  if (complaints.length > 0) {
    console.error(`docs:build: ${complaints.length} warning(s), treated as errors:`);
    for (const c of complaints) console.error(`  ${c}`);
    process.exit(1);
  }
  console.log('docs:build: site in docs/.vitepress/dist, no dead links, no warnings');
});
