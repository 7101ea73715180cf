import { describe, expect, it } from 'vitest';
import type { OtpStore, OtpStoreEntry } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { OtpStoreFactory } from '../../src/testing/index.ts';
import { describeOtpStoreContract, otpStoreContractCases } from '../../src/testing/index.ts';

/** Runs every case; returns the names of those that failed, each with its error code. */
async function failures(factory: OtpStoreFactory): Promise<string[]> {
  const failed: string[] = [];
  for (const c of otpStoreContractCases(factory)) {
    try {
      await c.run();
    } catch (e) {
      failed.push(`${c.name}: ${(e as { code?: string }).code}`);
    }
  }
  return failed;
}

/** A Map store with a chosen defect. */
function flawed(
  now: () => number,
  flaw: 'version-per-key' | 'no-expiry' | 'not-atomic' | 'shared',
): OtpStore {
  const map = new Map<string, OtpStoreEntry>();
  let counter = 0;
  const live = (k: string) => {
    const e = map.get(k);
    if (e === undefined) return undefined;
    if (flaw !== 'no-expiry' && now() >= e.expiresAt) return undefined;
    return e;
  };
  return {
    async get(k) {
      const e = live(k);
      return e === undefined ? undefined : flaw === 'shared' ? e : { ...e };
    },
    async compareAndSet(k, expected, value, ttl) {
      const current = live(k);
      if (flaw === 'not-atomic') await new Promise((r) => setTimeout(r, 0));
      if ((current?.version ?? null) !== expected) return false;
      // 'version-per-key' restarts at 1 for a key that is absent: ABA after delete.
      const version = flaw === 'version-per-key' ? (current?.version ?? 0) + 1 : ++counter;
      map.set(k, { value, version, expiresAt: now() + ttl });
      return true;
    },
    async delete(k) {
      map.delete(k);
    },
  };
}

describe('@vneid/otp/testing: the store contract kit', () => {
  it('passes the memory store', async () => {
    expect(await failures((now) => createMemoryStore({ now }))).toEqual([]);
  });

  it.each([
    ['version-per-key', 'never reuses a version after delete (no ABA)'],
    ['no-expiry', 'expires entries at exactly expiresAt and then treats them as absent'],
    ['not-atomic', 'lets exactly one of many concurrent compare-and-sets win'],
    ['shared', 'keeps keys apart and hands out copies'],
  ] as const)('catches a store with the flaw %s', async (flaw, caseName) => {
    const failed = await failures((now) => flawed(now, flaw));
    expect(failed).toContain(`${caseName}: STORE_CONTRACT`);
  });

  it('declares a suite through the given describe/it, and needs a runner and a factory', () => {
    const names: string[] = [];
    describeOtpStoreContract('x', (now) => createMemoryStore({ now }), {
      describe: (name, body) => {
        names.push(name);
        body();
      },
      it: (name) => names.push(name),
    });
    expect(names[0]).toBe('OtpStore contract: x');
    expect(names.length).toBe(1 + otpStoreContractCases(() => createMemoryStore()).length);
    expect(() => describeOtpStoreContract('x', 42 as never, { describe, it })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => describeOtpStoreContract('x', () => createMemoryStore(), {} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
