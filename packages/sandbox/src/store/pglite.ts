/**
 * @module
 * The embedded implementation of {@link Db}: PGlite (PostgreSQL compiled to WebAssembly), in
 * memory or persisted to a directory. Transactions use PGlite's own transaction API.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult } from './db.ts';

interface PgliteResult {
  rows: unknown[];
  affectedRows?: number;
}

const normalise = <R>(result: PgliteResult): QueryResult<R> => ({
  rows: result.rows as R[],
  rowCount: result.affectedRows ?? result.rows.length,
});

/** `dataDir` undefined or `memory` keeps everything in memory. */
export async function createPgliteDb(dataDir?: string): Promise<Db> {
  const pglite = dataDir === undefined || dataDir === 'memory' ? new PGlite() : new PGlite(dataDir);
  await pglite.waitReady;
  return {
    kind: 'pglite',
    query: async (text, params) => normalise(await pglite.query(text, params)),
    exec: async (text) => void (await pglite.exec(text)),
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params) => normalise(await tx.query(text, params)),
          exec: async (text) => void (await tx.exec(text)),
        }),
      ),
    close: () => pglite.close(),
  };
}
