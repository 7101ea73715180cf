/**
 * An in-memory stand-in for the native PC/SC binding, with the same event and callback shapes
 * (constants as pcsc-lite defines them), for unit tests of the adapter on any machine.
 */
import { EventEmitter } from 'node:events';
import type { PcscBinding, PcscBindingContext, PcscBindingReader } from '../../src/pcsc/index.ts';

export const SCARD_STATE_EMPTY = 0x10;
export const SCARD_STATE_PRESENT = 0x20;
export const SCARD_STATE_MUTE = 0x200;

type Transmit = (command: Uint8Array) => Promise<Uint8Array>;

export interface FakeReaderSpec {
  name: string;
  /** Initial state reported (default: a card present). */
  state?: number;
  atr?: Uint8Array;
  /** The card: answers commands, or throws an error carrying a PC/SC result like the binding's. */
  card?: Transmit;
}

export class FakeReader extends EventEmitter {
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = SCARD_STATE_PRESENT;
  readonly SCARD_STATE_MUTE = SCARD_STATE_MUTE;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  connected = false;
  closed = false;
  readonly log: string[] = [];
  /** Protocol the fake negotiates. */
  protocol = 2;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly name: string,
    public card: Transmit | undefined,
  ) {
    super();
  }

  report(state: number, atr?: Uint8Array): void {
    this.emit('status', atr === undefined ? { state } : { state, atr });
  }

  connect(options: { share_mode: number; protocol: number }, cb: (e: Error | null, p: number) => void): void {
    this.log.push(`connect share=${options.share_mode} protocols=${options.protocol}`);
    setTimeout(() => {
      this.connected = true;
      cb(null, this.protocol);
    }, 1);
  }

  disconnect(disposition: number, cb: (e: Error | null) => void): void {
    this.log.push(`disconnect ${disposition}`);
    setTimeout(() => {
      this.connected = false;
      cb(null);
    }, 1);
  }

  transmit(
    data: Uint8Array,
    resLen: number,
    protocol: number,
    cb: (e: Error | null, r: Uint8Array) => void,
  ): void {
    this.log.push(`transmit ${Buffer.from(data).toString('hex')} len=${resLen} proto=${protocol}`);
    if (!this.connected) {
      cb(new Error('Card Reader not connected'), new Uint8Array(0));
      return;
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const card = this.card;
    const done = (e: Error | null, r: Uint8Array): void => {
      this.inFlight--;
      cb(e, r);
    };
    if (card === undefined) {
      done(new Error('SCardTransmit error: No smart card inserted.(0x8010000c)'), new Uint8Array(0));
      return;
    }
    card(data).then(
      (r) => done(null, Buffer.from(r)),
      (e: Error) => done(e, new Uint8Array(0)),
    );
  }

  close(): void {
    this.log.push('close');
    this.closed = true;
  }
}

export class FakeContext extends EventEmitter {
  closed = false;
  close(): void {
    this.closed = true;
    // The binding reports the cancelled status wait as an error when its context closes.
    this.emit('error', new Error('SCardGetStatusChange error: Command cancelled.(0x80100002)'));
  }
}

export interface FakePcsc {
  binding: PcscBinding;
  contexts: FakeContext[];
  readers: FakeReader[];
}

/** A binding whose every context reports the given readers, each then its initial status. */
export function createFakeBinding(specs: FakeReaderSpec[], options: { throwOnOpen?: Error } = {}): FakePcsc {
  const contexts: FakeContext[] = [];
  const readers: FakeReader[] = [];
  const binding: PcscBinding = () => {
    if (options.throwOnOpen) throw options.throwOnOpen;
    const context = new FakeContext();
    contexts.push(context);
    setTimeout(() => {
      for (const spec of specs) {
        const reader = new FakeReader(spec.name, spec.card);
        readers.push(reader);
        context.emit('reader', reader);
        setTimeout(() => reader.report(spec.state ?? SCARD_STATE_PRESENT, spec.atr), 2);
      }
    }, 1);
    return context as unknown as PcscBindingContext;
  };
  return { binding, contexts, readers };
}

export type { PcscBindingReader };
