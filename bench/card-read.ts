/**
 * @module
 * Card-read benchmark: a full CCCD read (EF.CardAccess, access, then EF.COM, EF.SOD, DG1, DG2
 * (~15 KB face), DG13, DG14, DG15) of the software chip through `readCard`, counting the
 * APDUs and the bytes on the wire for our adaptive reader with extended length on and off,
 * each file selected by SELECT or by its short EF identifier in the first READ BINARY (also on
 * a chip that refuses SFI and answers 6A86), beside the fixed-chunk strategies of the best-known open readers (223- and 160-byte READ
 * BINARY chunks), over PACE (AES secure messaging) and BAC (3DES). Host CPU time per read is
 * the wall time of `readCard` minus the time spent inside the software chip (both run in this
 * process; a real chip's own time and the radio are not modelled).
 */
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
  type SyntheticPerson,
} from '../packages/cccd-reader/src/emulator/index.ts';
import { type ReadCardOptions, readCard } from '../packages/cccd-reader/src/index.ts';
import type { ApduTransport } from '../packages/cccd-reader/src/transport/index.ts';
import type { BenchSuite } from './suites.ts';

interface Strategy {
  label: string;
  chipExtended: boolean;
  /** The chip answers 6A86 to READ BINARY with a short EF identifier. */
  chipRefusesSfi?: boolean;
  reading: NonNullable<ReadCardOptions['reading']>;
}

const FIXED_223 = 'fixed 223-byte chunks, SELECT';

const STRATEGIES: Strategy[] = [
  {
    label: 'adaptive, extended length on, SELECT',
    chipExtended: true,
    reading: { extendedLength: 'auto', shortFileId: false },
  },
  {
    label: 'adaptive, extended length on, SFI (default)',
    chipExtended: true,
    reading: { extendedLength: 'auto', shortFileId: 'auto' },
  },
  {
    label: 'adaptive, extended length on, SFI on a chip refusing it (6A86)',
    chipExtended: true,
    chipRefusesSfi: true,
    reading: { extendedLength: 'auto', shortFileId: 'auto' },
  },
  {
    label: 'adaptive, extended length off (short, max 256), SELECT',
    chipExtended: false,
    reading: { extendedLength: false, shortFileId: false },
  },
  {
    label: 'adaptive, extended length off (short, max 256), SFI',
    chipExtended: false,
    reading: { extendedLength: false, shortFileId: 'auto' },
  },
  {
    label: 'adaptive, auto on a short-only chip (one probe), SELECT',
    chipExtended: false,
    reading: { extendedLength: 'auto', shortFileId: false },
  },
  {
    label: 'adaptive, auto on a short-only chip (one probe), SFI',
    chipExtended: false,
    reading: { extendedLength: 'auto', shortFileId: 'auto' },
  },
  {
    label: FIXED_223,
    chipExtended: false,
    reading: { extendedLength: false, maxChunk: 223, shortFileId: false },
  },
  {
    label: 'fixed 160-byte chunks, SELECT',
    chipExtended: false,
    reading: { extendedLength: false, maxChunk: 160, shortFileId: false },
  },
];

/** The chip, behind a transport that makes it refuse SFI reads (6A86, protected under SM) when asked. */
function chipFor(files: CardFiles, s: Strategy): { chip: EmulatedCard; transport: ApduTransport } {
  const chip = createEmulatedCard(files, { extendedLength: s.chipExtended });
  const transport: ApduTransport = {
    transceive(cmd, o) {
      if (s.chipRefusesSfi && cmd[1] === 0xb0 && ((cmd[2] as number) & 0x80) !== 0)
        chip.faults.wrongSw = { sw: 0x6a86, ins: 0xb0 };
      return chip.transceive(cmd, o);
    },
  };
  return { chip, transport };
}

const WARMUP_RUNS = 3;
const TIMED_RUNS = 12;

