/**
 * @module
 * Test helpers for `@vneid/otp`: a deterministic random source, a settable clock, a store
 * that records what is written, and a store that yields between every call so that
 * concurrent operations interleave between their read and their compare-and-set.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { OtpStore } from '../src/store/index.ts';

/** Deterministic byte source: SHA-256(seed ‖ counter) blocks. */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = sha256(
        new Uint8Array([
          seed & 255,
          (seed >> 8) & 255,
          counter & 255,
          (counter >> 8) & 255,
          (counter >> 16) & 255,
        ]),
      );
      counter += 1;
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 15, 8, 0, 0)): {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
  start: number;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
    start,
  };
}

/** Wraps `store`, recording every key and value written. */
export function recordingStore(store: OtpStore): OtpStore & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    get: (key) => store.get(key),
    compareAndSet: (key, expected, value, ttl) => {
      written.push(key, value);
      return store.compareAndSet(key, expected, value, ttl);
    },
    delete: (key) => store.delete(key),
  };
}

/** Wraps `store` so that every call first waits a pseudo-random number of macrotask turns. */
export function yieldingStore(store: OtpStore, seed = 1): OtpStore & { casFailures: number } {
  const random = seededRandom(seed);
  const pause = async (): Promise<void> => {
    const turns = random(1)[0]! % 4;
    for (let i = 0; i <= turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const wrapped = {
    casFailures: 0,
    get: async (key: string) => {
      const entry = await store.get(key);
      await pause();
      return entry;
    },
    compareAndSet: async (key: string, expected: number | null, value: string, ttl: number) => {
      await pause();
      const ok = await store.compareAndSet(key, expected, value, ttl);
      if (!ok) wrapped.casFailures += 1;
      return ok;
    },
    delete: (key: string) => store.delete(key),
  };
  return wrapped;
}

/** Bytes of an ASCII text. */
export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
