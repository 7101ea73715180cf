/**
 * A bare (unprotected) 6982 inside an open secure-messaging session. A chip reset behind our
 * back has no session and may refuse a file's SELECT or READ BINARY with a bare 6982 — then
 * readCard re-opens the session once on the same transport (PACE again; `reconnect` is not
 * needed, nor called: it is for a lost tag) and reads the file from the same offset. A protected
 * 6982 (DG3 behind EAC on the emulator) is the chip's real refusal: skipped at once. A bare 6982
 * that comes again after the restart skips the file, flagged `unprotectedStatus`.
 *
 * The emulator itself answers a protected command after a reset with a bare 6988 (see
 * silent-reset.test.ts); the wrappers here reset it and answer the bare 6982 such a chip may give.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmulatedCard, type EmulatedCard } from '../../src/emulator/index.ts';
import { type ReadCardResult, readCard } from '../../src/index.ts';
import { type ApduTransport, buildResponseApdu, parseResponseApdu } from '../../src/transport/index.ts';
import {
  countingReconnect,
  createFixture,
  expectResumedAtSameOffset,
  expectSameFiles,
  type Fixture,
  isProtected,
  readBinaryOf,
  silentResets,
} from './helpers.ts';

const DG1 = 0x0101;
const DG2 = 0x0102;
const DG3 = 0x0103;
const WITH_DG3 = ['COM', 'SOD', 'DG1', 'DG2', 'DG3', 'DG13', 'DG14', 'DG15'] as const;
const BARE_6982 = buildResponseApdu(new Uint8Array(0), 0x6982);

let cccd: Fixture;
beforeAll(async () => {
  cccd = await createFixture(71);
});

const sameFiles = (r: ReadCardResult, dgs: number[]): void => expectSameFiles(r, cccd.files, dgs);

/** DG3 alone was skipped as SECURITY_STATUS_NOT_SATISFIED, flagged `unprotectedStatus` or not. */
function expectDg3Skipped(r: ReadCardResult, flagged: boolean): void {
  if (flagged) {
    expect(r.skipped).toEqual([
      { file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED', unprotectedStatus: true },
    ]);
  } else {
    expect(r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
    expect(r.skipped[0]).not.toHaveProperty('unprotectedStatus');
  }
}

/**
 * Silently resets the chip before the first command for which `hit` holds (asked of every
 * command) and answers that command with a bare 6982, as a chip without a session may.
 */
function resetOnceWhen(card: EmulatedCard, hit: (command: Uint8Array) => boolean) {
  let fired = 0;
  const transport: ApduTransport = {
    async transceive(command, options) {
      if (hit(command) && fired === 0) {
        fired++;
        card.reset();
        return BARE_6982;
      }
      return card.transceive(command, options);
    },
  };
  return {
    transport,
    get fired() {
      return fired;
    },
  };
}

/**
 * A chip that answers every DG3 READ BINARY with a bare 6982 (keeping its session: the command
 * is processed, so both SSCs move on).
 */
function bareDg3(card: EmulatedCard) {
  let refused = 0;
  const transport: ApduTransport = {
    async transceive(command, options) {
      const dg3 = readBinaryOf(card, command, DG3) !== undefined;
      const response = await card.transceive(command, options);
      if (dg3) {
        // The chip refused under secure messaging (EAC); pass that on bare.
        if (parseResponseApdu(response).data.length === 0) throw new Error('expected a protected answer');
        refused++;
        return BARE_6982;
      }
      return response;
    },
  };
  return {
    transport,
    get refused() {
      return refused;
    },
  };
}

/**
 * Reads the card with DG3 through `bareDg3`, with a counting `reconnect` or none, and
 * `maxReconnects` when given: the result, how many DG3 reads were refused, and reconnect calls.
 */
async function readAlwaysBareDg3(opts: { reconnect: boolean; maxReconnects?: number }) {
  const card = createEmulatedCard(cccd.files);
  const w = bareDg3(card);
  const rc = countingReconnect(card);
  const r = await readCard(w.transport, {
    idNumber: cccd.person.idNumber,
    files: WITH_DG3,
    ...(opts.maxReconnects === undefined ? {} : { maxReconnects: opts.maxReconnects }),
    ...(opts.reconnect ? { reconnect: rc.reconnect } : {}),
  });
  return { r, refused: w.refused, calls: rc.calls };
}

describe('readCard and a bare 6982 in an open session', () => {
  it('silent reset mid-DG2 answered bare 6982: PACE again on the same transport, DG2 read whole from the same offset', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = silentResets(card, [7000], { answer: BARE_6982 });
    const rc = countingReconnect(card);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber, reconnect: rc.reconnect });
    expect(w.fired).toHaveLength(1);
    expect(rc.calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(card.state.access).toBe('pace');
    sameFiles(r, [1, 2, 13, 14, 15]);
    expectResumedAtSameOffset(w);
    expect(r.files.dg2?.faces[0]?.image).toEqual(cccd.person.face.jpeg);
  });

  it("silent reset answered bare 6982 to DG2's SELECT (or first read): one restart, DG2 read", async () => {
    const card = createEmulatedCard(cccd.files);
    // After DG1 the next SELECT is DG2's (its file ID is encrypted) — or, when the reader
    // addresses files by short EF identifier, the first READ BINARY of DG2.
    const w = resetOnceWhen(
      card,
      (command) =>
        (isProtected(command, 0xa4) || readBinaryOf(card, command, DG2) === 0) && card.state.selected === DG1,
    );
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      reconnect: countingReconnect(card).reconnect,
    });
    expect(w.fired).toBe(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('DG3 on the emulator (protected 6982, EAC): skipped without reconnecting, not flagged', async () => {
    const card = createEmulatedCard(cccd.files);
    const rc = countingReconnect(card);
    const r = await readCard(card, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      reconnect: rc.reconnect,
    });
    expect(rc.calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(card.stats.resets).toBe(0);
    expectDg3Skipped(r, false);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('silent reset before DG3 (bare 6982), then the protected EAC refusal: one restart, skipped', async () => {
    const card = createEmulatedCard(cccd.files);
    let dg3Reads = 0;
    const w = resetOnceWhen(card, (command) => {
      const dg3 = readBinaryOf(card, command, DG3) !== undefined;
      if (dg3) dg3Reads++;
      return dg3;
    });
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      reconnect: countingReconnect(card).reconnect,
    });
    expect(w.fired).toBe(1);
    // Tried again on the re-opened session, which refused it under secure messaging.
    expect(dg3Reads).toBe(2);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expectDg3Skipped(r, false);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('a chip that always refuses DG3 with a bare 6982: one restart, then skipped and flagged', async () => {
    const { r, refused, calls } = await readAlwaysBareDg3({ reconnect: true });
    expect(refused).toBe(2);
    expect(calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expectDg3Skipped(r, true);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('without reconnect: a bare 6982 for DG3, again after the restart: skipped, flagged, the other files intact', async () => {
    const { r, refused } = await readAlwaysBareDg3({ reconnect: false });
    expect(refused).toBe(2);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expectDg3Skipped(r, true);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('maxReconnects 0 does not limit restarts on the same transport: restarted once, skipped and flagged', async () => {
    const { r, refused, calls } = await readAlwaysBareDg3({ reconnect: true, maxReconnects: 0 });
    expect(calls).toBe(0);
    expect(refused).toBe(2);
    expect(r.sessionRestarts).toBe(1);
    expectDg3Skipped(r, true);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('without reconnect (as the README examples): silent reset mid-DG2 (bare 6982): PACE again, DG2 resumed at the same offset', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = silentResets(card, [7000], { answer: BARE_6982 });
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      files: ['COM', 'SOD', 'DG1', 'DG2'],
    });
    expect(w.fired).toHaveLength(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(card.stats.resets).toBe(1);
    expectResumedAtSameOffset(w);
    sameFiles(r, [1, 2]);
    expect(r.files.dg2?.faces[0]?.image).toEqual(cccd.person.face.jpeg);
  });
});
