/**
 * @module
 * The behaviour every {@link OtpStore} must have, as a reusable vitest suite: call
 * `describeOtpStoreContract(name, factory)` with a factory that builds an empty store over the
 * given clock (the sandbox's database store runs the same suite).
 */
import { describe, expect, it } from 'vitest';
import type { OtpStore } from '../../src/store/index.ts';

/** Builds an empty store whose expiry uses `now`. */
export type OtpStoreFactory = (now: () => number) => OtpStore | Promise<OtpStore>;

export function describeOtpStoreContract(name: string, factory: OtpStoreFactory): void {
  describe(`OtpStore contract: ${name}`, () => {
    const setup = async () => {
      let t = 1_800_000_000_000;
      const store = await factory(() => t);
      return { store, advance: (ms: number) => (t += ms) };
    };

    it('creates only when absent (expected version null)', async () => {
      const { store } = await setup();
      expect(await store.get('k')).toBeUndefined();
      expect(await store.compareAndSet('k', null, 'a', 1000)).toBe(true);
      expect(await store.compareAndSet('k', null, 'b', 1000)).toBe(false);
      const entry = await store.get('k');
      expect(entry?.value).toBe('a');
      expect(entry?.expiresAt).toBe(1_800_000_001_000);
    });

    it('updates only from the current version', async () => {
      const { store } = await setup();
      await store.compareAndSet('k', null, 'a', 1000);
      const v1 = (await store.get('k'))!.version;
      expect(await store.compareAndSet('k', v1, 'b', 1000)).toBe(true);
      const v2 = (await store.get('k'))!.version;
      expect(v2).not.toBe(v1);
      expect(await store.compareAndSet('k', v1, 'stale', 1000)).toBe(false);
      expect((await store.get('k'))!.value).toBe('b');
    });

    it('expires entries at exactly expiresAt and then treats them as absent', async () => {
      const { store, advance } = await setup();
      await store.compareAndSet('k', null, 'a', 1000);
      const v = (await store.get('k'))!.version;
      advance(999);
      expect((await store.get('k'))?.value).toBe('a');
      advance(1);
      expect(await store.get('k')).toBeUndefined();
      expect(await store.compareAndSet('k', v, 'late', 1000)).toBe(false);
      expect(await store.compareAndSet('k', null, 'fresh', 1000)).toBe(true);
      expect((await store.get('k'))!.version).not.toBe(v);
    });

    it('never reuses a version after delete (no ABA)', async () => {
      const { store } = await setup();
      await store.compareAndSet('k', null, 'a', 1000);
      const v1 = (await store.get('k'))!.version;
      await store.delete('k');
      await store.delete('k');
      expect(await store.get('k')).toBeUndefined();
      await store.compareAndSet('k', null, 'b', 1000);
      expect(await store.compareAndSet('k', v1, 'c', 1000)).toBe(false);
    });

    it('keeps keys apart and hands out copies', async () => {
      const { store } = await setup();
      await store.compareAndSet('a', null, '1', 1000);
      await store.compareAndSet('b', null, '2', 1000);
      const a = (await store.get('a'))!;
      a.value = 'mutated';
      expect((await store.get('a'))!.value).toBe('1');
      expect((await store.get('b'))!.value).toBe('2');
    });

    it('lets exactly one of many concurrent compare-and-sets win', async () => {
      const { store } = await setup();
      await store.compareAndSet('k', null, '0', 1000);
      const v = (await store.get('k'))!.version;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.compareAndSet('k', v, String(i + 1), 1000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const creates = await Promise.all(
        Array.from({ length: 50 }, () => store.compareAndSet('new', null, 'x', 1000)),
      );
      expect(creates.filter(Boolean)).toHaveLength(1);
    });
  });
}
