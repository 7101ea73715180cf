import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import { generateTotp } from '../../src/index.ts';
import type { OtpStore } from '../../src/store/index.ts';
import { createPgOtpStore, migratePgOtpStore } from '../../src/store/pg/index.ts';
import type { RedisEvalClient } from '../../src/store/redis/index.ts';
import { createRedisOtpStore } from '../../src/store/redis/index.ts';

const worker = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
const CHALLENGES = 40;
const ACCOUNTS = 20;
const hashKey = Array.from({ length: 32 }, (_, i) => i);
const totpSecret = Array.from({ length: 20 }, (_, i) => 200 - i);
const nowMs = 1_800_000_000_000;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  line: () => Promise<string>;
}

function startWorker(kind: string, url: string, table: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, kind, url, table], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async line() {
      const r = await lines.next();
      if (r.done) throw new Error(`worker ended early: ${stderr.slice(0, 2000)}`);
      return r.value;
    },
  };
}

/** Issues the challenges here, lets two processes verify each of them at once, returns their reports. */
async function race(kind: string, url: string, table: string, store: OtpStore) {
  const otp = createOtpChallenges({
    store,
    hashKey: Uint8Array.from(hashKey),
    sendCaps: { perHour: 1000, perDay: 1000 },
  });
  const challenges: { challengeId: string; code: string }[] = [];
  for (let i = 0; i < CHALLENGES; i++) {
    // Each challenge to its own number: the per-recipient cooldown does not apply across numbers.
    const issued = await otp.issue({ phone: `09${String(10_000_000 + i).padStart(8, '0')}` });
    if (!issued.ok) throw new Error(`not issued: ${issued.reason}`);
    challenges.push({ challengeId: issued.challengeId, code: issued.code });
  }
  const workers = [startWorker(kind, url, table), startWorker(kind, url, table)];
  const exits = workers.map((w) => new Promise<number | null>((resolve) => w.child.once('exit', resolve)));
  // Accounts new to this store (a fresh suffix per run): both processes present the same TOTP code.
  const suffix = `${kind}-${Date.now()}`;
  const totp = {
    secret: totpSecret,
    nowMs,
    token: generateTotp({ secret: Uint8Array.from(totpSecret), now: () => nowMs }),
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => `user-${i}-${suffix}`),
  };
  for (const w of workers) w.child.stdin.write(`${JSON.stringify({ hashKey, challenges, totp })}\n`);
  // Both processes have read every challenge (same version) before either may write.
  for (const w of workers) expect(await w.line()).toBe('read');
  for (const w of workers) w.child.stdin.write('go\n');
  const reports = await Promise.all(workers.map(async (w) => JSON.parse(await w.line()) as Report));
  for (const w of workers) w.child.stdin.end();
  expect(await Promise.all(exits)).toEqual([0, 0]);
  // Afterwards every challenge is used: its code is refused here too.
  const after = await Promise.all(challenges.map((c) => otp.verify(c)));
  return { reports, after };
}

interface Report {
  results: string[];
  totp: string[];
  casFailures: number;
}

function expectOneWinnerEach(reports: Report[]): void {
  const [a, b] = reports as [Report, Report];
  expect(a.results).toHaveLength(CHALLENGES);
  for (let i = 0; i < CHALLENGES; i++) {
    expect([a.results[i], b.results[i]].sort()).toEqual(['ok', 'used']);
  }
  // The same TOTP code for one account: one process accepts it, the other sees a replay.
  expect(a.totp).toHaveLength(ACCOUNTS);
  for (let i = 0; i < ACCOUNTS; i++) {
    expect([a.totp[i], b.totp[i]].sort()).toEqual(['ok', 'replayed']);
  }
  // Every challenge and account was really contended: exactly one compare-and-set lost each.
  expect(a.casFailures + b.casFailures).toBe(CHALLENGES + ACCOUNTS);
}

describe('two processes verify the same challenges and TOTP codes at once: exactly one wins each', () => {
  describe('PostgreSQL', () => {
    const pool = new pg.Pool({ connectionString: inject('pgUrl') });
    const table = 'otp_race_tests';
    beforeAll(() => migratePgOtpStore(pool, { table }));
    afterAll(() => pool.end());

    it(`${CHALLENGES} challenges and ${ACCOUNTS} TOTP accounts`, { timeout: 120_000 }, async () => {
      const { reports, after } = await race(
        'pg',
        inject('pgUrl'),
        table,
        createPgOtpStore({ db: pool, table }),
      );
      expectOneWinnerEach(reports);
      expect(after.every((r) => !r.ok && r.reason === 'used')).toBe(true);
    });
  });

  describe('Redis', () => {
    const client = createClient({ url: inject('redisUrl') });
    beforeAll(async () => {
      await client.connect();
    });
    afterAll(async () => {
      await client.quit();
    });

    it(`${CHALLENGES} challenges and ${ACCOUNTS} TOTP accounts`, { timeout: 120_000 }, async () => {
      const store = createRedisOtpStore({ client: client as unknown as RedisEvalClient, keyPrefix: 'race:' });
      const { reports, after } = await race('redis', inject('redisUrl'), 'race:', store);
      expectOneWinnerEach(reports);
      expect(after.every((r) => !r.ok && r.reason === 'used')).toBe(true);
    });
  });
});
