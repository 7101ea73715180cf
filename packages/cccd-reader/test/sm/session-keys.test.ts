import { fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { deriveKey, deriveSessionKeys, KDF_ENC, KDF_MAC, KDF_PI } from '../../src/sm/index.ts';
import appendixD from '../bac/vectors/icao-9303-11-appendix-d.json' with { type: 'json' };
import dhGm from '../pace/vectors/pace-dh-gm.json' with { type: 'json' };
import dhIm from '../pace/vectors/pace-dh-im.json' with { type: 'json' };
import ecdhGm from '../pace/vectors/pace-ecdh-gm.json' with { type: 'json' };
import ecdhIm from '../pace/vectors/pace-ecdh-im.json' with { type: 'json' };

const hex = (b: Uint8Array): string => toHex(b).toUpperCase();

describe('deriveSessionKeys (ICAO 9303-11 §9.7.1) against the PACE worked examples G.1, G.2, H.1, H.2', () => {
  for (const file of [ecdhGm, dhGm, ecdhIm, dhIm]) {
    const vector = file.vectors[0] as { name?: string; sharedSecret: string; kEnc: string; kMac: string };
    it(file.source.slice(0, 90), () => {
      const keys = deriveSessionKeys(fromHex(vector.sharedSecret), 'aes', 128);
      expect(hex(keys.kEnc)).toBe(vector.kEnc);
      expect(hex(keys.kMac)).toBe(vector.kMac);
      expect(hex(keys.ssc)).toBe('00'.repeat(16));
      expect([keys.cipher, keys.keyBits]).toEqual(['aes', 128]);
    });
  }

  it('3DES: the D.3 session keys from K_IFD ⊕ K_IC, with an 8-byte zero SSC', () => {
    const keys = deriveSessionKeys(fromHex(appendixD.d3.sessionKeySeed), '3des', 128);
    expect(hex(keys.kEnc)).toBe(appendixD.d3.ksEnc);
    expect(hex(keys.kMac)).toBe(appendixD.d3.ksMac);
    expect(keys.ssc).toEqual(new Uint8Array(8));
  });

  it('the counters are 1, 2 and 3', () => {
    expect([KDF_ENC, KDF_MAC, KDF_PI]).toEqual([1, 2, 3]);
    const seed = fromHex(appendixD.d1.kSeed);
    expect(hex(deriveKey(seed, KDF_MAC, '3des', 128))).toBe(appendixD.d1.kMac);
  });

  it('AES-256 keys are 32 bytes of SHA-256', () => {
    const keys = deriveSessionKeys(new Uint8Array(32), 'aes', 256);
    expect(keys.kEnc.length).toBe(32);
    expect(keys.kMac.length).toBe(32);
    expect(hex(keys.kEnc)).not.toBe(hex(keys.kMac));
  });

  it('rejects 3DES with 192 bits', () => {
    expect(() => deriveSessionKeys(new Uint8Array(16), '3des', 192)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
