/**
 * A chip reset behind our back (another PC/SC client resets the card while one of our commands
 * is queued): the command reaches a chip without a secure-messaging session, which answers a
 * bare 6988 (`SM_REJECTED`), and no reset is reported by the transport. The chip still answers,
 * so readCard opens the session again on the same transport (PACE/BAC, CA when it was on) and
 * resumes at the offset, without calling `reconnect` (kept for a lost tag) — but never after a
 * response whose MAC does not verify.
 */
import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { ReaderError, readCard } from '../../src/index.ts';
import { MAX_SESSION_RESTARTS } from '../../src/reading/card-session.ts';
import { type ApduTransport, buildResponseApdu } from '../../src/transport/index.ts';

const DG2 = 0x0102;

interface Fixture {
  person: SyntheticPerson;
  files: CardFiles;
}

let cccd: Fixture;
let bacOnly: Fixture;
beforeAll(async () => {
  const person = createSyntheticPerson(61);
  cccd = { person, files: await createCardFiles(person) };
  const other = createSyntheticPerson(62);
  bacOnly = { person: other, files: await createCardFiles(other, { pace: false }) };
});

/**
 * A protected READ BINARY (B0) of DG2: its offset is in the clear header (P1-P2; with a short EF
 * identifier, P1 = 80|SFI names the file and P2 is the offset).
 */
function dg2ReadOffset(command: Uint8Array, card: EmulatedCard): number | undefined {
  if ((command[0] as number) !== 0x0c || command[1] !== 0xb0) return undefined;
  const p1 = command[2] as number;
  const p2 = command[3] as number;
  if (p1 & 0x80) return (p1 & 0x1f) === (DG2 & 0xff) ? p2 : undefined;
  return card.state.selected === DG2 ? ((p1 & 0x7f) << 8) | p2 : undefined;
}

interface Wrapped {
  transport: ApduTransport;
  /** Offsets of the protected DG2 READ BINARY commands that reached the chip, in order. */
  dg2Offsets: number[];
  /** Offsets before which the chip was reset so far. */
  fired: number[];
}

/**
 * Forwards to `card`; before the first protected READ BINARY of DG2 at or past each offset in
 * `resetsAt`, resets the chip silently (the command then reaches a chip without a session).
 * `onCommand` may change the card's faults first.
 */
function silentResets(card: EmulatedCard, resetsAt: number[], onCommand?: (offset: number) => void): Wrapped {
  const pending = [...resetsAt];
  const dg2Offsets: number[] = [];
  const fired: number[] = [];
  const transport: ApduTransport = {
    async transceive(command, options) {
      const offset = dg2ReadOffset(command, card);
      if (offset !== undefined) {
        onCommand?.(offset);
        const next = pending[0];
        if (next !== undefined && offset >= next) {
          pending.shift();
          fired.push(offset);
          card.reset();
        }
        dg2Offsets.push(offset);
      }
      return card.transceive(command, options);
    },
  };
  return { transport, dg2Offsets, fired };
}

async function errorOf(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReaderError);
  return e as ReaderError;
}

