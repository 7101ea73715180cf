/**
 * The software chip answers like a real one and the reader copes (issue 12, "Real-chip APDU
 * behaviour"):
 * - a response longer than the command's Le comes in parts, 61xx + GET RESPONSE (ISO/IEC
 *   7816-4; Finnish passports answer a protected RSA INTERNAL AUTHENTICATE so,
 *   NFCPassportReader issue #174), plain even inside secure messaging; leniency only as
 *   `longResponses: 'send-whole'`;
 * - Active Authentication with an RSA-2048 key under secure messaging: ~291 protected bytes do
 *   not fit a short Le; the reader asks with an extended Le when the chip took extended reads,
 *   otherwise it follows 61xx; a 6Cxx (wrong Le) is answered with the exact Le;
 * - EF.CardAccess lives in the master file only: read first, before the application is
 *   selected (as iOS must, where SELECT MF answers 6D00).
 */
import { toHex } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { readCard } from '../../src/index.ts';
import { performActiveAuthentication } from '../../src/protocols/aa.ts';
import { performPace } from '../../src/protocols/pace/index.ts';
import { selectApplication } from '../../src/reading/select.ts';
import {
  type ApduTransport,
  buildResponseApdu,
  parseCommandApdu,
  parseResponseApdu,
} from '../../src/transport/index.ts';
import { send } from '../emulator/helpers.ts';

let cccd: { person: SyntheticPerson; files: CardFiles };
beforeAll(async () => {
  const person = createSyntheticPerson(41);
  cccd = { person, files: await createCardFiles(person) };
});

/** Records every command and response between the reader and `card`. */
function wire(card: ApduTransport) {
  const log: Array<{ command: Uint8Array; response: Uint8Array }> = [];
  const transport: ApduTransport = {
    async transceive(command, options) {
      const response = await card.transceive(command, options);
      log.push({ command, response });
      return response;
    },
  };
  return { transport, log };
}

const ins = (c: Uint8Array): number => c[1] as number;
const sw = (r: Uint8Array): number => ((r.at(-2) as number) << 8) | (r.at(-1) as number);
const isExtended = (c: Uint8Array): boolean => parseCommandApdu(c).extended === true;

/** PACE-CAN and SELECT of the application over `transport`: the open secure channel. */
async function open(transport: ApduTransport) {
  const info = cccd.files.pace as { oid: string; parameterId: number };
  const { channel } = await performPace(transport, { can: cccd.person.idNumber.slice(-6) }, info);
  await selectApplication(channel);
  return channel;
}

const dg15 = (): Uint8Array => cccd.files.dataGroups.get(15) as Uint8Array;

describe('the software chip: responses longer than Le (strict by default)', () => {
  it('protected INTERNAL AUTHENTICATE, short Le: 256 bytes + 61xx, the rest by plain GET RESPONSE; it verifies', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = wire(card);
    const channel = await open(w.transport);
    const from = w.log.length;
    const result = await performActiveAuthentication(channel, { dg15: dg15() });
    expect(result).toMatchObject({ ok: true, algorithm: 'RSA-ISO9796-2', keyBits: 2048 });
    const aa = w.log.slice(from);
    expect(aa).toHaveLength(2);
    const [first, second] = aa as [(typeof aa)[0], (typeof aa)[0]];
    expect(toHex(first.command.subarray(0, 2))).toBe('0c88');
    expect(isExtended(first.command)).toBe(false);
    expect(first.command.at(-1)).toBe(0x00); // short Le 00
    expect(first.response.length).toBe(256 + 2);
    const left = sw(first.response) & 0xff;
    expect(sw(first.response) >> 8).toBe(0x61);
    // 87 82 01 11 01 ‖ 272 ‖ 99 02 90 00 ‖ 8E 08 ‖ 8 = 291 bytes protected.
    expect(256 + left).toBe(291);
    expect(toHex(second.command)).toBe(`00c00000${left.toString(16).padStart(2, '0')}`);
    expect(second.response.length).toBe(left + 2);
    expect(sw(second.response)).toBe(0x9000);
    // GET RESPONSE was plain and did not end the session: the channel still works.
    expect(card.state.access).toBe('pace');
    expect(parseResponseApdu(await channel.transceive(Uint8Array.of(0, 0xa4, 2, 0x0c, 2, 1, 0x1e))).sw).toBe(
      0x9000,
    );
  });

  it("GET RESPONSE with nothing pending is refused 6985; 'send-whole' is the lenient old way", async () => {
    const card = createEmulatedCard(cccd.files);
    expect((await send(card, '00C0000010')).sw).toBe(0x6985);
    const w = wire(card);
    const channel = await open(w.transport);
    expect((await performActiveAuthentication(channel, { dg15: dg15() })).ok).toBe(true);
    // Everything was fetched: nothing is left.
    expect((await send(card, '00C0000010')).sw).toBe(0x6985);
    const lenient = createEmulatedCard(cccd.files, { longResponses: 'send-whole' });
    const lw = wire(lenient);
    const ch = await open(lw.transport);
    const from = lw.log.length;
    expect((await performActiveAuthentication(ch, { dg15: dg15() })).ok).toBe(true);
    expect(lw.log.slice(from).map((e) => e.response.length)).toEqual([291 + 2]);
  });

  it('extended Le when the chip takes extended length: one INTERNAL AUTHENTICATE, Le 0000, no GET RESPONSE', async () => {
    const card = createEmulatedCard(cccd.files, { extendedLength: true });
    const w = wire(card);
    const channel = await open(w.transport);
    const from = w.log.length;
    expect((await performActiveAuthentication(channel, { dg15: dg15(), extendedLength: true })).ok).toBe(
      true,
    );
    const aa = w.log.slice(from);
    expect(aa).toHaveLength(1);
    const c = (aa[0] as (typeof aa)[0]).command;
    expect(isExtended(c)).toBe(true);
    expect(toHex(c.subarray(-2))).toBe('0000');
    expect(sw((aa[0] as (typeof aa)[0]).response)).toBe(0x9000);
  });

  it('a 6Cxx (wrong Le, exact length xx) to INTERNAL AUTHENTICATE: the same challenge again with Le = xx', async () => {
    // A chip that first refuses the Le and names the exact length (as a Norwegian passport
    // answered 6C80 to a missing Le, NFCPassportReader issue #113).
    const card = createEmulatedCard(cccd.files);
    const channel = await open(card);
    const commands: Uint8Array[] = [];
    const exact: ApduTransport = {
      async transceive(command, options) {
        commands.push(command);
        if (ins(command) === 0x88 && commands.length === 1)
          return buildResponseApdu(new Uint8Array(0), 0x6c00);
        return channel.transceive(command, options);
      },
    };
    const r = await performActiveAuthentication(exact, {
      dg15: dg15(),
      random: () => new Uint8Array(8).fill(7),
    });
    expect(commands.map((c) => parseCommandApdu(c).le)).toEqual([256, 256]);
    expect(toHex(commands[1] as Uint8Array)).toBe(toHex(commands[0] as Uint8Array));
    expect(r.ok).toBe(true);
  });
});

