/**
 * @module
 * Argument checks of the protocol entry points (BAC, PACE, CA, AA) for JavaScript callers
 * without TypeScript: a wrong type or shape is `ReaderError('INVALID_ARGUMENT')` saying what was
 * expected (never echoing the value), instead of a `TypeError` from deep inside.
 */
import { ReaderError } from '../errors.ts';

/** Throws `ReaderError('INVALID_ARGUMENT')` saying `what` was expected, unless `condition` holds. */
export function requireArgument(condition: unknown, protocol: string, what: string): asserts condition {
  if (!condition) throw new ReaderError('INVALID_ARGUMENT', `${protocol}: expected ${what}`);
}

/** True for a non-null object (arrays included). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `value` must have a `transceive` method. */
export function requireTransport(value: unknown, protocol: string, what = 'a transport'): void {
  requireArgument(
    isObject(value) && typeof value.transceive === 'function',
    protocol,
    `${what} with a transceive(command) method`,
  );
}

/** `value` must be an object (an options bag, a result, …). */
export function requireObject(value: unknown, protocol: string, what: string): asserts value is object {
  requireArgument(isObject(value), protocol, what);
}
