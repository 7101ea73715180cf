/**
 * @module
 * One command/response exchange for the reading layer: checks the abort signal first, passes
 * it on, and turns anything the transport throws (other than a typed secure-messaging or
 * protocol error) into `ReaderError('TRANSPORT_FAILED')` carrying the file and offset, so a
 * caller can re-establish the session and resume.
 */
import { ReaderError } from '../errors.ts';
import { type ApduTransport, throwIfAborted } from '../transport/index.ts';

/** Where an exchange happened (for error contexts). */
export interface ExchangePlace {
  fileId?: number;
  offset?: number;
}

/**
 * Sends `command` and returns the raw response APDU.
 * @throws {ReaderError} `ABORTED`, `TRANSPORT_FAILED`, or a typed error of the channel
 * (e.g. `SM_MAC_MISMATCH`) unchanged
 */
export async function exchange(
  transport: ApduTransport,
  command: Uint8Array,
  signal: AbortSignal | undefined,
  place: ExchangePlace,
): Promise<Uint8Array> {
  throwIfAborted(signal);
  try {
    return await transport.transceive(command, signal === undefined ? undefined : { signal });
  } catch (cause) {
    if (signal?.aborted)
      throw new ReaderError('ABORTED', 'the operation was aborted', { cause: signal.reason });
    if (cause instanceof ReaderError && cause.code !== 'TRANSPORT_FAILED') throw cause;
    const context: { fileId?: number; offset?: number } = {};
    if (place.fileId !== undefined) context.fileId = place.fileId;
    if (place.offset !== undefined) context.offset = place.offset;
    throw new ReaderError('TRANSPORT_FAILED', 'the connection to the chip failed during an exchange', {
      context,
      cause,
    });
  }
}
