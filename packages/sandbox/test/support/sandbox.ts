/**
 * Starts the real sandbox over real HTTP for a test file, on the store the vitest project
 * names: `VNEID_TEST_STORE=pglite` (embedded, in memory) or `postgres` (a fresh database on the
 * cluster of the global setup, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/index.ts';

export const store: 'pglite' | 'postgres' =
  process.env['VNEID_TEST_STORE'] === 'postgres' ? 'postgres' : 'pglite';

export interface TestSandbox extends RunningSandbox {
  /** A database URL (postgres) or `memory`; a second process can join a postgres one. */
  database: string;
  /** JSON request helper: answers `{ status, body, headers }` and never throws on HTTP errors. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestAnswer>;
}

export interface TestAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect answers freely
  body: any;
  headers: Headers;
}

/** A fresh, empty PostgreSQL database on the test cluster; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject('pgUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A JSON request to any sandbox base URL; never throws on HTTP errors, keeps non-JSON answers as text. */
export async function callAt(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestAnswer> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  let database = options.database ?? 'memory';
  let drop = async () => {};
  if (options.database === undefined && store === 'postgres') {
    const db = await createTestDatabase();
    database = db.url;
    drop = db.drop;
  }
  const sandbox = await startSandbox({ port: 0, ...options, database });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    callAt(sandbox.url, method, path, body, headers);
  return {
    ...sandbox,
    database,
    call,
    async stop() {
      await sandbox.stop();
      await drop();
    },
  };
}
