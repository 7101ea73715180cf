/**
 * Active and Chip Authentication end to end against the software chip (the emulator): PACE-CAN,
 * DG14/DG15 read over secure messaging, AA (RSA-2048 as the CCCD, and ECDSA brainpoolP256r1 with
 * the hash from DG14), CA (explicit brainpoolP256r1, AES-128) with a protected read after the
 * key switch, and the cloned-chip fault detected by both.
 */
import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type EmulatedCard,
} from '../../src/emulator/index.ts';
import { performActiveAuthentication } from '../../src/protocols/aa.ts';
import { performChipAuthentication, selectFileProbe } from '../../src/protocols/ca.ts';
import { performPace } from '../../src/protocols/pace/index.ts';
import { readFile, selectApplication } from '../../src/reading/index.ts';
import type { SecureChannel } from '../../src/sm/index.ts';

async function open(files: CardFiles, card: EmulatedCard): Promise<SecureChannel> {
  const { channel } = await performPace(
    card,
    { can: files.access.can },
    files.pace as { oid: string; parameterId: number },
  );
  await selectApplication(channel);
  return channel;
}

let rsaFiles: CardFiles;
let ecFiles: CardFiles;
beforeAll(async () => {
  rsaFiles = await createCardFiles(createSyntheticPerson(41));
  ecFiles = await createCardFiles(createSyntheticPerson(42), { aaKey: 'ecdsa' });
}, 60_000);

describe('software chip: AA then CA over PACE', () => {
  it('RSA-2048 AA and CA (explicit brainpoolP256r1) pass; reads continue under the CA keys', async () => {
    const card = createEmulatedCard(rsaFiles);
    const channel = await open(rsaFiles, card);
    const dg15 = await readFile(channel, 0x010f);
    const dg14 = await readFile(channel, 0x010e);
    expect(equalBytes(dg15, rsaFiles.dataGroups.get(15) as Uint8Array)).toBe(true);

    const aa = await performActiveAuthentication(channel, { dg15, dg14 });
    expect(aa).toMatchObject({ ok: true, algorithm: 'RSA-ISO9796-2', keyBits: 2048 });

    const ca = await performChipAuthentication(channel, { dg14, probe: selectFileProbe(0x011e) });
    expect(ca).toMatchObject({
      ok: true,
      proven: true,
      keyAgreement: 'ECDH',
      cipher: 'aes',
      keyBits: 128,
      domainName: 'brainpoolP256r1',
      commands: 'AT',
    });
    expect(card.state.chipAuthenticated).toBe(true);
    expect(equalBytes(await readFile(channel, 0x0101), rsaFiles.dataGroups.get(1) as Uint8Array)).toBe(true);
  });

  it('ECDSA brainpoolP256r1 AA with the hash named in DG14', async () => {
    const card = createEmulatedCard(ecFiles);
    const channel = await open(ecFiles, card);
    const dg15 = await readFile(channel, 0x010f);
    const dg14 = await readFile(channel, 0x010e);
    expect(await performActiveAuthentication(channel, { dg15, dg14 })).toMatchObject({
      ok: true,
      algorithm: 'ECDSA',
      hash: 'SHA-256',
    });
  });

  it('a cloned chip fails both: AA reports a bad signature, CA reports CLONED_CHIP', async () => {
    const card = createEmulatedCard(rsaFiles);
    const channel = await open(rsaFiles, card);
    const dg15 = await readFile(channel, 0x010f);
    const dg14 = await readFile(channel, 0x010e);
    card.faults.clonedChip = true;
    const aa = await performActiveAuthentication(channel, { dg15 });
    expect(aa.ok).toBe(false);
    expect(aa.reason).toBeDefined();
    const ca = await performChipAuthentication(channel, { dg14, probe: selectFileProbe(0x011e) });
    expect(ca).toMatchObject({ ok: false, proven: false, reason: 'CLONED_CHIP' });
  });

  it('a cloned chip without a probe: the next protected read fails with an SM error', async () => {
    const card = createEmulatedCard(rsaFiles);
    const channel = await open(rsaFiles, card);
    const dg14 = await readFile(channel, 0x010e);
    card.faults.clonedChip = true;
    expect((await performChipAuthentication(channel, { dg14 })).ok).toBe(true);
    await expect(readFile(channel, 0x0101)).rejects.toMatchObject({
      code: 'SM_REJECTED', // the clone refuses our MAC (6988); one answering anyway fails ours (round-trip.test.ts)
    });
  });
});
