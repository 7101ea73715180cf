/**
 * `pnpm bench`: runs every benchmark in `bench/suites.ts` in one process, one after another,
 * and writes `docs/benchmarks.md` with the machine and the date. Numbers are ratios against
 * alternatives measured in the same run, never assertions.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { suites } from './suites.ts';

const only = process.argv[2];
const parts: string[] = [];
for (const suite of suites) {
  if (only && suite.id !== only) continue;
  console.error(`bench: ${suite.id} …`);
  parts.push(`## ${suite.title}\n\n${(await suite.run()).trim()}\n`);
}
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const doc = `# Benchmarks\n\nMeasured with \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}.\nRe-run to refresh; each table compares alternatives measured in the same run.\n\n${parts.join('\n')}`;
if (!only) {
  const target = new URL('../docs/benchmarks.md', import.meta.url);
  writeFileSync(target, doc);
  // Lay the tables out as the repository's formatter does, so that `pnpm lint` stays clean.
  execFileSync('pnpm', ['exec', 'biome', 'format', '--write', target.pathname], { stdio: 'ignore' });
}
console.log(doc);
