/**
 * @module
 * The part of the native PC/SC binding (`@pokusew/pcsclite`, built with node-gyp against
 * pcsc-lite / winscard) that the adapter uses, typed here so that neither type-checking nor
 * bundling needs the native module. It is loaded lazily by {@link loadPcscBinding}.
 */
import { ReaderError } from '../errors.ts';

/** Name of the optional peer dependency that provides the binding. */
export const PCSC_BINDING_MODULE = '@pokusew/pcsclite';

/** Callback of the binding's asynchronous calls. */
export type PcscCallback<T> = (error: Error | null | undefined, value: T) => void;

/** Card status reported by a reader (`status` event). */
export interface PcscReaderStatus {
  state: number;
  atr?: Uint8Array;
}

/** One reader (`CardReader` of the binding). */
export interface PcscBindingReader {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  on(event: 'status', listener: (status: PcscReaderStatus) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect(options: { share_mode: number; protocol: number }, callback: PcscCallback<number>): void;
  disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void;
  transmit(
    data: Uint8Array,
    responseLength: number,
    protocol: number,
    callback: PcscCallback<Uint8Array>,
  ): void;
  close(): void;
}

/** A PC/SC context (`PCSCLite` of the binding): emits each reader as it appears. */
export interface PcscBindingContext {
  on(event: 'reader', listener: (reader: PcscBindingReader) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

/** The binding's entry point: opens a context (`SCardEstablishContext`). */
export type PcscBinding = () => PcscBindingContext;

interface NodeGlobals {
  process?: { platform?: string; env?: Record<string, string | undefined> };
}

/** Path of pcsc-lite's client socket (the same rule libpcsclite follows). */
function pcscLiteSocketPath(): string | undefined {
  const proc = (globalThis as NodeGlobals).process;
  if (proc?.platform !== 'linux' && proc?.platform !== 'freebsd' && proc?.platform !== 'openbsd')
    return undefined;
  return proc.env?.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
}

interface NetModule {
  connect(path: string): {
    once(event: string, listener: (...args: unknown[]) => void): unknown;
    destroy(): void;
  };
}

/**
 * On pcsc-lite systems, checks that pcscd answers on its socket: the binding retries
 * `SCardEstablishContext` forever while the service is missing, which would hang the process.
 */
async function assertPcscdListening(): Promise<void> {
  const path = pcscLiteSocketPath();
  if (path === undefined) return;
  // Node-only module: the specifier is a variable so that bundlers and type-checking skip it.
  const netName = 'node:net';
  const net = (await import(/* @vite-ignore */ netName)) as NetModule;
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', () => {
      socket.destroy();
      reject(
        new ReaderError(
          'TRANSPORT_FAILED',
          `the PC/SC service (pcscd) is not running: nothing listens on ${path}`,
        ),
      );
    });
  });
}

const readiness = new WeakMap<PcscBindingReader, Promise<void>>();

/**
 * Starts tracking a reader the context just reported. Must be called from the `reader` event,
 * before the binding reports the reader's first status.
 */
export function watchReader(reader: PcscBindingReader): void {
  if (readiness.has(reader)) return;
  reader.on('error', () => {});
  readiness.set(
    reader,
    new Promise<void>((resolve) => {
      reader.on('status', () => resolve());
      reader.on('error', () => resolve());
      reader.on('end', () => resolve());
    }),
  );
}

/**
 * Closes a reader once its status thread is running. The binding's `close()` joins that thread
 * synchronously after `SCardCancel`; called before the thread has its PC/SC context, the cancel
 * misses and the join blocks the event loop for good. The first status report proves the
 * context exists.
 */
export async function closeReader(reader: PcscBindingReader): Promise<void> {
  const ready = readiness.get(reader);
  if (ready !== undefined) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
  }
  reader.close();
}

let cached: Promise<PcscBinding> | undefined;

/**
 * Imports the optional native binding once. Throws `ReaderError('TRANSPORT_FAILED')` when it
 * is not installed or did not build (on Linux it needs libpcsclite-dev and pcscd).
 */
export function loadPcscBinding(): Promise<PcscBinding> {
  cached ??= (async () => {
    let mod: unknown;
    try {
      const name = PCSC_BINDING_MODULE;
      mod = await import(/* @vite-ignore */ name);
    } catch (cause) {
      throw new ReaderError(
        'TRANSPORT_FAILED',
        `the PC/SC binding ${PCSC_BINDING_MODULE} is not installed or did not build (install it; on Linux it needs libpcsclite-dev)`,
        { cause },
      );
    }
    const fn = typeof mod === 'function' ? mod : (mod as { default?: unknown }).default;
    if (typeof fn !== 'function') {
      throw new ReaderError(
        'TRANSPORT_FAILED',
        `${PCSC_BINDING_MODULE} does not export the expected function`,
      );
    }
    return fn as PcscBinding;
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** Opens a context with the binding, first checking that pcscd is reachable (pcsc-lite). */
export async function openPcscContext(binding: PcscBinding | undefined): Promise<PcscBindingContext> {
  if (binding === undefined) {
    await assertPcscdListening();
    binding = await loadPcscBinding();
  }
  try {
    return binding();
  } catch (cause) {
    throw new ReaderError('TRANSPORT_FAILED', 'could not establish a PC/SC context', { cause });
  }
}
