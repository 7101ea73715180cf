import { fromHex, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seeded } from '../../../../test/support/random.ts';
import { padIso9797, retailMac, tripleDesCbcEncrypt } from '../../src/crypto/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { bacCardRespond } from '../../src/protocols/card/bac-card.ts';
import { type BacKey, bacKeySeed, performBac } from '../../src/protocols/index.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import {
  type ApduTransport,
  buildResponseApdu,
  createScriptedTransport,
  parseCommandApdu,
} from '../../src/transport/index.ts';
import v from './vectors/icao-9303-11-appendix-d.json' with { type: 'json' };

/** A BAC chip made from bacCardRespond and the card-side SM; it answers READ BINARY with `file`. */
function bacChip(
  key: BacKey | Uint8Array,
  random: (n: number) => Uint8Array,
  file: Uint8Array,
): ApduTransport & { authenticated: boolean } {
  let rndIcc: Uint8Array | undefined;
  let sm: ReturnType<typeof createCardSecureMessaging> | undefined;
  const chip = {
    authenticated: false,
    async transceive(apdu: Uint8Array): Promise<Uint8Array> {
      if (sm !== undefined) {
        const { command } = sm.unwrapCommand(apdu);
        const cmd = parseCommandApdu(command);
        if (cmd.ins !== 0xb0) return sm.wrapResponse(new Uint8Array(0), 0x6d00);
        const offset = (cmd.p1 << 8) | cmd.p2;
        return sm.wrapResponse(file.subarray(offset, offset + (cmd.le ?? 0)), 0x9000);
      }
      const cmd = parseCommandApdu(apdu);
      if (cmd.ins === 0x84) {
        rndIcc = random(8);
        return buildResponseApdu(rndIcc, 0x9000);
      }
      if (cmd.ins === 0x82 && rndIcc !== undefined) {
        const answer = bacCardRespond(key, rndIcc, random(16), cmd.data ?? new Uint8Array(0));
        if (answer === null) return fromHex('6300');
        sm = createCardSecureMessaging(answer.sessionKeys);
        chip.authenticated = true;
        return buildResponseApdu(answer.response, 0x9000);
      }
      return fromHex('6985');
    },
  };
  return chip;
}

const mrz: BacKey = {
  documentNumber: v.mrz.documentNumber,
  dateOfBirth: v.mrz.dateOfBirth,
  dateOfExpiry: v.mrz.dateOfExpiry,
};
const bacError = (step: string, sw?: number) =>
  expect.objectContaining({ code: 'BAC_FAILED', context: sw === undefined ? { step } : { step, sw } });

describe('performBac against a chip built from bacCardRespond', () => {
  it('opens a secure channel and reads a file, for random MRZ keys and randomness', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[0-9A-Z]{6,12}$/),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        async (documentNumber, seed, file) => {
          const key = { documentNumber, dateOfBirth: '900101', dateOfExpiry: '300101' };
          const chip = bacChip(key, seeded(seed), file);
          const { channel, cipher, keyBits } = await performBac(chip, key, { random: seeded(seed + 1) });
          expect([cipher, keyBits]).toEqual(['3des', 128]);
          expect(chip.authenticated).toBe(true);
          const out = await channel.transceive(
            fromHex(`00B00000${file.length.toString(16).padStart(2, '0')}`),
          );
          expect(toHex(out)).toBe(`${toHex(file)}9000`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the seed form and the MRZ form open the same chip', async () => {
    const chip = bacChip(mrz, seeded(7), Uint8Array.of(0x60, 0x14));
    const { channel } = await performBac(chip, bacKeySeed(mrz), { random: seeded(8) });
    expect(toHex(await channel.transceive(fromHex('00B0000002')))).toBe('60149000');
  });

  it('asks for RND.IFD (8 bytes) first, then K.IFD (16 bytes)', async () => {
    const calls: number[] = [];
    const random = seeded(3);
    await performBac(bacChip(mrz, seeded(4), new Uint8Array(1)), mrz, {
      random: (n) => {
        calls.push(n);
        return random(n);
      },
    });
    expect(calls).toEqual([8, 16]);
  });

  it('a wrong MRZ: the chip answers 6300 → BAC_FAILED at EXTERNAL_AUTHENTICATE', async () => {
    const chip = bacChip(mrz, seeded(5), new Uint8Array(1));
    await expect(performBac(chip, { ...mrz, dateOfBirth: '690807' }, { random: seeded(6) })).rejects.toEqual(
      bacError('EXTERNAL_AUTHENTICATE', 0x6300),
    );
    expect(chip.authenticated).toBe(false);
  });

  it('bacCardRespond rejects any flipped bit of the terminal cryptogram, and a different RND.IC', () => {
    const auth = fromHex(v.d3.externalAuthenticate.command).subarray(5, 45);
    const seed = fromHex(v.d1.kSeed);
    const rndIcc = fromHex(v.d3.rndIcc);
    const kIcc = fromHex(v.d3.kIcc);
    for (let i = 0; i < 40; i++) {
      const bad = auth.slice();
      bad[i] = (bad[i] as number) ^ 0x80;
      expect(bacCardRespond(seed, rndIcc, kIcc, bad), `byte ${i}`).toBeNull();
    }
    expect(bacCardRespond(seed, fromHex('4608F91988702213'), kIcc, auth)).toBeNull();
    expect(bacCardRespond(seed, rndIcc, kIcc, auth.subarray(0, 39))).toBeNull();
    expect(() => bacCardRespond(seed, rndIcc.subarray(0, 7), kIcc, auth)).toThrow(ReaderError);
  });
});

