/**
 * A virtual card for vsmartcard's vpcd reader driver (Debian package vsmartcard-vpcd): connects
 * to the TCP port the driver listens on and plays any ApduTransport as the card.
 *
 * Wire format (vsmartcard docs, "Creating a virtual smart card"): every message is a 2-byte
 * big-endian length and a payload. One-byte payloads from vpcd are control messages — 0x00 power
 * off, 0x01 power on, 0x02 reset (no answer), 0x04 get ATR (answered with the ATR); longer
 * payloads are command APDUs, answered with the response APDU.
 */
import { connect, type Socket } from 'node:net';
import type { ApduTransport } from '../../src/transport/index.ts';

export const VPCD_POWER_OFF = 0x00;
export const VPCD_POWER_ON = 0x01;
export const VPCD_RESET = 0x02;
export const VPCD_GET_ATR = 0x04;

/**
 * The ATR a PC/SC reader builds for an ISO/IEC 14443-4 card (PC/SC Part 3, 3.1.3.2.3):
 * 3B 8n 80 01, n historical bytes, then TCK so that the XOR of T0..TCK is zero.
 */
export function contactlessAtr(historical: Uint8Array): Uint8Array {
  if (historical.length > 15) throw new RangeError('at most 15 historical bytes');
  const atr = new Uint8Array(4 + historical.length + 1);
  atr.set([0x3b, 0x80 | historical.length, 0x80, 0x01]);
  atr.set(historical, 4);
  let tck = 0;
  for (let i = 1; i < atr.length - 1; i++) tck ^= atr[i]!;
  atr[atr.length - 1] = tck;
  return atr;
}

export interface VirtualCardEvents {
  /** Control messages received, in order. */
  controls: number[];
  /** Command APDUs received. */
  commands: Uint8Array[];
}

export interface VirtualCard {
  readonly events: VirtualCardEvents;
  /** Takes the card away from the reader (closes the connection). */
  remove(): Promise<void>;
}

export interface VirtualCardOptions {
  port: number;
  host?: string;
  atr: Uint8Array;
  card: ApduTransport;
  /** Called on power off and reset, e.g. to drop the card's session state. */
  onReset?: () => void;
}

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + payload.length);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

/** Connects the card to vpcd; resolves once the TCP connection is up. */
export function connectVirtualCard(options: VirtualCardOptions): Promise<VirtualCard> {
  const events: VirtualCardEvents = { controls: [], commands: [] };
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(options.port, options.host ?? '127.0.0.1');
    let pending = new Uint8Array(0);
    // APDUs are answered strictly in order, even though the card answers asynchronously.
    let chain: Promise<void> = Promise.resolve();
    const send = (payload: Uint8Array): void => {
      if (!socket.destroyed && socket.writable) socket.write(frame(payload));
    };
    const handle = async (message: Uint8Array): Promise<void> => {
      if (message.length === 1) {
        const control = message[0]!;
        events.controls.push(control);
        if (control === VPCD_GET_ATR) send(options.atr);
        else if (control === VPCD_POWER_OFF || control === VPCD_RESET) options.onReset?.();
        return;
      }
      events.commands.push(message);
      let response: Uint8Array;
      try {
        response = await options.card.transceive(message);
      } catch {
        response = new Uint8Array([0x6f, 0x00]);
      }
      send(response);
    };
    socket.on('data', (chunk: Uint8Array) => {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let at = 0;
      while (joined.length - at >= 2) {
        const length = (joined[at]! << 8) | joined[at + 1]!;
        if (joined.length - at - 2 < length) break;
        const message = joined.slice(at + 2, at + 2 + length);
        at += 2 + length;
        chain = chain.then(() => handle(message));
      }
      pending = joined.slice(at);
    });
    socket.once('connect', () => {
      socket.on('error', () => {});
      resolve({
        events,
        remove: () =>
          new Promise<void>((done) => {
            if (socket.destroyed) return done();
            socket.once('close', () => done());
            socket.end();
          }),
      });
    });
    socket.once('error', reject);
  });
}
