/**
 * @module
 * Typed errors shared by every `@vneid/*` package.
 *
 * Each package has one base class with a stable string `code` (a TypeScript union), a typed
 * `context` object and the standard `cause`. Messages say what was expected and what came,
 * and never carry keys, codes, passwords, raw chip data or personal data: callers log them
 * freely.
 */

/** Options accepted by every error constructor. */
export interface VneidErrorOptions<Context extends object = Record<string, unknown>> {
  /** Structured, non-personal details (offsets, lengths, status words, step names). */
  context?: Context;
  /** The underlying error, passed through as `Error.cause`. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by the SDK. Subclasses narrow `code` to their own union.
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
 * union (`BytesError`, `TlvError`, `CccdQrError`, `IdNumberError`, `MrzError`, …).
 */
export class CoreError<
  Code extends string = string,
  Context extends object = Record<string, unknown>,
> extends VneidError<Code, Context> {}

/** Error thrown by the `bytes` layer. */
export class BytesError extends CoreError<BytesErrorCode, { offset?: number; length?: number }> {}

/** True when `value` is an SDK error (from any `@vneid/*` package, even another copy). */
export function isVneidError(value: unknown): value is VneidError {
  return (
    value instanceof VneidError ||
    (value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'context' in value)
  );
}
