import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { concatBytes, fromHex, toHex } from '../../src/bytes/index.ts';
import { CoreError } from '../../src/errors/index.ts';
import {
  DEFAULT_MAX_DEPTH,
  decodeInteger,
  decodeOid,
  decodeTlv,
  decodeTlvSequence,
  encodeInteger,
  encodeLength,
  encodeOid,
  encodeTag,
  encodeTlv,
  findAllTlv,
  findTlv,
  isConstructedTag,
  requireTlv,
  type Tlv,
  type TlvDecodeStats,
  TlvError,
  tagToHex,
} from '../../src/tlv/index.ts';

interface Tree {
  tag: number;
  value?: string;
  children?: Tree[];
}

function toTree(t: Tlv): Tree {
  return t.children
    ? { tag: t.tag, children: t.children.map(toTree) }
    : { tag: t.tag, value: toHex(t.value) };
}

function errorOf(fn: () => unknown): TlvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlvError) return e;
    throw e;
  }
  throw new Error('expected a TlvError');
}

/** Checks the invariants every decoded node must satisfy against its source buffer. */
function checkNode(t: Tlv, buf: Uint8Array): void {
  expect(t.raw.byteOffset - buf.byteOffset).toBe(t.offset);
  expect(t.value.byteOffset - buf.byteOffset).toBe(t.offset + t.headerLength);
  expect(t.raw.buffer).toBe(buf.buffer);
  if (!t.indefinite) expect(t.raw.length).toBe(t.headerLength + t.value.length);
  else expect(t.raw.length).toBe(t.headerLength + t.value.length + 2);
  expect(t.constructed).toBe(isConstructedTag(t.tag));
  for (const c of t.children ?? []) checkNode(c, buf);
}

describe('decodeTlv on vectors', () => {
  const { vectors } = loadVectors<{ name: string; hex: string; tree: Tree }>(import.meta.url, 'samples');
  it.each(vectors)('$name', ({ hex, tree }) => {
    const bytes = fromHex(hex);
    const t = decodeTlv(bytes);
    expect(toTree(t)).toEqual(tree);
    expect(toHex(t.raw)).toBe(hex);
    checkNode(t, bytes);
    // Re-encoding from the tree gives the same bytes (DER inputs).
    const encode = (n: Tree): Uint8Array =>
      n.children ? encodeTlv(n.tag, n.children.map(encode)) : encodeTlv(n.tag, fromHex(n.value!));
    expect(toHex(encode(tree))).toBe(hex);
    expect(decodeTlvSequence(concatBytes(bytes, bytes)).map(toTree)).toEqual([tree, tree]);
  });

  it('reads EF.CardAccess PACE parameters with the DER helpers', () => {
    const t = decodeTlv(fromHex(vectors[0]!.hex));
    const pace = t.children!.find((s) =>
      decodeOid(requireTlv(s, 0x06).value).startsWith('0.4.0.127.0.7.2.2.4'),
    )!;
    expect(findAllTlv(pace, 0x02).map((i) => decodeInteger(i.value))).toEqual([2, 13]);
  });

  it('decodes sub-arrays with offsets relative to the given view', () => {
    const outer = fromHex('ffff3003020105ffff');
    const view = outer.subarray(2, 7);
    const t = decodeTlv(view);
    expect(t.offset).toBe(0);
    expect(t.children![0]!.offset).toBe(2);
    expect(Array.from(t.children![0]!.value)).toEqual([5]);
    checkNode(t, view);
  });
});

