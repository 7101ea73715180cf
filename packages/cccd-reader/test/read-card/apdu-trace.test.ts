/**
 * The APDU sequence of whole reads, pinned: a refactor of `readCard`, `openCardSession` or
 * `createFileReader` must send exactly the same commands, see the same answers, emit the same
 * progress events and return the same result. Every byte source is seeded (the person, the PKI,
 * the chip's keys, the chip's and the reader's randomness), so a read is the same in every
 * process; each scenario is compared, APDU by APDU, with the trace recorded in
 * `vectors/apdu-traces.json` (its `source` names the commit it was recorded at).
 *
 * Scenarios: PACE-GM + Chip Authentication + Active Authentication (ECDSA key) + passive
 * authentication on a chip with extended length and on a short-only chip; the same after a lost
 * connection mid-DG2 (reconnect, CA redone) and a silent reset mid-DG13 (bare 6988, the session
 * re-opened on the same transport); a phone link that cannot carry extended APDUs; BAC with CA
 * on a chip refusing short EF identifiers (6A86), with DG3 behind EAC.
 *
 * An intended change of the sequence is recorded again with `VNEID_RECORD_APDU_TRACES=1`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createCardFiles,
  createCardPki,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
  type EmulatedCardOptions,
} from '../../src/emulator/index.ts';
import { type ReadCardOptions, type ReadCardProgressEvent, readCard } from '../../src/index.ts';
import { createTrustStore } from '../../src/pa/index.ts';
import { type ApduTransport, parseCommandApdu } from '../../src/transport/index.ts';

const FIXTURE = new URL('./vectors/apdu-traces.json', import.meta.url);
const RECORD = process.env.VNEID_RECORD_APDU_TRACES === '1';

/** A deterministic byte source: SHA-256 in counter mode over a label. */
function seededBytes(label: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = createHash('sha256').update(`${label}/${counter++}`).digest();
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/** One exchange, readable: command header, its length, the answer's length and status word. */
function summary(command: Uint8Array, response: Uint8Array | undefined, error: unknown): string {
  let shape = `len ${command.length}`;
  try {
    const c = parseCommandApdu(command);
    shape = `Lc ${c.data?.length ?? 0} Le ${c.le ?? '-'}${c.extended ? ' ext' : ''}`;
  } catch {
    // Not a parsable command: keep the length.
  }
  const head = hex(command.subarray(0, 4));
  if (response === undefined)
    return `${head} ${shape} -> throws ${String((error as { code?: string }).code)}`;
  const sw = hex(response.subarray(response.length - 2));
  return `${head} ${shape} -> ${response.length - 2} ${sw}`;
}

interface Recorded {
  apdus: string[];
  /** SHA-256 over every command and response byte, in order. */
  bytes: string;
  progress: string[];
  /** The result without its bytes (they are in `resultDigest`). */
  result: unknown;
  /** SHA-256 of the whole result, bytes included. */
  resultDigest: string;
}

/** JSON of a result: bytes as hex (or their length), bigints as strings, Maps as entries, no clock. */
function canonical(value: unknown, bytesAs: 'hex' | 'length'): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => {
      // The one clock reading of a read (passive authentication's validity check).
      if (k === 'checkedAt' && typeof v === 'string') return '<now>';
      if (v instanceof Uint8Array) return bytesAs === 'hex' ? hex(v) : `<${v.length} bytes>`;
      if (typeof v === 'bigint') return v.toString(16);
      if (v instanceof Map) return [...v.entries()];
      if (v instanceof Error)
        return { name: v.name, message: v.message, code: (v as { code?: unknown }).code };
      return v;
    }),
  );
}

interface Scenario {
  name: string;
  card: EmulatedCardOptions;
  files?: { bac?: boolean; pace?: boolean };
  options: (p: {
    idNumber: string;
    dateOfBirth: string;
    dateOfExpiry: string;
  }) => Omit<ReadCardOptions, 'onProgress'>;
  /** Wraps the card (link behaviour, faults at given commands). */
  wrap?: (card: EmulatedCard) => ApduTransport;
  reconnect?: boolean;
}

const isExtended = (command: Uint8Array): boolean => {
  try {
    return parseCommandApdu(command).extended === true;
  } catch {
    return false;
  }
};

/** A protected READ BINARY of `fid` (by SFI, or of the selected file): its offset. */
function readOffset(card: EmulatedCard, command: Uint8Array, fid: number): number | undefined {
  if ((command[0] as number) !== 0x0c || command[1] !== 0xb0) return undefined;
  const p1 = command[2] as number;
  const p2 = command[3] as number;
  if ((p1 & 0x80) !== 0) return (p1 & 0x1f) === (fid & 0xff) ? p2 : undefined;
  return card.state.selected === fid ? (p1 << 8) | p2 : undefined;
}

const fullVerification = (trust: ReturnType<typeof createTrustStore>) =>
  ({ chip: true, active: true, passive: trust }) as const;

