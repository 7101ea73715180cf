/**
 * @module
 * {@link createPcscTransport}: connects to the card on a PC/SC reader (shared mode, T=1 or T=0)
 * and exchanges APDUs with `SCardTransmit`.
 */
import { ReaderError } from '../errors.ts';
import { type ApduTransport, type TransceiveOptions, throwIfAborted } from '../transport/transport.ts';
import {
  closeReader,
  openPcscContext,
  type PcscBinding,
  type PcscBindingContext,
  type PcscBindingReader,
  watchReader,
} from './binding.ts';

/** Options of {@link createPcscTransport}. */
export interface PcscTransportOptions {
  /** Which reader: a substring of its name or a pattern. Default: the first reader with a card. */
  reader?: string | RegExp;
  /** Aborts waiting for a reader and a card. */
  signal?: AbortSignal;
  /** How long to wait for a matching reader with a card, in ms (default 10 000). */
  timeoutMs?: number;
  /** Connect in exclusive mode instead of shared (default false). */
  exclusive?: boolean;
  /** The binding to use instead of importing `@pokusew/pcsclite` (tests, other bindings). */
  binding?: PcscBinding;
}

/** An {@link ApduTransport} to a card on a PC/SC reader. */
export interface PcscTransport extends ApduTransport {
  /** The reader's name as PC/SC reports it. */
  readonly readerName: string;
  /** The card's answer to reset (for contactless cards, the one the reader builds). */
  readonly atr: Uint8Array;
  /** The transmission protocol negotiated at the last connection. */
  readonly protocol: 'T=0' | 'T=1';
  /** Disconnects (leaving the card powered) and releases the PC/SC context; idempotent. */
  close(): Promise<void>;
}

/** Largest response APDU: 65 536 data bytes and the status word. */
const MAX_RESPONSE_LENGTH = 65_538;

const SCARD_W_RESET_CARD = 0x80100068;
const SCARD_W_REMOVED_CARD = 0x80100069;
const SCARD_E_NO_SMARTCARD = 0x8010000c;

/** The PC/SC result code the binding puts at the end of its messages, e.g. `(0x80100068)`. */
function pcscResult(error: unknown): number | undefined {
  const match = error instanceof Error ? /\(0x([0-9a-f]{8})\)/i.exec(error.message) : null;
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

function matches(name: string, filter: string | RegExp | undefined): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'string' ? name.includes(filter) : filter.test(name);
}

function connectReader(reader: PcscBindingReader, exclusive: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = {
      share_mode: exclusive ? reader.SCARD_SHARE_EXCLUSIVE : reader.SCARD_SHARE_SHARED,
      protocol: reader.SCARD_PROTOCOL_T1 | reader.SCARD_PROTOCOL_T0,
    };
    reader.connect(options, (error, protocol) => {
      if (error)
        reject(
          new ReaderError('TRANSPORT_FAILED', 'could not connect to the card', {
            cause: error,
            context: { step: 'CONNECT' },
          }),
        );
      else resolve(protocol);
    });
  });
}

function disconnectReader(reader: PcscBindingReader): Promise<void> {
  return new Promise((resolve) => {
    if (!reader.connected) return resolve();
    // Errors are ignored: the handle is being dropped either way.
    reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve());
  });
}

interface Candidate {
  reader: PcscBindingReader;
  atr: Uint8Array;
}

/** Waits for the first matching reader that reports a responsive card. */
function waitForCard(
  context: PcscBindingContext,
  options: PcscTransportOptions,
  readers: PcscBindingReader[],
): Promise<Candidate> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (action: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = (): void =>
      finish(() =>
        reject(new ReaderError('ABORTED', 'the operation was aborted', { cause: options.signal?.reason })),
      );
    const timer = setTimeout(() => {
      const seen = readers.filter((r) => matches(r.name, options.reader)).length;
      const message =
        seen === 0
          ? `no ${options.reader === undefined ? '' : 'matching '}PC/SC reader within ${timeoutMs} ms`
          : `no card on ${seen} matching PC/SC reader(s) within ${timeoutMs} ms`;
      finish(() =>
        reject(new ReaderError('TRANSPORT_FAILED', message, { context: { step: 'WAIT_FOR_CARD' } })),
      );
    }, timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    context.on('error', (cause) =>
      finish(() =>
        reject(new ReaderError('TRANSPORT_FAILED', 'the PC/SC service reported an error', { cause })),
      ),
    );
    context.on('reader', (reader) => {
      readers.push(reader);
      watchReader(reader);
      if (!matches(reader.name, options.reader)) return;
      reader.on('status', (status) => {
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        const mute = (status.state & reader.SCARD_STATE_MUTE) !== 0;
        if (present && !mute) finish(() => resolve({ reader, atr: new Uint8Array(status.atr ?? []) }));
      });
    });
  });
}

