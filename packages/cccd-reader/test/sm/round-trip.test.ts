import { toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel, type SecureMessagingKeys } from '../../src/sm/index.ts';
import {
  buildCommandApdu,
  type CommandApdu,
  parseCommandApdu,
  parseResponseApdu,
} from '../../src/transport/index.ts';

const suites = [
  { cipher: '3des', keyBits: 128, keyLength: 16, sscLength: 8 },
  { cipher: 'aes', keyBits: 128, keyLength: 16, sscLength: 16 },
  { cipher: 'aes', keyBits: 192, keyLength: 24, sscLength: 16 },
  { cipher: 'aes', keyBits: 256, keyLength: 32, sscLength: 16 },
] as const;

const keysArb = (s: (typeof suites)[number]): fc.Arbitrary<SecureMessagingKeys> =>
  fc.record({
    cipher: fc.constant(s.cipher),
    keyBits: fc.constant(s.keyBits),
    kEnc: fc.uint8Array({ minLength: s.keyLength, maxLength: s.keyLength }),
    kMac: fc.uint8Array({ minLength: s.keyLength, maxLength: s.keyLength }),
    // Include SSCs close to the wrap-around.
    ssc: fc.oneof(
      fc.uint8Array({ minLength: s.sscLength, maxLength: s.sscLength }),
      fc.constant(new Uint8Array(s.sscLength).fill(0xff)),
    ),
  });

/** Plain command APDUs of cases 1–4, short and extended, even and odd INS, CLA without SM bits. */
const commandArb: fc.Arbitrary<CommandApdu> = fc
  .record({
    cla: fc.integer({ min: 0, max: 255 }).map((c) => c & 0xf3),
    ins: fc.integer({ min: 0, max: 255 }),
    p1: fc.integer({ min: 0, max: 255 }),
    p2: fc.integer({ min: 0, max: 255 }),
    data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 300 }), { nil: undefined }),
    le: fc.option(fc.oneof(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 65536 })), {
      nil: undefined,
    }),
    extended: fc.boolean(),
  })
  .map((c) => {
    const out: CommandApdu = { cla: c.cla, ins: c.ins, p1: c.p1, p2: c.p2 };
    if (c.data !== undefined) out.data = c.data;
    if (c.le !== undefined) out.le = c.le;
    if (c.extended) out.extended = true;
    return out;
  });

const responseArb = fc.record({
  data: fc.uint8Array({ maxLength: 400 }),
  sw: fc.constantFrom(0x9000, 0x6282, 0x6a82, 0x6982, 0x6b00, 0x63c2),
});

