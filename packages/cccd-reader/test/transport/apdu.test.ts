import { fromHex, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCommandApdu,
  buildResponseApdu,
  type CommandApdu,
  parseCommandApdu,
  parseResponseApdu,
  ReaderError,
} from '../../src/transport/index.ts';

const hex = (b: Uint8Array): string => toHex(b).toUpperCase();
const head = { cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x02 };
const bytes = (n: number, v = 0xab): Uint8Array => new Uint8Array(n).fill(v);

describe('command APDUs: the four cases (ISO/IEC 7816-4 §5.1)', () => {
  it.each<[string, CommandApdu, string]>([
    ['case 1', head, '00B00102'],
    ['case 2S, Le 1', { ...head, le: 1 }, '00B0010201'],
    ['case 2S, Le 255', { ...head, le: 255 }, '00B00102FF'],
    ['case 2S, Le 256 → 00', { ...head, le: 256 }, '00B0010200'],
    ['case 2E, Le 257', { ...head, le: 257 }, '00B00102000101'],
    ['case 2E, Le 65535', { ...head, le: 65535 }, '00B0010200FFFF'],
    ['case 2E, Le 65536 → 0000', { ...head, le: 65536 }, '00B00102000000'],
    ['case 2E forced, Le 4', { ...head, le: 4, extended: true }, '00B00102000004'],
    ['case 2E forced, Le 256', { ...head, le: 256, extended: true }, '00B00102000100'],
    ['case 3S', { ...head, data: fromHex('011E') }, '00B0010202011E'],
    ['case 3E forced', { ...head, data: fromHex('011E'), extended: true }, '00B00102000002011E'],
    ['case 4S', { ...head, data: fromHex('011E'), le: 256 }, '00B0010202011E00'],
    ['case 4S, Le 8', { ...head, data: fromHex('011E'), le: 8 }, '00B0010202011E08'],
    ['case 4E, Le 65536 → 0000', { ...head, data: fromHex('011E'), le: 65536 }, '00B00102000002011E0000'],
    [
      'case 4E forced, Le 256',
      { ...head, data: fromHex('011E'), le: 256, extended: true },
      '00B00102000002011E0100',
    ],
    ['empty data is no Lc', { ...head, data: new Uint8Array(0), le: 5 }, '00B0010205'],
  ])('%s', (_name, cmd, expected) => {
    const built = buildCommandApdu(cmd);
    expect(hex(built)).toBe(expected);
    expect(hex(buildCommandApdu(parseCommandApdu(built)))).toBe(expected);
  });

  it('case 3E/4E when the data exceed 255 bytes', () => {
    const c3 = buildCommandApdu({ ...head, data: bytes(256) });
    expect(hex(c3.subarray(0, 7))).toBe('00B00102000100');
    expect(c3.length).toBe(7 + 256);
    const c4 = buildCommandApdu({ ...head, data: bytes(300), le: 10 });
    expect(hex(c4.subarray(0, 7))).toBe('00B0010200012C');
    expect(hex(c4.subarray(-2))).toBe('000A');
    const max = buildCommandApdu({ ...head, data: bytes(65535) });
    expect(hex(max.subarray(4, 7))).toBe('00FFFF');
  });

  it('parses each case back to its fields', () => {
    expect(parseCommandApdu(fromHex('00A4020C'))).toEqual({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c });
    expect(parseCommandApdu(fromHex('00B0000000'))).toEqual({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(parseCommandApdu(fromHex('00B00000000000'))).toEqual({
      cla: 0,
      ins: 0xb0,
      p1: 0,
      p2: 0,
      le: 65536,
      extended: true,
    });
    expect(parseCommandApdu(fromHex('00A4020C02011E'))).toEqual({
      cla: 0,
      ins: 0xa4,
      p1: 2,
      p2: 0x0c,
      data: fromHex('011E'),
    });
    expect(parseCommandApdu(fromHex('00A4020C02011E00'))).toEqual({
      cla: 0,
      ins: 0xa4,
      p1: 2,
      p2: 0x0c,
      data: fromHex('011E'),
      le: 256,
    });
    expect(parseCommandApdu(fromHex('00A4020C000002011E0000'))).toEqual({
      cla: 0,
      ins: 0xa4,
      p1: 2,
      p2: 0x0c,
      data: fromHex('011E'),
      le: 65536,
      extended: true,
    });
  });

  const commandArb: fc.Arbitrary<CommandApdu> = fc
    .record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      data: fc.option(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 255 }),
          fc.uint8Array({ minLength: 256, maxLength: 700 }),
        ),
        {
          nil: undefined,
        },
      ),
      le: fc.option(fc.oneof(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 65536 })), {
        nil: undefined,
      }),
      extended: fc.boolean(),
    })
    .map(({ data, le, extended, ...h }) => ({
      ...h,
      ...(data === undefined ? {} : { data }),
      ...(le === undefined ? {} : { le }),
      ...(extended ? { extended } : {}),
    }));

  it('round trip: parse(build(c)) keeps every field; build(parse(bytes)) gives the same bytes', () => {
    fc.assert(
      fc.property(commandArb, (cmd) => {
        const built = buildCommandApdu(cmd);
        const parsed = parseCommandApdu(built);
        expect([parsed.cla, parsed.ins, parsed.p1, parsed.p2]).toEqual([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
        expect(hex(parsed.data ?? new Uint8Array(0))).toBe(hex(cmd.data ?? new Uint8Array(0)));
        expect(parsed.le).toBe(cmd.le);
        const needsExtended = (cmd.data?.length ?? 0) > 255 || (cmd.le ?? 0) > 256;
        if (needsExtended) expect(parsed.extended).toBe(true);
        if (parsed.extended !== true) expect(built.length).toBeLessThanOrEqual(4 + 1 + 255 + 1);
        expect(hex(buildCommandApdu(parsed))).toBe(hex(built));
      }),
      { numRuns: 500 },
    );
  });

  it('parse never throws anything but ReaderError(INVALID_ARGUMENT) on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          const parsed = parseCommandApdu(b);
          expect(hex(buildCommandApdu(parsed))).toBe(hex(b));
        } catch (e) {
          expect(e).toBeInstanceOf(ReaderError);
          expect((e as ReaderError).code).toBe('INVALID_ARGUMENT');
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, CommandApdu]>([
    ['CLA 256', { ...head, cla: 256 }],
    ['INS -1', { ...head, ins: -1 }],
    ['P1 1.5', { ...head, p1: 1.5 }],
    ['P2 NaN', { ...head, p2: Number.NaN }],
    ['Le 0', { ...head, le: 0 }],
    ['Le 65537', { ...head, le: 65537 }],
    ['Le 2.5', { ...head, le: 2.5 }],
    ['data of 65536 bytes', { ...head, data: new Uint8Array(65536) }],
  ])('build rejects %s', (_name, cmd) => {
    expect(() => buildCommandApdu(cmd)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it.each([
    ['fewer than 4 bytes', '00A402'],
    ['short Lc longer than the data', '00A4020C05011E'],
    ['short Lc with two trailing bytes', '00A4020C02011E0000'],
    ['a body of 00 00', '00B000000000'],
    ['extended Lc of 0', '00A4020C00000000'],
    ['extended Lc longer than the data', '00A4020C000005011E'],
    ['extended case 4 with a one-byte Le', '00A4020C000002011E00'],
  ])('parse rejects %s', (_name, h) => {
    expect(() => parseCommandApdu(fromHex(h))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('response APDUs', () => {
  it('splits data and status word', () => {
    expect(parseResponseApdu(fromHex('60145F019000'))).toEqual({ data: fromHex('60145F01'), sw: 0x9000 });
    expect(parseResponseApdu(fromHex('6A82'))).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
  });

  it('build and parse round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
        const r = parseResponseApdu(buildResponseApdu(data, sw));
        expect(hex(r.data)).toBe(hex(data));
        expect(r.sw).toBe(sw);
      }),
    );
  });

  it.each([
    ['nothing', new Uint8Array(0)],
    ['one byte', Uint8Array.of(0x90)],
    ['not bytes', 'x' as unknown as Uint8Array],
  ])('rejects %s with INVALID_RESPONSE', (_name, b) => {
    expect(() => parseResponseApdu(b)).toThrow(expect.objectContaining({ code: 'INVALID_RESPONSE' }));
  });

  it('the parsed data is a copy', () => {
    const raw = fromHex('01029000');
    const r = parseResponseApdu(raw);
    raw[0] = 0xff;
    expect(r.data[0]).toBe(1);
  });
});
