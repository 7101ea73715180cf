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
import { type ReadCardResult, readCard } from '../../src/index.ts';
import { type ApduTransport, buildResponseApdu, parseResponseApdu } from '../../src/transport/index.ts';

const DG1 = 0x0101;
const DG2 = 0x0102;
const DG3 = 0x0103;
const WITH_DG3 = ['COM', 'SOD', 'DG1', 'DG2', 'DG3', 'DG13', 'DG14', 'DG15'] as const;
const BARE_6982 = buildResponseApdu(new Uint8Array(0), 0x6982);

let cccd: { person: SyntheticPerson; files: CardFiles };
beforeAll(async () => {
  const person = createSyntheticPerson(71);
  cccd = { person, files: await createCardFiles(person) };
});

const isProtected = (command: Uint8Array, ins: number): boolean =>
  (command[0] as number) === 0x0c && command[1] === ins;

/**
 * The offset of a protected READ BINARY (B0) of file `fid` (its header is in the clear): by
 * short EF identifier (P1 = 80|SFI, P2 = offset; the low byte of an LDS data group's FID is its
 * SFI) or, P1-P2 being the offset, of the file the chip has selected.
 */
function readBinaryOf(card: EmulatedCard, command: Uint8Array, fid: number): number | undefined {
  if (!isProtected(command, 0xb0)) return undefined;
  const p1 = command[2] as number;
  const p2 = command[3] as number;
  if ((p1 & 0x80) !== 0) return (p1 & 0x1f) === (fid & 0xff) ? p2 : undefined;
  return card.state.selected === fid ? (p1 << 8) | p2 : undefined;
}

function sameFiles(r: ReadCardResult, dgs: number[]): void {
  expect(equalBytes(r.raw.com as Uint8Array, cccd.files.com)).toBe(true);
  expect(equalBytes(r.raw.sod as Uint8Array, cccd.files.sod)).toBe(true);
  for (const dg of dgs)
    expect(equalBytes(r.raw[dg] as Uint8Array, cccd.files.dataGroups.get(dg) as Uint8Array)).toBe(true);
}

/**
 * Silently resets the chip before the first protected DG2 READ BINARY at or past `at` and
 * answers that command with a bare 6982, as a chip without a session may.
 */
