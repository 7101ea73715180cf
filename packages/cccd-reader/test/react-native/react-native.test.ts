/**
 * The React Native transport over a faithful fake of react-native-nfc-manager (both platforms'
 * shapes, fake-nfc-manager.ts) in front of the software chip: full reads, a tag lost mid-DG2
 * with reconnection, extended length by the controller's limit, timeouts, cancellation, and the
 * bridge's byte arrays checked both ways.
 */
import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { ReaderError, readCard } from '../../src/index.ts';
import { createTrustStore } from '../../src/pa/index.ts';
import {
  classifyNativeError,
  createReactNativeTransport,
  type NfcManagerAndroidLike,
  type NfcManagerIosLike,
} from '../../src/react-native/index.ts';
import { createFakeNfcManager, type FakeNfc, TagConnectionLost, UserCancel } from './fake-nfc-manager.ts';

let person: SyntheticPerson;
let files: CardFiles;
beforeAll(async () => {
  person = createSyntheticPerson(23);
  files = await createCardFiles(person);
});

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ReaderError);
  return e as ReaderError;
}

const PLATFORMS = ['android', 'ios'] as const;

/** SELECT by AID of the eMRTD applet (A0 00 00 02 47 10 01), which the chip answers 9000. */
const SELECT_APPLET = new Uint8Array([
  0x00, 0xa4, 0x04, 0x0c, 0x07, 0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
]);

