/**
 * READ BINARY with a short EF identifier (ICAO Doc 9303 Part 10 §3.6.2, ISO/IEC 7816-4:
 * P1 = 1 0 0 SFI, P2 = offset): the reader's first read of an LDS file selects it implicitly,
 * later chunks use plain offsets; a chip that refuses it falls back to SELECT for the session.
 */
import { equalBytes, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { type ReadCardOptions, readCard } from '../../src/index.ts';
import { LDS_FILES } from '../../src/lds/file-ids.ts';
import {
  createFileReader,
  type FileReadProgressEvent,
  ReadProgress,
  readFile,
} from '../../src/reading/index.ts';
import { expectedFirstBytes, shortFileIdOf } from '../../src/reading/select.ts';
import type { ApduTransport, CommandApdu } from '../../src/transport/index.ts';
import { createFakeCard, type FakeCardOptions, tlvFile } from './fake-card.ts';

const DG1 = 0x0101;
const DG2 = 0x0102;
const DG3 = 0x0103;
const COM = 0x011e;
const CARD_ACCESS = 0x011c;

const selects = (log: CommandApdu[]): CommandApdu[] => log.filter((c) => c.ins === 0xa4);
const sfiReads = (log: CommandApdu[]): CommandApdu[] => log.filter((c) => c.ins === 0xb0 && c.p1 & 0x80);

function card(files: Record<number, Uint8Array>, rest: Omit<FakeCardOptions, 'files'> = {}) {
  return createFakeCard({ files: new Map(Object.entries(files).map(([k, v]) => [Number(k), v])), ...rest });
}

async function errorOf(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReaderError);
  return e as ReaderError;
}

const FILES = (): Record<number, Uint8Array> => ({
  [COM]: tlvFile(0x60, 20, 7),
  [DG1]: tlvFile(0x61, 93, 1),
  [DG2]: tlvFile(0x75, 5_000, 2),
  [CARD_ACCESS]: tlvFile(0x31, 300, 3),
});

describe('the SFI of a file', () => {
  it('comes from the LDS table (Part 10 Tables 38–39); EF.CardAccess is 1C; other FIDs have none', () => {
    expect(shortFileIdOf(DG1)).toBe(0x01);
    expect(shortFileIdOf(0x0110)).toBe(0x10);
    expect(shortFileIdOf(COM)).toBe(0x1e);
    expect(shortFileIdOf(0x011d)).toBe(0x1d);
    expect(shortFileIdOf(CARD_ACCESS)).toBe(0x1c);
    expect(shortFileIdOf(0x2f00)).toBeUndefined();
    expect(shortFileIdOf(0x0111)).toBeUndefined();
    for (const f of LDS_FILES) expect(shortFileIdOf(f.fid)).toBe(f.fid & 0x1f);
    expect(expectedFirstBytes(DG2)).toEqual([0x75]);
    expect(expectedFirstBytes(CARD_ACCESS)).toEqual([0x31]);
    expect(expectedFirstBytes(0x011d).sort((a, b) => a - b)).toEqual([0x30, 0x77]);
  });
});

