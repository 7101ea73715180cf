/**
 * @module
 * The one interface every layer talks through: a phone's NFC IsoDep, a PC/SC reader, the
 * software chip and the secure channel all implement it.
 */
import { fromHex, toHex } from '@vneid/core/bytes';
import { ReaderError } from '../errors.ts';

/** Options of one exchange. */
export interface TransceiveOptions {
  signal?: AbortSignal;
}

/** Sends a command APDU and resolves with the response APDU (data ‖ SW1 ‖ SW2). */
export interface ApduTransport {
  transceive(command: Uint8Array, options?: TransceiveOptions): Promise<Uint8Array>;
}

/** Throws `ReaderError('ABORTED')` when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new ReaderError('ABORTED', 'the operation was aborted', { cause: signal.reason });
}

/** One expected exchange of a {@link createScriptedTransport}: hex strings, spaces allowed. */
export interface ScriptedExchange {
  command: string;
  response: string;
}

/** A transport replaying a fixed script; for replaying published worked examples in tests. */
export interface ScriptedTransport extends ApduTransport {
  /** Exchanges not yet played. */
  readonly remaining: number;
}

/**
 * A transport that expects exactly the scripted commands in order and answers the scripted
 * responses. A different command throws `ReaderError('INVALID_ARGUMENT')` naming the step index
 * and both values (test vectors only: never use it with real card data).
 */
export function createScriptedTransport(script: readonly ScriptedExchange[]): ScriptedTransport {
  if (
    !Array.isArray(script) ||
    !script.every((s) => typeof s?.command === 'string' && typeof s.response === 'string')
  )
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'expected a script: an array of { command, response } hex strings',
    );
  const clean = (h: string): string => h.replace(/\s+/g, '').toLowerCase();
  let i = 0;
  return {
    get remaining() {
      return script.length - i;
    },
    async transceive(command, options) {
      throwIfAborted(options?.signal);
      const step = script[i];
      if (step === undefined)
        throw new ReaderError(
          'INVALID_ARGUMENT',
          `scripted transport: unexpected command #${i} ${toHex(command)}`,
        );
      const got = toHex(command).toLowerCase();
      if (got !== clean(step.command)) {
        throw new ReaderError(
          'INVALID_ARGUMENT',
          `scripted transport: command #${i} was ${got}, expected ${clean(step.command)}`,
        );
      }
      i++;
      return fromHex(clean(step.response));
    },
  };
}
