import { fromHex, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padIso9797, tripleDesCbcEncrypt } from '../../src/crypto/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { encodeDo } from '../../src/sm/data-objects.ts';
import {
  createSecureChannel,
  openSession,
  protectCommand,
  type SecureMessagingKeys,
  unprotectResponse,
} from '../../src/sm/index.ts';
import { computeMac } from '../../src/sm/session.ts';
import { createScriptedTransport } from '../../src/transport/index.ts';
import v from '../bac/vectors/icao-9303-11-appendix-d.json' with { type: 'json' };

const d4Keys = (ssc = v.d3.ssc): SecureMessagingKeys => ({
  cipher: '3des',
  keyBits: 128,
  kEnc: fromHex(v.d3.ksEnc),
  kMac: fromHex(v.d3.ksMac),
  ssc: fromHex(ssc),
});
const select = v.d4[0] as (typeof v.d4)[number];
const read4 = v.d4[1] as (typeof v.d4)[number];

/** Runs SELECT EF.COM of D.4 against a card answering `response` (hex). */
async function selectWith(response: string): Promise<Uint8Array> {
  const channel = createSecureChannel(
    createScriptedTransport([{ command: select.protectedCommand, response }]),
    d4Keys(),
  );
  return channel.transceive(fromHex(select.plainCommand));
}

/** Runs D.4 up to READ BINARY of 4 bytes with the card answering `response`. */
async function readWith(response: string): Promise<Uint8Array> {
  const channel = createSecureChannel(
    createScriptedTransport([
      { command: select.protectedCommand, response: select.protectedResponse },
      { command: read4.protectedCommand, response },
    ]),
    d4Keys(),
  );
  await channel.transceive(fromHex(select.plainCommand));
  return channel.transceive(fromHex(read4.plainCommand));
}

function flipHex(hex: string, byteIndex: number): string {
  const b = fromHex(hex);
  b[byteIndex] = (b[byteIndex] as number) ^ 0x01;
  return toHex(b);
}

/** A response whose DOs are MAC-valid under the D.4 keys at SSC …C228 (the SELECT response). */
function macValidSelectResponse(dos: Uint8Array, sw = '9000'): string {
  const session = openSession(d4Keys('887022120C06C228'));
  const mac = computeMac(session, dos);
  return toHex(dos) + toHex(encodeDo(0x8e, mac)) + sw;
}

