import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import { generateHotp } from '../../src/index.ts';
import type { RedisEvalClient } from '../../src/store/redis/index.ts';
import { createRedisOtpStore } from '../../src/store/redis/index.ts';
import { describeOtpStoreContract } from '../../src/testing/index.ts';
import { createHotpVerifier } from '../../src/verifier/index.ts';
import { manualClock } from '../support.ts';

const client = createClient({ url: inject('redisUrl') });
const asEval = client as unknown as RedisEvalClient;

beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  await client.quit();
});

describeOtpStoreContract(
  'createRedisOtpStore (Redis)',
  (now) => createRedisOtpStore({ client: asEval, now }),
  {
    describe,
    it,
  },
);

describe('createRedisOtpStore', () => {
  it('runs the challenge life cycle and lets exactly one of concurrent verifies win', async () => {
    const clock = manualClock();
    const store = createRedisOtpStore({ client: asEval, keyPrefix: 'life:', now: clock.now });
    const otp = createOtpChallenges({ store, hashKey: new Uint8Array(32).fill(1), now: clock.now });
    const issued = await otp.issue({ phone: '0912345678' });
    if (!issued.ok) throw new Error('not issued');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => otp.verify({ challengeId: issued.challengeId, code: issued.code })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(9);
  });

  it('keeps an HOTP verifier counter', async () => {
    const secret = new Uint8Array(20).fill(5);
    const verifier = createHotpVerifier({
      store: createRedisOtpStore({ client: asEval, keyPrefix: 'hotp:' }),
      secret,
    });
    const token = generateHotp({ secret, counter: 2 });
    expect(await verifier.verify({ account: 'redis-user', token })).toMatchObject({
      ok: true,
      nextCounter: 3,
    });
    expect(await verifier.verify({ account: 'redis-user', token })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
  });

  it('stores entries under its prefix with a Redis expiry, and versions from one counter', async () => {
    const store = createRedisOtpStore({ client: asEval, keyPrefix: 'layout:', now: () => 1_900_000_000_000 });
    await store.compareAndSet('k', null, 'v', 10_000);
    expect(await client.hGetAll('layout:k:k')).toEqual({
      val: 'v',
      ver: expect.any(String),
      exp: '1900000010000',
    });
    const pttl = await client.pTTL('layout:k:k');
    expect(pttl).toBeGreaterThan(10_000);
    expect(pttl).toBeLessThanOrEqual(70_000);
    expect(await client.get('layout:version')).toBe((await client.hGet('layout:k:k', 'ver')) ?? 'none');
  });

  it('reports a failing command as STORE_FAILED', async () => {
    const broken: RedisEvalClient = {
      eval: async () => {
        throw new Error('ERR connection lost');
      },
    };
    await expect(createRedisOtpStore({ client: broken }).get('k')).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    const odd: RedisEvalClient = { eval: async () => ['v', 'not-a-number', '1'] };
    await expect(createRedisOtpStore({ client: odd }).get('k')).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
  });

  it('rounds a fractional TTL up to whole milliseconds and refuses TTLs that are not positive', async () => {
    const store = createRedisOtpStore({ client: asEval, keyPrefix: 'ttl:', now: () => 1_900_000_000_000 });
    expect(await store.compareAndSet('ttl:frac', null, 'v', 1500.2)).toBe(true);
    expect((await store.get('ttl:frac'))?.expiresAt).toBe(1_900_000_001_501);
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.compareAndSet('ttl:bad', null, 'v', ttl)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});