function resetMidDg2(card: EmulatedCard, at: number) {
  const dg2Offsets: number[] = [];
  const fired: number[] = [];
  const transport: ApduTransport = {
    async transceive(command, options) {
      const offset = readBinaryOf(card, command, DG2);
      if (offset !== undefined) {
        dg2Offsets.push(offset);
        if (fired.length === 0 && offset >= at) {
          fired.push(offset);
          card.reset();
          return BARE_6982;
        }
      }
      return card.transceive(command, options);
    },
  };
  return { transport, dg2Offsets, fired };
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

describe('readCard and a bare 6982 in an open session', () => {
  it('silent reset mid-DG2 answered bare 6982: PACE again on the same transport, DG2 read whole from the same offset', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = resetMidDg2(card, 7000);
    let calls = 0;
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      reconnect: async () => {
        calls++;
        card.reconnect();
      },
    });
    expect(w.fired).toHaveLength(1);
    expect(calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(card.state.access).toBe('pace');
    sameFiles(r, [1, 2, 13, 14, 15]);
    const at = w.fired[0] as number;
    expect(w.dg2Offsets[w.dg2Offsets.indexOf(at) + 1]).toBe(at);
    expect(w.dg2Offsets.filter((o) => o === 0)).toHaveLength(1);
    expect(r.files.dg2?.faces[0]?.image).toEqual(cccd.person.face.jpeg);
  });

  it("silent reset answered bare 6982 to DG2's SELECT (or first read): one restart, DG2 read", async () => {
    const card = createEmulatedCard(cccd.files);
    let fired = 0;
    const transport: ApduTransport = {
      async transceive(command, options) {
        // After DG1 the next SELECT is DG2's (its file ID is encrypted) — or, when the reader
        // addresses files by short EF identifier, the first READ BINARY of DG2.
        const first = isProtected(command, 0xa4) || readBinaryOf(card, command, DG2) === 0;
        if (fired === 0 && first && card.state.selected === DG1) {
          fired++;
          card.reset();
          return BARE_6982;
        }
        return card.transceive(command, options);
      },
    };
    const r = await readCard(transport, {
      idNumber: cccd.person.idNumber,
      reconnect: async () => {
        card.reconnect();
      },
    });
    expect(fired).toBe(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('DG3 on the emulator (protected 6982, EAC): skipped without reconnecting, not flagged', async () => {
    const card = createEmulatedCard(cccd.files);
    let calls = 0;
    const r = await readCard(card, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      reconnect: async () => {
        calls++;
        card.reconnect();
      },
    });
    expect(calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(card.stats.resets).toBe(0);
    expect(r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
    expect(r.skipped[0]).not.toHaveProperty('unprotectedStatus');
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('silent reset before DG3 (bare 6982), then the protected EAC refusal: one restart, skipped', async () => {
    const card = createEmulatedCard(cccd.files);
    let fired = 0;
    let dg3Reads = 0;
    const transport: ApduTransport = {
      async transceive(command, options) {
        if (readBinaryOf(card, command, DG3) !== undefined) dg3Reads++;
        if (fired === 0 && readBinaryOf(card, command, DG3) !== undefined) {
          fired++;
          card.reset();
          return BARE_6982;
        }
        return card.transceive(command, options);
      },
    };
    const r = await readCard(transport, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      reconnect: async () => {
        card.reconnect();
      },
    });
    expect(fired).toBe(1);
    // Tried again on the re-opened session, which refused it under secure messaging.
    expect(dg3Reads).toBe(2);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
    expect(r.skipped[0]).not.toHaveProperty('unprotectedStatus');
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('a chip that always refuses DG3 with a bare 6982: one restart, then skipped and flagged', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = bareDg3(card);
    let calls = 0;
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      reconnect: async () => {
        calls++;
        card.reconnect();
      },
    });
    expect(w.refused).toBe(2);
    expect(calls).toBe(0);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([
      { file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED', unprotectedStatus: true },
    ]);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('without reconnect: a bare 6982 for DG3, again after the restart: skipped, flagged, the other files intact', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = bareDg3(card);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber, files: WITH_DG3 });
    expect(w.refused).toBe(2);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([
      { file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED', unprotectedStatus: true },
    ]);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('maxReconnects 0 does not limit restarts on the same transport: restarted once, skipped and flagged', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = bareDg3(card);
    let calls = 0;
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      files: WITH_DG3,
      maxReconnects: 0,
      reconnect: async () => {
        calls++;
        card.reconnect();
      },
    });
    expect(calls).toBe(0);
    expect(w.refused).toBe(2);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([
      { file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED', unprotectedStatus: true },
    ]);
    sameFiles(r, [1, 2, 13, 14, 15]);
  });

  it('without reconnect (as the README examples): silent reset mid-DG2 (bare 6982): PACE again, DG2 resumed at the same offset', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = resetMidDg2(card, 7000);
    const r = await readCard(w.transport, {
      idNumber: cccd.person.idNumber,
      files: ['COM', 'SOD', 'DG1', 'DG2'],
    });
    expect(w.fired).toHaveLength(1);
    expect(r.reconnects).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(r.skipped).toEqual([]);
    expect(card.stats.resets).toBe(1);
    const at = w.fired[0] as number;
    expect(w.dg2Offsets[w.dg2Offsets.indexOf(at) + 1]).toBe(at);
    expect(w.dg2Offsets.filter((o) => o === 0)).toHaveLength(1);
    sameFiles(r, [1, 2]);
    expect(r.files.dg2?.faces[0]?.image).toEqual(cccd.person.face.jpeg);
  });
});
