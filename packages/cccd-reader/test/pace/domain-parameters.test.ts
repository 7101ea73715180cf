import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  identifyNamedCurve,
  NAMED_CURVES,
  STANDARDIZED_DOMAIN_PARAMETER_IDS,
  standardizedDomainParameters,
} from '../../src/lds/oids.ts';
import {
  bigIntToBytes,
  bytesToBigInt,
  decodeDhPublic,
  decodePoint,
  domainForParameterId,
  drawPrivateKey,
  modPow,
} from '../../src/protocols/pace/domain-parameters.ts';
import { PaceError } from '../../src/protocols/pace/pace-error.ts';

describe('standardized domain parameters (ICAO 9303-11 §9.5.1)', () => {
  it('lists IDs 0–2 and 8–18', () => {
    expect(STANDARDIZED_DOMAIN_PARAMETER_IDS).toEqual([0, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    for (const id of [3, 4, 5, 6, 7, 19, 32, -1]) {
      expect(standardizedDomainParameters(id)).toBeUndefined();
      expect(() => domainForParameterId(id)).toThrowError(
        expect.objectContaining({ code: 'UNSUPPORTED_DOMAIN_PARAMETERS' }),
      );
    }
  });

  const expectedBits: Record<number, number> = {
    0: 1024,
    1: 2048,
    2: 2048,
    8: 192,
    9: 192,
    10: 224,
    11: 224,
    12: 256,
    13: 256,
    14: 320,
    15: 384,
    16: 384,
    17: 512,
    18: 521,
  };
  for (const id of STANDARDIZED_DOMAIN_PARAMETER_IDS) {
    it(`ID ${id}: ${standardizedDomainParameters(id)?.name} is a consistent group`, () => {
      const row = standardizedDomainParameters(id);
      if (row === undefined) throw new Error('missing');
      if (row.kind === 'dh') {
        const { p, g, q } = row.group;
        expect(p.toString(2).length).toBe(expectedBits[id]);
        // g generates the subgroup of prime order q: g^q = 1, g ≠ 1, q | p − 1.
        expect(modPow(g, q, p)).toBe(1n);
        expect(g).not.toBe(1n);
        expect((p - 1n) % q).toBe(0n);
      } else {
        const { p, a, b, gx, gy, n } = row.curve;
        expect(p.toString(2).length).toBe(expectedBits[id]);
        // G on the curve: y² = x³ + ax + b (mod p).
        expect((gy * gy - (gx * gx * gx + a * gx + b)) % p).toBe(0n);
        const domain = domainForParameterId(id);
        if (domain.kind !== 'ec') throw new Error('kind');
        expect(
          domain.Point.BASE.multiplyUnsafe(n - 1n)
            .add(domain.Point.BASE)
            .is0(),
        ).toBe(true);
        expect(identifyNamedCurve(row.curve)).toBe(row.name);
      }
    });
  }

  it('the curve table matches @noble/curves for the curves it ships', async () => {
    const { p256, p384, p521 } = await import('@noble/curves/nist.js');
    const { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } = await import('@noble/curves/misc.js');
    const pairs = [
      ['secp256r1', p256],
      ['secp384r1', p384],
      ['secp521r1', p521],
      ['brainpoolP256r1', brainpoolP256r1],
      ['brainpoolP384r1', brainpoolP384r1],
      ['brainpoolP512r1', brainpoolP512r1],
    ] as const;
    for (const [name, curve] of pairs) {
      const c = curve.Point.CURVE();
      const ours = NAMED_CURVES[name];
      expect({ p: ours?.p, a: ours?.a, b: ours?.b, gx: ours?.gx, gy: ours?.gy, n: ours?.n }).toEqual({
        p: c.p,
        a: c.a,
        b: c.b,
        gx: c.Gx,
        gy: c.Gy,
        n: c.n,
      });
    }
  });
});

describe('public key checks', () => {
  const ec = domainForParameterId(13);
  const dh = domainForParameterId(0);
  if (ec.kind !== 'ec' || dh.kind !== 'dh') throw new Error('kinds');

  it('rejects points not on the curve, the wrong length, and infinity', () => {
    const g = ec.Point.BASE.toBytes(false);
    const offCurve = g.slice();
    offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] as number) ^ 1;
    for (const bad of [
      offCurve,
      g.subarray(0, 64),
      new Uint8Array([0x04]),
      new Uint8Array([0x00]),
      new Uint8Array(0),
    ]) {
      expect(() => decodePoint(ec, bad)).toThrowError(
        expect.objectContaining({ code: 'INVALID_PUBLIC_KEY' }),
      );
    }
    expect(decodePoint(ec, g).equals(ec.Point.BASE)).toBe(true);
  });

  it('rejects DH values outside the subgroup', () => {
    const { p } = dh.group;
    for (const y of [0n, 1n, p - 1n, p, 2n]) {
      const bytes = y === p ? bigIntToBytes(y, dh.byteLength) : bigIntToBytes(y, dh.byteLength);
      expect(() => decodeDhPublic(dh, bytes)).toThrowError(PaceError);
    }
    expect(decodeDhPublic(dh, bigIntToBytes(dh.group.g, dh.byteLength))).toBe(dh.group.g);
  });
});

describe('drawPrivateKey', () => {
  it('draws again while the value is 0 or ≥ the order, in call order', () => {
    const ec = domainForParameterId(13);
    if (ec.kind !== 'ec') throw new Error('kind');
    const calls: Uint8Array[] = [
      new Uint8Array(32),
      bigIntToBytes(ec.curve.n, 32),
      new Uint8Array(32).fill(0xff),
      bigIntToBytes(5n, 32),
    ];
    let i = 0;
    const random = (n: number): Uint8Array => {
      expect(n).toBe(32);
      return calls[i++] as Uint8Array;
    };
    expect(drawPrivateKey(ec, random)).toBe(5n);
    expect(i).toBe(4);
  });

  it('round-trips big-endian integers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
        expect(bigIntToBytes(bytesToBigInt(bytes), bytes.length)).toEqual(bytes);
      }),
    );
  });
});

describe('drawPrivateKey on P-521', () => {
  it('clears the bits above the order so a draw rarely repeats', () => {
    const p521 = domainForParameterId(18);
    let calls = 0;
    const random = (n: number): Uint8Array => {
      calls++;
      expect(n).toBe(66);
      return new Uint8Array(n).fill(0x7f);
    };
    const k = drawPrivateKey(p521, random);
    expect(calls).toBe(1);
    expect(k.toString(2).length).toBeLessThanOrEqual(521);
  });
});
