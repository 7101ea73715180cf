/**
 * The PC/SC adapter's own logic over a fake binding (runs everywhere): reader choice, waiting,
 * errors, reconnection, serialisation and clean-up. The real-pcscd path is in pcsc.test.ts.
 */

import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { ReaderError } from '../../src/errors.ts';
import { createPcscTransport, listPcscReaders } from '../../src/pcsc/index.ts';
import {
  createFakeBinding,
  SCARD_STATE_EMPTY,
  SCARD_STATE_MUTE,
  SCARD_STATE_PRESENT,
} from './fake-binding.ts';

const ok = async (): Promise<Uint8Array> => new Uint8Array([0x90, 0x00]);
const atr = new Uint8Array([0x3b, 0x80, 0x80, 0x01, 0x01]);

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ReaderError);
  return e as ReaderError;
}

describe('createPcscTransport (fake binding)', () => {
  it('connects in shared mode with T=1|T=0 to the first reader with a responsive card', async () => {
    const fake = createFakeBinding([
      { name: 'Reader A', state: SCARD_STATE_EMPTY },
      { name: 'Reader B', state: SCARD_STATE_PRESENT | SCARD_STATE_MUTE },
      { name: 'Reader C', atr, card: ok },
    ]);
    const t = await createPcscTransport({ binding: fake.binding });
    expect(t.readerName).toBe('Reader C');
    expect(toHex(t.atr)).toBe(toHex(atr));
    expect(t.protocol).toBe('T=1');
    const c = fake.readers.find((r) => r.name === 'Reader C')!;
    expect(c.log[0]).toBe('connect share=2 protocols=3');
    // The readers not chosen are released at once.
    expect(fake.readers.filter((r) => r.name !== 'Reader C').every((r) => r.closed)).toBe(true);
    expect(toHex(await t.transceive(new Uint8Array([0, 0x84, 0, 0, 8])))).toBe('9000');
    expect(c.log[1]).toBe('transmit 0084000008 len=65538 proto=2');
    await t.close();
    expect(c.log.slice(-2)).toEqual(['disconnect 0', 'close']);
    expect(fake.contexts[0]!.closed).toBe(true);
  });

  it('chooses by substring or pattern, and reports T=0 when negotiated', async () => {
    const fake = createFakeBinding([
      { name: 'ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00', card: ok },
      { name: 'ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader SAM] 00 01', card: ok },
    ]);
    const bySam = await createPcscTransport({ binding: fake.binding, reader: 'SAM' });
    expect(bySam.readerName).toMatch(/SAM/);
    await bySam.close();
    const fakeT0 = createFakeBinding([{ name: 'Contact reader', card: ok }]);
    const byPattern = createPcscTransport({ binding: fakeT0.binding, reader: /^contact/i });
    await new Promise((r) => setTimeout(r, 0));
    const t = await byPattern;
    expect(t.readerName).toBe('Contact reader');
    await t.close();
  });

  it('waits for a card to arrive on the reader', async () => {
    const fake = createFakeBinding([{ name: 'R', state: SCARD_STATE_EMPTY, card: ok }]);
    const pending = createPcscTransport({ binding: fake.binding, timeoutMs: 1000 });
    setTimeout(() => fake.readers[0]!.report(SCARD_STATE_PRESENT, atr), 50);
    const t = await pending;
    expect(toHex(t.atr)).toBe(toHex(atr));
    await t.close();
  });

  it('times out with TRANSPORT_FAILED (no reader / no card) and releases everything', async () => {
    const none = createFakeBinding([]);
    const e1 = await rejection(createPcscTransport({ binding: none.binding, timeoutMs: 30 }));
    expect(e1.code).toBe('TRANSPORT_FAILED');
    expect(e1.context.step).toBe('WAIT_FOR_CARD');
    expect(e1.message).toMatch(/no PC\/SC reader/);
    expect(none.contexts[0]!.closed).toBe(true);

    const empty = createFakeBinding([{ name: 'R', state: SCARD_STATE_EMPTY }]);
    const e2 = await rejection(createPcscTransport({ binding: empty.binding, reader: 'R', timeoutMs: 30 }));
    expect(e2.message).toMatch(/no card on 1 matching/);
    expect(empty.readers[0]!.closed).toBe(true);
  });

  it('aborts waiting with ABORTED', async () => {
    const fake = createFakeBinding([{ name: 'R', state: SCARD_STATE_EMPTY }]);
    const controller = new AbortController();
    const pending = createPcscTransport({ binding: fake.binding, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await rejection(pending)).code).toBe('ABORTED');
    const already = AbortSignal.abort();
    expect((await rejection(createPcscTransport({ binding: fake.binding, signal: already }))).code).toBe(
      'ABORTED',
    );
  });

  it('wraps a failing context as TRANSPORT_FAILED', async () => {
    const fake = createFakeBinding([], {
      throwOnOpen: new Error('SCardEstablishContext error: Service not available.(0x8010001d)'),
    });
    const e = await rejection(createPcscTransport({ binding: fake.binding }));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('reports a reset card as TRANSPORT_FAILED and reconnects on the next exchange', async () => {
    let reset = true;
    const card = async (): Promise<Uint8Array> => {
      if (reset) {
        reset = false;
        throw new Error('SCardTransmit error: Card was reset.(0x80100068)');
      }
      return new Uint8Array([0x90, 0x00]);
    };
    const fake = createFakeBinding([{ name: 'R', card }]);
    const t = await createPcscTransport({ binding: fake.binding });
    const e = await rejection(t.transceive(new Uint8Array([0, 0xa4, 0, 0])));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.context.step).toBe('TRANSMIT');
    expect(e.message).toMatch(/reset/);
    expect(toHex(await t.transceive(new Uint8Array([0, 0xa4, 0, 0])))).toBe('9000');
    const log = fake.readers[0]!.log;
    expect(log.slice(1)).toEqual([
      'transmit 00a40000 len=65538 proto=2',
      'disconnect 0',
      'connect share=2 protocols=3',
      'transmit 00a40000 len=65538 proto=2',
    ]);
    await t.close();
  });

  it('reports a removed card as TRANSPORT_FAILED', async () => {
    const fake = createFakeBinding([{ name: 'R', card: ok }]);
    const t = await createPcscTransport({ binding: fake.binding });
    fake.readers[0]!.card = async () => {
      throw new Error('SCardTransmit error: Card was removed.(0x80100069)');
    };
    const e = await rejection(t.transceive(new Uint8Array([0, 0xb0, 0, 0, 1])));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.message).toMatch(/removed/);
    await t.close();
  });

  it('serialises concurrent exchanges, in order', async () => {
    const seen: string[] = [];
    const card = async (c: Uint8Array): Promise<Uint8Array> => {
      seen.push(toHex(c));
      await new Promise((r) => setTimeout(r, 5));
      return new Uint8Array([c[3]!, 0x90, 0x00]);
    };
    const fake = createFakeBinding([{ name: 'R', card }]);
    const t = await createPcscTransport({ binding: fake.binding });
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => t.transceive(new Uint8Array([0, 0xb0, 0, i, 1]))),
    );
    expect(answers.map(toHex)).toEqual(['019000', '029000', '039000', '049000']);
    expect(seen).toEqual(['00b0000101', '00b0000201', '00b0000301', '00b0000401']);
    expect(fake.readers[0]!.maxInFlight).toBe(1);
    await t.close();
  });

  it('stops waiting for an aborted exchange, and keeps later ones in order', async () => {
    const card = async (c: Uint8Array): Promise<Uint8Array> => {
      await new Promise((r) => setTimeout(r, 30));
      return new Uint8Array([c[3]!, 0x90, 0x00]);
    };
    const fake = createFakeBinding([{ name: 'R', card }]);
    const t = await createPcscTransport({ binding: fake.binding });
    const controller = new AbortController();
    const first = t.transceive(new Uint8Array([0, 0xb0, 0, 1, 1]), { signal: controller.signal });
    const second = t.transceive(new Uint8Array([0, 0xb0, 0, 2, 1]));
    setTimeout(() => controller.abort(), 5);
    expect((await rejection(first)).code).toBe('ABORTED');
    expect(toHex(await second)).toBe('029000');
    expect((await rejection(t.transceive(new Uint8Array(4), { signal: AbortSignal.abort() }))).code).toBe(
      'ABORTED',
    );
    await t.close();
  });

  it('refuses exchanges after close; close is idempotent', async () => {
    const fake = createFakeBinding([{ name: 'R', card: ok }]);
    const t = await createPcscTransport({ binding: fake.binding });
    await t.close();
    await t.close();
    const e = await rejection(t.transceive(new Uint8Array([0, 0xa4, 0, 0])));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(fake.readers[0]!.log.filter((l) => l === 'close')).toHaveLength(1);
  });
});

describe('listPcscReaders (fake binding)', () => {
  it('lists every reader, with or without a card, and releases them', async () => {
    const fake = createFakeBinding([{ name: 'A', state: SCARD_STATE_EMPTY }, { name: 'B' }]);
    expect(await listPcscReaders({ binding: fake.binding })).toEqual(['A', 'B']);
    expect(fake.readers.every((r) => r.closed)).toBe(true);
    expect(fake.contexts[0]!.closed).toBe(true);
  });

  it('returns an empty list when no reader appears', async () => {
    const fake = createFakeBinding([]);
    expect(await listPcscReaders({ binding: fake.binding, settleMs: 20 })).toEqual([]);
  });
});