async function connect(fake: FakeNfc, platform: 'android' | 'ios', timeoutMs?: number) {
  await fake.requestTechnology('IsoDep');
  return createReactNativeTransport(fake.module as unknown as NfcManagerAndroidLike & NfcManagerIosLike, {
    platform,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

describe.each(PLATFORMS)('createReactNativeTransport (%s)', (platform) => {
  it('reads the whole card with PA, AA and CA; every file equals the chip', async () => {
    const card = createEmulatedCard(files, { extendedLength: true, iosQuirk: platform === 'ios' });
    const fake = createFakeNfcManager({ platform, card });
    const t = await connect(fake, platform);
    const r = await readCard(t, {
      idNumber: person.idNumber,
      reading: t.reading,
      authenticate: {
        passive: createTrustStore({ certificates: [files.trust.csca] }),
        active: true,
        chip: true,
      },
    });
    expect(r.accessMethod).toBe('PACE-CAN');
    expect(r.verification?.ok).toBe(true);
    expect(equalBytes(r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(equalBytes(r.raw.sod as Uint8Array, files.sod)).toBe(true);
    expect(r.files.dg13?.idNumber).toBe(person.idNumber);
    expect(r.reconnects).toBe(0);
    expect(fake.violations).toEqual([]);
    expect(fake.stats.commands).toBeGreaterThan(10);
    if (platform === 'android') expect(fake.stats.timeoutMs).toBe(5000);
  });

  it('a tag lost mid-DG2 is TRANSPORT_FAILED; readCard reconnects and resumes; bytes equal', async () => {
    const card = createEmulatedCard(files, { iosQuirk: platform === 'ios' });
    card.faults.lostConnectionAt = { file: 'DG2', offset: 3000 };
    const fake = createFakeNfcManager({ platform, card });
    const t = await connect(fake, platform);
    let reconnects = 0;
    const r = await readCard(t, {
      idNumber: person.idNumber,
      reading: t.reading,
      reconnect: async () => {
        reconnects++;
        await fake.cancelTechnologyRequest();
        return connect(fake, platform);
      },
    });
    expect(card.faults.lostConnectionAt).toBeUndefined();
    expect(reconnects).toBe(1);
    expect(r.reconnects).toBe(1);
    expect(t.usable).toBe(false);
    expect(fake.stats.requests).toBe(2);
    expect(equalBytes(r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('without reconnect the lost tag surfaces as TRANSPORT_FAILED (step TAG_LOST) with file and offset', async () => {
    const card = createEmulatedCard(files);
    card.faults.lostConnectionAt = { file: 'DG2', offset: 3000 };
    const fake = createFakeNfcManager({ platform, card });
    const t = await connect(fake, platform);
    const e = await rejection(readCard(t, { idNumber: person.idNumber, reading: t.reading }));
    expect(e.code).toBe('TRANSPORT_FAILED');
    const causes: ReaderError[] = [];
    for (let x: unknown = e; x instanceof ReaderError; x = x.cause) causes.push(x);
    expect(causes.some((c) => c.context.step === 'TAG_LOST')).toBe(true);
  });

  it('after cancelTechnologyRequest the transport fails with TRANSPORT_FAILED, never a native call that succeeds', async () => {
    const card = createEmulatedCard(files);
    const fake = createFakeNfcManager({ platform, card });
    const t = await connect(fake, platform);
    expect(Array.from(await t.transceive(SELECT_APPLET)).slice(-2)).toEqual([0x90, 0x00]);
    await fake.cancelTechnologyRequest();
    const e = await rejection(t.transceive(SELECT_APPLET));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.context.step).toBe('NOT_CONNECTED');
    expect(t.usable).toBe(false);
    // And once broken, it refuses without calling the module again.
    expect((await rejection(t.transceive(SELECT_APPLET))).code).toBe('TRANSPORT_FAILED');
  });

  it('a chip that never answers: TRANSPORT_FAILED (step TIMEOUT), and the transport is retired', async () => {
    const card = createEmulatedCard(files);
    const fake = createFakeNfcManager({
      platform,
      card,
      beforeCommand: (_c, i) => (i === 1 ? 'hang' : undefined),
    });
    const t = await connect(fake, platform, 30);
    await t.transceive(SELECT_APPLET);
    const e = await rejection(t.transceive(SELECT_APPLET));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.context.step).toBe('TIMEOUT');
    expect(t.usable).toBe(false);
    expect(fake.stats.commands).toBe(2);
    await rejection(t.transceive(SELECT_APPLET));
    expect(fake.stats.commands).toBe(2);
  });

  it.each([
    // Command 15 is a READ BINARY under secure messaging, after PACE.
    ['the NFC session during a file read is ABORTED, and readCard does not reconnect', 15],
    // Command 4 is a PACE GENERAL AUTHENTICATE (after EF.CardAccess and MSE:Set AT).
    ['during PACE is ABORTED too, not a reconnection', 4],
  ] as const)('the user cancelling %s', async (_what, at) => {
    const card = createEmulatedCard(files);
    const fake = createFakeNfcManager({
      platform,
      card,
      beforeCommand: (_c, i) => (i === at ? 'cancel' : undefined),
    });
    const t = await connect(fake, platform);
    let reconnects = 0;
    const e = await rejection(
      readCard(t, {
        idNumber: person.idNumber,
        reading: t.reading,
        reconnect: async () => {
          reconnects++;
          return connect(fake, platform);
        },
      }),
    );
    expect(e.code).toBe('ABORTED');
    expect(reconnects).toBe(0);
  });

  it('an aborted signal rejects ABORTED before the native call', async () => {
    const fake = createFakeNfcManager({ platform, card: createEmulatedCard(files) });
    const t = await connect(fake, platform);
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(t.transceive(new Uint8Array([0, 0xa4, 0, 0]), { signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    expect(fake.stats.commands).toBe(0);
  });

  it('checks the bytes: commands must be Uint8Array APDUs; responses that are not bytes are INVALID_RESPONSE', async () => {
    const bad: Record<string, unknown> =
      platform === 'android'
        ? {
            isoDepHandler: { transceive: async () => [0x90, 256] },
            setTimeout: async () => {},
            getMaxTransceiveLength: async () => 261,
          }
        : { sendCommandAPDUIOS: async () => ({ response: [1.5], sw1: 0x90, sw2: 0 }) };
    const t = await createReactNativeTransport(bad as unknown as NfcManagerAndroidLike, { platform });
    expect((await rejection(t.transceive(new Uint8Array([0, 0xb0, 0, 0, 4])))).code).toBe('INVALID_RESPONSE');
    expect((await rejection(t.transceive([0, 0xb0, 0, 0] as unknown as Uint8Array))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('extended length follows the controller (Android getMaxTransceiveLength)', () => {
  it('65279 (extended-capable controller): reports it, and the reader reads in extended APDUs', async () => {
    const card = createEmulatedCard(files, { extendedLength: true });
    const fake = createFakeNfcManager({ platform: 'android', card, maxTransceiveLength: 65279 });
    const t = await connect(fake, 'android');
    expect(t.maxApduLength).toBe(65279);
    expect(t.extendedLength).toBe(true);
    expect(t.reading).toEqual({ extendedLength: 'auto', extendedResponseLimit: 4096 });
    const r = await readCard(t, { idNumber: person.idNumber, reading: t.reading });
    expect(equalBytes(r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(fake.stats.extended).toBeGreaterThan(0);
    expect(fake.violations).toEqual([]);
  });

  it('261 (no extended length): the reader is told not to try, sends no extended APDU, and still reads everything', async () => {
    const card = createEmulatedCard(files, { extendedLength: true });
    const fake = createFakeNfcManager({ platform: 'android', card, maxTransceiveLength: 261 });
    const t = await connect(fake, 'android');
    expect(t.extendedLength).toBe(false);
    expect(t.reading).toEqual({ extendedLength: false });
    const r = await readCard(t, { idNumber: person.idNumber, reading: t.reading });
    expect(equalBytes(r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(fake.stats.extended).toBe(0);
    expect(fake.violations).toEqual([]);
  });

  it('an extended or oversized command on a 261-byte controller is refused before it reaches the module', async () => {
    const fake = createFakeNfcManager({
      platform: 'android',
      card: createEmulatedCard(files),
      maxTransceiveLength: 261,
    });
    const t = await connect(fake, 'android');
    const extended = new Uint8Array([0x00, 0xb0, 0x00, 0x00, 0x00, 0x10, 0x00]);
    const e = await rejection(t.transceive(extended));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.context.step).toBe('COMMAND_TOO_LONG');
    const long = new Uint8Array(262);
    long.set([0x00, 0xd6, 0x00, 0x00, 0xff]);
    expect((await rejection(t.transceive(long))).context.step).toBe('COMMAND_TOO_LONG');
    expect(fake.stats.commands).toBe(0);
    expect(fake.violations).toEqual([]);
    // The transport stays usable for commands that fit.
    expect(t.usable).toBe(true);
  });

  it('iOS reports the ISO maximum and lets the reader probe extended length', async () => {
    const fake = createFakeNfcManager({ platform: 'ios', card: createEmulatedCard(files) });
    const t = await connect(fake, 'ios');
    expect(t.maxApduLength).toBe(65544);
    expect(t.reading.extendedLength).toBe('auto');
    // A chip without extended length answers 6700 to the probe; the reader falls back.
    const r = await readCard(t, { idNumber: person.idNumber, reading: t.reading });
    expect(equalBytes(r.raw[2] as Uint8Array, files.dataGroups.get(2) as Uint8Array)).toBe(true);
    expect(fake.violations).toEqual([]);
  });
});

describe('the fake is at least as strict as the module', () => {
  it.each(PLATFORMS)('%s: refuses calls before requestTechnology and non-byte commands', async (platform) => {
    const fake = createFakeNfcManager({ platform, card: createEmulatedCard(files) });
    const send =
      platform === 'android'
        ? (b: number[]) => (fake.module as unknown as NfcManagerAndroidLike).isoDepHandler.transceive(b)
        : (b: number[]) => (fake.module as unknown as NfcManagerIosLike).sendCommandAPDUIOS(b);
    await expect(send([0, 0xa4, 0, 0])).rejects.toThrow(
      platform === 'android' ? 'no tech request available' : 'Not even registered',
    );
    await fake.requestTechnology('IsoDep');
    await expect(send([0, 0xa4, 0, 0.5])).rejects.toBeInstanceOf(Error);
    await expect(send([0, 0xa4, 0, 300])).rejects.toBeInstanceOf(Error);
    await expect(send([0, 0xa4])).rejects.toBeInstanceOf(Error);
    expect(fake.violations).toHaveLength(4);
    await expect(fake.requestTechnology('IsoDep')).rejects.toThrow('one request at a time');
  });

  it('android: a command over getMaxTransceiveLength fails as the real one does ("transceive fail")', async () => {
    const fake = createFakeNfcManager({
      platform: 'android',
      card: createEmulatedCard(files),
      maxTransceiveLength: 261,
    });
    await fake.requestTechnology('IsoDep');
    const m = fake.module as unknown as NfcManagerAndroidLike;
    await expect(m.isoDepHandler.transceive([0, 0xb0, 0, 0, 0, 0x10, 0])).rejects.toThrow('transceive fail');
    await expect(m.setTimeout(0)).rejects.toBeInstanceOf(Error);
  });
});

describe('classifyNativeError', () => {
  it.each([
    ['transceive fail', 'TAG_LOST'],
    ['no tech request available', 'NOT_CONNECTED'],
    ['cancelled', 'CANCELLED'],
    ['NFCError:100', 'TAG_LOST'],
    ['NFCError:104,NFCError:100', 'NOT_CONNECTED'],
    ['NFCError:200', 'CANCELLED'],
    ['NFCError:201', 'TIMEOUT'],
    ['NFCError:202', 'TRANSCEIVE'],
    ['Not connected', 'NOT_CONNECTED'],
    ['something else', 'TRANSCEIVE'],
  ])('%s → %s', (text, kind) => {
    expect(classifyNativeError(text)).toBe(kind);
    expect(classifyNativeError(new Error(text))).toBe(kind);
  });

  it("the JS layer's NfcError classes (empty messages) by their class name", () => {
    expect(classifyNativeError(new TagConnectionLost())).toBe('TAG_LOST');
    expect(classifyNativeError(new UserCancel())).toBe('CANCELLED');
  });
});
