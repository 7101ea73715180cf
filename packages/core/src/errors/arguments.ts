/**
 * @module
 * Checks of the options objects and injected clocks taken by `@vneid/core` functions, for
 * callers without TypeScript: an options argument that is not a plain object, an option of the
 * wrong type, or a clock that returns no valid time is a typed `INVALID_ARGUMENT` error of the
 * caller's layer — never a TypeError from deep inside, and never a date such as `0NaN-01-01`
 * built from a NaN clock. Internal to the package (not an exports subpath).
 */

/** Makes the layer's error for a bad argument; `message` names what was expected. */
export type ArgumentFailure = (message: string) => Error;

/**
 * `options` as an object: `undefined` gives `{}`; null, primitives, arrays and functions
 * throw. `name` is how the message calls it (`options`).
 */
export function optionsObject<T extends object>(
  options: T | undefined,
  fail: ArgumentFailure,
  name = 'options',
): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw fail(
      `Expected ${name} to be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  return options;
}

/** Throws unless `value` is undefined or a function. */
export function optionalFunction(value: unknown, name: string, fail: ArgumentFailure): void {
  if (value !== undefined && typeof value !== 'function') {
    throw fail(`Expected ${name} to be a function, got ${value === null ? 'null' : typeof value}`);
  }
}

/** Throws unless `value` is undefined or a boolean. */
export function optionalBoolean(value: unknown, name: string, fail: ArgumentFailure): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw fail(`Expected ${name} to be true or false, got ${value === null ? 'null' : typeof value}`);
  }
}

/** Throws unless `value` is undefined or one of `allowed`. */
export function optionalOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
  fail: ArgumentFailure,
): void {
  if (value !== undefined && !(typeof value === 'string' && (allowed as readonly string[]).includes(value))) {
    throw fail(`Expected ${name} to be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

/** Milliseconds since the epoch of the latest time a `Date` can hold (ECMA-262 21.4.1.1). */
const MAX_TIME = 8.64e15;

/**
 * Reads an injected clock (`() => number` of epoch milliseconds, or `() => Date`), or
 * `Date.now` when `now` is undefined, and returns epoch milliseconds. A clock that is not a
 * function, throws nothing useful, or returns NaN, ±Infinity, an invalid `Date`, a non-number
 * or a time whose UTC year is outside 1000–9999 throws `fail(…)`. Errors the clock itself
 * throws pass through.
 */
export function readClock(now: unknown, name: string, fail: ArgumentFailure): number {
  optionalFunction(now, name, fail);
  const raw: unknown = now === undefined ? Date.now() : (now as () => unknown)();
  const ms = raw instanceof Date ? raw.getTime() : raw;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_TIME) {
    throw fail(`Expected ${name}() to return epoch milliseconds or a valid Date`);
  }
  const year = new Date(ms).getUTCFullYear();
  if (year < 1000 || year > 9999) {
    throw fail(`Expected ${name}() to return a time in the years 1000–9999`);
  }
  return ms;
}