describe('performBac errors (scripted card)', () => {
  const random = () => {
    const queue = [fromHex(v.d3.rndIfd), fromHex(v.d3.kIfd)];
    return (n: number) => queue.shift() ?? new Uint8Array(n);
  };
  const eaCommand = v.d3.externalAuthenticate.command;

  it.each([
    ['6D00', 0x6d00],
    ['6982', 0x6982],
  ])('GET CHALLENGE answered %s → BAC_FAILED at GET_CHALLENGE', async (response, sw) => {
    const t = createScriptedTransport([{ command: '0084000008', response }]);
    await expect(performBac(t, mrz, { random: random() })).rejects.toEqual(bacError('GET_CHALLENGE', sw));
  });

  it('a challenge of the wrong length → BAC_FAILED at GET_CHALLENGE', async () => {
    const t = createScriptedTransport([{ command: '0084000008', response: '4608F919887022' + '9000' }]);
    await expect(performBac(t, mrz, { random: random() })).rejects.toEqual(bacError('GET_CHALLENGE', 0x9000));
  });

  it('EXTERNAL AUTHENTICATE answered with 39 bytes → BAC_FAILED at EXTERNAL_AUTHENTICATE', async () => {
    const t = createScriptedTransport([
      v.d3.getChallenge,
      { command: eaCommand, response: v.d3.externalAuthenticate.response.slice(2) },
    ]);
    await expect(performBac(t, mrz, { random: random() })).rejects.toEqual(
      bacError('EXTERNAL_AUTHENTICATE', 0x9000),
    );
  });

  it('a card MAC that does not verify → BAC_FAILED at VERIFY', async () => {
    const r = fromHex(v.d3.externalAuthenticate.response);
    r[35] = (r[35] as number) ^ 1;
    const t = createScriptedTransport([v.d3.getChallenge, { command: eaCommand, response: toHex(r) }]);
    await expect(performBac(t, mrz, { random: random() })).rejects.toEqual(bacError('VERIFY', 0x9000));
  });

  it('a card cryptogram carrying another RND.IC → BAC_FAILED at VERIFY', async () => {
    // The published card answer replayed after a different challenge: its MAC verifies, its RND.IC does not.
    const s = fromHex(v.d3.s);
    s.set(fromHex('4608F91988702213'), 8);
    const e = tripleDesCbcEncrypt(fromHex(v.d1.kEnc), s);
    const m = retailMac(fromHex(v.d1.kMac), padIso9797(e, 8));
    const t = createScriptedTransport([
      { command: '0084000008', response: '4608F919887022139000' },
      { command: `0082000028${toHex(e)}${toHex(m)}28`, response: v.d3.externalAuthenticate.response },
    ]);
    await expect(performBac(t, mrz, { random: random() })).rejects.toEqual(bacError('VERIFY', 0x9000));
  });

  it('malformed key input → INVALID_ARGUMENT before any APDU', async () => {
    const t = createScriptedTransport([]);
    await expect(performBac(t, { ...mrz, dateOfBirth: '691306' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(performBac(t, { ...mrz, documentNumber: 'l8989' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(performBac(t, new Uint8Array(15))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(t.remaining).toBe(0);
  });

  it('random(n) returning the wrong length → INVALID_ARGUMENT', async () => {
    const t = createScriptedTransport([v.d3.getChallenge]);
    await expect(performBac(t, mrz, { random: () => new Uint8Array(4) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('a transport failure → BAC_FAILED with the step and the cause', async () => {
    const cause = new Error('tag lost');
    const t: ApduTransport = {
      async transceive() {
        throw cause;
      },
    };
    const e = (await performBac(t, mrz).catch((x: unknown) => x)) as ReaderError;
    expect(e).toEqual(bacError('GET_CHALLENGE'));
    expect(e.cause).toBe(cause);
  });

  it('an aborted signal → ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const t = createScriptedTransport([v.d3.getChallenge]);
    await expect(performBac(t, mrz, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('errors never carry keys or challenges', async () => {
    const r = fromHex(v.d3.externalAuthenticate.response);
    r[35] = (r[35] as number) ^ 1;
    const t = createScriptedTransport([v.d3.getChallenge, { command: eaCommand, response: toHex(r) }]);
    const e = (await performBac(t, mrz, { random: random() }).catch((x: unknown) => x)) as ReaderError;
    const text = `${e.message} ${JSON.stringify(e.context)}`.toUpperCase();
    for (const secret of [v.d1.kEnc, v.d1.kMac, v.d3.rndIcc, v.d3.rndIfd, v.d3.kIfd, 'L898902C'])
      expect(text).not.toContain(secret);
  });

  it('random card answers end in BAC_FAILED or a channel, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 12 }),
        fc.uint8Array({ maxLength: 44 }),
        async (challenge, auth) => {
          let step = 0;
          const t: ApduTransport = {
            async transceive() {
              return step++ === 0 ? challenge : auth;
            },
          };
          const r = await performBac(t, mrz, { random: seeded(1) }).catch((e: unknown) => e);
          if (r instanceof Error) {
            expect(r).toBeInstanceOf(ReaderError);
            expect((r as ReaderError).code).toBe('BAC_FAILED');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
