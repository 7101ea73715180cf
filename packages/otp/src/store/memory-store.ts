/**
 * @module
 * In-memory {@link OtpStore} for tests, demos and single-process servers. Each call completes
 * synchronously inside its promise, so compare-and-set is atomic within one JavaScript realm.
 * Expired entries are dropped when touched and by `sweep()`. Expiry uses the injected clock.
 */
import { OtpError } from '../errors.ts';
import { checkOptionalFunction, checkOptions } from '../option-checks.ts';
import type { OtpStore, OtpStoreEntry } from './otp-store.ts';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Current time in milliseconds; default `Date.now`. Use the challenge layer's clock. */
  now?: () => number;
}

/** {@link OtpStore} kept in a `Map`, with a few extras for tests and housekeeping. */
export interface MemoryStore extends OtpStore {
  /** Drops every expired entry; returns how many were dropped. */
  sweep(): number;
  /** Number of live entries. */
  readonly size: number;
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string') {
    throw new OtpError('INVALID_ARGUMENT', 'key: expected a string', { context: { field: 'key' } });
  }
}

/**
 * An empty in-memory store.
 * @throws {OtpError} `INVALID_ARGUMENT` when `options` is not an object or `now` not a function;
 *   its methods reject with `INVALID_ARGUMENT` for a key that is not a string or a clock that
 *   returns no finite time (an entry never gets a NaN expiry).
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  checkOptions(options);
  checkOptionalFunction('now', options.now);
  const clock = options.now ?? Date.now;
  const now = (): number => {
    const t = clock();
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new OtpError('INVALID_ARGUMENT', 'now: expected a finite time in milliseconds', {
        context: { field: 'now' },
      });
    }
    return t;
  };
  const entries = new Map<string, OtpStoreEntry>();
  // One counter for all keys: a version is never reused, even after delete or expiry.
  let lastVersion = 0;

  function live(key: string): OtpStoreEntry | undefined {
    checkKey(key);
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (now() >= entry.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    async get(key) {
      const entry = live(key);
      return entry === undefined ? undefined : { ...entry };
    },
    async compareAndSet(key, expectedVersion, value, ttlMs) {
      if (typeof value !== 'string') {
        throw new OtpError('INVALID_ARGUMENT', 'store value: expected a string', {
          context: { field: 'value' },
        });
      }
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        throw new OtpError('INVALID_ARGUMENT', 'ttlMs: expected a positive number', {
          context: { field: 'ttlMs' },
        });
      }
      const current = live(key);
      if ((current?.version ?? null) !== expectedVersion) return false;
      lastVersion += 1;
      entries.set(key, { value, version: lastVersion, expiresAt: now() + ttlMs });
      return true;
    },
    async delete(key) {
      checkKey(key);
      entries.delete(key);
    },
    sweep() {
      let dropped = 0;
      const t = now();
      for (const [key, entry] of entries) {
        if (t >= entry.expiresAt) {
          entries.delete(key);
          dropped += 1;
        }
      }
      return dropped;
    },
    get size() {
      let n = 0;
      const t = now();
      for (const entry of entries.values()) if (t < entry.expiresAt) n += 1;
      return n;
    },
  };
}
