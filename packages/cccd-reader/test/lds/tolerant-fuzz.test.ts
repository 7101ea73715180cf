/**
 * Property tests of the tolerant paths: DG2's lenient template reading (non-minimal and hostile
 * lengths, slack) and DG13's per-field warnings. Each parser returns a value or throws an
 * LdsError, nothing else; memory stays bounded by the input (faces are views into it, warnings
 * at most one per TLV header, nothing sized by a declared length).
 */
import { concatBytes } from '@vneid/core/bytes';
import { decodeTlv, encodeInteger, encodeOid, encodeTag, encodeTlv, type Tlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDg2, DG2_MAX_SLACK, type Dg2, LdsError, parseDg2, parseDg13 } from '../../src/lds/index.ts';

function valueOrLdsError<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof LdsError)) throw e;
    expect(e.code.startsWith('LDS_')).toBe(true);
    return undefined;
  }
}

const jpeg = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0x90, 0x01, 0x2c, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
]);
const dg2 = buildDg2({ image: jpeg, width: 300, height: 400, imageType: 'jpeg' });

/** Re-encodes a tree, writing each length in a form chosen by `form` (0 = minimal, 1–4 = long form with that many octets). */
function reencode(node: Tlv, form: () => number): Uint8Array {
  const value =
    node.children === undefined ? node.value : concatBytes(...node.children.map((c) => reencode(c, form)));
  const n = value.length;
  const minimal = n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
  const k = Math.max(form(), minimal);
  const length =
    k === 0 ? [n] : [0x80 | k, ...Array.from({ length: k }, (_, i) => (n >>> (8 * (k - 1 - i))) & 0xff)];
  return concatBytes(encodeTag(node.tag), Uint8Array.from(length), value);
}

/** Every face image is a view into the parsed buffer (no copy sized by a declared length). */
function assertBounded(input: Uint8Array, parsed: Dg2 | undefined): void {
  if (parsed === undefined) return;
  for (const face of parsed.faces) {
    expect(face.image.buffer).toBe(input.buffer);
    expect(face.image.length).toBeLessThanOrEqual(input.length);
  }
  // At most one warning per TLV header (≥ 2 bytes each) or slack run.
  expect(parsed.warnings.length).toBeLessThanOrEqual(input.length / 2);
}