async function record(s: Scenario): Promise<Recorded> {
  const person = createSyntheticPerson(2026);
  const pki = await createCardPki('brainpool384', seededBytes('pki'));
  const files = await createCardFiles(person, {
    pki,
    aaKey: 'ecdsa',
    random: seededBytes('chip-keys'),
    ...s.files,
  });
  const card = createEmulatedCard(files, { random: seededBytes('chip'), ...s.card });
  const inner = s.wrap?.(card) ?? card;
  const apdus: string[] = [];
  const hash = createHash('sha256');
  const transport: ApduTransport = {
    async transceive(command, options) {
      hash.update(command);
      try {
        const response = await inner.transceive(command, options);
        hash.update(response);
        apdus.push(summary(command, response, undefined));
        return response;
      } catch (e) {
        apdus.push(summary(command, undefined, e));
        throw e;
      }
    },
  };
  const progress: string[] = [];
  const trust = createTrustStore({ certificates: [files.trust.csca] });
  const base = s.options({
    idNumber: person.idNumber,
    dateOfBirth: person.dateOfBirth,
    dateOfExpiry: person.dateOfExpiry as string,
  });
  const result = await readCard(transport, {
    random: seededBytes('reader'),
    authenticate: fullVerification(trust),
    ...base,
    onProgress: (e: ReadCardProgressEvent) => progress.push(`${e.file} ${e.bytesRead}/${e.totalBytes}`),
    ...(s.reconnect
      ? {
          reconnect: async () => {
            card.reconnect();
          },
        }
      : {}),
  });
  const { files: _parsed, raw: _raw, ...rest } = result;
  return {
    apdus,
    bytes: hash.digest('hex'),
    progress,
    result: canonical(rest, 'length'),
    resultDigest: createHash('sha256')
      .update(JSON.stringify(canonical(result, 'hex')))
      .digest('hex'),
  };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'PACE-CAN, CA, AA (ECDSA), PA; extended length',
    card: { extendedLength: true },
    options: (p) => ({ idNumber: p.idNumber }),
  },
  {
    name: 'PACE-CAN, CA, AA (ECDSA), PA; short-only chip',
    card: { extendedLength: false },
    options: (p) => ({ idNumber: p.idNumber }),
  },
  {
    name: 'PACE-CAN, CA, AA, PA; lost connection mid-DG2 (reconnect), silent reset mid-DG13 (bare 6988)',
    card: { extendedLength: false, faults: { lostConnectionAt: { file: 'DG2', offset: 5000 } } },
    options: (p) => ({ idNumber: p.idNumber }),
    reconnect: true,
    wrap: (card) => {
      let fired = false;
      return {
        transceive(command, options) {
          const at = readOffset(card, command, 0x010d);
          if (!fired && at !== undefined && at > 0) {
            fired = true;
            card.reset();
          }
          return card.transceive(command, options);
        },
      };
    },
  },
  {
    name: 'PACE-CAN, CA, AA, PA; a link that cannot carry extended APDUs',
    card: { extendedLength: true },
    options: (p) => ({ idNumber: p.idNumber }),
    wrap: (card) => ({
      transceive(command, options) {
        if (isExtended(command))
          return Promise.reject(new Error('Transceive length exceeds supported maximum'));
        return card.transceive(command, options);
      },
    }),
  },
  {
    name: 'BAC (12-digit key refused, 9-digit opens), CA, AA, PA; SFI refused (6A86); DG3 behind EAC',
    card: { extendedLength: false },
    files: { pace: false },
    options: (p) => ({
      ...p,
      files: ['COM', 'SOD', 'DG1', 'DG2', 'DG3', 'DG13', 'DG14', 'DG15'],
    }),
    wrap: (card) => ({
      transceive(command, options) {
        if (command[1] === 0xb0 && ((command[2] as number) & 0x80) !== 0)
          card.faults.wrongSw = { sw: 0x6a86, ins: 0xb0 };
        return card.transceive(command, options);
      },
    }),
  },
];

interface Fixture {
  source: string;
  scenarios: Record<string, Recorded>;
}

const stored = (): Fixture => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

describe('readCard: the APDU sequence of whole reads is the recorded one', () => {
  if (RECORD) {
    it('records the traces', async () => {
      const scenarios: Record<string, Recorded> = {};
      for (const s of SCENARIOS) scenarios[s.name] = await record(s);
      const fixture: Fixture = {
        source: process.env.VNEID_APDU_TRACE_SOURCE ?? 'recorded by test/read-card/apdu-trace.test.ts',
        scenarios,
      };
      writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);
    }, 120_000);
    return;
  }

  it('the same scenario gives the same trace twice in one process (the guard is deterministic)', async () => {
    const s = SCENARIOS[0] as Scenario;
    expect(await record(s)).toEqual(await record(s));
  }, 60_000);

  it('lists every scenario', () => {
    expect(Object.keys(stored().scenarios)).toEqual(SCENARIOS.map((s) => s.name));
  });

  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const want = stored().scenarios[s.name] as Recorded;
      const got = await record(s);
      // APDU by APDU first (a readable diff), then the exact bytes.
      expect(got.apdus).toEqual(want.apdus);
      expect(got.progress).toEqual(want.progress);
      expect(got.result).toEqual(want.result);
      expect(got.bytes).toBe(want.bytes);
      expect(got.resultDigest).toBe(want.resultDigest);
    }, 60_000);
  }
});