describe('invalid inputs', () => {
  const { vectors } = loadVectors<{
    name: string;
    hex: string;
    code: string;
    offset?: number;
    tag?: number;
    depth?: number;
    single?: boolean;
    ber?: boolean;
  }>(import.meta.url, 'invalid');
  it.each(vectors)('$name → $code', (v) => {
    const bytes = fromHex(v.hex);
    const options = { ber: v.ber === true };
    const e = errorOf(() => decodeTlv(bytes, options));
    expect(e.code).toBe(v.code);
    expect(e).toBeInstanceOf(CoreError);
    if (v.offset !== undefined) expect(e.context.offset).toBe(v.offset);
    if (v.tag !== undefined) expect(e.context.tag).toBe(v.tag);
    if (v.depth !== undefined) expect(e.context.depth).toBe(v.depth);
    if (!v.single) {
      // The same error from the sequence decoder, except that it accepts empty input.
      if (bytes.length === 0) expect(decodeTlvSequence(bytes)).toEqual([]);
      else expect(errorOf(() => decodeTlvSequence(bytes, options)).code).toBe(v.code);
    }
  });

  it('rejects a non-Uint8Array', () => {
    expect(errorOf(() => decodeTlv([0x04, 0x00] as unknown as Uint8Array)).code).toBe('TLV_INVALID_INPUT');
  });
});

describe('BER mode', () => {
  it('decodes nested indefinite lengths with end-of-contents', () => {
    const bytes = fromHex('3080 3180 040101 0000 020102 0000');
    const t = decodeTlv(bytes, { ber: true });
    expect(toTree(t)).toEqual({
      tag: 0x30,
      children: [
        { tag: 0x31, children: [{ tag: 4, value: '01' }] },
        { tag: 2, value: '02' },
      ],
    });
    expect(t.indefinite).toBe(true);
    expect(toHex(t.value)).toBe('31800401010000020102');
    expect(t.raw.length).toBe(bytes.length);
    expect(toHex(t.children![0]!.raw)).toBe('31800401010000');
    checkNode(t, bytes);
  });

  it('accepts non-minimal lengths only with ber', () => {
    const bytes = fromHex('04820003 010203');
    expect(errorOf(() => decodeTlv(bytes)).code).toBe('TLV_NON_MINIMAL_LENGTH');
    const t = decodeTlv(bytes, { ber: true });
    expect([t.headerLength, toHex(t.value)]).toEqual([4, '010203']);
  });

  it('an indefinite length inside a definite one is closed within the parent', () => {
    const t = decodeTlv(fromHex('3006 3080 0400 0000'), { ber: true });
    expect(toTree(t)).toEqual({ tag: 0x30, children: [{ tag: 0x30, children: [{ tag: 4, value: '' }] }] });
  });
});

describe('shallow and bounds', () => {
  it('shallow leaves constructed contents undecoded', () => {
    const t = decodeTlv(fromHex('3003 ffffff'), { shallow: true });
    expect(t.children).toBeUndefined();
    expect(toHex(t.value)).toBe('ffffff');
    expect(errorOf(() => decodeTlv(fromHex('3003 ffffff'))).code).toBe('TLV_TRUNCATED');
  });

  const nest = (depth: number): Uint8Array => {
    let inner: Uint8Array = fromHex('0400');
    for (let i = 1; i < depth; i++) inner = encodeTlv(0x30, [inner]);
    return inner;
  };

  it(`accepts ${DEFAULT_MAX_DEPTH} levels and rejects ${DEFAULT_MAX_DEPTH + 1} by default`, () => {
    expect(() => decodeTlv(nest(DEFAULT_MAX_DEPTH))).not.toThrow();
    const e = errorOf(() => decodeTlv(nest(DEFAULT_MAX_DEPTH + 1)));
    expect([e.code, e.context.depth]).toEqual(['TLV_TOO_DEEP', DEFAULT_MAX_DEPTH + 1]);
    expect(errorOf(() => decodeTlv(nest(5), { maxDepth: 4 })).code).toBe('TLV_TOO_DEEP');
  });

  it('has no recursion limit of its own: 100 000 levels decode with maxDepth Infinity', () => {
    const depth = 100_000;
    // 30 80 … 04 00 … 00 00 (BER indefinite nesting: 4 bytes per level).
    const bytes = new Uint8Array(4 * depth + 2);
    for (let i = 0; i < depth; i++) bytes.set([0x30, 0x80], 2 * i);
    bytes.set([0x04, 0x00], 2 * depth);
    const stats: TlvDecodeStats = { nodes: 0, headerBytes: 0, steps: 0 };
    let t = decodeTlv(bytes, { ber: true, maxDepth: Number.POSITIVE_INFINITY, stats });
    expect(stats.nodes).toBe(depth + 1);
    let levels = 1;
    while (t.children) {
      t = t.children[0]!;
      levels++;
    }
    expect(levels).toBe(depth + 1);
  });

  it('enforces maxNodes', () => {
    const many = new Uint8Array(2000).fill(0x05).map((b, i) => (i % 2 ? 0 : b));
    expect(decodeTlvSequence(many, { maxNodes: 1000 })).toHaveLength(1000);
    expect(errorOf(() => decodeTlvSequence(many, { maxNodes: 999 })).code).toBe('TLV_TOO_MANY_NODES');
  });
});

