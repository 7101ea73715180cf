import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import { generateTotp } from '../../src/index.ts';
import { createPgOtpStore, migratePgOtpStore, pgOtpStoreSchema } from '../../src/store/pg/index.ts';
import { describeOtpStoreContract } from '../../src/testing/index.ts';
import { createTotpVerifier } from '../../src/verifier/index.ts';
import { manualClock } from '../support.ts';

const pool = new pg.Pool({ connectionString: inject('pgUrl'), max: 20 });
const table = 'otp_store_tests';

beforeAll(async () => {
  await migratePgOtpStore(pool, { table });
  // Idempotent: running the migration twice is harmless.
  await migratePgOtpStore(pool, { table });
});
afterAll(async () => {
  await pool.end();
});

describeOtpStoreContract(
  'createPgOtpStore (PostgreSQL)',
  (now) => createPgOtpStore({ db: pool, table, now }),
  {
    describe,
    it,
  },
);

describe('createPgOtpStore', () => {
  it('runs the challenge life cycle and lets exactly one of concurrent verifies win', async () => {
    const clock = manualClock();
    const store = createPgOtpStore({ db: pool, table, now: clock.now });
    const otp = createOtpChallenges({ store, hashKey: new Uint8Array(32).fill(1), now: clock.now });
    const issued = await otp.issue({ phone: '0912345678' });
    if (!issued.ok) throw new Error('not issued');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => otp.verify({ challengeId: issued.challengeId, code: issued.code })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(9);
  });

  it('keeps a TOTP verifier state: a replay is refused', async () => {
    const clock = manualClock();
    const secret = new Uint8Array(20).fill(9);
    const verifier = createTotpVerifier({
      store: createPgOtpStore({ db: pool, table, now: clock.now }),
      secret,
      now: clock.now,
    });
    const token = generateTotp({ secret, now: clock.now });
    expect(await verifier.verify({ account: 'pg-user', token })).toMatchObject({ ok: true });
    expect(await verifier.verify({ account: 'pg-user', token })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
  });

  it('sweeps expired rows only', async () => {
    let t = 1_900_000_000_000;
    const store = createPgOtpStore({ db: pool, table, now: () => t });
    await store.compareAndSet('sweep:a', null, 'a', 1000);
    await store.compareAndSet('sweep:b', null, 'b', 5000);
    t += 2000;
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query(`SELECT key FROM ${table} WHERE key LIKE 'sweep:%' ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(['sweep:b']);
  });

  it('works in its own schema', async () => {
    await pool.query('CREATE SCHEMA IF NOT EXISTS otp_schema_test');
    await migratePgOtpStore(pool, { table: 'otp_schema_test.codes' });
    const store = createPgOtpStore({ db: pool, table: 'otp_schema_test.codes' });
    expect(await store.compareAndSet('k', null, 'v', 60_000)).toBe(true);
    expect((await store.get('k'))?.value).toBe('v');
  });

  it('writes the documented schema, and refuses table names that are not plain identifiers', () => {
    expect(pgOtpStoreSchema()).toContain('CREATE TABLE IF NOT EXISTS vneid_otp_store (');
    expect(pgOtpStoreSchema('a.b')).toContain('CREATE SEQUENCE IF NOT EXISTS a.b_version');
    for (const bad of ['', 'Codes', 'a;drop table x', 'a.b.c', '"x"', 'x'.repeat(49), 42]) {
      expect(() => pgOtpStoreSchema(bad as string)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
      expect(() => createPgOtpStore({ db: pool, table: bad as string })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  it('reports a failing query as STORE_FAILED without the SQL values in the message', async () => {
    const store = createPgOtpStore({ db: pool, table: 'no_such_table' });
    const e = await store.get('secret-key').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'STORE_FAILED' });
    expect((e as Error).message).not.toContain('secret-key');
    await expect(store.compareAndSet('k', null, 'v\u0000', 1000)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('rounds a fractional TTL up to whole milliseconds and refuses TTLs that are not positive', async () => {
    const store = createPgOtpStore({ db: pool, table, now: () => 1_900_000_000_000 });
    expect(await store.compareAndSet('ttl:frac', null, 'v', 1500.2)).toBe(true);
    expect((await store.get('ttl:frac'))?.expiresAt).toBe(1_900_000_001_501);
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.compareAndSet('ttl:bad', null, 'v', ttl)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});
