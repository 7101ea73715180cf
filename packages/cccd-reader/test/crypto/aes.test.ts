import { createCipheriv, createHash } from 'node:crypto';
import { fromHex, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustDesParity,
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  aesEcbEncrypt,
  deriveKey,
  padIso9797,
  unpadIso9797,
} from '../../src/crypto/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { cipherSuite, kdf as paceKdf } from '../../src/protocols/pace/index.ts';
import appendixD from '../bac/vectors/icao-9303-11-appendix-d.json' with { type: 'json' };
import paceGm from '../pace/vectors/pace-ecdh-gm.json' with { type: 'json' };
import v from './vectors/cmac.json' with { type: 'json' };

const hex = (b: Uint8Array): string => toHex(b).toUpperCase();
const aesKey = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

describe('AES-CMAC (RFC 4493, NIST SP 800-38B)', () => {
  const message = fromHex(v.message);
  for (const t of v.vectors) {
    it(t.name, () => {
      expect(hex(aesCmac(fromHex(t.key), message.subarray(0, t.length)))).toBe(t.mac);
    });
  }
  it('rejects keys of other lengths', () => {
    expect(() => aesCmac(new Uint8Array(15), new Uint8Array(0))).toThrow(ReaderError);
  });
});

describe('AES-CBC / ECB', () => {
  it('agree with OpenSSL (node:crypto) and round-trip', () => {
    fc.assert(
      fc.property(
        aesKey,
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 8 }).chain((n) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n })),
        (key, iv, data) => {
          const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
          c.setAutoPadding(false);
          const ref = Buffer.concat([c.update(data), c.final()]);
          const enc = aesCbcEncrypt(key, data, iv);
          expect(hex(enc)).toBe(hex(ref));
          expect(hex(aesCbcDecrypt(key, enc, iv))).toBe(hex(data));
          const e = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
          e.setAutoPadding(false);
          expect(hex(aesEcbEncrypt(key, data))).toBe(hex(Buffer.concat([e.update(data), e.final()])));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects partial blocks and bad keys', () => {
    expect(() => aesCbcEncrypt(new Uint8Array(16), new Uint8Array(15))).toThrow(ReaderError);
    expect(() => aesCbcDecrypt(new Uint8Array(20), new Uint8Array(16))).toThrow(ReaderError);
    expect(() => aesEcbEncrypt(new Uint8Array(16), new Uint8Array(17))).toThrow(ReaderError);
  });
});

describe('ISO/IEC 9797-1 padding method 2', () => {
  it.each([
    ['', 8, '8000000000000000'],
    ['01', 8, '0180000000000000'],
    ['01020304050607', 8, '0102030405060780'],
    ['0102030405060708', 8, '01020304050607088000000000000000'],
    ['011E', 16, '011E8000000000000000000000000000'],
  ])('pads %s to %i-byte blocks', (data, block, padded) => {
    expect(hex(padIso9797(fromHex(data), block))).toBe(padded);
    expect(hex(unpadIso9797(fromHex(padded), block) as Uint8Array)).toBe(data);
  });

  it.each([
    ['no 80', '0102030405060708', 8],
    ['only zeros', '0000000000000000', 8],
    ['not whole blocks', '01800000', 8],
    ['empty', '', 8],
    ['80 followed by a non-zero byte', '0180000000000001', 8],
    ['padding longer than a block', '80000000000000000000000000000000', 8],
  ])('strict unpad rejects %s', (_name, padded, block) => {
    expect(unpadIso9797(fromHex(padded), block)).toBeUndefined();
  });

  it('pad then unpad is the identity', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(8, 16), (data, block) => {
        const padded = padIso9797(data, block);
        expect(padded.length % block).toBe(0);
        expect(padded.length - data.length).toBeGreaterThanOrEqual(1);
        expect(padded.length - data.length).toBeLessThanOrEqual(block);
        expect(hex(unpadIso9797(padded, block) as Uint8Array)).toBe(hex(data));
      }),
    );
  });
});

describe('KDF (ICAO 9303-11 §9.7.1)', () => {
  it('D.1: 3DES keys from the BAC key seed, with parity', () => {
    const seed = fromHex(appendixD.d1.kSeed);
    expect(hex(deriveKey(seed, 1, '3des', 128))).toBe(appendixD.d1.kEnc);
    expect(hex(deriveKey(seed, 2, '3des', 128))).toBe(appendixD.d1.kMac);
    expect(hex(deriveKey(fromHex(appendixD.d3.sessionKeySeed), 1, '3des', 128))).toBe(appendixD.d3.ksEnc);
    expect(hex(deriveKey(fromHex(appendixD.d3.sessionKeySeed), 2, '3des', 128))).toBe(appendixD.d3.ksMac);
  });

  it('G.1: AES-128 session keys from the PACE shared secret', () => {
    const g1 = paceGm.vectors[0] as (typeof paceGm.vectors)[number];
    expect(hex(deriveKey(fromHex(g1.sharedSecret), 1, 'aes', 128))).toBe(g1.kEnc);
    expect(hex(deriveKey(fromHex(g1.sharedSecret), 2, 'aes', 128))).toBe(g1.kMac);
    expect(hex(deriveKey(fromHex(g1.pi), 3, 'aes', 128))).toBe(g1.kPi);
  });

  it('AES-192/256 use SHA-256 (checked against node:crypto) and agree with the PACE kdf', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom<128 | 192 | 256>(128, 192, 256),
        (seed, counter, bits) => {
          const c = Buffer.alloc(4);
          c.writeUInt32BE(counter);
          const h = createHash(bits === 128 ? 'sha1' : 'sha256')
            .update(Buffer.concat([seed, c]))
            .digest();
          expect(hex(deriveKey(seed, counter, 'aes', bits))).toBe(hex(h.subarray(0, bits / 8)));
          expect(hex(deriveKey(seed, counter, 'aes', bits))).toBe(
            hex(paceKdf(cipherSuite('aes', bits), seed, counter)),
          );
          expect(hex(deriveKey(seed, counter, '3des', 128))).toBe(
            hex(paceKdf(cipherSuite('3des', 128), seed, counter)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('DES parity: every byte has an odd number of ones, only the low bit changes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (key) => {
        const adjusted = adjustDesParity(key);
        adjusted.forEach((b, i) => {
          let ones = 0;
          for (let x = b; x > 0; x >>= 1) ones += x & 1;
          expect(ones % 2).toBe(1);
          expect(b & 0xfe).toBe((key[i] as number) & 0xfe);
        });
      }),
    );
  });

  it.each([
    ['a negative counter', () => deriveKey(new Uint8Array(16), -1, 'aes', 128)],
    ['a fractional counter', () => deriveKey(new Uint8Array(16), 1.5, 'aes', 128)],
    ['3DES with 256 bits', () => deriveKey(new Uint8Array(16), 1, '3des', 256)],
    ['an unknown cipher', () => deriveKey(new Uint8Array(16), 1, 'des' as never, 128)],
    ['an unknown key length', () => deriveKey(new Uint8Array(16), 1, 'aes', 64 as never)],
  ])('rejects %s', (_name, f) => {
    expect(f).toThrow(ReaderError);
  });
});
