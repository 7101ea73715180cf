/**
 * @module
 * Errors of the PACE building blocks (ICAO Doc 9303 Part 11 §4.4) that do not involve a card:
 * invalid domain parameters, public keys not on the curve, bad mapping input. Failures of the
 * protocol run against a card are `ReaderError('PACE_FAILED')` with the step and status word.
 */
import { VneidError } from '@vneid/core/errors';

/** Codes of {@link PaceError}. */
export type PaceErrorCode =
  | 'UNSUPPORTED_PROTOCOL'
  | 'UNSUPPORTED_DOMAIN_PARAMETERS'
  | 'INVALID_PUBLIC_KEY'
  | 'INVALID_NONCE'
  | 'INVALID_MAPPING'
  | 'INVALID_PASSWORD'
  /** An argument has the wrong type or shape (a JavaScript caller passed undefined, a number, …). */
  | 'INVALID_ARGUMENT';

/** Structured, non-secret details of a {@link PaceError}. */
export interface PaceErrorContext {
  oid?: string;
  parameterId?: number;
  length?: number;
}

/** Error thrown by the pure PACE building blocks (`@vneid/cccd-reader/protocols`). */
export class PaceError extends VneidError<PaceErrorCode, PaceErrorContext> {}
