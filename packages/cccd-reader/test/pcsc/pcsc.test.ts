/**
 * The PC/SC transport through a real pcscd: a private pcscd with vsmartcard's vpcd driver, and
 * our software card connected to vpcd over TCP. Every byte goes libpcsclite → pcscd → vpcd →
 * card and back, as with a hardware reader. Skipped (with a warning) where pcscd cannot run:
 * not Linux, not root, packages missing (scripts/system-deps.sh installs them).
 */

import { equalBytes, fromHex, toHex } from '@vneid/core/bytes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { type ReadCardResult, readCard } from '../../src/index.ts';
import {
  createPcscTransport,
  listPcscReaders,
  type PcscBinding,
  type PcscTransport,
} from '../../src/pcsc/index.ts';
import { type ApduTransport, buildCommandApdu, parseResponseApdu } from '../../src/transport/index.ts';
import {
  acquirePcscdLock,
  importBinding,
  type Pcscd,
  pcscdUnavailableReason,
  resetCardFromAnotherClient,
  startPcscd,
} from './pcscd.ts';
import { createPlainCard } from './plain-card.ts';
import {
  connectVirtualCard,
  contactlessAtr,
  type VirtualCard,
  VPCD_GET_ATR,
  VPCD_POWER_ON,
} from './vpcd-card.ts';

let unavailable = await pcscdUnavailableReason();
const releaseLock = unavailable === undefined ? acquirePcscdLock() : undefined;
if (unavailable === undefined && releaseLock === undefined)
  unavailable = 'another test process is using the private pcscd';
if (unavailable !== undefined) console.warn(`[pcsc] skipping the real-pcscd tests: ${unavailable}`);

// Historical bytes chosen for the test; the ATR framing (3B 8n 80 01 … TCK) is PC/SC Part 3's.
const ATR = contactlessAtr(fromHex('5645494420454d55')); // 'VEID EMU'
const FILE_ID = 0x011e;
const FILE = Uint8Array.from({ length: 1500 }, (_, i) => (i * 7 + 3) & 0xff);

const selectFile = (fid: number): Uint8Array =>
  buildCommandApdu({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: new Uint8Array([fid >> 8, fid & 0xff]) });
const readBinary = (offset: number, le: number): Uint8Array =>
  buildCommandApdu({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le });

