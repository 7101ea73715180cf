/**
 * @module
 * Errors of talking to the chip: transport, secure messaging, access protocols (BAC, PACE,
 * CA, AA) and file reading. One class with a stable code union and a non-personal context
 * (step, status word, file, offset). Messages never carry keys, passwords or chip data.
 */
import { VneidError } from '@vneid/core/errors';

/** Codes of {@link ReaderError}. */
export type ReaderErrorCode =
  /** An argument is malformed (APDU fields out of range, key of the wrong length, …). */
  | 'INVALID_ARGUMENT'
  /** A response APDU shorter than the two status bytes, or otherwise malformed. */
  | 'INVALID_RESPONSE'
  /** The transport failed or the connection to the chip was lost. */
  | 'TRANSPORT_FAILED'
  /** The operation was aborted through its `AbortSignal`. */
  | 'ABORTED'
  /** A secure-messaging response lacks its MAC or status object, or is malformed. */
  | 'SM_INVALID_RESPONSE'
  /** A secure-messaging response's MAC does not verify. */
  | 'SM_MAC_MISMATCH'
  /** The card answered 6987/6988: it rejected our secure-messaging objects. */
  | 'SM_REJECTED'
  /** BAC failed (the step and status word are in the context). */
  | 'BAC_FAILED'
  /** PACE failed (the step and status word are in the context). */
  | 'PACE_FAILED'
  /** Chip authentication failed. */
  | 'CA_FAILED'
  /** Active authentication failed to run (a wrong signature is reported, not thrown). */
  | 'AA_FAILED'
  /** No access method (PACE-CAN, PACE-MRZ, BAC) opened the chip. */
  | 'ACCESS_DENIED'
  /** The file does not exist on the chip (6A82). */
  | 'FILE_NOT_FOUND'
  /** The file is protected beyond our access rights (6982, e.g. DG3 behind EAC). */
  | 'SECURITY_STATUS_NOT_SATISFIED'
  /** Reading a file failed (the status word and offset are in the context). */
  | 'READ_FAILED'
  /** The card answered a status word the operation cannot handle. */
  | 'UNEXPECTED_STATUS'
  /** The runtime lacks what the operation needs (e.g. WebCrypto `getRandomValues` without `options.random`). */
  | 'UNSUPPORTED';

/** Structured, non-secret details of a {@link ReaderError}. */
export interface ReaderErrorContext {
  /** Protocol step, e.g. `'MSE_SET_AT'`, `'MUTUAL_AUTHENTICATE'`. */
  step?: string;
  /** Status word SW1SW2 as a number, e.g. `0x6982`. */
  sw?: number;
  /** Short file identifier or file ID involved. */
  fileId?: number;
  /** Byte offset in the file. */
  offset?: number;
  /** A length involved (expected or received). */
  length?: number;
  /** Access method involved ('PACE-CAN', 'PACE-MRZ', 'BAC'). */
  method?: string;
}

/** Error thrown by `@vneid/cccd-reader` when talking to the chip. */
export class ReaderError extends VneidError<ReaderErrorCode, ReaderErrorContext> {}

/**
 * Throws `ReaderError('INVALID_ARGUMENT')` unless `transport` has a `transceive` method (for
 * JavaScript callers; TypeScript already checks it).
 */
export function assertTransport(transport: unknown): void {
  if (
    typeof transport !== 'object' ||
    transport === null ||
    typeof (transport as { transceive?: unknown }).transceive !== 'function'
  ) {
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'the transport must be an object with a transceive(command) method',
    );
  }
}
