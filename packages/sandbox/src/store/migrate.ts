/**
 * @module
 * Versioned migrations, applied in order inside one transaction under an advisory lock, so that
 * several sandbox processes starting together against one PostgreSQL apply each exactly once.
 */
import type { Db } from './db.ts';
import { migrations } from './migrations/index.ts';

export interface Migration {
  /** Sortable and unique: `NNN-name`. */
  id: string;
  sql: string;
}

const LOCK_KEY = 7_305_202_401;

export async function migrate(db: Db, list: readonly Migration[] = migrations): Promise<string[]> {
  const ids = list.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('duplicate migration id');
  const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    );
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
    );
    const applied: string[] = [];
    for (const migration of sorted) {
      if (done.has(migration.id)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return applied;
  });
}