describe('readCard: Active Authentication with an RSA-2048 key on a strict chip', () => {
  it('without extended length: short Le, the 61xx parts fetched, AA verified', async () => {
    const card = createEmulatedCard(cccd.files);
    const w = wire(card);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber, authenticate: { active: true } });
    expect(r.verification?.active).toMatchObject({ ok: true, keyBits: 2048 });
    const i = w.log.findIndex((e) => ins(e.command) === 0x88);
    expect(isExtended((w.log[i] as (typeof w.log)[0]).command)).toBe(false);
    expect(sw((w.log[i] as (typeof w.log)[0]).response) >> 8).toBe(0x61);
    expect(ins((w.log[i + 1] as (typeof w.log)[0]).command)).toBe(0xc0);
  });

  it('with extended length (learned reading DG2): extended Le, no GET RESPONSE, AA verified', async () => {
    const card = createEmulatedCard(cccd.files, { extendedLength: true });
    const w = wire(card);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber, authenticate: { active: true } });
    expect(r.verification?.active).toMatchObject({ ok: true, keyBits: 2048 });
    const aa = w.log.filter((e) => ins(e.command) === 0x88);
    expect(aa).toHaveLength(1);
    expect(isExtended((aa[0] as (typeof aa)[0]).command)).toBe(true);
    expect(w.log.some((e) => ins(e.command) === 0xc0)).toBe(false);
  });
});

describe('EF.CardAccess only in the master file (strict by default)', () => {
  it('the chip serves EF.CardAccess from the MF, not once the application is selected (unless lenient)', async () => {
    for (const lenient of [false, true]) {
      const card = createEmulatedCard(cccd.files, lenient ? { cardAccessInApplication: true } : {});
      expect((await send(card, '00A4020C02011C')).sw).toBe(0x9000);
      expect((await send(card, '00B09C0004')).sw).toBe(0x9000);
      expect((await send(card, '00A4040C07A0000002471001')).sw).toBe(0x9000);
      expect((await send(card, '00A4020C02011C')).sw).toBe(lenient ? 0x9000 : 0x6a82);
      expect((await send(card, '00B09C0004')).sw).toBe(lenient ? 0x9000 : 0x6a82);
    }
  });

  it('readCard on an iOS-like chip (SELECT MF 6D00, CardAccess in the MF only): CardAccess first, then PACE', async () => {
    const card = createEmulatedCard(cccd.files, { iosQuirk: true });
    const w = wire(card);
    const r = await readCard(w.transport, { idNumber: cccd.person.idNumber });
    expect(r.accessMethod).toBe('PACE-CAN');
    expect(r.raw.cardAccess).toEqual(cccd.files.cardAccess);
    expect(r.cardAccess).toBeDefined();
    // EF.CardAccess was read before any SELECT of the application, and never after it.
    const firstAid = w.log.findIndex((e) => ins(e.command) === 0xa4 && e.command[2] === 0x04);
    const cardAccessReads = w.log
      .map((e, i) => ({ e, i }))
      .filter(
        ({ e }) =>
          (ins(e.command) === 0xb0 && e.command[2] === 0x9c) || toHex(e.command).startsWith('00a4020c02011c'),
      );
    expect(cardAccessReads.length).toBeGreaterThan(0);
    expect(cardAccessReads.every(({ i }) => firstAid === -1 || i < firstAid)).toBe(true);
    expect(w.log.some((e) => toHex(e.command).startsWith('00a4000c'))).toBe(false);
  });
});