/**
 * Opens a PC/SC context, waits for a card on the matching reader, connects in shared mode
 * (T=1 preferred by the reader driver, T=0 accepted) and returns an {@link ApduTransport}.
 *
 * Exchanges are serialised. When `SCardTransmit` fails — the card was removed, or reset by
 * another application (which loses any secure-messaging session) — the exchange throws
 * `ReaderError('TRANSPORT_FAILED')` and the next exchange reconnects first, so the layers
 * above can re-establish the session and resume.
 */
export async function createPcscTransport(options: PcscTransportOptions = {}): Promise<PcscTransport> {
  throwIfAborted(options.signal);
  const context = await openPcscContext(options.binding);
  const readers: PcscBindingReader[] = [];
  const release = async (): Promise<void> => {
    await Promise.all(readers.map(closeReader));
    context.close();
  };
  let chosen: Candidate;
  let protocolNumber: number;
  try {
    chosen = await waitForCard(context, options, readers);
    protocolNumber = await connectReader(chosen.reader, options.exclusive === true);
  } catch (error) {
    await release();
    throw error;
  }
  const { reader } = chosen;
  // Readers reported later are watched too (and closed with the context); the others go now.
  const others = readers.splice(0).filter((r) => r !== reader);
  readers.push(reader);
  await Promise.all(others.map(closeReader));
  let atr = chosen.atr;
  reader.on('status', (status) => {
    if (status.atr !== undefined && status.atr.length > 0) atr = new Uint8Array(status.atr);
  });

  let needsReconnect = false;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const transmit = (command: Uint8Array): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      reader.transmit(command, MAX_RESPONSE_LENGTH, protocolNumber, (error, response) => {
        if (error) reject(error);
        else resolve(new Uint8Array(response));
      });
    });

  const exchange = async (command: Uint8Array): Promise<Uint8Array> => {
    if (closed) throw new ReaderError('TRANSPORT_FAILED', 'the PC/SC transport is closed');
    if (needsReconnect || !reader.connected) {
      await disconnectReader(reader);
      protocolNumber = await connectReader(reader, options.exclusive === true);
      needsReconnect = false;
    }
    try {
      return await transmit(command);
    } catch (cause) {
      needsReconnect = true;
      const result = pcscResult(cause);
      const message =
        result === SCARD_W_RESET_CARD
          ? 'the card was reset; the session must be re-established'
          : result === SCARD_W_REMOVED_CARD || result === SCARD_E_NO_SMARTCARD
            ? 'the card was removed from the reader'
            : 'the exchange with the card failed';
      throw new ReaderError('TRANSPORT_FAILED', message, { cause, context: { step: 'TRANSMIT' } });
    }
  };

  return {
    readerName: reader.name,
    get atr() {
      return atr.slice();
    },
    get protocol() {
      return protocolNumber === reader.SCARD_PROTOCOL_T0 ? 'T=0' : 'T=1';
    },
    async transceive(command: Uint8Array, transceiveOptions?: TransceiveOptions): Promise<Uint8Array> {
      const signal = transceiveOptions?.signal;
      throwIfAborted(signal);
      const run = queue.then(() => exchange(command));
      queue = run.catch(() => {});
      if (signal === undefined) return run;
      // The native call cannot be cancelled: the caller stops waiting, the queue still waits for it.
      return new Promise((resolve, reject) => {
        const onAbort = (): void =>
          reject(new ReaderError('ABORTED', 'the operation was aborted', { cause: signal.reason }));
        signal.addEventListener('abort', onAbort, { once: true });
        run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      await disconnectReader(reader);
      await release();
    },
  };
}
