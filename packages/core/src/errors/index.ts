/**
 * @module
 * Typed errors shared by every `@vneid/*` package.
 *
 * Each package has one base class with a stable string `code` (a TypeScript union), a typed
 * `context` object and the standard `cause`. Messages say what was expected and what came,
 * and never carry keys, codes, passwords, raw chip data or personal data: callers log them
 * freely. Errors are recognised by a brand — a property keyed by a registry symbol
 * (`Symbol.for`), so it is the same symbol in every copy of the package an application ends
 * up with — and by their `code`, never by `instanceof` (which fails across duplicate copies)
 * or by `name` (which minifiers rename).
 */

/** Brand of every SDK error (any `@vneid/*` package, any copy): `error[VNEID_ERROR_BRAND] === true`. */
export const VNEID_ERROR_BRAND: unique symbol = Symbol.for('@vneid/error');

/** Brand of every `@vneid/core` error (any copy of the package): `error[CORE_ERROR_BRAND] === true`. */
export const CORE_ERROR_BRAND: unique symbol = Symbol.for('@vneid/core/error');

/** Options accepted by every error constructor. */
export interface VneidErrorOptions<Context extends object = Record<string, unknown>> {
  /** Structured, non-personal details (offsets, lengths, status words, step names). */
  context?: Context;
  /** The underlying error, passed through as `Error.cause`. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by the SDK. Subclasses narrow `code` to their own union.
 * Recognise one with {@link isVneidError} (brand and code), not `instanceof`.
 */
export class VneidError<
  Code extends string = string,
  Context extends object = Record<string, unknown>,
> extends Error {
  /** Stable machine-readable code; never changes between patch releases. */
  readonly code: Code;
  /** Structured details; never personal data. */
  readonly context: Context;

  constructor(code: Code, message: string, options: VneidErrorOptions<Context> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? ({} as Context);
  }

  static {
    // The SDK-wide brand, on the prototype: not enumerable, not copied by JSON.
    Object.defineProperty(VneidError.prototype, VNEID_ERROR_BRAND, { value: true });
  }
}

/** Codes of {@link BytesError}. */
export type BytesErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_BASE64'
  | 'INVALID_UTF8'
  /** An argument has the wrong type (e.g. not a `Uint8Array`, not a string). */
  | 'INVALID_ARGUMENT';

/**
 * Base class of every error thrown by `@vneid/core`. Each layer narrows it with its own code
 * union (`BytesError`, `TlvError`, `CccdQrError`, `IdNumberError`, `MrzError`, …). A wrong
 * argument or option (not an object, a clock that returns no valid time, …) is always the code
 * `INVALID_ARGUMENT`, whatever the layer. Recognise one with {@link isCoreError}.
 */
export class CoreError<
  Code extends string = string,
  Context extends object = Record<string, unknown>,
> extends VneidError<Code, Context> {
  static {
    // The `@vneid/core` brand, on the prototype: not enumerable, not copied by JSON.
    Object.defineProperty(CoreError.prototype, CORE_ERROR_BRAND, { value: true });
  }
}

/** Error thrown by the `bytes` layer. */
export class BytesError extends CoreError<BytesErrorCode, { offset?: number; length?: number }> {}

function branded(value: unknown, brand: symbol): value is { code: string } {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return (
      (value as Record<symbol, unknown>)[brand] === true &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  } catch {
    // A hostile proxy or getter: not one of ours.
    return false;
  }
}

function codeMatches(actual: string, code: string | readonly string[] | undefined): boolean {
  if (code === undefined) return true;
  if (typeof code === 'string') return actual === code;
  return Array.isArray(code) && code.includes(actual);
}

/**
 * True when `value` is an SDK error (from any `@vneid/*` package, even another copy or a
 * minified build), optionally with one of the given codes. Checks the registry-symbol brand
 * and the `code`, never `instanceof` or the class name.
 */
export function isVneidError<C extends string = string>(
  value: unknown,
  code?: C | readonly C[],
): value is VneidError<C> {
  return branded(value, VNEID_ERROR_BRAND) && codeMatches(value.code, code);
}

/**
 * True when `value` is a `@vneid/core` error (from any copy of the package, minified or not),
 * optionally with one of the given codes; narrows `code` to them:
 * `if (isCoreError(e, 'INVALID_ARGUMENT')) …`. Checks the registry-symbol brand and the
 * `code`, never `instanceof` or the class name.
 */
export function isCoreError<C extends string = string>(
  value: unknown,
  code?: C | readonly C[],
): value is CoreError<C> {
  return branded(value, CORE_ERROR_BRAND) && codeMatches(value.code, code);
}
