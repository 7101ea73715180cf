/**
 * @module
 * One command of a protocol run (BAC, PACE, Chip and Active Authentication; ICAO Doc 9303
 * Part 11 §4–§7 over ISO/IEC 7816-4 APDUs), with one policy for what the caller sees:
 *
 * - An abort (`ABORTED`, or the signal aborted) passes through unchanged.
 * - The channel's secure-messaging errors (`SM_MAC_MISMATCH`, `SM_INVALID_RESPONSE`,
 *   `SM_REJECTED`) pass through unchanged: they are about the session, not about the protocol
 *   step, and the reading session decides (a bare 6987/6988 opens the session again; a wrong
 *   MAC is never hidden behind a protocol failure).
 * - Anything else the transport throws (a lost link, `TRANSPORT_FAILED`, a foreign error) and
 *   a response that is not an APDU become the protocol's own error for the step, with the
 *   original as `cause` (so a lost link is still found in the cause chain).
 * - A `6Cxx` answer without data (wrong Le, the exact length is xx; ISO/IEC 7816-4) sends the
 *   same command again with Le = xx, once. (`61xx` parts are joined below, by the secure channel
 *   or the reading session's transport; see `transport/get-response.ts`.)
 */
import { ReaderError } from '../errors.ts';
import { withExactLe } from '../transport/get-response.ts';
import {
  type ApduTransport,
  parseCommandApdu,
  parseResponseApdu,
  type ResponseApdu,
  throwIfAborted,
} from '../transport/index.ts';

/** Error codes that pass through {@link sendStep} unchanged. */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'ABORTED',
  'SM_MAC_MISMATCH',
  'SM_INVALID_RESPONSE',
  'SM_REJECTED',
]);

/** Options of {@link sendStep}. */
export interface SendStepOptions<S extends string> {
  signal?: AbortSignal | undefined;
  /** Throws the protocol's error for `step` (e.g. `PACE_FAILED`), keeping `cause`. */
  fail: (step: S, message: string, sw: number | undefined, cause: unknown) => never;
}

/**
 * Sends `command` for `step` and returns data and status word (see the module note for errors
 * and 6Cxx). @throws {ReaderError} `ABORTED`, the channel's `SM_*` errors, or what `fail` throws
 */
export async function sendStep<S extends string>(
  transport: ApduTransport,
  step: S,
  command: Uint8Array,
  options: SendStepOptions<S>,
): Promise<ResponseApdu> {
  const once = async (bytes: Uint8Array): Promise<ResponseApdu> => {
    throwIfAborted(options.signal);
    let response: Uint8Array;
    try {
      response = await transport.transceive(
        bytes,
        options.signal === undefined ? undefined : { signal: options.signal },
      );
    } catch (cause) {
      if (options.signal?.aborted) {
        throw cause instanceof ReaderError && cause.code === 'ABORTED'
          ? cause
          : new ReaderError('ABORTED', 'the operation was aborted', { cause: options.signal.reason });
      }
      if (cause instanceof ReaderError && PASS_THROUGH.has(cause.code)) throw cause;
      return options.fail(step, 'the exchange with the chip failed', undefined, cause);
    }
    try {
      return parseResponseApdu(response);
    } catch (cause) {
      return options.fail(step, 'the response is not a valid APDU', undefined, cause);
    }
  };
  const first = await once(command);
  if (first.sw >> 8 !== 0x6c || first.data.length > 0 || !hasLe(command)) return first;
  return once(withExactLe(command, first.sw & 0xff || 256));
}

/** Whether a command APDU has an Le field (case 2 or 4). */
function hasLe(command: Uint8Array): boolean {
  try {
    return parseCommandApdu(command).le !== undefined;
  } catch {
    return false;
  }
}
