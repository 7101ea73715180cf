import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.ts';
import { describeOtpStoreContract } from '../../src/testing/index.ts';

describeOtpStoreContract('createMemoryStore', (now) => createMemoryStore({ now }), { describe, it });

describe('createMemoryStore extras', () => {
  it('sweeps expired entries and counts live ones', async () => {
    let t = 0;
    const store = createMemoryStore({ now: () => t });
    await store.compareAndSet('a', null, '1', 100);
    await store.compareAndSet('b', null, '2', 200);
    expect(store.size).toBe(2);
    t = 150;
    expect(store.size).toBe(1);
    expect(store.sweep()).toBe(1);
    expect(store.sweep()).toBe(0);
    t = 200;
    expect(store.size).toBe(0);
  });

  it('rejects a non-positive TTL and non-string values', async () => {
    const store = createMemoryStore();
    await expect(store.compareAndSet('k', null, 'v', 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.compareAndSet('k', null, 'v', Number.NaN)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(store.compareAndSet('k', null, 1 as unknown as string, 10)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses a clock that returns no finite time, instead of storing a NaN expiry', async () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1' as unknown as number,
      undefined as unknown as number,
    ]) {
      const store = createMemoryStore({ now: () => bad });
      await expect(store.compareAndSet('k', null, 'v', 10)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(store.get('k')).resolves.toBeUndefined();
      expect(() => store.sweep()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