describe('linear work on hostile input', () => {
  type Make = (size: number) => Uint8Array;
  /** 10 MB of `30 80` (BER) or `30 83 LLLLLL` (strict) nests: rejected after maxDepth levels. */
  const deepBer: Make = (size) => new Uint8Array(size).map((_, i) => (i % 2 ? 0x80 : 0x30));
  const deepStrict: Make = (size) => {
    const out = new Uint8Array(size);
    for (let at = 0; at + 5 <= size; at += 5) {
      const len = size - at - 5;
      out.set([0x30, 0x83, (len >>> 16) & 255, (len >>> 8) & 255, len & 255], at);
    }
    return out;
  };
  /** Many tiny TLVs, and the same wrapped as children of one SEQUENCE. */
  const tiny: Make = (size) => new Uint8Array(size).map((_, i) => (i % 2 ? 0 : 0x05));
  const wrappedTiny: Make = (size) => encodeTlv(0x30, tiny(size - 6));

  it('rejects 10 MB hostile nests after at most maxDepth headers', () => {
    for (const [make, ber] of [
      [deepBer, true],
      [deepStrict, false],
    ] as const) {
      const stats: TlvDecodeStats = { nodes: 0, headerBytes: 0, steps: 0 };
      const e = errorOf(() => decodeTlvSequence(make(10 * 1024 * 1024), { ber, stats }));
      expect(e.code).toBe('TLV_TOO_DEEP');
      expect(stats.nodes).toBe(DEFAULT_MAX_DEPTH + 1);
    }
  });

  it('does work proportional to the input (1 KB vs 1 MB, counted, not timed)', () => {
    const perByte: number[] = [];
    for (const make of [tiny, wrappedTiny]) {
      for (const size of [1024, 1024 * 1024]) {
        const bytes = make(size);
        const stats: TlvDecodeStats = { nodes: 0, headerBytes: 0, steps: 0 };
        decodeTlvSequence(bytes, { stats, maxNodes: Number.POSITIVE_INFINITY });
        expect(stats.headerBytes).toBeLessThanOrEqual(bytes.length);
        expect(stats.steps).toBeLessThanOrEqual(2 * stats.nodes + 1);
        perByte.push(stats.steps / bytes.length);
      }
    }
    // Steps per byte stay the same from 1 KB to 1 MB: linear, not quadratic.
    expect(perByte[1]! / perByte[0]!).toBeCloseTo(1, 1);
    expect(perByte[3]! / perByte[2]!).toBeCloseTo(1, 1);
    for (const r of perByte) expect(r).toBeLessThanOrEqual(1);
  });
});

