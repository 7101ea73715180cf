/**
 * Random and mutated bytes into every LDS parser: each returns a value or throws an LdsError,
 * never anything else, and never hangs (vitest's timeout would fail the run).
 */
import { encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDg1,
  buildDg2,
  buildDg13,
  buildLdsSecurityObject,
  inspectFaceImage,
  LdsError,
  parseCom,
  parseDg1,
  parseDg2,
  parseDg11,
  parseDg12,
  parseDg13,
  parseDg14,
  parseDg15,
  parseFaceImageDataBlock39794,
  parseFaceRecord19794,
  parseLdsFile,
  parseLdsSecurityObject,
  parseSod,
} from '../../src/lds/index.ts';

const parsers: Record<string, (b: Uint8Array) => unknown> = {
  parseCom,
  parseSod,
  parseLdsSecurityObject,
  parseDg1: (b) => parseDg1(b),
  parseDg2,
  parseFaceRecord19794: (b) => parseFaceRecord19794(b),
  parseFaceImageDataBlock39794: (b) => parseFaceImageDataBlock39794(b),
  parseDg11,
  parseDg12,
  parseDg13,
  parseDg14,
  parseDg15,
  CardAccess: (b) => parseLdsFile('CardAccess', b),
  CardSecurity: (b) => parseLdsFile('CardSecurity', b),
  DG3: (b) => parseLdsFile(3, b),
};

function valueOrLdsError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof LdsError)) throw e;
    expect(typeof e.code).toBe('string');
    expect(e.code.startsWith('LDS_')).toBe(true);
  }
}

const jpeg = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0x90, 0x01, 0x2c, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
]);
const seeds: Uint8Array[] = [
  buildDg13(
    {
      idNumber: '001099012345',
      fullName: 'Trần Thị Mẫu',
      fatherName: 'Trần Văn Cha',
      motherName: 'Lê Thị Mẹ',
      spouseName: null,
      placeOfResidence: 'x'.repeat(200),
    },
    { parentsLayout: 'nested' },
  ),
  buildDg2({ image: jpeg, width: 300, height: 400, imageType: 'jpeg' }),
  buildDg1('I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<'),
  buildLdsSecurityObject({
    hashAlgorithm: 'SHA-256',
    dataGroupHashes: [{ dataGroup: 1, hash: new Uint8Array(32) }],
  }),
  encodeTlv(0x6e, [
    encodeTlv(0x31, [
      encodeTlv(0x30, [
        Uint8Array.of(0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x05),
        Uint8Array.of(0x02, 0x01, 0x01),
      ]),
    ]),
  ]),
];

describe('LDS parsers on hostile input', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        for (const parse of Object.values(parsers)) valueOrLdsError(() => parse(bytes));
        inspectFaceImage(bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it('random bytes behind each outer tag', () => {
    const tags = [0x60, 0x61, 0x63, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x75, 0x77];
    fc.assert(
      fc.property(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 400 }), (tag, body) => {
        const bytes = encodeTlv(tag, body);
        for (const parse of Object.values(parsers)) valueOrLdsError(() => parse(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('mutated valid files (byte flips, truncation, insertion)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        (seed, flips, cut, truncate) => {
          const bytes = seed.slice();
          for (const [at, v] of flips) bytes[at % bytes.length] = v;
          const input = truncate ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes;
          for (const parse of Object.values(parsers)) valueOrLdsError(() => parse(input));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('deep nesting is bounded', () => {
    let deep: Uint8Array = Uint8Array.of(0x05, 0x00);
    for (let i = 0; i < 200; i++) deep = encodeTlv(0x30, [deep]);
    for (const parse of Object.values(parsers)) valueOrLdsError(() => parse(encodeTlv(0x77, [deep])));
  });
});
