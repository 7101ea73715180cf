import { toHex } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardFiles, createEmulatedCard, EMRTD_AID } from '../../src/emulator/index.ts';
import { filesFor, SW_OK, send } from './helpers.ts';

const SELECT_AID = { cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: EMRTD_AID };
const selectEf = (fid: number, p1 = 0x02, p2 = 0x0c) => ({
  cla: 0,
  ins: 0xa4,
  p1,
  p2,
  data: Uint8Array.of(fid >> 8, fid & 0xff),
});
const read = (offset: number, le: number, extended = false) => ({
  cla: 0,
  ins: 0xb0,
  p1: offset >> 8,
  p2: offset & 0xff,
  le,
  extended,
});

let files: CardFiles;
let cardAccess: Uint8Array;
beforeAll(async () => {
  files = await filesFor();
  cardAccess = files.cardAccess as Uint8Array;
});

describe('SELECT', () => {
  it('selects the eMRTD application by AID, with FCI on P2=00, and refuses other AIDs', async () => {
    const card = createEmulatedCard(files);
    expect(await send(card, SELECT_AID)).toEqual({ data: new Uint8Array(0), sw: SW_OK });
    expect(card.state.df).toBe('emrtd');
    const fci = await send(card, { ...SELECT_AID, p2: 0x00, le: 256 });
    expect(toHex(fci.data)).toBe(`6f098407${toHex(EMRTD_AID)}`);
    expect((await send(card, { ...SELECT_AID, data: Uint8Array.of(0xa0, 0, 0, 0, 0x63) })).sw).toBe(0x6a82);
  });

  it('selects the MF (P1=00, 3F00 or no data) unless the iOS quirk answers 6D00', async () => {
    const card = createEmulatedCard(files);
    expect((await send(card, '00A4000C023F00')).sw).toBe(SW_OK);
    expect((await send(card, '00A4000C')).sw).toBe(SW_OK);
    const ios = createEmulatedCard(files, { iosQuirk: true });
    expect((await send(ios, '00A4000C023F00')).sw).toBe(0x6d00);
    // EF.CardAccess is still selectable directly by its FID.
    expect((await send(ios, '00A4020C02011C')).sw).toBe(SW_OK);
  });

  it('selects EFs by FID with P1=02 and P1=00, returns an FCP on P2=04, 6A82 for missing files', async () => {
    const card = createEmulatedCard(files);
    expect((await send(card, selectEf(0x011c))).sw).toBe(SW_OK);
    expect((await send(card, selectEf(0x011c, 0x00))).sw).toBe(SW_OK);
    const fcp = await send(card, { ...selectEf(0x011c, 0x02, 0x04), le: 256 });
    expect(toHex(fcp.data)).toBe(`620b8002${cardAccess.length.toString(16).padStart(4, '0')}8201018302011c`);
    expect((await send(card, selectEf(0x0101))).sw).toBe(0x6a82); // application not selected yet
    await send(card, SELECT_AID);
    expect((await send(card, selectEf(0x0101))).sw).toBe(SW_OK);
    expect((await send(card, selectEf(0x010b))).sw).toBe(0x6a82); // DG11 absent
    expect(card.state.selected).toBe(0x0101);
  });

  it('answers 6A86 for unsupported P1, 6A87 for a bad FID length, 6700 for a Le when rejectLe is on', async () => {
    const card = createEmulatedCard(files, { rejectLe: true });
    expect((await send(card, { ...selectEf(0x011c), p1: 0x08 })).sw).toBe(0x6a86);
    expect((await send(card, { ...selectEf(0x011c), data: Uint8Array.of(1) })).sw).toBe(0x6a87);
    expect((await send(card, { ...selectEf(0x011c), le: 256 })).sw).toBe(0x6700);
    expect((await send(card, { ...SELECT_AID, le: 256 })).sw).toBe(0x6700);
    expect((await send(card, SELECT_AID)).sw).toBe(SW_OK);
  });
});

