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

/** Codes of {@link CoreError}: bytes, encoding and BER-TLV failures. */
export type CoreErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_BASE64'
  | 'INVALID_UTF8'
  | 'TLV_TRUNCATED'
  | 'TLV_INVALID_TAG'
  | 'TLV_NON_MINIMAL_TAG'
  | 'TLV_INDEFINITE_LENGTH'
  | 'TLV_NON_MINIMAL_LENGTH'
  | 'TLV_LENGTH_TOO_LARGE'
  | 'TLV_LENGTH_OVERRUN'
  | 'TLV_TRAILING_BYTES'
  | 'TLV_TOO_DEEP'
  | 'TLV_NOT_CONSTRUCTED'
  | 'TLV_UNEXPECTED_TAG'
  | 'TLV_INVALID_VALUE';

/** Error thrown by the `bytes` and `tlv` layers of `@vneid/core`. */
export class CoreError extends VneidError<
  CoreErrorCode,
  { offset?: number; tag?: number; length?: number; depth?: number }
> {}

/** True when `value` is an SDK error (from any `@vneid/*` package, even another copy). */
export function isVneidError(value: unknown): value is VneidError {
  return (
    value instanceof VneidError ||
    (value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'context' in value)
  );
}
