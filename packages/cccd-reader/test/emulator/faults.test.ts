import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardFiles, createEmulatedCard, faultFileId } from '../../src/emulator/index.ts';
import { parseDg1, parseDg2 } from '../../src/lds/index.ts';
import { createTrustStore, verifyPassive } from '../../src/pa/index.ts';
import { performActiveAuthentication } from '../../src/protocols/aa.ts';
import { performPace } from '../../src/protocols/index.ts';
import { createFileReader, ReadProgress, readFile, selectApplication } from '../../src/reading/index.ts';
import type { ApduTransport } from '../../src/transport/index.ts';
import { filesFor, SW_OK, send } from './helpers.ts';

let files: CardFiles;
beforeAll(async () => {
  files = await filesFor();
});

async function open(card: ApduTransport) {
  const r = await performPace(card, { can: files.access.can }, files.pace as never);
  await selectApplication(r.channel);
  return r.channel;
}

describe('faults', () => {
  it('wrongMac: the next SM response fails its MAC check, once', async () => {
    const card = createEmulatedCard(files);
    const channel = await open(card);
    card.faults.wrongMac = true;
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({ code: 'SM_MAC_MISMATCH' });
    expect(card.faults.wrongMac).toBeUndefined();
  });

  it('wrongMac: N corrupts exactly the N-th SM response', async () => {
    const card = createEmulatedCard(files);
    const channel = await open(card);
    const target = card.stats.smResponses + 3;
    card.faults.wrongMac = target;
    await send(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(1, 1) });
    await send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4 });
    await expect(send(channel, { cla: 0, ins: 0xb0, p1: 0, p2: 4, le: 4 })).rejects.toMatchObject({
      code: 'SM_MAC_MISMATCH',
    });
    expect(card.stats.smResponses).toBe(target);
  });

  it('truncatedResponse: a cut response is a typed error, never a crash', async () => {
    const card = createEmulatedCard(files);
    const channel = await open(card);
    card.faults.truncatedResponse = true;
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({ code: expect.stringMatching(/^SM_/) });
    const plain = createEmulatedCard(files, { faults: { truncatedResponse: { keep: 1 } } });
    await expect(performPace(plain, { can: files.access.can }, files.pace as never)).rejects.toMatchObject({
      code: 'PACE_FAILED',
      context: { step: 'MSE_SET_AT' },
    });
    const at = createEmulatedCard(files, { faults: { truncatedResponse: 2 } });
    expect((await send(at, '00A4020C02011C')).sw).toBe(SW_OK);
    // Data 31 34 30 0D 90 00 cut to half: what is left is read as one byte and a bogus SW.
    const cut = await at.transceive(Uint8Array.of(0, 0xb0, 0, 0, 4));
    expect(cut).toEqual(files.cardAccess?.subarray(0, 3));
  });

  it('wrongSw: the chosen command (by number or instruction) gets the status word, protected under SM', async () => {
    const card = createEmulatedCard(files);
    const channel = await open(card);
    card.faults.wrongSw = { sw: 0x6a82, ins: 0xa4 };
    // The fault hits the SELECT: read without the short EF identifier.
    await expect(readFile(channel, 0x0101, { shortFileId: false })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    expect(card.faults.wrongSw).toBeUndefined();
    expect(equalBytes(await readFile(channel, 0x0101), files.dataGroups.get(1) as Uint8Array)).toBe(true);
    const plain = createEmulatedCard(files, { faults: { wrongSw: { sw: 0x6f00, at: 2 } } });
    expect((await send(plain, '00A4020C02011C')).sw).toBe(SW_OK);
    expect((await send(plain, '00B0000004')).sw).toBe(0x6f00);
    expect((await send(plain, '00B0000004')).sw).toBe(SW_OK);
  });

  it('lostConnectionAt: TRANSPORT_FAILED once, the chip forgets its session, a new session resumes the read', async () => {
    const card = createEmulatedCard(files, { faults: { lostConnectionAt: { file: 'DG2', offset: 5000 } } });
    const channel = await open(card);
    const progress = new ReadProgress(0x0102);
    await expect(readFile(channel, 0x0102, { progress })).rejects.toMatchObject({ code: 'TRANSPORT_FAILED' });
    expect(card.state).toMatchObject({ access: 'none', df: 'mf', selected: null });
    expect(card.stats.resets).toBe(1);
    expect(card.faults.lostConnectionAt).toBeUndefined();
    // The old channel is useless now: the chip has no session.
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({
      code: 'SM_REJECTED',
      context: { sw: 0x6988 },
    });
    const again = await open(card);
    const before = card.stats.apdus;
    const dg2 = await readFile(again, 0x0102, { progress });
    expect(equalBytes(dg2, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(parseDg2(dg2).faces[0]?.width).toBe(300);
    // Resumed from where it stopped: fewer READ BINARYs than the whole file needs.
    expect(card.stats.apdus - before).toBeLessThan(Math.ceil(dg2.length / 223));
  });

  it('lostConnectionAt names files by FID, data-group number or name', () => {
    expect(faultFileId('DG2')).toBe(0x0102);
    expect(faultFileId(13)).toBe(0x010d);
    expect(faultFileId(0x011d)).toBe(0x011d);
    expect(faultFileId('SOD')).toBe(0x011d);
    expect(faultFileId('nope' as never)).toBeUndefined();
  });

  it('tamperedDg: the served DG still parses but passive authentication reports the mismatch', async () => {
    for (const dg of [1, 2, 13, 15]) {
      const card = createEmulatedCard(files, { faults: { tamperedDg: dg } });
      const channel = await open(card);
      const reader = createFileReader(channel);
      const read = new Map<number, Uint8Array>();
      for (const n of [1, 2, 13, 14, 15]) read.set(n, await reader.readFile(0x0100 + n));
      const sod = await reader.readFile(0x011d);
      expect(equalBytes(read.get(dg) as Uint8Array, files.dataGroups.get(dg) as Uint8Array)).toBe(false);
      if (dg === 1)
        expect(parseDg1(read.get(1) as Uint8Array).mrz.vietnam?.idNumber).toBe(files.person.idNumber);
      const report = await verifyPassive(
        { sod, files: read },
        { trustStore: createTrustStore({ certificates: [files.trust.csca] }) },
      );
      expect(report.ok).toBe(false);
      expect(report.dataGroups.filter((d) => d.status === 'mismatch').map((d) => d.dataGroup)).toEqual([dg]);
    }
    const offset = createEmulatedCard(files, { faults: { tamperedDg: { dg: 14, offset: 0 } } });
    const channel = await open(offset);
    const dg14 = await readFile(channel, 0x010e);
    expect(dg14[0]).toBe(0x6f);
    expect(equalBytes(dg14.subarray(1), (files.dataGroups.get(14) as Uint8Array).subarray(1))).toBe(true);
  });

  it('clonedChip toggled between commands: AA passes, then fails', async () => {
    const card = createEmulatedCard(files, { extendedLength: true });
    const channel = await open(card);
    const dg15 = files.dataGroups.get(15) as Uint8Array;
    expect((await performActiveAuthentication(channel, { dg15 })).ok).toBe(true);
    card.faults = { clonedChip: true };
    expect((await performActiveAuthentication(channel, { dg15 })).ok).toBe(false);
    card.faults.clonedChip = false;
    expect((await performActiveAuthentication(channel, { dg15 })).ok).toBe(true);
  });

  it('a whole read with every fault off matches, and small maxLe still reads everything', async () => {
    const card = createEmulatedCard(files, { maxLe: 64 });
    const channel = await open(card);
    expect(equalBytes(await readFile(channel, 0x010d), files.dataGroups.get(13) as Uint8Array)).toBe(true);
  });
});