describe('encoding', () => {
  const { vectors } = loadVectors<{ length: number; hex: string }>(import.meta.url, 'lengths');
  it.each(vectors)('encodeLength($length) = $hex', ({ length, hex }) => {
    expect(toHex(encodeLength(length))).toBe(hex);
    if (length < 100_000) {
      const t = decodeTlv(concatBytes(fromHex(`04${hex}`), new Uint8Array(length)));
      expect(t.value.length).toBe(length);
    }
  });

  const bad: Array<[string, () => unknown, string]> = [
    ['length -1', () => encodeLength(-1), 'TLV_LENGTH_TOO_LARGE'],
    ['length 2^32', () => encodeLength(2 ** 32), 'TLV_LENGTH_TOO_LARGE'],
    ['length 1.5', () => encodeLength(1.5), 'TLV_LENGTH_TOO_LARGE'],
    ['tag 0', () => encodeTag(0), 'TLV_INVALID_TAG'],
    ['tag 1F alone', () => encodeTag(0x1f), 'TLV_INVALID_TAG'],
    ['tag 5F81 (unterminated)', () => encodeTag(0x5f81), 'TLV_INVALID_TAG'],
    ['tag 0401 (not long form)', () => encodeTag(0x0401), 'TLV_INVALID_TAG'],
    ['tag 5F8001 (leading 80)', () => encodeTag(0x5f8001), 'TLV_NON_MINIMAL_TAG'],
    ['tag 2^32', () => encodeTag(2 ** 32), 'TLV_INVALID_TAG'],
    ['children under a primitive tag', () => encodeTlv(0x04, [fromHex('0400')]), 'TLV_INVALID_VALUE'],
    ['requireTlv on a missing tag', () => requireTlv([], 0x5f1f), 'TLV_NOT_FOUND'],
  ];
  it.each(bad)('%s', (_name, fn, code) => {
    expect(errorOf(fn).code).toBe(code);
  });

  it('encodes the two-byte tags ICAO defines for numbers below 31 (5F01, 5F0E, 5F1E)', () => {
    expect([0x5f01, 0x5f0e, 0x5f1e].map((t) => toHex(encodeTag(t)))).toEqual(['5f01', '5f0e', '5f1e']);
    expect(toHex(encodeTlv(0x5f01, fromHex('30313037')))).toBe('5f010430313037');
  });

  it('formats tags and finds TLVs', () => {
    expect([tagToHex(0x5f1f), tagToHex(0x04), tagToHex(0xbf818001)]).toEqual(['5F1F', '04', 'BF818001']);
    const list = decodeTlvSequence(fromHex('020101 020102 0400'));
    expect(findTlv(list, 0x02)?.value[0]).toBe(1);
    expect(findAllTlv(list, 0x02)).toHaveLength(2);
    expect(findTlv(list, 0x30)).toBeUndefined();
    expect(requireTlv(list, 0x04).value.length).toBe(0);
  });
});

