import { equalBytes, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReaderError } from '../../src/errors.ts';
import {
  createFileReader,
  HEADER_READ_LENGTH,
  ReadProgress,
  readFile,
  selectApplication,
  selectFile,
} from '../../src/reading/index.ts';
import type { CommandApdu } from '../../src/transport/index.ts';
import { createFakeCard, type FakeCardOptions, tlvFile } from './fake-card.ts';

const DG1 = 0x0101;
const DG2 = 0x0102;
const DG3 = 0x0103;
const COM = 0x011e;

const reads = (log: CommandApdu[]): CommandApdu[] => log.filter((c) => c.ins === 0xb0 || c.ins === 0xb1);
const offsetOf = (c: CommandApdu): number => {
  if (c.ins === 0xb0) return c.p1 & 0x80 ? c.p2 : (c.p1 << 8) | c.p2; // P1 = 80|SFI: P2 is the offset
  let v = 0;
  for (const b of (c.data as Uint8Array).subarray(2)) v = v * 256 + b;
  return v;
};

async function expectCode(p: Promise<unknown>, code: string): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReaderError);
  expect((e as ReaderError).code).toBe(code);
  return e as ReaderError;
}

function card(files: Record<number, Uint8Array>, rest: Omit<FakeCardOptions, 'files'> = {}) {
  return createFakeCard({ files: new Map(Object.entries(files).map(([k, v]) => [Number(k), v])), ...rest });
}

describe('selectFile / selectApplication', () => {
  it('sends 00 A4 02 0C 02 <fid> and never SELECT MF', async () => {
    const c = card({ [DG1]: tlvFile(0x61, 90) });
    await selectFile(c, DG1);
    expect(toHex(c.raw[0] as Uint8Array).toUpperCase()).toBe('00A4020C020101');
    await readFile(c, DG1);
    for (const cmd of c.log) expect(cmd.ins === 0xa4 && cmd.p1 === 0x00).toBe(false);
  });

  it('maps 6A82 to FILE_NOT_FOUND and 6982 to SECURITY_STATUS_NOT_SATISFIED', async () => {
    const c = card({ [DG3]: tlvFile(0x63, 10) }, { selectProtected: [DG3] });
    const e = await expectCode(selectFile(c, 0x0105), 'FILE_NOT_FOUND');
    expect(e.context).toMatchObject({ fileId: 0x0105, sw: 0x6a82 });
    await expectCode(selectFile(c, DG3), 'SECURITY_STATUS_NOT_SATISFIED');
    await expectCode(readFile(c, DG3), 'SECURITY_STATUS_NOT_SATISFIED');
  });

  it('READ BINARY answering 6982 (DG3 behind EAC) is SECURITY_STATUS_NOT_SATISFIED', async () => {
    const c = card({ [DG3]: tlvFile(0x63, 10) }, { readProtected: [DG3] });
    const e = await expectCode(readFile(c, DG3), 'SECURITY_STATUS_NOT_SATISFIED');
    expect(e.context.fileId).toBe(DG3);
  });

  it('selects the eMRTD application by AID A0000002471001', async () => {
    const sent: string[] = [];
    await selectApplication({
      async transceive(cmd) {
        sent.push(toHex(cmd).toUpperCase());
        return Uint8Array.of(0x90, 0x00);
      },
    });
    expect(sent).toEqual(['00A4040C07A0000002471001']);
    await expectCode(
      selectApplication({ transceive: async () => Uint8Array.of(0x6a, 0x82) }),
      'FILE_NOT_FOUND',
    );
    await expectCode(
      selectApplication({ transceive: async () => Uint8Array.of(0x6d, 0x00) }),
      'UNEXPECTED_STATUS',
    );
  });
});