describe('secure messaging: terminal ↔ card round trip', () => {
  for (const s of suites) {
    it(`${s.cipher}-${s.keyBits}: the card sees the plain command, the terminal the plain response`, async () => {
      await fc.assert(
        fc.asyncProperty(
          keysArb(s),
          fc.array(fc.tuple(commandArb, responseArb), { minLength: 1, maxLength: 4 }),
          async (keys, exchanges) => {
            const card = createCardSecureMessaging(keys);
            let i = 0;
            const seen: string[] = [];
            const channel = createSecureChannel(
              {
                async transceive(apdu) {
                  const protectedCmd = parseCommandApdu(apdu);
                  expect(protectedCmd.cla & 0x0c).toBe(0x0c);
                  // A protected command always asks for the whole response: Le 00 / 0000.
                  expect(protectedCmd.le).toBe(protectedCmd.extended ? 65536 : 256);
                  seen.push(toHex(card.unwrapCommand(apdu).command));
                  const r = (exchanges[i++] as [CommandApdu, { data: Uint8Array; sw: number }])[1];
                  return card.wrapResponse(r.data, r.sw);
                },
              },
              keys,
            );
            expect(channel.cipher).toBe(s.cipher);
            expect(channel.keyBits).toBe(s.keyBits);
            for (const [cmd, r] of exchanges) {
              const out = parseResponseApdu(await channel.transceive(buildCommandApdu(cmd)));
              expect(out.sw).toBe(r.sw);
              expect(toHex(out.data)).toBe(toHex(r.data));
            }
            expect(seen).toEqual(exchanges.map(([cmd]) => toHex(buildCommandApdu(cmd))));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('uses extended length when the plain command does or the protected data exceed 255 bytes', async () => {
    const keys: SecureMessagingKeys = {
      cipher: 'aes',
      keyBits: 128,
      kEnc: new Uint8Array(16).fill(1),
      kMac: new Uint8Array(16).fill(2),
      ssc: new Uint8Array(16),
    };
    const card = createCardSecureMessaging(keys);
    const sent: Uint8Array[] = [];
    const channel = createSecureChannel(
      {
        async transceive(apdu) {
          sent.push(apdu);
          card.unwrapCommand(apdu);
          return card.wrapResponse(new Uint8Array(0), 0x9000);
        },
      },
      keys,
    );
    // READ BINARY with extended Le 65536 → DO97 0000, protected Le 0000.
    await channel.transceive(buildCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }));
    // 250 bytes of data encrypt to 256 → protected data > 255.
    await channel.transceive(
      buildCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(250) }),
    );
    // Short command, short protected APDU.
    await channel.transceive(buildCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }));
    const [ext1, ext2, short] = sent.map(parseCommandApdu) as [CommandApdu, CommandApdu, CommandApdu];
    expect(ext1.extended).toBe(true);
    expect(ext1.le).toBe(65536);
    expect(toHex(ext1.data?.subarray(0, 4) as Uint8Array)).toBe('97020000');
    expect(ext2.extended).toBe(true);
    expect(short.extended).toBeUndefined();
    expect(toHex(short.data?.subarray(0, 3) as Uint8Array)).toBe('970100');
  });

  it('keeps exchanges in order when callers do not await each other', async () => {
    const keys: SecureMessagingKeys = {
      cipher: '3des',
      keyBits: 128,
      kEnc: new Uint8Array(16).fill(3),
      kMac: new Uint8Array(16).fill(4),
      ssc: new Uint8Array(8),
    };
    const card = createCardSecureMessaging(keys);
    const channel = createSecureChannel(
      {
        async transceive(apdu) {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          const { command } = card.unwrapCommand(apdu);
          return card.wrapResponse(command.subarray(2, 3), 0x9000);
        },
      },
      keys,
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, p1) =>
        channel.transceive(buildCommandApdu({ cla: 0, ins: 0xb0, p1, p2: 0, le: 1 })),
      ),
    );
    expect(results.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('rekey switches both ends to new keys and SSC', async () => {
    const first: SecureMessagingKeys = {
      cipher: '3des',
      keyBits: 128,
      kEnc: new Uint8Array(16).fill(5),
      kMac: new Uint8Array(16).fill(6),
      ssc: new Uint8Array(8),
    };
    const second: SecureMessagingKeys = {
      cipher: 'aes',
      keyBits: 256,
      kEnc: new Uint8Array(32).fill(7),
      kMac: new Uint8Array(32).fill(8),
      ssc: new Uint8Array(16),
    };
    const card = createCardSecureMessaging(first);
    const channel = createSecureChannel(
      {
        async transceive(apdu) {
          card.unwrapCommand(apdu);
          return card.wrapResponse(Uint8Array.of(1, 2, 3), 0x9000);
        },
      },
      first,
    );
    const cmd = buildCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 3 });
    expect(toHex(await channel.transceive(cmd))).toBe('0102039000');
    channel.rekey(second);
    card.rekey(second);
    expect(channel.cipher).toBe('aes');
    expect(channel.keyBits).toBe(256);
    expect(toHex(await channel.transceive(cmd))).toBe('0102039000');
    // Only one end re-keyed: the card rejects the MAC.
    channel.rekey(first);
    await expect(channel.transceive(cmd)).rejects.toMatchObject({ code: 'SM_MAC_MISMATCH' });
  });

  it("copies the keys: later changes to the caller's arrays do not affect the session", async () => {
    const keys: SecureMessagingKeys = {
      cipher: 'aes',
      keyBits: 128,
      kEnc: new Uint8Array(16).fill(9),
      kMac: new Uint8Array(16).fill(10),
      ssc: new Uint8Array(16),
    };
    const card = createCardSecureMessaging({
      ...keys,
      kEnc: keys.kEnc.slice(),
      kMac: keys.kMac.slice(),
      ssc: keys.ssc.slice(),
    });
    const channel = createSecureChannel(
      {
        async transceive(apdu) {
          card.unwrapCommand(apdu);
          return card.wrapResponse(new Uint8Array(0), 0x9000);
        },
      },
      keys,
    );
    keys.kMac.fill(0);
    keys.ssc.fill(0xff);
    expect(
      toHex(
        await channel.transceive(
          buildCommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(1, 0x1e) }),
        ),
      ),
    ).toBe('9000');
  });
});
