/**
 * @module
 * `pnpm bench otp-stores`: the `@vneid/otp` challenge life cycle (issue + verify) and the TOTP
 * verifier on each shipped store — in memory, PostgreSQL (a throw-away cluster, fsync off) and
 * Redis (a throw-away redis-server) — sequentially (latency of one flow) and with 50 flows in
 * flight (throughput), plus contention: 50 concurrent verifies of one code, of which exactly one
 * may win (the count of winners is reported, not asserted). All on this machine.
 */
import pg from 'pg';
import { createClient } from 'redis';
import { createOtpChallenges } from '../packages/otp/src/challenge/index.ts';
import { generateTotp } from '../packages/otp/src/index.ts';
import type { OtpStore } from '../packages/otp/src/store/index.ts';
import { createMemoryStore } from '../packages/otp/src/store/index.ts';
import { createPgOtpStore, migratePgOtpStore } from '../packages/otp/src/store/pg/index.ts';
import type { RedisEvalClient } from '../packages/otp/src/store/redis/index.ts';
import { createRedisOtpStore } from '../packages/otp/src/store/redis/index.ts';
import { createTotpVerifier } from '../packages/otp/src/verifier/index.ts';
import { startPgCluster } from '../test/support/postgres.ts';
import { startRedisServer } from '../test/support/redis.ts';
import type { BenchSuite } from './suites.ts';

const hashKey = new Uint8Array(32).fill(7);
const secret = new Uint8Array(20).fill(3);
const caps = { sendCaps: { perHour: 1000, perDay: 1000 }, resendCooldownSeconds: 0 };

interface Row {
  store: string;
  flowMs: number;
  flowsPerSecond: number;
  totpPerSecond: number;
  winners: number;
}

async function measure(name: string, store: OtpStore): Promise<Row> {
  const otp = createOtpChallenges({ store, hashKey, ...caps });
  let phone = 0;
  const flow = async (): Promise<void> => {
    phone += 1;
    const issued = await otp.issue({ phone: `09${String(10_000_000 + phone).padStart(8, '0')}` });
    if (!issued.ok) throw new Error(issued.reason);
    const r = await otp.verify({ challengeId: issued.challengeId, code: issued.code });
    if (!r.ok) throw new Error(r.reason);
  };
  for (let i = 0; i < 20; i++) await flow(); // warm-up
  const sequential = 200;
  let t = performance.now();
  for (let i = 0; i < sequential; i++) await flow();
  const flowMs = (performance.now() - t) / sequential;
  const parallel = 1000;
  t = performance.now();
  for (let i = 0; i < parallel; i += 50) await Promise.all(Array.from({ length: 50 }, flow));
  const flowsPerSecond = parallel / ((performance.now() - t) / 1000);

  const now = Date.now();
  const totp = createTotpVerifier({ store, secret, now: () => now });
  const token = generateTotp({ secret, now: () => now });
  let account = 0;
  for (let i = 0; i < 200; i++) await totp.verify({ account: `${name}-warm-${i}`, token }); // warm-up
  t = performance.now();
  for (let i = 0; i < parallel; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, () => {
        account += 1;
        return totp.verify({ account: `${name}-${account}`, token });
      }),
    );
  }
  const totpPerSecond = parallel / ((performance.now() - t) / 1000);

  const issued = await otp.issue({ phone: '0987654321' });
  if (!issued.ok) throw new Error(issued.reason);
  const results = await Promise.all(
    Array.from({ length: 50 }, () => otp.verify({ challengeId: issued.challengeId, code: issued.code })),
  );
  return { store: name, flowMs, flowsPerSecond, totpPerSecond, winners: results.filter((r) => r.ok).length };
}

export const otpStoresSuite: BenchSuite = {
  id: 'otp-stores',
  title: 'OTP stores: challenge issue + verify and TOTP verify per store',
  async run() {
    const cluster = await startPgCluster();
    const redisServer = await startRedisServer();
    const pool = new pg.Pool({ connectionString: cluster.url, max: 20 });
    const redis = createClient({ url: redisServer.url });
    try {
      await migratePgOtpStore(pool);
      await redis.connect();
      // A first pass on memory warms the JIT up (HMAC, JSON) for every store; it is not reported.
      await measure('warm-up', createMemoryStore());
      const rows = [
        await measure('memory', createMemoryStore()),
        await measure('PostgreSQL (`pg` pool of 20)', createPgOtpStore({ db: pool })),
        await measure(
          'Redis (node-redis, Lua)',
          createRedisOtpStore({ client: redis as unknown as RedisEvalClient }),
        ),
      ];
      const table = [
        '| store | issue + verify, one at a time (ms) | issue + verify, 50 in flight (/s) | TOTP verify, 50 in flight (/s) | winners of 50 concurrent verifies of one code |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...rows.map(
          (r) =>
            `| ${r.store} | ${r.flowMs.toFixed(2)} | ${Math.round(r.flowsPerSecond)} | ${Math.round(r.totpPerSecond)} | ${r.winners} |`,
        ),
      ];
      return `${table.join('\n')}\n\nOne flow is 5 store calls (issue: read and compare-and-set the recipient's send record, create the challenge; verify: read and compare-and-set the challenge); a TOTP verify is a read and a compare-and-set. PostgreSQL 15 and redis-server 7 run on the same 2 cores as the benchmark, PostgreSQL with fsync off, so the database numbers are round trips and CPU, not disk.`;
    } finally {
      await redis.quit().catch(() => undefined);
      await pool.end();
      cluster.stop();
      await redisServer.stop();
    }
  },
};
