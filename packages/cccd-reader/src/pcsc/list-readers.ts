/**
 * @module
 * Names of the PC/SC readers currently attached.
 */
import { ReaderError } from '../errors.ts';
import { throwIfAborted } from '../transport/transport.ts';
import {
  closeReader,
  openPcscContext,
  type PcscBinding,
  type PcscBindingReader,
  watchReader,
} from './binding.ts';

/** Options of {@link listPcscReaders}. */
export interface ListPcscReadersOptions {
  /** How long to wait for the service to report the first reader (default 500 ms). */
  settleMs?: number;
  signal?: AbortSignal;
  /** The binding to use instead of importing `@pokusew/pcsclite` (tests, other bindings). */
  binding?: PcscBinding;
}

/**
 * Lists the reader names PC/SC knows about (empty when none is attached). Throws
 * `ReaderError('TRANSPORT_FAILED')` when the binding or the PC/SC service is unavailable.
 */
export async function listPcscReaders(options: ListPcscReadersOptions = {}): Promise<string[]> {
  throwIfAborted(options.signal);
  const context = await openPcscContext(options.binding);
  const readers: PcscBindingReader[] = [];
  try {
    return await new Promise<string[]>((resolve, reject) => {
      let settle: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        clearTimeout(settle);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(readers.map((r) => r.name));
      };
      const onAbort = (): void => {
        clearTimeout(settle);
        reject(new ReaderError('ABORTED', 'the operation was aborted', { cause: options.signal?.reason }));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      settle = setTimeout(finish, options.settleMs ?? 500);
      context.on('reader', (reader) => {
        readers.push(reader);
        watchReader(reader);
        // The binding reports all readers present at start in one go: collect them, then stop.
        clearTimeout(settle);
        settle = setTimeout(finish, 20);
      });
      context.on('error', (cause) => {
        clearTimeout(settle);
        reject(new ReaderError('TRANSPORT_FAILED', 'listing PC/SC readers failed', { cause }));
      });
    });
  } finally {
    await Promise.all(readers.map(closeReader));
    context.close();
  }
}