describe.skipIf(unavailable !== undefined)('PC/SC transport through a real pcscd and vpcd', () => {
  let pcscd: Pcscd;
  let binding: PcscBinding;
  let card: VirtualCard | undefined;
  let transport: PcscTransport | undefined;
  const plainCard = createPlainCard(new Map([[FILE_ID, FILE]]));

  const insertCard = async (): Promise<VirtualCard> => {
    card = await connectVirtualCard({
      port: pcscd.port,
      atr: ATR,
      card: plainCard,
      onReset: () => plainCard.reset(),
    });
    return card;
  };

  beforeAll(async () => {
    binding = await importBinding();
    pcscd = await startPcscd();
  });
  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await card?.remove();
    card = undefined;
  });
  afterAll(async () => {
    await pcscd?.stop();
    releaseLock?.();
  });

  it('lists both vpcd slots', async () => {
    const readers = await listPcscReaders();
    expect(readers).toContain(pcscd.readerName);
    expect(readers).toContain(pcscd.emptyReaderName);
  });

  it('connects to the card, reports the reader, ATR and T=1, and exchanges SELECT + READ BINARY', async () => {
    const vcard = await insertCard();
    transport = await createPcscTransport({ reader: pcscd.readerName });
    expect(transport.readerName).toBe(pcscd.readerName);
    expect(toHex(transport.atr)).toBe(toHex(ATR));
    expect(transport.protocol).toBe('T=1');
    expect(vcard.events.controls).toContain(VPCD_POWER_ON);
    expect(vcard.events.controls).toContain(VPCD_GET_ATR);

    expect(toHex(await transport.transceive(selectFile(FILE_ID)))).toBe('9000');
    const first = parseResponseApdu(await transport.transceive(readBinary(0, 4)));
    expect(first.sw).toBe(0x9000);
    expect(toHex(first.data)).toBe(toHex(FILE.subarray(0, 4)));
    // The card saw exactly our command bytes: pcscd and vpcd pass them through unchanged.
    expect(vcard.events.commands.map(toHex)).toEqual([toHex(selectFile(FILE_ID)), toHex(readBinary(0, 4))]);
    expect(toHex(await transport.transceive(selectFile(0x0abc)))).toBe('6a82');
  });

  it('reads a whole file in 256-byte chunks', async () => {
    await insertCard();
    transport = await createPcscTransport({ reader: pcscd.readerName });
    await transport.transceive(selectFile(FILE_ID));
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < FILE.length; offset += 256) {
      const { data, sw } = parseResponseApdu(await transport.transceive(readBinary(offset, 256)));
      expect([0x9000, 0x6282]).toContain(sw);
      parts.push(data);
    }
    const got = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      got.set(p, at);
      at += p.length;
    }
    expect(equalBytes(got, FILE)).toBe(true);
  });

  it('carries extended-length APDUs (Le 0000 → 1500 bytes in one response)', async () => {
    await insertCard();
    transport = await createPcscTransport({ reader: pcscd.readerName });
    await transport.transceive(selectFile(FILE_ID));
    const command = readBinary(0, 65536);
    expect(toHex(command)).toBe('00b00000000000');
    const { data, sw } = parseResponseApdu(await transport.transceive(command));
    expect(sw).toBe(0x6282);
    expect(equalBytes(data, FILE)).toBe(true);
  });

  it('fails with TRANSPORT_FAILED when another application resets the card, then reconnects', async () => {
    await insertCard();
    transport = await createPcscTransport({ reader: pcscd.readerName });
    expect(toHex(await transport.transceive(selectFile(FILE_ID)))).toBe('9000');

    // A second PC/SC client connects and resets the card when it leaves.
    await resetCardFromAnotherClient(binding, pcscd.readerName);

    const error = await transport.transceive(readBinary(0, 4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReaderError);
    expect((error as ReaderError).code).toBe('TRANSPORT_FAILED');
    expect((error as ReaderError).message).toMatch(/reset/);
    // The next exchange reconnects; the reset card lost its selected file.
    expect(toHex(await transport.transceive(readBinary(0, 4)))).toBe('6986');
    expect(toHex(await transport.transceive(selectFile(FILE_ID)))).toBe('9000');
    expect(toHex(parseResponseApdu(await transport.transceive(readBinary(4, 2))).data)).toBe(
      toHex(FILE.subarray(4, 6)),
    );
  });

  it('fails with TRANSPORT_FAILED when the card leaves the reader', async () => {
    const vcard = await insertCard();
    transport = await createPcscTransport({ reader: pcscd.readerName });
    await transport.transceive(selectFile(FILE_ID));
    await vcard.remove();
    await new Promise((r) => setTimeout(r, 300));
    const error = await transport.transceive(readBinary(0, 4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReaderError);
    expect((error as ReaderError).code).toBe('TRANSPORT_FAILED');
  });

  describe('readCard over PACE-CAN with the emulated CCCD behind vpcd', () => {
    let person: SyntheticPerson;
    let files: CardFiles;
    beforeAll(async () => {
      person = createSyntheticPerson(7);
      files = await createCardFiles(person);
    });

    const insertEmulator = async (chip: EmulatedCard): Promise<VirtualCard> => {
      card = await connectVirtualCard({
        port: pcscd.port,
        atr: ATR,
        card: chip,
        onReset: () => chip.reset(),
      });
      return card;
    };

    const expectSameFiles = (result: ReadCardResult): void => {
      expect(result.accessMethod).toBe('PACE-CAN');
      expect(equalBytes(result.raw.com!, files.com)).toBe(true);
      expect(equalBytes(result.raw.sod!, files.sod)).toBe(true);
      for (const dg of [1, 2, 13, 14, 15])
        expect(equalBytes(result.raw[dg]!, files.dataGroups.get(dg)!)).toBe(true);
      expect(result.files.dg13?.idNumber).toBe(person.idNumber);
      expect(result.files.dg13?.fullName).toBe(person.fullName);
      expect(equalBytes(result.files.dg2!.faces[0]!.image, person.face.jpeg)).toBe(true);
    };

    it('reads every file through pcscd with extended-length reads', async () => {
      const chip = createEmulatedCard(files, { extendedLength: true });
      const vcard = await insertEmulator(chip);
      transport = await createPcscTransport({ reader: pcscd.readerName });
      const result = await readCard(transport, {
        idNumber: person.idNumber,
        reading: { extendedLength: true },
      });
      expectSameFiles(result);
      expect(result.reconnects).toBe(0);
      // Every APDU the reader sent crossed pcscd and vpcd to the chip, byte for byte the same count.
      expect(vcard.events.commands.length).toBe(chip.stats.apdus);
      expect(vcard.events.commands.some((c) => c[1] === 0xb0 && c.length > 5 && c[4] === 0x00)).toBe(true);
    });

    it('resumes after another PC/SC client resets the card in the middle of DG2', async () => {
      const chip = createEmulatedCard(files);
      const vcard = await insertEmulator(chip);
      const pcsc = await createPcscTransport({ reader: pcscd.readerName });
      transport = pcsc;
      // Between two READ BINARYs of DG2 (no exchange in flight), another application connects
      // and leaves with SCARD_RESET_CARD: the chip drops its PACE session, and pcscd reports
      // the reset to our handle on its next SCardTransmit.
      let resetRequested = false;
      let resetDone = false;
      const between: ApduTransport = {
        async transceive(command, options) {
          if (resetRequested && !resetDone) {
            resetDone = true;
            await resetCardFromAnotherClient(binding, pcscd.readerName);
          }
          return pcsc.transceive(command, options);
        },
      };
      const result = await readCard(between, {
        idNumber: person.idNumber,
        reading: { extendedLength: false },
        reconnect: async () => {},
        onProgress: (event) => {
          if (event.file === 'DG2' && event.bytesRead > 0) resetRequested = true;
        },
      });
      expect(resetDone).toBe(true);
      expect(vcard.events.controls.filter((c) => c !== VPCD_GET_ATR).length).toBeGreaterThan(1);
      expect(result.reconnects).toBe(1);
      expectSameFiles(result);
    });
  });

  it('times out with TRANSPORT_FAILED on a reader without a card', async () => {
    const error = await createPcscTransport({ reader: pcscd.emptyReaderName, timeoutMs: 400 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReaderError);
    expect((error as ReaderError).code).toBe('TRANSPORT_FAILED');
    expect((error as ReaderError).context.step).toBe('WAIT_FOR_CARD');
  });
});