describe('readFile: header first, then the largest chunk', () => {
  it('reads a 95-byte DG1 in a 6-byte header read and one chunk (plain)', async () => {
    const dg1 = tlvFile(0x61, 93); // 61 5D ‖ 93 = 95 bytes
    const c = card({ [DG1]: dg1 });
    const bytes = await readFile(c, DG1, { secureMessaging: 'none', shortFileId: false });
    expect(equalBytes(bytes, dg1)).toBe(true);
    expect(c.raw.map((b) => toHex(b).toUpperCase())).toEqual(['00A4020C020101', '00B0000006', '00B0000659']);
  });

  it('with AES secure messaging, short chunks are 223 (0xDF) bytes; with 3DES 231 (0xE7)', async () => {
    const dg2 = tlvFile(0x75, 15_000);
    for (const [sm, chunk] of [
      ['aes', 0xdf],
      ['3des', 0xe7],
      ['none', 256],
    ] as const) {
      const c = card({ [DG2]: dg2 }, { wrap: sm === 'none' ? undefined : sm });
      const bytes = await readFile(c, DG2, { secureMessaging: sm, extendedLength: false });
      expect(equalBytes(bytes, dg2)).toBe(true);
      const r = reads(c.log);
      expect(r[0]?.le).toBe(HEADER_READ_LENGTH);
      expect(r[1]?.le).toBe(chunk);
      expect(r.length).toBe(1 + Math.ceil((dg2.length - HEADER_READ_LENGTH) / chunk));
      // No refusal was needed: the size math matches the wrapped response limit.
      expect(r.every((x) => !x.extended)).toBe(true);
    }
  });

  it('uses extended length when the chip takes it (4063 plain bytes fit 4096 with AES SM)', async () => {
    const dg2 = tlvFile(0x75, 15_000);
    const c = card({ [DG2]: dg2 }, { extended: 65536, wrap: 'aes' });
    const reader = createFileReader(c);
    expect(equalBytes(await reader.readFile(DG2), dg2)).toBe(true);
    const r = reads(c.log);
    expect(r.map((x) => x.le)).toEqual([6, 4063, 4063, 4063, 15_004 - 6 - 3 * 4063]);
    expect(r[1]?.extended).toBe(true);
    expect(reader.state.extendedLength).toBe('supported');
  });

  it('keeps short reads for what fits a short response even when extended is allowed', async () => {
    const dg1 = tlvFile(0x61, 93);
    const c = card({ [DG1]: dg1 }, { extended: false });
    await readFile(c, DG1, { extendedLength: 'auto' });
    expect(c.log.every((x) => !x.extended)).toBe(true);
  });

  it.each([0x6700, 0x6d00, 0x6e00, 0x6a86])(
    'falls back to short when extended Le is refused with %s, once per session',
    async (refusal) => {
      const dg2 = tlvFile(0x75, 15_000);
      const dg13 = tlvFile(0x6d, 2_000, 7);
      const c = card(
        { [DG2]: dg2, [0x010d]: dg13 },
        { extended: false, extendedRefusal: refusal, wrap: 'aes' },
      );
      const reader = createFileReader(c);
      expect(equalBytes(await reader.readFile(DG2), dg2)).toBe(true);
      expect(equalBytes(await reader.readFile(0x010d), dg13)).toBe(true);
      expect(c.log.filter((x) => x.extended).length).toBe(1);
      expect(reader.state.extendedLength).toBe('unsupported');
    },
  );

  it('halves extended chunks the chip refuses with 6700 after accepting extended length', async () => {
    const dg2 = tlvFile(0x75, 15_000);
    const c = card({ [DG2]: dg2 }, { extended: 1200, wrap: 'aes' });
    const reader = createFileReader(c, { extendedResponseLimit: 8192 });
    expect(equalBytes(await reader.readFile(DG2), dg2)).toBe(true);
    // A first extended attempt is refused while untested → the reader gives extended up.
    expect(reader.state.extendedLength).toBe('unsupported');
    // Once known to work (a 3 KB file went in one extended read), a too-large chunk halves.
    const small = tlvFile(0x6d, 3_000, 5);
    const c2 = card({ [DG2]: dg2, [0x010d]: small }, { extended: 4200, wrap: 'aes' });
    const r2 = createFileReader(c2, { extendedResponseLimit: 8192 });
    expect(equalBytes(await r2.readFile(0x010d), small)).toBe(true);
    expect(r2.state.extendedLength).toBe('supported');
    const before = c2.log.length;
    expect(equalBytes(await r2.readFile(DG2), dg2)).toBe(true);
    const les = reads(c2.log.slice(before)).map((x) => x.le);
    expect(les.slice(0, 3)).toEqual([6, 8159, 4079]);
    expect(r2.state.maxExtendedChunk).toBe(4079);
    expect(r2.state.extendedLength).toBe('supported');
  });

  it('shrinks the short chunk on 6700 (0xDF → 0xC0 → 0xA0) and remembers it for the next file', async () => {
    const dg2 = tlvFile(0x75, 3_000);
    const dg13 = tlvFile(0x6d, 1_000, 3);
    const c = card({ [DG2]: dg2, [0x010d]: dg13 }, { maxShortLe: 0xa0 });
    const reader = createFileReader(c, { extendedLength: false });
    expect(equalBytes(await reader.readFile(DG2), dg2)).toBe(true);
    const r = reads(c.log);
    expect(r.slice(1, 5).map((x) => x.le)).toEqual([0xdf, 0xc0, 0xa0, 0xa0]);
    expect(reader.state.maxShortChunk).toBe(0xa0);
    const before = c.log.length;
    expect(equalBytes(await reader.readFile(0x010d), dg13)).toBe(true);
    const r2 = reads(c.log.slice(before));
    expect(r2.slice(1).every((x) => (x.le ?? 0) <= 0xa0)).toBe(true);
    expect(r2[1]?.le).toBe(0xa0);
  });

  it('uses the exact length of 6Cxx', async () => {
    const dg2 = tlvFile(0x75, 1_000);
    const c = card({ [DG2]: dg2 }, { exactLeLimit: 0x80 });
    expect(equalBytes(await readFile(c, DG2, { extendedLength: false }), dg2)).toBe(true);
    const r = reads(c.log);
    expect(r.slice(1, 3).map((x) => x.le)).toEqual([0xdf, 0x80]);
    // Learned: no more 6C round trips.
    expect(r.slice(3).every((x) => (x.le ?? 0) <= 0x80)).toBe(true);
  });

  it('reads a file shorter than the header read (6282 and 6Cxx past the end)', async () => {
    const tiny = Uint8Array.of(0x53, 0x01, 0xaa);
    for (const pastEnd of ['6282', '6C', '9000'] as const) {
      const c = card({ [DG1]: tiny }, { pastEnd });
      expect(toHex(await readFile(c, DG1))).toBe('5301aa');
    }
  });

  it('reads a longer header in more steps when headerLength is short (2-byte tag, 82 length)', async () => {
    const f = tlvFile(0x7f61, 1_000);
    const c = card({ [DG2]: f });
    // 7F61 is not DG2's tag: with an SFI the reader would distrust the answer and SELECT.
    const opts = { headerLength: 2, extendedLength: false, shortFileId: false } as const;
    expect(equalBytes(await readFile(c, DG2, opts), f)).toBe(true);
    const r = reads(c.log);
    expect(r.slice(0, 2).map((x) => [offsetOf(x), x.le])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    await expectCode(readFile(c, DG2, { headerLength: 1 }), 'INVALID_ARGUMENT');
  });

  it('6282 before the length in the header is READ_FAILED', async () => {
    const lying = Uint8Array.of(0x61, 0x82, 0x01, 0x00, ...new Uint8Array(100));
    const c = card({ [DG1]: lying });
    const e = await expectCode(readFile(c, DG1), 'READ_FAILED');
    expect(e.context).toMatchObject({ fileId: DG1, length: 260 });
  });

  it('learns from a chip that returns fewer bytes than asked (9000)', async () => {
    const dg2 = tlvFile(0x75, 2_000);
    const c = card({ [DG2]: dg2 }, { capResponse: 100 });
    const reader = createFileReader(c, { extendedLength: false });
    expect(equalBytes(await reader.readFile(DG2), dg2)).toBe(true);
    expect(reader.state.maxShortChunk).toBe(100);
    expect(
      reads(c.log)
        .slice(2)
        .every((x) => (x.le ?? 0) <= 100),
    ).toBe(true);
  });

  it('rejects a file that does not start with a TLV header, and a file read that returns nothing', async () => {
    await expectCode(readFile(card({ [DG1]: Uint8Array.of(0x61, 0x85, 1, 2, 3, 4, 5) }), DG1), 'READ_FAILED');
    const empty = {
      async transceive(cmd: Uint8Array) {
        return cmd[1] === 0xa4 ? Uint8Array.of(0x90, 0) : Uint8Array.of(0x90, 0x00);
      },
    };
    await expectCode(readFile(empty, DG1), 'READ_FAILED');
  });

  it('reports other status words as READ_FAILED with the status word and offset', async () => {
    const t = {
      async transceive(cmd: Uint8Array) {
        return cmd[1] === 0xa4 ? Uint8Array.of(0x90, 0) : Uint8Array.of(0x65, 0x81);
      },
    };
    const e = await expectCode(readFile(t, DG1), 'READ_FAILED');
    expect(e.context).toMatchObject({ sw: 0x6581, offset: 0, fileId: DG1 });
    expect(e.message).toContain('6581');
  });
});

describe('readFile: odd INS above offset 32767', () => {
  it('reads a 40 KB file: B0 up to 32767, then B1 with the offset in DO54 and data in DO53', async () => {
    const big = tlvFile(0x75, 40_000);
    const c = card({ [DG2]: big }, { wrap: 'aes' });
    const bytes = await readFile(c, DG2, { extendedLength: false });
    expect(equalBytes(bytes, big)).toBe(true);
    const r = reads(c.log);
    const firstOdd = r.findIndex((x) => x.ins === 0xb1);
    expect(firstOdd).toBeGreaterThan(0);
    expect(r.slice(0, firstOdd).every((x) => x.ins === 0xb0 && offsetOf(x) <= 0x7fff)).toBe(true);
    expect(r.slice(firstOdd).every((x) => x.ins === 0xb1 && offsetOf(x) > 0x7fff)).toBe(true);
    const odd = r[firstOdd] as CommandApdu;
    expect(odd.p1).toBe(0);
    expect(odd.p2).toBe(0);
    expect(toHex(odd.data as Uint8Array).slice(0, 4)).toBe('5402');
    // With AES SM the DO53 wrapper leaves 220 plain bytes: Le = 53 81 DC ‖ 220 = 223.
    expect(odd.le).toBe(223);
    // Offsets are contiguous.
    let expected = 0;
    for (const x of r) {
      expect(offsetOf(x)).toBe(expected);
      expected += x.ins === 0xb0 ? (x.le as number) : (x.le as number) - 3;
    }
  });

  it('reads a 70 KB file with extended length (3-byte DO54 offsets above 65535)', async () => {
    const big = tlvFile(0x75, 70_000);
    const c = card({ [DG2]: big }, { extended: 65536 });
    expect(equalBytes(await readFile(c, DG2, { secureMessaging: 'none' }), big)).toBe(true);
    const odd = reads(c.log).filter((x) => x.ins === 0xb1);
    expect(odd.some((x) => (x.data as Uint8Array)[1] === 3)).toBe(true);
    expect(odd.every((x) => x.extended)).toBe(true);
  });

  it('a chip without odd INS gives READ_FAILED at offset 32768', async () => {
    const big = tlvFile(0x75, 40_000);
    const c = card({ [DG2]: big }, { oddIns: false });
    const e = await expectCode(
      readFile(c, DG2, { secureMessaging: 'none', extendedLength: false }),
      'READ_FAILED',
    );
    expect(e.context.sw).toBe(0x6d00);
    expect(e.context.offset).toBeGreaterThan(0x7fff);
  });
});

describe('readFile: abort and resume', () => {
  it('an aborted signal stops before the next command with ABORTED', async () => {
    const dg2 = tlvFile(0x75, 5_000);
    const c = card({ [DG2]: dg2 });
    const pre = new AbortController();
    pre.abort();
    await expectCode(readFile(c, DG2, { signal: pre.signal }), 'ABORTED');
    expect(c.log.length).toBe(0);
    const ac = new AbortController();
    let events = 0;
    await expectCode(
      readFile(c, DG2, {
        extendedLength: false,
        signal: ac.signal,
        onProgress: () => {
          if (++events === 3) ac.abort();
        },
      }),
      'ABORTED',
    );
    expect(reads(c.log).length).toBe(3);
  });

  it('a lost connection is TRANSPORT_FAILED with file and offset; the same progress resumes there', async () => {
    const dg2 = tlvFile(0x75, 15_000);
    const c = card({ [DG2]: dg2 }, { loseConnectionAt: { fileId: DG2, offset: 7_000 }, wrap: 'aes' });
    const progress = new ReadProgress(DG2);
    const events: number[] = [];
    const reader = createFileReader(c, { extendedLength: false });
    const e = await expectCode(
      reader.readFile(DG2, { progress, onProgress: (p) => events.push(p.bytesRead) }),
      'TRANSPORT_FAILED',
    );
    expect(e.context.fileId).toBe(DG2);
    expect(e.context.offset).toBe(progress.offset);
    expect(progress.offset).toBeGreaterThan(6_000);
    expect(progress.offset).toBeLessThan(7_223);
    const resumedAt = progress.offset;
    const before = c.log.length;
    // A new session (here the same card) and the same progress object.
    const bytes = await reader.readFile(DG2, { progress, onProgress: (p) => events.push(p.bytesRead) });
    expect(equalBytes(bytes, dg2)).toBe(true);
    const after = c.log.slice(before);
    expect(after[0]?.ins).toBe(0xa4);
    expect(offsetOf(after[1] as CommandApdu)).toBe(resumedAt);
    expect(events.at(-1)).toBe(dg2.length);
    for (let i = 1; i < events.length; i++) expect(events[i]).toBeGreaterThan(events[i - 1] as number);
    // Complete progress returns without a command.
    const n = c.log.length;
    expect(equalBytes(await reader.readFile(DG2, { progress }), dg2)).toBe(true);
    expect(c.log.length).toBe(n);
  });

  it('a progress object of another file is INVALID_ARGUMENT', async () => {
    await expectCode(readFile(card({}), DG1, { progress: new ReadProgress(DG2) }), 'INVALID_ARGUMENT');
  });

  it('progress events end at totalBytes with one event per READ BINARY', async () => {
    const com = tlvFile(0x60, 20);
    const dg2 = tlvFile(0x75, 3_000);
    const c = card({ [COM]: com, [DG2]: dg2 });
    const events: Array<{ bytesRead: number; totalBytes: number }> = [];
    await readFile(c, DG2, { onProgress: (e) => events.push(e), extendedLength: false });
    expect(events.length).toBe(reads(c.log).length);
    expect(events.every((e) => e.totalBytes === dg2.length)).toBe(true);
    expect(events.at(-1)?.bytesRead).toBe(dg2.length);
  });
});

describe('readFile: property', () => {
  it('returns exactly the file for any size and chip behaviour', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 36_000 }),
        fc.record({
          maxShortLe: fc.constantFrom(256, 0xdf, 0xa0, 0x41),
          extended: fc.constantFrom<false | number>(false, 600, 4096, 65536),
          pastEnd: fc.constantFrom<'6282' | '6C' | '9000'>('6282', '6C', '9000'),
          capResponse: fc.option(fc.integer({ min: 8, max: 300 }), { nil: undefined }),
          wrap: fc.constantFrom<'aes' | '3des' | undefined>('aes', '3des', undefined),
        }),
        fc.constantFrom<'auto' | boolean>('auto', true, false),
        async (size, chip, extendedLength) => {
          const file = tlvFile(0x75, size, size);
          const c = card({ [DG2]: file }, chip);
          const sm = chip.wrap ?? 'none';
          const bytes = await readFile(c, DG2, { secureMessaging: sm, extendedLength });
          expect(equalBytes(bytes, file)).toBe(true);
        },
      ),
      { numRuns: Number(process.env.VNEID_PROPERTY_RUNS ?? 60) },
    );
  });
});
