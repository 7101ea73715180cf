/**
 * @module
 * The storage contract of the OTP challenge life cycle: a versioned key–value store with
 * per-entry expiry and an atomic compare-and-set, the primitive that keeps two concurrent
 * verifications of one code from both succeeding. Values are opaque strings (the challenge
 * layer writes JSON holding only hashes, counters and times), so a database adapter needs
 * nothing more than a table `(key, value, version, expires_at)` and one conditional UPDATE.
 */

/** One stored entry as read. */
export interface OtpStoreEntry {
  /** The value last written. */
  value: string;
  /** Changes on every successful write; compare-and-set is conditional on it. */
  version: number;
  /** Milliseconds since the Unix epoch after which the entry is gone. */
  expiresAt: number;
}

/**
 * Storage for challenges and per-recipient send counters. Implementations must make
 * `compareAndSet` atomic with respect to every other call on the same key, must never hand out a
 * version twice for one key (not even after a delete or expiry), and must treat expired entries
 * exactly like absent ones.
 */
export interface OtpStore {
  /** The live entry under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<OtpStoreEntry | undefined>;
  /**
   * Writes `value` under `key`, to live `ttlMs` milliseconds, only if the current entry has
   * version `expectedVersion` (`null`: only if there is no live entry). Returns whether it wrote.
   */
  compareAndSet(key: string, expectedVersion: number | null, value: string, ttlMs: number): Promise<boolean>;
  /** Removes `key` (no error when absent). */
  delete(key: string): Promise<void>;
}
