/**
 * The `vneid-sandbox` binary as a user runs it: the built `dist/cli.js` in its own process
 * (`npm test` builds first), `listening on …` printed once ready, bad flags refused with exit
 * code 2, SIGTERM stops it cleanly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type SandboxProcess, spawnSandboxCli } from './service/processes.ts';
import { createTestDatabase, store } from './support/sandbox.ts';

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const nodes: SandboxProcess[] = [];
afterAll(async () => {
  for (const node of nodes) await node.kill();
});

describe(`vneid-sandbox CLI (${store})`, () => {
  it('is built', () => {
    expect(existsSync(bin), 'run `pnpm build` (npm test does) before the CLI test').toBe(true);
  });

  it('starts on a free port, answers /health, and stops on SIGTERM', async () => {
    const db = store === 'postgres' ? await createTestDatabase() : undefined;
    try {
      const node = await spawnSandboxCli(['--port', '0', '--quiet'], db ? { DATABASE_URL: db.url } : {});
      nodes.push(node);
      const { child, url } = node;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await db?.drop();
    }
  });

  it('refuses bad flags with exit code 2 and a one-line reason', () => {
    for (const args of [
      ['--port', 'abc'],
      ['--profile', 'oauth1'],
      ['--hash-concurrency', '0'],
      ['--bogus'],
    ]) {
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/^vneid-sandbox: /);
      expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });
});
