/**
 * @module
 * The checks an `OtpStore` adapter makes on a record it is asked to write (the storage
 * contract of `otp-store.ts`): a string key and value, a positive TTL, an integer or `null`
 * expected version for compare-and-set, and a clock giving a finite time in milliseconds. One
 * module for the memory, PostgreSQL and Redis stores, so that they refuse the same arguments
 * with the same `INVALID_ARGUMENT` error. PostgreSQL's `text` cannot hold NUL, so the
 * PostgreSQL store also refuses NUL in keys and values (`noNul`); the server stores keep whole
 * milliseconds (a fractional TTL is rounded up, the clock truncated).
 */
import { OtpError } from '../errors.ts';

function invalid(field: string, message: string): never {
  throw new OtpError('INVALID_ARGUMENT', message, { context: { field } });
}

function checkText(field: 'key' | 'value', label: string, x: unknown, noNul: boolean): asserts x is string {
  if (typeof x !== 'string' || (noNul && x.includes('\u0000'))) {
    invalid(field, `${label}: expected a string${noNul ? ' without NUL' : ''}`);
  }
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `key` is a string (without NUL with `noNul`). */
export function checkStoreKey(key: unknown, noNul = false): asserts key is string {
  checkText('key', 'key', key, noNul);
}

/** @throws {OtpError} `INVALID_ARGUMENT` unless `value` is a string (without NUL with `noNul`). */
export function checkStoreValue(value: unknown, noNul = false): asserts value is string {
  checkText('value', 'store value', value, noNul);
}

/**
 * Checks the arguments of a server store's `compareAndSet` (key, value, TTL, expected version,
 * in that order) and returns the TTL in whole milliseconds, rounded up.
 * @throws {OtpError} `INVALID_ARGUMENT`
 */
export function checkServerWrite(
  key: unknown,
  expectedVersion: unknown,
  value: unknown,
  ttlMs: unknown,
  noNul: boolean,
): number {
  checkStoreKey(key, noNul);
  checkStoreValue(value, noNul);
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isSafeInteger(Math.ceil(ttlMs))) {
    invalid('ttlMs', 'ttlMs: expected a positive number of milliseconds');
  }
  if (expectedVersion !== null && !Number.isSafeInteger(expectedVersion)) {
    invalid('expectedVersion', 'expectedVersion: expected an integer or null');
  }
  return Math.ceil(ttlMs);
}

/**
 * A store's clock over `now`: with `whole`, truncated to whole milliseconds (the server stores).
 * @returns a function that throws `INVALID_ARGUMENT` when `now()` is no finite time
 */
export function storeClock(now: () => number, whole: boolean): () => number {
  return () => {
    const t = now();
    if (typeof t !== 'number' || !(whole ? Number.isSafeInteger(Math.trunc(t)) : Number.isFinite(t))) {
      invalid('now', 'now: expected a finite time in milliseconds');
    }
    return whole ? Math.trunc(t) : t;
  };
}
