/**
 * `SecureChannel.lastResponseProtected`: tells a status word the card protected (DO'99' and a
 * verified DO'8E') from a bare one passed through as it is (e.g. 6982 from a chip that lost
 * its session), so the reading layer can tell a real refusal from a silent reset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReaderError } from '../../src/errors.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel, type SecureMessagingKeys } from '../../src/sm/index.ts';
import { buildCommandApdu, buildResponseApdu, parseResponseApdu } from '../../src/transport/index.ts';

const keys = (): SecureMessagingKeys => ({
  cipher: 'aes',
  keyBits: 128,
  kEnc: new Uint8Array(16).fill(0x11),
  kMac: new Uint8Array(16).fill(0x22),
  ssc: new Uint8Array(16),
});

const READ = buildCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 6 });

type Answer = { kind: 'protected'; sw: number; data: Uint8Array } | { kind: 'bare'; sw: number };

/** A card that answers each command as scripted: protected (counting the SSC) or bare. */
function channelFor(answers: Answer[]) {
  const card = createCardSecureMessaging(keys());
  let i = 0;
  return createSecureChannel(
    {
      async transceive(apdu) {
        card.unwrapCommand(apdu);
        const a = answers[i++] as Answer;
        if (a.kind === 'bare') {
          // The terminal counts a bare answer too; keep the card's counter in step.
          card.wrapResponse(new Uint8Array(0), a.sw);
          return buildResponseApdu(new Uint8Array(0), a.sw);
        }
        return card.wrapResponse(a.data, a.sw);
      },
    },
    keys(),
  );
}

describe('SecureChannel.lastResponseProtected', () => {
  it('is false before the first exchange', () => {
    expect(channelFor([]).lastResponseProtected).toBe(false);
  });

  it('protected 6982 → true; bare 6982 → false; the SW reaches the caller either way', async () => {
    const channel = channelFor([
      { kind: 'protected', sw: 0x6982, data: new Uint8Array(0) },
      { kind: 'bare', sw: 0x6982 },
      { kind: 'protected', sw: 0x9000, data: Uint8Array.of(1, 2, 3) },
    ]);
    expect(parseResponseApdu(await channel.transceive(READ)).sw).toBe(0x6982);
    expect(channel.lastResponseProtected).toBe(true);
    expect(parseResponseApdu(await channel.transceive(READ)).sw).toBe(0x6982);
    expect(channel.lastResponseProtected).toBe(false);
    const ok = parseResponseApdu(await channel.transceive(READ));
    expect(ok.sw).toBe(0x9000);
    expect(ok.data).toEqual(Uint8Array.of(1, 2, 3));
    expect(channel.lastResponseProtected).toBe(true);
  });

  it('is false after an exchange that failed (wrong MAC, bare 6988, transport error)', async () => {
    const card = createCardSecureMessaging(keys());
    const steps: Array<(apdu: Uint8Array) => Uint8Array> = [
      () => card.wrapResponse(new Uint8Array(0), 0x9000),
      (apdu) => {
        card.unwrapCommand(apdu);
        const r = card.wrapResponse(Uint8Array.of(9), 0x9000);
        r[r.length - 3] = (r[r.length - 3] as number) ^ 1; // last MAC byte
        return r;
      },
      () => buildResponseApdu(new Uint8Array(0), 0x6988),
      () => {
        throw new Error('link down');
      },
    ];
    let i = 0;
    const channel = createSecureChannel(
      {
        async transceive(apdu) {
          const step = steps[i++] as (a: Uint8Array) => Uint8Array;
          if (i === 1) card.unwrapCommand(apdu);
          return step(apdu);
        },
      },
      keys(),
    );
    await channel.transceive(READ);
    expect(channel.lastResponseProtected).toBe(true);
    await expect(channel.transceive(READ)).rejects.toMatchObject({ code: 'SM_MAC_MISMATCH' });
    expect(channel.lastResponseProtected).toBe(false);
    await channel.transceive(READ).catch(() => undefined);
    expect(channel.lastResponseProtected).toBe(false);
    const e = await channel.transceive(READ).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ReaderError);
    expect(channel.lastResponseProtected).toBe(false);
  });

  it('property: the flag follows whether each answer was protected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('protected' as const),
              sw: fc.constantFrom(0x9000, 0x6282, 0x6982, 0x6a82),
              data: fc.uint8Array({ maxLength: 40 }),
            }),
            fc.record({
              kind: fc.constant('bare' as const),
              sw: fc.constantFrom(0x6982, 0x6a82, 0x6b00, 0x6700),
            }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (answers) => {
          const channel = channelFor(answers);
          for (const a of answers) {
            const { sw } = parseResponseApdu(await channel.transceive(READ));
            expect(sw).toBe(a.sw);
            expect(channel.lastResponseProtected).toBe(a.kind === 'protected');
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
