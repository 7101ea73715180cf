/**
 * @module
 * The checks the server stores (PostgreSQL, Redis) make on a record they are asked to write (the
 * storage contract of `otp-store.ts`): a string key and value, a positive TTL in whole
 * milliseconds (a fractional one rounded up), an integer or `null` expected version for
 * compare-and-set, and a clock truncated to whole milliseconds. One module for both, so that
 * they refuse the same arguments with the same `INVALID_ARGUMENT` error; PostgreSQL's `text`
 * cannot hold NUL, so its store also refuses NUL in keys and values (`noNul`). The memory store
 * keeps its own, looser checks (any finite TTL and time, kept fractional): sharing this module
 * would put it in a chunk of its own in the browser bundles (+450 bytes gzip on `store.js`).
 */
import { OtpError } from '../errors.ts';

function invalid(field: string, message: string): never {
  throw new OtpError('INVALID_ARGUMENT', message, { context: { field } });
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `key` is a string. */
export function checkStoreKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') invalid('key', 'key: expected a string');
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `key` is a string without NUL (PostgreSQL `text`). */
export function checkNulFreeKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.includes('\u0000')) invalid('key', 'key: expected a string without NUL');
}

/**
 * Checks the arguments of a server store's `compareAndSet` (key, value, TTL, expected version,
 * in that order; with `noNul`, key and value without NUL) and returns the TTL in whole
 * milliseconds, rounded up.
 * @throws {OtpError} `INVALID_ARGUMENT`
 */
export function checkServerWrite(
  key: unknown,
  expectedVersion: unknown,
  value: unknown,
  ttlMs: unknown,
  noNul: boolean,
): number {
  if (noNul) checkNulFreeKey(key);
  else checkStoreKey(key);
  if (typeof value !== 'string' || (noNul && value.includes('\u0000'))) {
    invalid('value', noNul ? 'store value: expected a string without NUL' : 'store value: expected a string');
  }
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isSafeInteger(Math.ceil(ttlMs))) {
    invalid('ttlMs', 'ttlMs: expected a positive number of milliseconds');
  }
  if (expectedVersion !== null && !Number.isSafeInteger(expectedVersion)) {
    invalid('expectedVersion', 'expectedVersion: expected an integer or null');
  }
  return Math.ceil(ttlMs);
}

/** A server store's clock: `now()` truncated to whole milliseconds, refused unless a safe integer. */
export function wholeMillisecondClock(now: () => number): () => number {
  return () => {
    const t = now();
    if (typeof t !== 'number' || !Number.isSafeInteger(Math.trunc(t)))
      invalid('now', 'now: expected a finite time in milliseconds');
    return Math.trunc(t);
  };
}