describe('READ BINARY without a session', () => {
  it('reads EF.CardAccess in plain, whole and in pieces; a short end answers 9000 or 6282', async () => {
    const card = createEmulatedCard(files);
    await send(card, selectEf(0x011c));
    const whole = await send(card, read(0, 256));
    expect(whole).toEqual({ data: cardAccess, sw: SW_OK });
    const piece = await send(card, read(4, 10));
    expect(piece).toEqual({ data: cardAccess.subarray(4, 14), sw: SW_OK });
    const eof = createEmulatedCard(files, { endOfFileSw: 0x6282 });
    await send(eof, selectEf(0x011c));
    expect(await send(eof, read(50, 100))).toEqual({ data: cardAccess.subarray(50), sw: 0x6282 });
    expect((await send(eof, read(0, cardAccess.length))).sw).toBe(SW_OK);
  });

  it('reads by short EF identifier (P1 = 80 | SFI) and with odd INS B1 (DO 54 offset → DO 53 data)', async () => {
    const card = createEmulatedCard(files);
    const sfi = await send(card, { cla: 0, ins: 0xb0, p1: 0x9c, p2: 0x02, le: 256 });
    expect(sfi).toEqual({ data: cardAccess.subarray(2), sw: SW_OK });
    const odd = await send(card, {
      cla: 0,
      ins: 0xb1,
      p1: 0,
      p2: 0,
      data: Uint8Array.of(0x54, 0x01, 0x05),
      le: 12,
    });
    expect(toHex(odd.data)).toBe(`530a${toHex(cardAccess.subarray(5, 15))}`);
    const byFid = await send(card, {
      cla: 0,
      ins: 0xb1,
      p1: 0x01,
      p2: 0x1c,
      data: Uint8Array.of(0x54, 0x02, 0, 0),
      le: 256,
    });
    expect(cardAccess.length).toBeLessThan(128);
    expect(toHex(byFid.data)).toBe(`53${cardAccess.length.toString(16)}${toHex(cardAccess)}`);
    expect(
      (await send(card, { cla: 0, ins: 0xb1, p1: 0, p2: 0, data: Uint8Array.of(0x53, 0x01, 0), le: 8 })).sw,
    ).toBe(0x6a80);
  });

  it('answers 6982 for application files before access control, 6986 with no EF, 6B00 past the end, 6700 without Le', async () => {
    const card = createEmulatedCard(files);
    expect((await send(card, read(0, 8))).sw).toBe(0x6986);
    await send(card, selectEf(0x011c));
    expect((await send(card, read(cardAccess.length, 1))).sw).toBe(0x6b00);
    expect((await send(card, { cla: 0, ins: 0xb0, p1: 0, p2: 0 })).sw).toBe(0x6700);
    await send(card, SELECT_AID);
    for (const fid of [0x011e, 0x011d, 0x0101, 0x0102, 0x0103, 0x010d, 0x010e, 0x010f]) {
      expect((await send(card, selectEf(fid))).sw).toBe(SW_OK);
      expect((await send(card, read(0, 4))).sw).toBe(0x6982);
    }
    expect((await send(card, { cla: 0, ins: 0xb0, p1: 0x81, p2: 0, le: 4 })).sw).toBe(0x6982);
  });

  it('refuses extended length unless enabled, then serves a whole file in one APDU', async () => {
    const card = createEmulatedCard(files);
    await send(card, selectEf(0x011c));
    expect((await send(card, read(0, 1000, true))).sw).toBe(0x6700);
    const ext = createEmulatedCard(files, { extendedLength: true });
    await send(ext, selectEf(0x011c));
    expect(await send(ext, read(0, 65536, true))).toEqual({ data: cardAccess, sw: SW_OK });
  });

  it('refuses a Le above maxLe with 6700, or 6Cxx in the exact-length style', async () => {
    const card = createEmulatedCard(files, { maxLe: 16 });
    await send(card, selectEf(0x011c));
    expect((await send(card, read(0, 17))).sw).toBe(0x6700);
    expect((await send(card, read(0, 16))).data).toEqual(cardAccess.subarray(0, 16));
    const exact = createEmulatedCard(files, { maxLe: 16, leErrorStyle: 'exact-length' });
    await send(exact, selectEf(0x011c));
    expect((await send(exact, read(0, 17))).sw).toBe(0x6c10);
    expect(() => createEmulatedCard(files, { maxLe: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('other commands', () => {
  it('GET CHALLENGE answers 8 fresh bytes for Le 8 and 6700 otherwise', async () => {
    const card = createEmulatedCard(files);
    const a = await send(card, '0084000008');
    const b = await send(card, '0084000008');
    expect(a.sw).toBe(SW_OK);
    expect(a.data).toHaveLength(8);
    expect(toHex(a.data)).not.toBe(toHex(b.data));
    expect((await send(card, '0084000004')).sw).toBe(0x6700);
  });

  it('MUTUAL AUTHENTICATE: 6985 without a challenge, 6700 for a bad length, 6300 for a wrong cryptogram, 6D00 on PACE-only chips', async () => {
    const card = createEmulatedCard(files);
    const auth = { cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(40), le: 40 };
    expect((await send(card, auth)).sw).toBe(0x6985);
    await send(card, '0084000008');
    expect((await send(card, { ...auth, data: new Uint8Array(16) })).sw).toBe(0x6700);
    await send(card, '0084000008');
    expect((await send(card, auth)).sw).toBe(0x6300);
    expect((await send(card, auth)).sw).toBe(0x6985); // the challenge is used up
    const paceOnly = createEmulatedCard(files, { access: 'pace-only' });
    await send(paceOnly, '0084000008');
    expect((await send(paceOnly, auth)).sw).toBe(0x6d00);
  });

  it('INTERNAL AUTHENTICATE needs a session (6982); GENERAL AUTHENTICATE without MSE answers 6985', async () => {
    const card = createEmulatedCard(files);
    expect((await send(card, { cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), le: 256 })).sw).toBe(
      0x6982,
    );
    expect(
      (await send(card, { cla: 0, ins: 0x86, p1: 0, p2: 0, data: Uint8Array.of(0x7c, 0), le: 256 })).sw,
    ).toBe(0x6985);
  });

  it('MSE:Set AT for PACE refuses unknown protocols and password references (6A80), other P1-P2 (6A86)', async () => {
    const card = createEmulatedCard(files);
    const oid = (o: string) => Uint8Array.of(0x80, ...oidBytes(o));
    const mse = (data: Uint8Array) => ({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xa4, data });
    const pace = files.pace?.oid as string;
    expect((await send(card, mse(Uint8Array.of(...oid(pace), 0x83, 0x01, 0x02)))).sw).toBe(SW_OK);
    expect((await send(card, mse(Uint8Array.of(...oid(pace), 0x83, 0x01, 0x03)))).sw).toBe(0x6a80);
    expect(
      (await send(card, mse(Uint8Array.of(...oid('0.4.0.127.0.7.2.2.4.2.4'), 0x83, 0x01, 0x02)))).sw,
    ).toBe(0x6a80);
    expect((await send(card, mse(Uint8Array.of(...oid(pace), 0x83, 0x01, 0x02, 0x84, 0x01, 0x0c)))).sw).toBe(
      0x6a80,
    );
    expect((await send(card, { ...mse(Uint8Array.of(0x80, 0x00)), p2: 0xb6 })).sw).toBe(0x6a86);
    const bacOnly = createEmulatedCard(files, { access: 'bac-only' });
    expect((await send(bacOnly, mse(Uint8Array.of(...oid(pace), 0x83, 0x01, 0x02)))).sw).toBe(0x6a80);
    expect((await send(bacOnly, selectEf(0x011c))).sw).toBe(0x6a82); // no EF.CardAccess on a BAC-only chip
  });

  it('answers 6D00 for unknown instructions, 6E00 for proprietary classes, 6700 for malformed APDUs, 6988 for SM without a session', async () => {
    const card = createEmulatedCard(files);
    expect((await send(card, '00CA000000')).sw).toBe(0x6d00);
    expect((await send(card, '80A4020C02011C')).sw).toBe(0x6e00);
    expect((await send(card, '00A4020C05011C')).sw).toBe(0x6700);
    expect((await send(card, '0CB0000000')).sw).toBe(0x6988);
    await expect(card.transceive('00' as unknown as Uint8Array)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('controls', () => {
  it('counts APDUs and bytes in both directions', async () => {
    const card = createEmulatedCard(files);
    let inBytes = 0;
    let outBytes = 0;
    for (const c of ['00A4020C02011C', '00B0000010', '00B0001010', '0084000008']) {
      const bytes = Uint8Array.from(c.match(/../g) as string[], (h) => Number.parseInt(h, 16));
      inBytes += bytes.length;
      outBytes += (await card.transceive(bytes)).length;
    }
    expect(card.stats).toMatchObject({
      apdus: 4,
      bytesIn: inBytes,
      bytesOut: outBytes,
      smResponses: 0,
      resets: 0,
    });
  });

  it('reset() and reconnect() forget the selection', async () => {
    const card = createEmulatedCard(files);
    await send(card, SELECT_AID);
    await send(card, selectEf(0x0101));
    card.reset();
    expect(card.state).toEqual({ df: 'mf', selected: null, access: 'none', chipAuthenticated: false });
    card.reconnect();
    expect(card.stats.resets).toBe(2);
    expect((await send(card, read(0, 4))).sw).toBe(0x6986);
  });

  it('rejects with ABORTED when its signal or the call signal is aborted, also while answering slowly', async () => {
    const controller = new AbortController();
    const card = createEmulatedCard(files, { signal: controller.signal });
    expect((await send(card, selectEf(0x011c))).sw).toBe(SW_OK);
    controller.abort();
    await expect(send(card, selectEf(0x011c))).rejects.toMatchObject({ code: 'ABORTED' });

    const slow = createEmulatedCard(files, { latencyMs: 200 });
    const call = new AbortController();
    const pending = slow.transceive(Uint8Array.of(0, 0xa4, 2, 0x0c, 2, 1, 0x1c), { signal: call.signal });
    setTimeout(() => call.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(slow.stats.apdus).toBe(0);
    const started = Date.now();
    expect((await send(slow, selectEf(0x011c))).sw).toBe(SW_OK);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

function oidBytes(dotted: string): number[] {
  const parts = dotted.split('.').map(Number);
  const body: number[] = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const n of parts.slice(2)) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    body.push(...chunk);
  }
  return [body.length, ...body];
}