describe('properties', () => {
  /** A random minimal tag with the requested constructed bit. */
  const tagArb = (constructed: boolean): fc.Arbitrary<number> =>
    fc.oneof(
      fc
        .integer({ min: 1, max: 30 })
        .chain((n) =>
          fc.constantFrom(0x00, 0x40, 0x80, 0xc0).map((cls) => cls | (constructed ? 0x20 : 0) | n),
        ),
      fc.integer({ min: 31, max: 0x1fffff }).map((n) => {
        const first = 0x5f | (constructed ? 0x20 : 0);
        const groups: number[] = [];
        for (let v = n; v > 0; v = Math.floor(v / 128)) groups.unshift(v % 128);
        return groups.reduce((acc, g, i) => acc * 256 + (i < groups.length - 1 ? g | 0x80 : g), first);
      }),
    );
  const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ tag: tagArb(false), value: fc.uint8Array({ maxLength: 300 }).map(toHex) }),
      fc.record({ tag: tagArb(true), children: fc.array(tie('node'), { maxLength: 4 }) }),
    ),
  })).node;
  const encode = (n: Tree): Uint8Array =>
    n.children ? encodeTlv(n.tag, n.children.map(encode)) : encodeTlv(n.tag, fromHex(n.value!));

  it('decode(encode(tree)) = tree and encode is canonical', () => {
    fc.assert(
      fc.property(fc.array(treeArb, { maxLength: 3 }), (trees) => {
        const bytes = concatBytes(...trees.map(encode));
        const list = decodeTlvSequence(bytes);
        expect(list.map(toTree)).toEqual(trees);
        for (const t of list) checkNode(t, bytes);
        expect(toHex(concatBytes(...list.map((t) => t.raw)))).toBe(toHex(bytes));
      }),
    );
  });

  it('any bytes decode or throw a TlvError, never another exception (strict and ber)', () => {
    const structured = fc
      .array(
        fc.oneof(
          fc.constantFrom(0x00, 0x1f, 0x30, 0x80, 0x81, 0x82, 0x84, 0x85, 0xff, 0x5f, 0x7f),
          fc.nat(255),
        ),
        {
          maxLength: 64,
        },
      )
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), structured), fc.boolean(), (bytes, ber) => {
        for (const fn of [() => decodeTlvSequence(bytes, { ber }), () => decodeTlv(bytes, { ber })]) {
          try {
            const r = fn();
            for (const t of Array.isArray(r) ? r : [r]) checkNode(t, bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(TlvError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('strict decoding accepts exactly what encodeTlv produces (re-encoding is identity)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let list: Tlv[];
        try {
          list = decodeTlvSequence(bytes);
        } catch {
          return;
        }
        const reencode = (t: Tlv): Uint8Array =>
          t.children ? encodeTlv(t.tag, t.children.map(reencode)) : encodeTlv(t.tag, t.value);
        expect(toHex(concatBytes(...list.map(reencode)))).toBe(toHex(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodeLength/decode round trip for any length field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const l = encodeLength(n);
        const parsed = l.length === 1 ? l[0]! : Array.from(l.subarray(1)).reduce((a, b) => a * 256 + b, 0);
        expect(parsed).toBe(n);
        expect(l.length).toBe(n < 128 ? 1 : 1 + Math.ceil(n.toString(16).length / 2));
      }),
    );
  });
});

describe('OBJECT IDENTIFIER and INTEGER', () => {
  const { vectors } = loadVectors<{ oid: string; hex: string }>(import.meta.url, 'oids');
  it.each(vectors)('$oid ⇄ $hex', ({ oid, hex }) => {
    expect(toHex(encodeOid(oid))).toBe(hex);
    expect(decodeOid(fromHex(hex))).toBe(oid);
  });

  it('round-trips any OID', () => {
    const arc = fc.oneof(fc.nat(200), fc.bigInt({ min: 0n, max: 2n ** 80n }).map(String));
    fc.assert(
      fc.property(fc.nat(2), fc.nat(39), fc.array(arc, { maxLength: 8 }), (a, b, rest) => {
        const oid = [a, b, ...rest].join('.');
        expect(decodeOid(encodeOid(oid))).toBe(oid);
      }),
    );
  });

  const intVectors: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [13, '0d'],
    [127, '7f'],
    [128, '0080'],
    [255, '00ff'],
    [256, '0100'],
    [32767, '7fff'],
    [32768, '008000'],
    [Number.MAX_SAFE_INTEGER, '1fffffffffffff'],
  ];
  it.each(intVectors)('INTEGER %i ⇄ %s (X.690 §8.3)', (n, hex) => {
    expect(toHex(encodeInteger(n))).toBe(hex);
    expect(decodeInteger(fromHex(hex))).toBe(n);
  });

  it('round-trips any safe non-negative integer', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(decodeInteger(encodeInteger(n))).toBe(n);
      }),
    );
  });

  const bad: Array<[string, () => unknown]> = [
    ['empty OID', () => decodeOid(new Uint8Array(0))],
    ['OID with leading 80', () => decodeOid(fromHex('2a8001'))],
    ['OID ending in a continuation byte', () => decodeOid(fromHex('2a86'))],
    ['OID text with one arc', () => encodeOid('1')],
    ['OID text with leading zero', () => encodeOid('1.02.3')],
    ['OID text with first arc 3', () => encodeOid('3.1')],
    ['OID text with second arc 40 under 1', () => encodeOid('1.40')],
    ['OID text with spaces', () => encodeOid('1. 2')],
    ['empty INTEGER', () => decodeInteger(new Uint8Array(0))],
    ['negative INTEGER', () => decodeInteger(fromHex('ff'))],
    ['non-minimal INTEGER 00 01', () => decodeInteger(fromHex('0001'))],
    ['INTEGER above 2^53', () => decodeInteger(fromHex('20000000000000'))],
    ['encode -1', () => encodeInteger(-1)],
    ['encode 2^53', () => encodeInteger(2 ** 53)],
    ['encode 1.5', () => encodeInteger(1.5)],
  ];
  it.each(bad)('%s → TLV_INVALID_VALUE', (_name, fn) => {
    expect(errorOf(fn).code).toBe('TLV_INVALID_VALUE');
  });
});