describe('DG2 lenient reading on hostile input', () => {
  it('random length forms of a valid DG2 always parse to the same face', () => {
    const tree = decodeTlv(dg2);
    const clean = parseDg2(dg2);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 16 }), (forms) => {
        let i = 0;
        const bytes = reencode(tree, () => forms[i++ % forms.length] as number);
        const parsed = parseDg2(bytes);
        expect(parsed.faces[0]!.image).toEqual(clean.faces[0]!.image);
        expect(parsed.warnings.every((w) => w.code === 'LDS_NON_MINIMAL_LENGTH')).toBe(true);
        assertBounded(bytes, parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('hostile 4-byte lengths written over any header of a long-form DG2: value or LdsError, bounded', () => {
    const tree = decodeTlv(dg2);
    const long = reencode(tree, () => 4);
    // Offsets of every 84 length prefix in the long-form file.
    const prefixes: number[] = [];
    for (let i = 0; i + 4 < long.length; i++) if (long[i] === 0x84 && i < 80) prefixes.push(i);
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.oneof(
          fc.constant(0xffffffff),
          fc.constant(0x7fffffff),
          fc.nat({ max: long.length + 16 }),
          fc.nat(),
        ),
        fc.uint8Array({ maxLength: 12 }),
        (at, length, tail) => {
          const bytes = concatBytes(long, tail);
          new DataView(bytes.buffer).setUint32(at + 1, length >>> 0);
          assertBounded(
            bytes,
            valueOrLdsError(() => parseDg2(bytes)),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('hostile values inside the 19794-5 record (counts, lengths) of a DG2: value or LdsError, bounded', () => {
    const tree = decodeTlv(dg2);
    const rec = tree.children![0]!.children![1]!.children![1]!;
    const recStart = rec.offset + rec.headerLength;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.uint8Array({ maxLength: DG2_MAX_SLACK + 4 }),
        (flips, slack) => {
          const bytes = dg2.slice();
          // Flip bytes of the record after its FAC/version: lengths, counts, landmark numbers.
          for (const [at, v] of flips) bytes[recStart + 8 + at] = v;
          const input = slack.length > 0 ? appendSlack(bytes, slack) : bytes;
          assertBounded(
            input,
            valueOrLdsError(() => parseDg2(input)),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});

/** The same one-template DG2 with `slack` appended inside its 7F60 (lengths rewritten). */
function appendSlack(dg2Bytes: Uint8Array, slack: Uint8Array): Uint8Array {
  const root = decodeTlv(dg2Bytes);
  const group = root.children![0]!;
  const template = group.children![1]!;
  const t = encodeTlv(0x7f60, concatBytes(template.value, slack));
  return encodeTlv(0x75, [encodeTlv(0x7f61, [group.children![0]!.raw, t])]);
}

const OID = encodeTlv(0x06, encodeOid('1.0.10646.1.0.8'));
const envelope = (entries: Uint8Array[]): Uint8Array =>
  encodeTlv(0x6d, [encodeTlv(0x30, [encodeTlv(0x02, encodeInteger(1)), OID, encodeTlv(0x31, entries)])]);
const GOOD = encodeTlv(0x30, [
  encodeTlv(0x02, encodeInteger(1)),
  encodeTlv(0x13, new TextEncoder().encode('001099012345')),
]);

/** Any well-formed TLV: primitives of ASN.1 and context tags with random bytes, SEQUENCE/SET/[0] of them. */
const anyTlv: fc.Arbitrary<Uint8Array> = fc.letrec<{ tlv: Uint8Array }>((tie) => ({
  tlv: fc.oneof(
    { depthSize: 'small' },
    fc
      .tuple(
        fc.constantFrom(0x01, 0x02, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1e, 0x80, 0x81),
        fc.uint8Array({ maxLength: 24 }),
      )
      .map(([tag, value]) => encodeTlv(tag, value)),
    fc
      .tuple(fc.constantFrom(0x30, 0x31, 0xa0), fc.array(tie('tlv'), { maxLength: 4 }))
      .map(([tag, children]) => encodeTlv(tag, children)),
  ),
})).tlv;

/** A field entry: SEQUENCE { INTEGER n (sometimes broken), any values } or any TLV at all. */
const anyEntry: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.array(anyTlv, { maxLength: 3 }))
    .map(([n, values]) => encodeTlv(0x30, [encodeTlv(0x02, encodeInteger(n)), ...values])),
  anyTlv,
);

describe('DG13 per-field tolerance on hostile fields', () => {
  it('any well-formed field entries never fail the group; field 1 survives unless duplicated', () => {
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 8 }), fc.nat(), (entries, at) => {
        const list = [...entries];
        list.splice(at % (list.length + 1), 0, GOOD);
        const dg13 = parseDg13(envelope(list));
        const ones = dg13.fieldOrder.filter((n) => n === 1).length;
        if (ones === 1) expect(dg13.idNumber).toBe('001099012345');
        else expect(dg13.idNumber).toBeUndefined();
        for (const w of dg13.warnings) {
          expect(Object.keys(w).sort()).toEqual(['code', 'field', 'offset']);
          expect(w.code.startsWith('LDS_')).toBe(true);
        }
        expect(dg13.warnings.length).toBeLessThanOrEqual(2 * (list.length + 1));
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes inside the SET: value or LdsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        valueOrLdsError(() =>
          parseDg13(
            encodeTlv(0x6d, [
              encodeTlv(0x30, [encodeTlv(0x02, encodeInteger(1)), OID, encodeTlv(0x31, body)]),
            ]),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
