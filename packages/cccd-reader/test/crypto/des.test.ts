import { createCipheriv, createDecipheriv } from 'node:crypto';
import { fromHex, toHex } from '@vneid/core/bytes';
import DES from 'des.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  desBlock,
  desKeySchedule,
  padIso9797,
  retailMac,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
} from '../../src/crypto/index.ts';
import { ReaderError } from '../../src/errors.ts';
import v from './vectors/des.json' with { type: 'json' };

const hex = (b: Uint8Array): string => toHex(b).toUpperCase();

function desEncrypt(key: Uint8Array, block: Uint8Array, decrypt = false): Uint8Array {
  const out = new Uint8Array(8);
  desBlock(desKeySchedule(key), decrypt, block, 0, out, 0);
  return out;
}

/** OpenSSL's two-key 3DES-CBC without padding (node:crypto) as an independent oracle. */
function opensslEde(key: Uint8Array, data: Uint8Array, iv: Uint8Array, decrypt = false): Uint8Array {
  const c = decrypt ? createDecipheriv('des-ede-cbc', key, iv) : createCipheriv('des-ede-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

const blocks = (max: number) =>
  fc.integer({ min: 0, max }).chain((n) => fc.uint8Array({ minLength: n * 8, maxLength: n * 8 }));
const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const iv8 = fc.uint8Array({ minLength: 8, maxLength: 8 });

describe('DES block cipher (FIPS 46-3)', () => {
  for (const t of v.vectors) {
    it(`${t.name}: encrypts and decrypts`, () => {
      const key = fromHex(t.key);
      expect(hex(desEncrypt(key, fromHex(t.plaintext)))).toBe(t.ciphertext);
      expect(hex(desEncrypt(key, fromHex(t.ciphertext), true))).toBe(t.plaintext);
      // Two-key 3DES with K1 = K2 is single DES.
      const k = new Uint8Array(16);
      k.set(key, 0);
      k.set(key, 8);
      expect(hex(tripleDesCbcEncrypt(k, fromHex(t.plaintext)))).toBe(t.ciphertext);
    });
  }

  it('ignores the parity bits of the key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (key, block) => {
          const flipped = key.map((b) => b ^ 1);
          expect(hex(desEncrypt(flipped, block))).toBe(hex(desEncrypt(key, block)));
        },
      ),
    );
  });

  it('agrees with des.js block by block', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (key, block) => {
          const ref = DES.DES.create({ type: 'encrypt', key: Array.from(key), padding: false });
          expect(hex(desEncrypt(key, block))).toBe(hex(Uint8Array.from(ref.update(Array.from(block)))));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('two-key 3DES-CBC', () => {
  it('agrees with OpenSSL des-ede-cbc (random keys, IVs, lengths) and round-trips', () => {
    fc.assert(
      fc.property(key16, iv8, blocks(12), (key, iv, data) => {
        const enc = tripleDesCbcEncrypt(key, data, iv);
        expect(hex(enc)).toBe(hex(opensslEde(key, data, iv)));
        expect(hex(tripleDesCbcDecrypt(key, enc, iv))).toBe(hex(data));
        expect(hex(tripleDesCbcDecrypt(key, data, iv))).toBe(hex(opensslEde(key, data, iv, true)));
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with des.js EDE-CBC for three-key 3DES', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), iv8, blocks(6), (key, iv, data) => {
        const ede = DES.CBC.instantiate(DES.EDE).create({
          type: 'encrypt',
          key: Array.from(key),
          iv: Array.from(iv),
          padding: false,
        });
        const ref = Uint8Array.from([...ede.update(Array.from(data)), ...ede.final()]);
        expect(hex(tripleDesCbcEncrypt(key, data, iv))).toBe(hex(ref));
      }),
      { numRuns: 100 },
    );
  });

  it('defaults to a zero IV', () => {
    const key = fromHex('AB94FDECF2674FDFB9B391F85D7F76F2');
    const data = fromHex('781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B');
    expect(hex(tripleDesCbcEncrypt(key, data))).toBe(hex(tripleDesCbcEncrypt(key, data, new Uint8Array(8))));
  });

  it.each([
    ['a key of 8 bytes', new Uint8Array(8), new Uint8Array(8), new Uint8Array(8)],
    ['a key of 15 bytes', new Uint8Array(15), new Uint8Array(8), new Uint8Array(8)],
    ['data not a multiple of 8', new Uint8Array(16), new Uint8Array(9), new Uint8Array(8)],
    ['an IV of 16 bytes', new Uint8Array(16), new Uint8Array(8), new Uint8Array(16)],
  ])('rejects %s', (_name, key, data, iv) => {
    expect(() => tripleDesCbcEncrypt(key, data, iv)).toThrow(ReaderError);
    expect(() => tripleDesCbcDecrypt(key, data, iv)).toThrow(ReaderError);
  });
});

describe('ISO/IEC 9797-1 MAC algorithm 3 (retail MAC)', () => {
  /** Oracle: single-DES CBC with Ka over every block (OpenSSL with Ka ‖ Ka), then D(Kb), E(Ka). */
  function oracle(key: Uint8Array, padded: Uint8Array): Uint8Array {
    const ka = key.subarray(0, 8);
    const kb = key.subarray(8, 16);
    const kaka = new Uint8Array(16);
    kaka.set(ka, 0);
    kaka.set(ka, 8);
    const kbkb = new Uint8Array(16);
    kbkb.set(kb, 0);
    kbkb.set(kb, 8);
    const cbc = opensslEde(kaka, padded, new Uint8Array(8));
    const last = cbc.subarray(cbc.length - 8);
    const d = opensslEde(kbkb, last, new Uint8Array(8), true);
    return opensslEde(kaka, d, new Uint8Array(8));
  }

  it('agrees with an OpenSSL-built MAC on random padded data', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ maxLength: 100 }), (key, data) => {
        const padded = padIso9797(data, 8);
        expect(hex(retailMac(key, padded))).toBe(hex(oracle(key, padded)));
      }),
      { numRuns: 200 },
    );
  });

  it('ICAO 9303-11 D.3: M_IFD over E_IFD', () => {
    const mac = retailMac(
      fromHex('7962D9ECE03D1ACD4C76089DCE131543'),
      padIso9797(fromHex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2'), 8),
    );
    expect(hex(mac)).toBe('5F1448EEA8AD90A7');
  });

  it('rejects unpadded input and wrong key lengths', () => {
    expect(() => retailMac(new Uint8Array(16), new Uint8Array(7))).toThrow(ReaderError);
    expect(() => retailMac(new Uint8Array(16), new Uint8Array(0))).toThrow(ReaderError);
    expect(() => retailMac(new Uint8Array(24), new Uint8Array(8))).toThrow(ReaderError);
  });
});
