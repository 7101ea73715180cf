/**
 * A chip reset behind our back (another PC/SC client resets the card while one of our commands
 * is queued): the command reaches a chip without a secure-messaging session, which answers a
 * bare 6988 (`SM_REJECTED`), and no reset is reported by the transport. The chip still answers,
 * so readCard opens the session again on the same transport (PACE/BAC, CA when it was on) and
 * resumes at the offset, without calling `reconnect` (kept for a lost tag) — but never after a
 * response whose MAC does not verify.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmulatedCard } from '../../src/emulator/index.ts';
import { ReaderError, readCard } from '../../src/index.ts';
import { MAX_SESSION_RESTARTS } from '../../src/reading/card-session.ts';
import { type ApduTransport, buildResponseApdu } from '../../src/transport/index.ts';
import {
  countingReconnect,
  createFixture,
  expectResumedAtSameOffset,
  expectSameDataGroups,
  expectSameFiles,
  type Fixture,
  readBinaryOf,
  silentResets,
} from './helpers.ts';

const DG2 = 0x0102;

let cccd: Fixture;
let bacOnly: Fixture;
beforeAll(async () => {
  cccd = await createFixture(61);
  bacOnly = await createFixture(62, { pace: false });
});

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
      const rc = countingReconnect(card);
      const r = await readCard(w.transport, {
        idNumber: cccd.person.idNumber,
        ...(withReconnect ? { reconnect: rc.reconnect } : {}),
      });
      expect(w.fired).toHaveLength(1);
      expect(rc.calls).toBe(0);
      expect(r.reconnects).toBe(0);
      expect(r.sessionRestarts).toBe(1);
      expect(r.accessMethod).toBe('PACE-CAN');
      expect(card.state.access).toBe('pace');
      expectSameFiles(r, cccd.files, [1, 2, 13, 14, 15]);
      // The rejected command is sent again at its offset, not from the start of DG2.
      expectResumedAtSameOffset(w);
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
      reconnect: countingReconnect(card).reconnect,
    });
    expect(w.fired).toHaveLength(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.accessMethod).toBe('BAC');
    expect(r.verification?.chip?.ok).toBe(true);
    expect(card.state.access).toBe('bac');
    expect(card.state.chipAuthenticated).toBe(true);
    expectSameDataGroups(r, bacOnly.files, [1, 2, 13, 14, 15]);
  });

  it(`more silent resets than MAX_SESSION_RESTARTS (${MAX_SESSION_RESTARTS}): SM_REJECTED after that many restarts`, async () => {
    const card = createEmulatedCard(cccd.files);
    const w = silentResets(card, [2000, 4000, 6000, 8000]);
    const rc = countingReconnect(card);
    const e = await errorOf(
      readCard(w.transport, { idNumber: cccd.person.idNumber, reconnect: rc.reconnect }),
    );
    expect(w.fired).toHaveLength(MAX_SESSION_RESTARTS + 1);
    expect(rc.calls).toBe(0);
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
    expectSameDataGroups(r, cccd.files, [2]);
  });

  it('a wrong MAC mid-DG2 stays SM_MAC_MISMATCH: no reconnection', async () => {
    const card = createEmulatedCard(cccd.files);
    let armed = true;
    const w = silentResets(card, [], {
      onCommand: (offset) => {
        if (armed && offset >= 7000) {
          armed = false;
          card.faults.wrongMac = true;
        }
      },
    });
    const rc = countingReconnect(card);
    const e = await errorOf(
      readCard(w.transport, { idNumber: cccd.person.idNumber, reconnect: rc.reconnect }),
    );
    expect(armed).toBe(false);
    expect(card.faults.wrongMac).toBeUndefined();
    expect(e.code).toBe('SM_MAC_MISMATCH');
    expect(rc.calls).toBe(0);
  });

  it('a command the chip always rejects (6987) is retried once, then SM_REJECTED', async () => {
    const card = createEmulatedCard(cccd.files);
    let rejected = 0;
    const transport: ApduTransport = {
      async transceive(command, options) {
        const offset = readBinaryOf(card, command, DG2);
        if (offset !== undefined && offset >= 7000) {
          rejected++;
          // The chip drops its session on an SM error (ICAO 9303-11 §9.8.6).
          card.reset();
          return buildResponseApdu(new Uint8Array(0), 0x6987);
        }
        return card.transceive(command, options);
      },
    };
    const rc = countingReconnect(card);
    const e = await errorOf(
      readCard(transport, { idNumber: cccd.person.idNumber, maxReconnects: 5, reconnect: rc.reconnect }),
    );
    expect(e.code).toBe('SM_REJECTED');
    expect(e.context.sw).toBe(0x6987);
    expect(rejected).toBe(2);
    expect(rc.calls).toBe(0);
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
      reconnect: countingReconnect(card).reconnect,
    });
    expect(armed).toBe(false);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.verification?.active?.ok).toBe(true);
  });
});
