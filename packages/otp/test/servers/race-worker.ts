/**
 * @module
 * One of the two processes of the cross-process race test (two-process-race.test.ts). It opens
 * its own connection to the store (`pg` or `redis`, URL in argv), reads the challenges and the
 * TOTP accounts from its first stdin line, starts one challenge `verify` per challenge and one
 * TOTP `verify` per account at once, and holds every first read of a challenge or account until
 * the parent writes `go` (after both processes have read): so both processes compare-and-set
 * from the same version, and the store alone decides who wins. It prints `read` when its reads
 * are done and finally one JSON line with its results.
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createClient } from 'redis';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import type { OtpStore } from '../../src/store/index.ts';
import { createPgOtpStore } from '../../src/store/pg/index.ts';
import type { RedisEvalClient } from '../../src/store/redis/index.ts';
import { createRedisOtpStore } from '../../src/store/redis/index.ts';
import { createTotpVerifier } from '../../src/verifier/index.ts';

const [kind, url, table] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async (): Promise<string> => {
  const r = await lines.next();
  if (r.done) throw new Error('stdin closed');
  return r.value;
};

let store: OtpStore;
let close: () => Promise<void>;
if (kind === 'pg') {
  const pool = new pg.Pool({ connectionString: url, max: 60 });
  store = createPgOtpStore({ db: pool, table });
  close = () => pool.end();
} else {
  const client = createClient({ url });
  await client.connect();
  store = createRedisOtpStore({ client: client as unknown as RedisEvalClient, keyPrefix: table });
  close = async () => {
    await client.quit();
  };
}

const input = JSON.parse(await next()) as {
  hashKey: number[];
  challenges: { challengeId: string; code: string }[];
  totp: { secret: number[]; nowMs: number; token: string; accounts: string[] };
};
const raced = input.challenges.length + input.totp.accounts.length;
let release!: () => void;
const go = new Promise<void>((resolve) => {
  release = resolve;
});
const held = new Set<string>();
let casFailures = 0;
const racing: OtpStore = {
  async get(key) {
    const entry = await store.get(key);
    if ((key.startsWith('otp:challenge:') || key.startsWith('otp:totp:')) && !held.has(key)) {
      held.add(key);
      if (held.size === raced) process.stdout.write('read\n');
      await go;
    }
    return entry;
  },
  async compareAndSet(key, expected, value, ttl) {
    const ok = await store.compareAndSet(key, expected, value, ttl);
    if (!ok) casFailures += 1;
    return ok;
  },
  delete: (key) => store.delete(key),
};
const otp = createOtpChallenges({ store: racing, hashKey: Uint8Array.from(input.hashKey) });
const totp = createTotpVerifier({
  store: racing,
  secret: Uint8Array.from(input.totp.secret),
  now: () => input.totp.nowMs,
});
const results = Promise.all(input.challenges.map((c) => otp.verify(c)));
const totpResults = Promise.all(
  input.totp.accounts.map((account) => totp.verify({ account, token: input.totp.token })),
);
if ((await next()) !== 'go') throw new Error('expected go');
release();
const done = await results;
const totpDone = await totpResults;
const report = {
  results: done.map((r) => (r.ok ? 'ok' : r.reason)),
  totp: totpDone.map((r) => (r.ok ? 'ok' : r.reason)),
  casFailures,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
await close();
