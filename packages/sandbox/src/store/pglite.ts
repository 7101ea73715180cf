/**
 * @module
 * The embedded implementation of {@link Db}: PGlite (PostgreSQL compiled to WebAssembly), in
 * memory or persisted to a directory. Transactions use PGlite's own transaction API.
 *
 * An in-memory database boots from a snapshot of a freshly migrated cluster when one exists
 * (PGlite's `dumpDataDir`/`loadDataDir`): the snapshot holds only the empty schema (no keys, no
 * rows), is keyed by a hash of the migrations, and lives in the process and in the OS temporary
 * directory, so a cold start (initdb in WebAssembly, seconds) is paid once per machine.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db.ts';
import type { Migration } from './migrate.ts';

interface PgliteResult {
  rows: unknown[];
  affectedRows?: number;
}

const normalise = <R>(result: PgliteResult): QueryResult<R> => ({
  rows: result.rows as R[],
  rowCount: result.affectedRows ?? result.rows.length,
});

function wrap(pglite: PGlite): Db {
  const queryable = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async (text, params) => normalise(await q.query(text, params)),
    exec: async (text) => void (await q.exec(text)),
  });
  return {
    kind: 'pglite',
    ...queryable(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(tx))),
    close: () => pglite.close(),
  };
}

const snapshots = new Map<string, Uint8Array>();

function snapshotKey(migrations: readonly Migration[]): string {
  const hash = createHash('sha256').update('pglite-0.5.17\0');
  for (const m of migrations) hash.update(m.id).update('\0').update(m.sql).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/**
 * `dataDir` undefined or `memory` keeps everything in memory. With `migrate`, the database comes
 * back migrated (from a snapshot when one matches `migrations`).
 */
export async function createPgliteDb(
  dataDir?: string,
  schema?: { migrations: readonly Migration[]; migrate: (db: Db) => Promise<unknown> },
): Promise<Db> {
  const memory = dataDir === undefined || dataDir === 'memory';
  if (!memory || schema === undefined) {
    const pglite = memory ? new PGlite() : new PGlite(dataDir);
    await pglite.waitReady;
    const db = wrap(pglite);
    if (schema) await schema.migrate(db);
    return db;
  }
  const key = snapshotKey(schema.migrations);
  const file = join(tmpdir(), `vneid-sandbox-pglite-${key}.tar.gz`);
  let snapshot = snapshots.get(key);
  if (snapshot === undefined) {
    snapshot = await readFile(file).then(
      (b) => new Uint8Array(b),
      () => undefined,
    );
  }
  if (snapshot !== undefined) {
    try {
      const pglite = new PGlite({ loadDataDir: new Blob([snapshot as Uint8Array<ArrayBuffer>]) });
      await pglite.waitReady;
      snapshots.set(key, snapshot);
      const db = wrap(pglite);
      await schema.migrate(db);
      return db;
    } catch {
      // A damaged cache file: fall through to a cold start, which rewrites it.
    }
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  const db = wrap(pglite);
  await schema.migrate(db);
  const dump = new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
  snapshots.set(key, dump);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, dump)
    .then(() => rename(temp, file))
    .catch(() => {});
  return db;
}
