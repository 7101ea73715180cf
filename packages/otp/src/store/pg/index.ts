/**
 * @module
 * `@vneid/otp/store/pg`: the {@link OtpStore} on PostgreSQL (node-postgres `pg` ≥ 8, an optional
 * peer dependency: pass your `pg.Pool`), with its schema SQL and a migration helper.
 */
export type { PgOtpStore, PgOtpStoreOptions, PgQueryable } from './pg-store.ts';
export { createPgOtpStore, migratePgOtpStore, pgOtpStoreSchema } from './pg-store.ts';
