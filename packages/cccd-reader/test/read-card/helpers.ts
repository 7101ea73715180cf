/**
 * Shared pieces of the read-card tests that wrap the software chip (silent resets, bare status
 * words): a synthetic holder with the card files, locating a protected READ BINARY of a file,
 * a chip reset silently mid-DG2, a `reconnect` that counts its calls, and
 * the checks that the files read equal the chip's and that a reset read resumed at its offset.
 */
import { equalBytes } from '@vneid/core/bytes';
import { expect } from 'vitest';
import {
  type CardFiles,
  type CardFilesOptions,
  createCardFiles,
  createSyntheticPerson,
  type EmulatedCard,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import type { ReadCardResult } from '../../src/index.ts';
import type { ApduTransport } from '../../src/transport/index.ts';

const DG2 = 0x0102;

/** A synthetic card holder and the files of their card. */
export interface Fixture {
  person: SyntheticPerson;
  files: CardFiles;
}

/** The holder of seed `seed` and their card files (built with `options`). */
export async function createFixture(seed: number, options?: CardFilesOptions): Promise<Fixture> {
  const person = createSyntheticPerson(seed);
  return { person, files: await createCardFiles(person, options) };
}

/** Whether `command` is a secure-messaging command (CLA 0C) with instruction `ins`. */
export const isProtected = (command: Uint8Array, ins: number): boolean =>
  (command[0] as number) === 0x0c && command[1] === ins;

/**
 * The offset of a protected READ BINARY (B0) of file `fid` (its header is in the clear): by
 * short EF identifier (P1 = 80|SFI, P2 = offset; the low byte of an LDS data group's FID is its
 * SFI) or, P1-P2 being the offset, of the file the chip has selected.
 */
export function readBinaryOf(card: EmulatedCard, command: Uint8Array, fid: number): number | undefined {
  if (!isProtected(command, 0xb0)) return undefined;
  const p1 = command[2] as number;
  const p2 = command[3] as number;
  if ((p1 & 0x80) !== 0) return (p1 & 0x1f) === (fid & 0xff) ? p2 : undefined;
  return card.state.selected === fid ? (p1 << 8) | p2 : undefined;
}

/** A transport in front of a chip that `silentResets` resets, and what it saw. */
export interface SilentResets {
  transport: ApduTransport;
  /** Offsets of the protected DG2 READ BINARY commands that reached the wrapper, in order. */
  dg2Offsets: number[];
  /** Offsets before which the chip was reset so far. */
  fired: number[];
}

/**
 * Forwards to `card`; before the first protected READ BINARY of DG2 at or past each offset in
 * `resetsAt`, resets the chip silently: the command then reaches a chip without a session or,
 * with `answer`, is answered with those bytes instead (as a chip that refuses it may).
 * `onCommand` may change the card's faults first.
 */
export function silentResets(
  card: EmulatedCard,
  resetsAt: readonly number[],
  opts: { onCommand?: (offset: number) => void; answer?: Uint8Array } = {},
): SilentResets {
  const pending = [...resetsAt];
  const dg2Offsets: number[] = [];
  const fired: number[] = [];
  const transport: ApduTransport = {
    async transceive(command, options) {
      const offset = readBinaryOf(card, command, DG2);
      if (offset !== undefined) {
        opts.onCommand?.(offset);
        dg2Offsets.push(offset);
        const next = pending[0];
        if (next !== undefined && offset >= next) {
          pending.shift();
          fired.push(offset);
          card.reset();
          if (opts.answer !== undefined) return opts.answer;
        }
      }
      return card.transceive(command, options);
    },
  };
  return { transport, dg2Offsets, fired };
}

/** A `reconnect` option that reconnects `card` and counts how often it was called. */
export function countingReconnect(card: EmulatedCard): {
  reconnect: () => Promise<void>;
  readonly calls: number;
} {
  let calls = 0;
  return {
    reconnect: async () => {
      calls++;
      card.reconnect();
    },
    get calls() {
      return calls;
    },
  };
}

/** Each data group in `dgs` was read equal to the chip's file. */
export function expectSameDataGroups(r: ReadCardResult, files: CardFiles, dgs: readonly number[]): void {
  for (const dg of dgs)
    expect(equalBytes(r.raw[dg] as Uint8Array, files.dataGroups.get(dg) as Uint8Array)).toBe(true);
}

/** EF.COM, EF.SOD and each data group in `dgs` were read equal to the chip's files. */
export function expectSameFiles(r: ReadCardResult, files: CardFiles, dgs: readonly number[]): void {
  expect(equalBytes(r.raw.com as Uint8Array, files.com)).toBe(true);
  expect(equalBytes(r.raw.sod as Uint8Array, files.sod)).toBe(true);
  expectSameDataGroups(r, files, dgs);
}

/**
 * After the first reset (at `fired[0]`), the refused DG2 READ BINARY was sent again at its
 * offset, and DG2 was not read again from its start.
 */
export function expectResumedAtSameOffset(w: {
  dg2Offsets: readonly number[];
  fired: readonly number[];
}): void {
  const at = w.fired[0] as number;
  expect(w.dg2Offsets[w.dg2Offsets.indexOf(at) + 1]).toBe(at);
  expect(w.dg2Offsets.filter((o) => o === 0)).toHaveLength(1);
}