describe('terminal side: faulty responses', () => {
  it('a flipped MAC byte → SM_MAC_MISMATCH', async () => {
    const r = select.protectedResponse;
    for (const i of [6, 13]) {
      await expect(selectWith(flipHex(r, i))).rejects.toMatchObject({
        code: 'SM_MAC_MISMATCH',
        context: { sw: 0x9000 },
      });
    }
  });

  it('a flipped cryptogram or status byte → SM_MAC_MISMATCH', async () => {
    await expect(readWith(flipHex(read4.protectedResponse, 5))).rejects.toMatchObject({
      code: 'SM_MAC_MISMATCH',
    });
    await expect(readWith(flipHex(read4.protectedResponse, 14))).rejects.toMatchObject({
      code: 'SM_MAC_MISMATCH',
    });
  });

  it('a wrong SSC (off by one either way) → SM_MAC_MISMATCH', async () => {
    for (const ssc of ['887022120C06C225', '887022120C06C227']) {
      const session = openSession(d4Keys(ssc));
      protectCommand(session, fromHex(select.plainCommand));
      expect(() => unprotectResponse(session, fromHex(select.protectedResponse))).toThrow(
        expect.objectContaining({ code: 'SM_MAC_MISMATCH' }),
      );
    }
  });

  it.each([
    ['8E missing', '990290009000'],
    ['99 missing (MAC present)', '8E08FA855A5D4C50A8ED9000'],
    ['8E not last', '8E08FA855A5D4C50A8ED990290009000'],
    ['8E shorter than 8 bytes', '990290008E04FA855A5D9000'],
    ['99 not two bytes', '99019000' + '8E08FA855A5D4C50A8ED' + '9000'],
    ['a length running past the end', '99059000'],
    ['a truncated length field', '87829000'],
    ['an unknown data object', '8101009902' + '90008E08FA855A5D4C50A8ED9000'],
    ['a multi-byte tag', '5F0100' + '990290008E08FA855A5D4C50A8ED9000'],
    ['two status objects', '9902900099029000' + '8E08FA855A5D4C50A8ED9000'],
    ['a bare 9000', '9000'],
    ['one byte', '90'],
    ['nothing', ''],
  ])('%s → SM_INVALID_RESPONSE', async (_name, response) => {
    await expect(selectWith(response)).rejects.toMatchObject({ code: 'SM_INVALID_RESPONSE' });
  });

  it('a protected response sent in parts (61xx): joined with plain GET RESPONSE, then verified', async () => {
    const whole = fromHex(select.protectedResponse);
    const cut = 5;
    const channel = createSecureChannel(
      createScriptedTransport([
        {
          command: select.protectedCommand,
          response: `${toHex(whole.subarray(0, cut))}61${(whole.length - 2 - cut).toString(16).padStart(2, '0')}`,
        },
        // GET RESPONSE for the announced bytes, in plain (not SM-wrapped).
        {
          command: `00C00000${(whole.length - 2 - cut).toString(16).padStart(2, '0')}`,
          response: toHex(whole.subarray(cut)),
        },
      ]),
      d4Keys(),
    );
    expect(toHex(await channel.transceive(fromHex(select.plainCommand)))).toBe('9000');
  });

  it('a bare 61xx whose GET RESPONSE brings no SM objects → SM_INVALID_RESPONSE', async () => {
    const channel = createSecureChannel(
      createScriptedTransport([
        { command: select.protectedCommand, response: '6110' },
        { command: '00C0000010', response: '9000' },
      ]),
      d4Keys(),
    );
    await expect(channel.transceive(fromHex(select.plainCommand))).rejects.toMatchObject({
      code: 'SM_INVALID_RESPONSE',
    });
  });

  it.each([
    ['6987', 0x6987],
    ['6988', 0x6988],
  ])('a bare %s → SM_REJECTED', async (response, sw) => {
    await expect(selectWith(response)).rejects.toMatchObject({ code: 'SM_REJECTED', context: { sw } });
  });

  it.each(['6982', '6A82', '6D00', '6700', '63C2'])(
    'a bare error %s is passed through to the caller',
    async (sw) => {
      expect(toHex(await selectWith(sw)).toUpperCase()).toBe(sw);
    },
  );

  it('MAC-valid but malformed cryptograms → SM_INVALID_RESPONSE', async () => {
    const kEnc = fromHex(v.d3.ksEnc);
    const sw99 = fromHex('99029000');
    const cases: [string, Uint8Array][] = [
      // Padding without 80.
      [
        'no padding',
        encodeDo(0x87, Uint8Array.of(0x01, ...tripleDesCbcEncrypt(kEnc, fromHex('0102030405060708')))),
      ],
      // Not a whole number of blocks.
      ['partial block', encodeDo(0x87, Uint8Array.of(0x01, 1, 2, 3))],
      // Unknown padding indicator.
      [
        'indicator 02',
        encodeDo(0x87, Uint8Array.of(0x02, ...tripleDesCbcEncrypt(kEnc, padIso9797(Uint8Array.of(1), 8)))),
      ],
      // Empty cryptogram.
      ['empty 87', encodeDo(0x87, Uint8Array.of(0x01))],
      ['empty 85', encodeDo(0x85, new Uint8Array(0))],
      // Two cryptograms.
      [
        '87 and 85',
        Uint8Array.of(
          ...encodeDo(
            0x87,
            Uint8Array.of(0x01, ...tripleDesCbcEncrypt(kEnc, padIso9797(Uint8Array.of(1), 8))),
          ),
          ...encodeDo(0x85, tripleDesCbcEncrypt(kEnc, padIso9797(Uint8Array.of(1), 8))),
        ),
      ],
    ];
    for (const [name, cryptogram] of cases) {
      const dos = Uint8Array.of(...cryptogram, ...sw99);
      await expect(selectWith(macValidSelectResponse(dos)), name).rejects.toMatchObject({
        code: 'SM_INVALID_RESPONSE',
      });
    }
  });

  it('a MAC-valid 85 (odd INS) without padding indicator decrypts', async () => {
    const kEnc = fromHex(v.d3.ksEnc);
    const dos = Uint8Array.of(
      ...encodeDo(0x85, tripleDesCbcEncrypt(kEnc, padIso9797(fromHex('5301AA'), 8))),
      ...fromHex('99029000'),
    );
    expect(toHex(await selectWith(macValidSelectResponse(dos)))).toBe('5301aa9000');
  });

  it('the SW is taken from the MAC-protected 99, not from the outer status bytes', async () => {
    const dos = fromHex('99026A82');
    expect(toHex(await selectWith(macValidSelectResponse(dos, '9000')))).toBe('6a82');
  });

  it('random responses end in a result or a ReaderError, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        async (response, more) => {
          // A random answer, and random answers to the GET RESPONSE a 61xx leads to.
          let first = true;
          const channel = createSecureChannel(
            {
              async transceive(command) {
                if (first) {
                  first = false;
                  return response;
                }
                expect(toHex(command).slice(0, 8)).toBe('00c00000');
                return more;
              },
            },
            d4Keys(),
          );
          try {
            await channel.transceive(fromHex(select.plainCommand));
          } catch (e) {
            expect(e).toBeInstanceOf(ReaderError);
            // INVALID_RESPONSE: a GET RESPONSE answer without status bytes, or endless parts.
            expect(['SM_INVALID_RESPONSE', 'SM_MAC_MISMATCH', 'SM_REJECTED', 'INVALID_RESPONSE']).toContain(
              (e as ReaderError).code,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an aborted signal stops before the SSC moves', async () => {
    const inner = createScriptedTransport([
      { command: select.protectedCommand, response: select.protectedResponse },
    ]);
    const channel = createSecureChannel(inner, d4Keys());
    const controller = new AbortController();
    controller.abort();
    await expect(
      channel.transceive(fromHex(select.plainCommand), { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(toHex(await channel.transceive(fromHex(select.plainCommand)))).toBe('9000');
  });

  it('a malformed plain command → INVALID_ARGUMENT, nothing sent', async () => {
    const inner = createScriptedTransport([]);
    const channel = createSecureChannel(inner, d4Keys());
    await expect(channel.transceive(fromHex('00A4'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(channel.transceive(fromHex('00A4020C05011E'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('the messages carry no key or data bytes', async () => {
    try {
      await readWith(flipHex(read4.protectedResponse, 20));
      expect.unreachable();
    } catch (e) {
      const text = `${(e as Error).message} ${JSON.stringify((e as ReaderError).context)}`.toUpperCase();
      for (const secret of [v.d3.ksEnc, v.d3.ksMac, '60145F01', '9FF0EC34'])
        expect(text).not.toContain(secret);
    }
  });
});

describe('session keys are checked', () => {
  const good = d4Keys();
  it.each([
    ['a 3DES key of 24 bytes', { ...good, kEnc: new Uint8Array(24) }],
    ['a short KS_MAC', { ...good, kMac: new Uint8Array(8) }],
    ['a 16-byte SSC for 3DES', { ...good, ssc: new Uint8Array(16) }],
    [
      'an 8-byte SSC for AES',
      {
        cipher: 'aes',
        keyBits: 128,
        kEnc: new Uint8Array(16),
        kMac: new Uint8Array(16),
        ssc: new Uint8Array(8),
      },
    ],
    [
      'AES-192 with 16-byte keys',
      {
        cipher: 'aes',
        keyBits: 192,
        kEnc: new Uint8Array(16),
        kMac: new Uint8Array(16),
        ssc: new Uint8Array(16),
      },
    ],
    ['3DES with 256 bits', { ...good, keyBits: 256 }],
    ['an unknown cipher', { ...good, cipher: 'des' }],
    ['a missing SSC', { ...good, ssc: undefined }],
  ])('%s → INVALID_ARGUMENT', (_name, keys) => {
    const inner = createScriptedTransport([]);
    expect(() => createSecureChannel(inner, keys as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createCardSecureMessaging(keys as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('card side: faulty commands', () => {
  const card = () => createCardSecureMessaging(d4Keys());

  it('a flipped MAC or data byte → SM_MAC_MISMATCH with 6988 to answer', () => {
    for (const i of [7, 8, 12, 20, 25]) {
      expect(() => card().unwrapCommand(fromHex(flipHex(select.protectedCommand, i)))).toThrow(
        expect.objectContaining({ code: 'SM_MAC_MISMATCH', context: { step: 'UNWRAP_COMMAND', sw: 0x6988 } }),
      );
    }
  });

  it('a changed header byte (MAC covers the header) → SM_MAC_MISMATCH', () => {
    for (const i of [1, 2, 3]) {
      expect(() => card().unwrapCommand(fromHex(flipHex(select.protectedCommand, i)))).toThrow(
        expect.objectContaining({ code: 'SM_MAC_MISMATCH' }),
      );
    }
  });

  it('a wrong SSC → SM_MAC_MISMATCH', () => {
    const c = createCardSecureMessaging(d4Keys('887022120C06C227'));
    expect(() => c.unwrapCommand(fromHex(select.protectedCommand))).toThrow(
      expect.objectContaining({ code: 'SM_MAC_MISMATCH' }),
    );
  });

  it.each([
    ['an unprotected command', select.plainCommand, 0x6987],
    ['no 8E', '0CA4020C0B8709016375432908C044F600', 0x6987],
    ['no data at all', '0CA4020C00', 0x6987],
    ['an 8E of 4 bytes', '0CA4020C068E04BF8B92D600', 0x6988],
    ['an unknown data object', '0CA4020C0F8101008E08BF8B92D635FF24F800', 0x6988],
    ['a malformed length', '0CA4020C038702FF00', 0x6988],
    ['a malformed APDU', '0CA4', 0x6988],
  ])('%s → SM_INVALID_RESPONSE, answer %s', (_name, apdu, sw) => {
    expect(() => card().unwrapCommand(fromHex(apdu))).toThrow(
      expect.objectContaining({ code: 'SM_INVALID_RESPONSE', context: { step: 'UNWRAP_COMMAND', sw } }),
    );
  });

  it('random commands end in a command or a ReaderError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (apdu) => {
        const c = card();
        try {
          c.unwrapCommand(apdu);
        } catch (e) {
          expect(e).toBeInstanceOf(ReaderError);
          expect([0x6987, 0x6988]).toContain((e as ReaderError).context?.sw);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('wrapResponse rejects an SW out of range', () => {
    expect(() => card().wrapResponse(new Uint8Array(0), 0x10000)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