describe('readFile with a short EF identifier (fake card)', () => {
  it('reads DG1 as 00 B0 81 00 06, then B0 at offset 6: no SELECT', async () => {
    const files = FILES();
    const c = card(files);
    const reader = createFileReader(c, { secureMessaging: 'none' });
    expect(equalBytes(await reader.readFile(DG1), files[DG1] as Uint8Array)).toBe(true);
    expect(c.raw.map((b) => toHex(b).toUpperCase())).toEqual(['00B0810006', '00B0000659']);
    expect(reader.state.shortFileId).toBe('supported');
  });

  it('one APDU less per file than with shortFileId: false, byte-identical, same progress events', async () => {
    const ids = [CARD_ACCESS, COM, DG1, DG2];
    const run = async (shortFileId: 'auto' | false) => {
      const c = card(FILES(), { wrap: 'aes' });
      const reader = createFileReader(c, { shortFileId });
      const events: FileReadProgressEvent[] = [];
      const out: Uint8Array[] = [];
      for (const id of ids) out.push(await reader.readFile(id, { onProgress: (e) => events.push(e) }));
      return { c, out, events, state: reader.state };
    };
    const sfi = await run('auto');
    const sel = await run(false);
    expect(sel.c.log.length - sfi.c.log.length).toBe(ids.length);
    expect(selects(sfi.c.log)).toHaveLength(0);
    expect(selects(sel.c.log)).toHaveLength(ids.length);
    expect(sfiReads(sel.c.log)).toHaveLength(0);
    expect(sfiReads(sfi.c.log).map((x) => x.p1)).toEqual([0x9c, 0x9e, 0x81, 0x82]);
    expect(sfiReads(sfi.c.log).every((x) => x.p2 === 0)).toBe(true);
    for (let i = 0; i < ids.length; i++)
      expect(equalBytes(sfi.out[i] as Uint8Array, sel.out[i] as Uint8Array)).toBe(true);
    expect(sfi.events).toEqual(sel.events);
    expect(sfi.state.readCommands).toBe(sel.state.readCommands);
    expect(sel.state.shortFileId).toBe('unsupported');
  });

  for (const refusal of [0x6a81, 0x6a86, 0x6b00, 0x6986, 0x6d00, 0x6e00]) {
    it(`a chip answering ${refusal.toString(16).toUpperCase()} to SFI reads: one refusal, then SELECT for the session`, async () => {
      const files = FILES();
      const c = card(files, { sfi: refusal });
      const reader = createFileReader(c, { secureMessaging: 'none' });
      for (const id of [COM, DG1, DG2])
        expect(equalBytes(await reader.readFile(id), files[id] as Uint8Array)).toBe(true);
      expect(sfiReads(c.log)).toHaveLength(1);
      expect(selects(c.log)).toHaveLength(3);
      expect(reader.state.shortFileId).toBe('unsupported');
      // Progress is the same as without SFI: the refused read reports nothing.
      const events: FileReadProgressEvent[] = [];
      const again = card(files, { sfi: refusal });
      await readFile(again, DG1, { onProgress: (e) => events.push(e), secureMessaging: 'none' });
      expect(events).toEqual([
        { fileId: DG1, bytesRead: 6, totalBytes: 95 },
        { fileId: DG1, bytesRead: 95, totalBytes: 95 },
      ]);
    });
  }

  it('rejects a shortFileId other than auto, true or false', () => {
    const c = card(FILES());
    for (const bad of ['yes', 1, 'false'])
      expect(() => createFileReader(c, { shortFileId: bad as never })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
  });

  it('shortFileId: true never falls back: a refusal is READ_FAILED with the status word', async () => {
    const c = card(FILES(), { sfi: 0x6a86 });
    const e = await errorOf(readFile(c, DG1, { shortFileId: true }));
    expect(e.code).toBe('READ_FAILED');
    expect(e.context).toMatchObject({ fileId: DG1, sw: 0x6a86, offset: 0 });
    expect(selects(c.log)).toHaveLength(0);
  });

  it('a chip that ignores the SFI bit (reads the current EF at offset SFI·256) is caught by the tag', async () => {
    const files: Record<number, Uint8Array> = { ...FILES(), [COM]: tlvFile(0x60, 600, 9) };
    // Precondition: COM at offset 256 does not look like DG1.
    expect(files[COM]?.[256]).not.toBe(0x61);
    const c = card(files, { sfi: 'ignored' });
    const reader = createFileReader(c, { secureMessaging: 'none' });
    await reader.selectFile(COM);
    expect(equalBytes(await reader.readFile(DG1), files[DG1] as Uint8Array)).toBe(true);
    expect(reader.state.shortFileId).toBe('unsupported');
    expect(sfiReads(c.log)).toHaveLength(1);
    expect(equalBytes(await reader.readFile(DG2), files[DG2] as Uint8Array)).toBe(true);
    expect(sfiReads(c.log)).toHaveLength(1);
  });

  it('6982 to the SFI read stays SECURITY_STATUS_NOT_SATISFIED (DG3), without a fallback', async () => {
    for (const protect of [{ readProtected: [DG3] }, { selectProtected: [DG3] }]) {
      const c = card({ ...FILES(), [DG3]: tlvFile(0x63, 10) }, protect);
      const reader = createFileReader(c, { secureMessaging: 'none' });
      await reader.readFile(COM);
      const e = await errorOf(reader.readFile(DG3));
      expect(e.code).toBe('SECURITY_STATUS_NOT_SATISFIED');
      expect(e.context).toMatchObject({ fileId: DG3, sw: 0x6982 });
      expect(reader.state.shortFileId).toBe('supported');
      expect(selects(c.log)).toHaveLength(0);
      // On a fresh reader (SFI untested) too.
      const fresh = card({ ...FILES(), [DG3]: tlvFile(0x63, 10) }, protect);
      expect((await errorOf(readFile(fresh, DG3))).code).toBe('SECURITY_STATUS_NOT_SATISFIED');
      expect(selects(fresh.log)).toHaveLength(0);
    }
  });

  it('6A82 is FILE_NOT_FOUND: checked by SELECT while SFI is untested, trusted once it worked', async () => {
    const c = card(FILES());
    const reader = createFileReader(c, { secureMessaging: 'none' });
    const e1 = await errorOf(reader.readFile(0x010f));
    expect(e1.code).toBe('FILE_NOT_FOUND');
    expect(e1.context).toMatchObject({ fileId: 0x010f, sw: 0x6a82 });
    expect(c.log.map((x) => x.ins)).toEqual([0xb0, 0xa4]);
    expect(reader.state.shortFileId).toBe('untested');
    await reader.readFile(COM);
    const before = c.log.length;
    const e2 = await errorOf(reader.readFile(0x010e));
    expect(e2.code).toBe('FILE_NOT_FOUND');
    expect(e2.context).toMatchObject({ fileId: 0x010e, sw: 0x6a82 });
    expect(c.log.length - before).toBe(1);
  });

  it('a chip answering 6A82 to every SFI read still reads its files (SELECT finds them)', async () => {
    const files = FILES();
    const c = card(files, { sfi: 0x6a82 });
    const reader = createFileReader(c, { secureMessaging: 'none' });
    for (const id of [COM, DG1])
      expect(equalBytes(await reader.readFile(id), files[id] as Uint8Array)).toBe(true);
    expect(reader.state.shortFileId).toBe('unsupported');
    expect(sfiReads(c.log)).toHaveLength(1);
  });

  it('files without an SFI, select: false and resumed reads do not use it', async () => {
    const other = tlvFile(0x61, 40);
    const c = card({ 273: other, ...FILES() });
    const reader = createFileReader(c, { secureMessaging: 'none' });
    expect(equalBytes(await reader.readFile(0x0111), other)).toBe(true);
    expect(c.log[0]?.ins).toBe(0xa4);
    expect(sfiReads(c.log)).toHaveLength(0);
    await reader.selectFile(DG1);
    await reader.readFile(DG1, { select: false });
    expect(sfiReads(c.log)).toHaveLength(0);

    const files = FILES();
    const lossy = card(files, { loseConnectionAt: { fileId: DG2, offset: 1_000 } });
    const r2 = createFileReader(lossy, { secureMessaging: 'none', extendedLength: false });
    const progress = new ReadProgress(DG2);
    expect((await errorOf(r2.readFile(DG2, { progress }))).code).toBe('TRANSPORT_FAILED');
    expect(sfiReads(lossy.log)).toHaveLength(1);
    const n = lossy.log.length;
    expect(equalBytes(await r2.readFile(DG2, { progress }), files[DG2] as Uint8Array)).toBe(true);
    expect(lossy.log[n]?.ins).toBe(0xa4);
    expect(sfiReads(lossy.log)).toHaveLength(1);
  });

  it('property: any chip behaviour reads the same bytes as SELECT, with one APDU less per file when SFI works', async () => {
    const behaviour = fc.constantFrom<FakeCardOptions['sfi']>(
      'supported',
      'ignored',
      0x6a81,
      0x6a86,
      0x6b00,
      0x6986,
      0x6d00,
      0x6e00,
      0x6a82,
    );
    const lds = fc.constantFrom(COM, CARD_ACCESS, ...Array.from({ length: 16 }, (_, i) => 0x0101 + i));
    await fc.assert(
      fc.asyncProperty(
        behaviour,
        fc.uniqueArray(fc.tuple(lds, fc.integer({ min: 1, max: 3_000 })), {
          minLength: 1,
          maxLength: 5,
          selector: (t) => t[0],
        }),
        fc.constantFrom('aes', '3des', undefined),
        async (sfi, spec, wrap) => {
          const files: Record<number, Uint8Array> = {};
          for (const [fid, size] of spec)
            files[fid] = tlvFile(expectedFirstBytes(fid)[0] as number, size, fid);
          const sm = wrap ?? 'none';
          const a = card(files, { sfi, wrap });
          const b = card(files, { wrap });
          const ra = createFileReader(a, { secureMessaging: sm });
          const rb = createFileReader(b, { secureMessaging: sm, shortFileId: false });
          for (const [fid] of spec) {
            const x = await ra.readFile(fid);
            const y = await rb.readFile(fid);
            expect(equalBytes(x, y)).toBe(true);
            expect(equalBytes(x, files[fid] as Uint8Array)).toBe(true);
          }
          if (sfi === 'supported') expect(b.log.length - a.log.length).toBe(spec.length);
          else expect(a.log.length - b.log.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: Number(process.env.VNEID_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe('readCard over the emulator', () => {
  let person: SyntheticPerson;
  let files: CardFiles;
  beforeAll(async () => {
    person = createSyntheticPerson(77);
    files = await createCardFiles(person);
  });

  /** Counts the chip's APDUs; optionally makes the chip refuse SFI reads (protected 6A86 under SM). */
  function wrap(chip: EmulatedCard, refuseSfi: boolean): ApduTransport & { refused: number } {
    const t = {
      refused: 0,
      transceive(cmd: Uint8Array, o?: { signal?: AbortSignal }) {
        if (refuseSfi && cmd[1] === 0xb0 && ((cmd[2] as number) & 0x80) !== 0) {
          t.refused++;
          chip.faults.wrongSw = { sw: 0x6a86, ins: 0xb0 };
        }
        return chip.transceive(cmd, o);
      },
    };
    return t;
  }

  const FILES_WITH_DG3 = ['COM', 'SOD', 'DG1', 'DG2', 'DG3', 'DG13', 'DG14', 'DG15'] as const;

  async function read(reading: ReadCardOptions['reading'], refuseSfi = false, extendedLength = true) {
    const chip = createEmulatedCard(files, { extendedLength });
    const t = wrap(chip, refuseSfi);
    const events: unknown[] = [];
    const r = await readCard(t, {
      idNumber: person.idNumber,
      files: FILES_WITH_DG3,
      onProgress: (e) => events.push(e),
      ...(reading === undefined ? {} : { reading }),
    });
    return { r, chip, t, events };
  }

  for (const extendedLength of [true, false]) {
    it(`the default reads every file by SFI: the APDU count drops by the number of files (extended length ${extendedLength ? 'on' : 'off'})`, async () => {
      const sfi = await read(undefined, false, extendedLength);
      const sel = await read({ shortFileId: false }, false, extendedLength);
      // EF.CardAccess and the 8 files asked for (DG3's SELECT or SFI read answers 6982).
      const fileCount = 1 + FILES_WITH_DG3.length;
      expect(sel.chip.stats.apdus - sfi.chip.stats.apdus).toBe(fileCount);
      expect(sfi.r.raw).toEqual(sel.r.raw);
      expect(sfi.r.raw.cardAccess).toEqual(files.cardAccess);
      expect(equalBytes(sfi.r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
      expect(sfi.r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
      expect(sel.r.skipped).toEqual(sfi.r.skipped);
      expect(sfi.events).toEqual(sel.events);
    });
  }

  it('a chip refusing SFI (6A86): falls back once per reader and reads all files byte-identical', async () => {
    const refusing = await read(undefined, true);
    const sel = await read({ shortFileId: false });
    // One refusal for the plain EF.CardAccess reader, one for the session's reader.
    expect(refusing.t.refused).toBe(2);
    expect(refusing.chip.stats.apdus - sel.chip.stats.apdus).toBe(2);
    expect(refusing.r.raw).toEqual(sel.r.raw);
    expect(refusing.r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
    expect(refusing.events).toEqual(sel.events);
  });

  it('shortFileId: false restores SELECT: no SFI read reaches the chip', async () => {
    const chip = createEmulatedCard(files, { extendedLength: true });
    const seen: number[] = [];
    const t: ApduTransport = {
      transceive(cmd, o) {
        if (cmd[1] === 0xb0) seen.push(cmd[2] as number);
        return chip.transceive(cmd, o);
      },
    };
    const r = await readCard(t, { idNumber: person.idNumber, reading: { shortFileId: false } });
    expect(r.raw.com).toEqual(files.com);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p1) => (p1 & 0x80) === 0)).toBe(true);
  });
});