interface Row {
  access: string;
  label: string;
  apdus: number;
  readApdus: number;
  bytesIn: number;
  bytesOut: number;
  cpuMs: number;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

async function measure(
  person: SyntheticPerson,
  files: CardFiles,
  access: 'PACE' | 'BAC',
  s: Strategy,
): Promise<Row> {
  const options: ReadCardOptions = {
    idNumber: person.idNumber,
    reading: s.reading,
    ...(access === 'BAC' ? { dateOfBirth: person.dateOfBirth, dateOfExpiry: person.dateOfExpiry } : {}),
  };
  // Traffic of one read.
  const { chip: card, transport: inner } = chipFor(files, s);
  let readApdus = 0;
  const counting: ApduTransport = {
    transceive(cmd, o) {
      if (cmd[1] === 0xb0 || cmd[1] === 0xb1) readApdus++;
      return inner.transceive(cmd, o);
    },
  };
  const r = await readCard(counting, options);
  const expected = access === 'PACE' ? 'PACE-CAN' : 'BAC';
  if (r.accessMethod !== expected) throw new Error(`bench: expected ${expected}, got ${r.accessMethod}`);
  const { apdus, bytesIn, bytesOut } = card.stats;
  // Host CPU: wall time of readCard minus the time inside the chip.
  const times: number[] = [];
  for (let i = 0; i < WARMUP_RUNS + TIMED_RUNS; i++) {
    const { transport: chip } = chipFor(files, s);
    let inChip = 0;
    const timed: ApduTransport = {
      async transceive(cmd, o) {
        const t = performance.now();
        try {
          return await chip.transceive(cmd, o);
        } finally {
          inChip += performance.now() - t;
        }
      },
    };
    const t0 = performance.now();
    await readCard(timed, options);
    if (i >= WARMUP_RUNS) times.push(performance.now() - t0 - inChip);
  }
  return { access, label: s.label, apdus, readApdus, bytesIn, bytesOut, cpuMs: median(times) };
}

export const cardReadSuite: BenchSuite = {
  id: 'card-read',
  title: 'Reading a CCCD: APDUs and bytes on the wire per strategy',
  async run(): Promise<string> {
    const person = createSyntheticPerson(2024);
    const cccd = await createCardFiles(person);
    const bacOnly = await createCardFiles(person, { pace: false });
    const sizes = [
      ['EF.COM', cccd.com.length],
      ['EF.SOD', cccd.sod.length],
      ...[1, 2, 13, 14, 15].map((dg) => [`DG${dg}`, cccd.dataGroups.get(dg)?.length ?? 0] as const),
    ];
    const rows: Row[] = [];
    for (const s of STRATEGIES) rows.push(await measure(person, cccd, 'PACE', s));
    for (const s of STRATEGIES) rows.push(await measure(person, bacOnly, 'BAC', s));
    // Active Authentication after the read (RSA-2048 DG15 key): its traffic only.
    const aaRows: string[] = [];
    for (const chipExtended of [true, false]) {
      const counted = async (active: boolean) => {
        const chip = createEmulatedCard(cccd, { extendedLength: chipExtended });
        let getResponses = 0;
        const t: ApduTransport = {
          transceive(cmd, o) {
            if (cmd[0] === 0x00 && cmd[1] === 0xc0) getResponses++;
            return chip.transceive(cmd, o);
          },
        };
        const r = await readCard(t, {
          idNumber: person.idNumber,
          ...(active ? { authenticate: { active } } : {}),
        });
        if (active && r.verification?.active?.ok !== true)
          throw new Error('bench: Active Authentication failed');
        return { ...chip.stats, getResponses };
      };
      const without = await counted(false);
      const withAa = await counted(true);
      aaRows.push(
        `| ${chipExtended ? 'extended length (Le 0000 learned from the reads)' : 'short only (Le 00, 61xx + GET RESPONSE)'} | ${withAa.apdus - without.apdus} | ${withAa.getResponses} | ${withAa.bytesIn - without.bytesIn} | ${withAa.bytesOut - without.bytesOut} |`,
      );
    }
    const base = new Map<string, Row>();
    for (const r of rows) if (r.label === FIXED_223) base.set(r.access, r);
    const lines = [
      `One \`readCard\` of the software chip: EF.CardAccess, access (PACE-CAN with brainpoolP256r1 and AES`,
      `secure messaging, or BAC with 3DES on a BAC-only chip), then ${sizes.map(([n, b]) => `${n} ${b} B`).join(', ')}.`,
      'APDUs and bytes count the whole session as the chip sees it (command bytes to the card, response',
      'bytes from it, status words included); "READ BINARY" counts only the reads. "Adaptive" is our reader:',
      'a 6-byte header read, then the largest chunk that fits — 223 plain bytes in a short AES-protected',
      'response, 231 with 3DES, or ~4 KB with extended length — learning from 6700/6Cxx once per session.',
      '"SELECT" selects each file first; "SFI" addresses it by its short EF identifier in the first READ',
      'BINARY (P1 = 80|SFI, ICAO 9303-10 §3.6.2), one APDU less per file; a chip that refuses SFI costs one',
      'refused read per file reader (EF.CardAccess is read by its own, unprotected reader), then SELECT.',
      `CPU is host time per read (median of ${TIMED_RUNS} after ${WARMUP_RUNS} warm-up reads) with the chip's own time\nsubtracted; it is dominated by the access protocol (PACE: brainpoolP256r1 scalar multiplications).`,
      '',
      '| access | strategy | APDUs | READ BINARY | bytes to card | bytes from card | total bytes | APDUs vs fixed 223 | host CPU ms |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => {
        const b = base.get(r.access) as Row;
        return `| ${r.access} | ${r.label} | ${r.apdus} | ${r.readApdus} | ${r.bytesIn} | ${r.bytesOut} | ${r.bytesIn + r.bytesOut} | ${(r.apdus / b.apdus).toFixed(2)}× | ${r.cpuMs.toFixed(1)} |`;
      }),
      '',
      'Active Authentication after the default read (PACE, SFI), RSA-2048 key: its protected answer is 291',
      'bytes, more than a short response holds. The reader asks with an extended Le when the reads showed',
      'the chip takes extended length; otherwise the chip (strict, as real ones) sends 256 bytes and 61xx',
      'and the rest comes with one plain GET RESPONSE. Extra traffic over the same read without AA:',
      '',
      '| chip | extra APDUs | of them GET RESPONSE | extra bytes to card | extra bytes from card |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...aaRows,
    ];
    return lines.join('\n');
  },
};