describe('readCard after a silent chip reset (bare 6988 instead of a transport error)', () => {
  it.each([
    ['without reconnect', false],
    ['with reconnect (not called)', true],
  ])(
    'mid-DG2, %s: re-opens with PACE on the same transport and resumes at the same offset; bytes equal',
    async (_n, withReconnect) => {
      const card = createEmulatedCard(cccd.files);
      const w = silentResets(card, [7000]);
      let calls = 0;
      const r = await readCard(w.transport, {
        idNumber: cccd.person.idNumber,
        ...(withReconnect
          ? {
              reconnect: async () => {
                calls++;
                card.reconnect();
              },
            }
          : {}),
      });
      expect(w.fired).toHaveLength(1);
      expect(calls).toBe(0);
      expect(r.reconnects).toBe(0);
      expect(r.sessionRestarts).toBe(1);
      expect(r.accessMethod).toBe('PACE-CAN');
      expect(card.state.access).toBe('pace');
      for (const [name, key] of [
        ['com', 'com'],
        ['sod', 'sod'],
      ] as const)
        expect(equalBytes(r.raw[key] as Uint8Array, cccd.files[name])).toBe(true);
      for (const dg of [1, 2, 13, 14, 15])
        expect(equalBytes(r.raw[dg] as Uint8Array, cccd.files.dataGroups.get(dg) as Uint8Array)).toBe(true);
      // The rejected command is sent again at its offset, not from the start of DG2.
      const at = w.fired[0] as number;
      const i = w.dg2Offsets.indexOf(at);
      expect(w.dg2Offsets[i + 1]).toBe(at);
      expect(w.dg2Offsets.filter((o) => o === 0)).toHaveLength(1);
      expect(r.files.dg2?.faces[0]?.image).toEqual(cccd.person.face.jpeg);
    },
  );

  it('over BAC with Chip Authentication on: BAC and CA again after the reset', async () => {
    const card = createEmulatedCard(bacOnly.files);
    const w = silentResets(card, [5000]);
    const r = await readCard(w.transport, {
      idNumber: bacOnly.person.idNumber,
      dateOfBirth: bacOnly.person.dateOfBirth,
      dateOfExpiry: bacOnly.person.dateOfExpiry,
      authenticate: { chip: true },
      reconnect: async () => {
        card.reconnect();
      },
    });
    expect(w.fired).toHaveLength(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.accessMethod).toBe('BAC');
    expect(r.verification?.chip?.ok).toBe(true);
    expect(card.state.access).toBe('bac');
    expect(card.state.chipAuthenticated).toBe(true);
    for (const dg of [1, 2, 13, 14, 15])
      expect(equalBytes(r.raw[dg] as Uint8Array, bacOnly.files.dataGroups.get(dg) as Uint8Array)).toBe(true);
  });

  it(`more silent resets than MAX_SESSION_RESTARTS (${MAX_SESSION_RESTARTS}): SM_REJECTED after that many restarts`, async () => {
    const card = createEmulatedCard(cccd.files);
    const w = silentResets(card, [2000, 4000, 6000, 8000]);
    let calls = 0;
    const e = await errorOf(
      readCard(w.transport, {
        idNumber: cccd.person.idNumber,
        reconnect: async () => {
          calls++;
          card.reconnect();
        },
      }),
    );
    expect(w.fired).toHaveLength(MAX_SESSION_RESTARTS + 1);
    expect(calls).toBe(0);
    expect(e.code).toBe('SM_REJECTED');
    expect(e.context.sw).toBe(0x6988);
  });

  it('two silent resets: both resumed on the same transport', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = silentResets(card, [3000, 9000]);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber });
    expect(w.fired).toHaveLength(2);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(2);
    expect(equalBytes(r.raw[2] as Uint8Array, cccd.files.dataGroups.get(2) as Uint8Array)).toBe(true);
  });

  it('a wrong MAC mid-DG2 stays SM_MAC_MISMATCH: no reconnection', async () => {
    const card = createEmulatedCard(cccd.files);
    let armed = true;
    const w = silentResets(card, [], (offset) => {
      if (armed && offset >= 7000) {
        armed = false;
        card.faults.wrongMac = true;
      }
    });
    let calls = 0;
    const e = await errorOf(
      readCard(w.transport, {
        idNumber: cccd.person.idNumber,
        reconnect: async () => {
          calls++;
          card.reconnect();
        },
      }),
    );
    expect(armed).toBe(false);
    expect(card.faults.wrongMac).toBeUndefined();
    expect(e.code).toBe('SM_MAC_MISMATCH');
    expect(calls).toBe(0);
  });

  it('a command the chip always rejects (6987) is retried once, then SM_REJECTED', async () => {
    const card = createEmulatedCard(cccd.files);
    let rejected = 0;
    const transport: ApduTransport = {
      async transceive(command, options) {
        const offset = dg2ReadOffset(command, card);
        if (offset !== undefined && offset >= 7000) {
          rejected++;
          // The chip drops its session on an SM error (ICAO 9303-11 §9.8.6).
          card.reset();
          return buildResponseApdu(new Uint8Array(0), 0x6987);
        }
        return card.transceive(command, options);
      },
    };
    let calls = 0;
    const e = await errorOf(
      readCard(transport, {
        idNumber: cccd.person.idNumber,
        maxReconnects: 5,
        reconnect: async () => {
          calls++;
          card.reconnect();
        },
      }),
    );
    expect(e.code).toBe('SM_REJECTED');
    expect(e.context.sw).toBe(0x6987);
    expect(rejected).toBe(2);
    expect(calls).toBe(0);
  });

  it('a silent reset before Active Authentication: INTERNAL AUTHENTICATE runs again', async () => {
    const card = createEmulatedCard(cccd.files);
    let armed = true;
    const transport: ApduTransport = {
      async transceive(command, options) {
        if (armed && command[0] === 0x0c && command[1] === 0x88) {
          armed = false;
          card.reset();
        }
        return card.transceive(command, options);
      },
    };
    const r = await readCard(transport, {
      idNumber: cccd.person.idNumber,
      authenticate: { active: true },
      reconnect: async () => {
        card.reconnect();
      },
    });
    expect(armed).toBe(false);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.verification?.active?.ok).toBe(true);
  });
});
