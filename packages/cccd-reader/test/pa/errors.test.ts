import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTrustStore,
  PaError,
  type PaErrorCode,
  verifyPassive,
  verifySecurityObject,
} from '../../src/pa/index.ts';
import { parseLdsSecurityObject } from '../../src/pa/lds-security-object.ts';
import { parseSignedData } from '../../src/pa/signed-data.ts';
import {
  createMasterList,
  createTestPki,
  encodeLdsSecurityObject,
  signCms,
  signSod,
  type TestPki,
} from '../../src/pki-test/index.ts';

const files = { 1: new Uint8Array([0x61, 0x01, 0x00]) };
let pki: TestPki;
let sod: Uint8Array;
const store = () => createTrustStore({ certificates: [pki.csca.certificate] });
beforeAll(async () => {
  pki = await createTestPki({ algorithm: 'ecdsa-brainpoolP256r1' });
  sod = signSod({ ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }), pki });
});

async function codeOf(run: () => Promise<unknown>): Promise<PaErrorCode | 'no error' | 'other'> {
  try {
    await run();
    return 'no error';
  } catch (e) {
    return e instanceof PaError ? e.code : 'other';
  }
}

describe('verifyPassive: invalid inputs', () => {
  const cases: Array<[string, () => { sod: unknown; files?: unknown; now?: unknown }, PaErrorCode]> = [
    ['empty SOD', () => ({ sod: new Uint8Array(0) }), 'SOD_MALFORMED'],
    ['one byte', () => ({ sod: new Uint8Array([0x77]) }), 'SOD_MALFORMED'],
    ['empty tag 77', () => ({ sod: new Uint8Array([0x77, 0x00]) }), 'SOD_MALFORMED'],
    ['tag 77 with a NULL', () => ({ sod: new Uint8Array([0x77, 0x02, 0x05, 0x00]) }), 'SOD_MALFORMED'],
    [
      'ContentInfo of id-data',
      () => ({
        sod: new Uint8Array([0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]),
      }),
      'SOD_MALFORMED',
    ],
    ['truncated SOD', () => ({ sod: sod.subarray(0, sod.length - 10) }), 'SOD_MALFORMED'],
    ['trailing bytes', () => ({ sod: new Uint8Array([...sod, 0x00]) }), 'SOD_MALFORMED'],
    [
      'SignedData over another content type',
      () => ({
        sod: signCms({ pki, contentType: '0.4.0.127.0.7.3.2.1', content: new Uint8Array([0x31, 0x00]) }),
      }),
      'SOD_MALFORMED',
    ],
    [
      'LDSSecurityObject that is not one',
      () => ({ sod: signSod({ ldsSecurityObject: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), pki }) }),
      'LDS_SECURITY_OBJECT_MALFORMED',
    ],
    ['SOD as a string', () => ({ sod: 'd4' }), 'INVALID_ARGUMENT'],
    ['data group 0', () => ({ sod, files: { 0: new Uint8Array(1) } }), 'INVALID_ARGUMENT'],
    ['data group 17', () => ({ sod, files: new Map([[17, new Uint8Array(1)]]) }), 'INVALID_ARGUMENT'],
    ['file not bytes', () => ({ sod, files: { 1: [1, 2] } }), 'INVALID_ARGUMENT'],
    ['invalid clock', () => ({ sod, files, now: new Date(Number.NaN) }), 'INVALID_ARGUMENT'],
  ];
  it.each(cases)('%s → %s', async (_label, make, code) => {
    const input = make();
    expect(
      await codeOf(() =>
        verifyPassive(
          { sod: input.sod as Uint8Array, files: (input.files ?? files) as Record<number, Uint8Array> },
          {
            trustStore: store(),
            ...(input.now ? { now: input.now as Date } : {}),
          },
        ),
      ),
    ).toBe(code);
  });

  it('a store not made by createTrustStore → INVALID_ARGUMENT', async () => {
    expect(await codeOf(() => verifyPassive({ sod, files }, { trustStore: {} as never }))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('parseLdsSecurityObject: bad structures → LDS_SECURITY_OBJECT_MALFORMED', () => {
    const bad = [
      new Uint8Array([]),
      new Uint8Array([0x31, 0x00]),
      // data group 0
      encodeLdsSecurityObject({ dataGroups: { 1: new Uint8Array(1) } }).map((b, i, a) =>
        i === a.length - 35 ? 0 : b,
      ),
      // data group -128 (found by the byte-flip property below)
      encodeLdsSecurityObject({ dataGroups: { 1: new Uint8Array(1) } }).map((b, i, a) =>
        i === a.length - 35 ? 0x80 : b,
      ),
      // hash value not an OCTET STRING
      encodeLdsSecurityObject({ dataGroups: { 1: new Uint8Array(1) } }).map((b, i, a) =>
        i === a.length - 34 ? 0x05 : b,
      ),
    ];
    for (const b of bad) {
      expect(() => parseLdsSecurityObject(b)).toThrowError(
        expect.objectContaining({ code: 'LDS_SECURITY_OBJECT_MALFORMED' }),
      );
    }
  });

  it('verifySecurityObject: garbage → SIGNED_DATA_MALFORMED', async () => {
    expect(await codeOf(() => verifySecurityObject(new Uint8Array([1, 2, 3]), { trustStore: store() }))).toBe(
      'SIGNED_DATA_MALFORMED',
    );
  });

  it('error messages carry no raw data', async () => {
    const error = await verifyPassive(
      { sod: new Uint8Array([0x30, 0x03, 0x0a, 0x0b, 0x0c]), files },
      { trustStore: store() },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaError);
    expect((error as Error).message).not.toMatch(/0a0b0c|0A0B0C/i);
    expect((error as PaError).context).toEqual({ input: 'sod', rule: 'der' });
  });
});

describe('property: no input crashes the verifier', () => {
  it('random bytes as SOD → PaError with a known code', async () => {
    const known = new Set(['SOD_MALFORMED', 'LDS_SECURITY_OBJECT_MALFORMED']);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const code = await codeOf(() => verifyPassive({ sod: bytes, files }, { trustStore: store() }));
        expect(known.has(code)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('BER-looking random structures (tag 77 / SEQUENCE prefixes) → PaError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0x77, 0x30, 0xa0),
        fc.uint8Array({ maxLength: 120 }),
        async (tag, body) => {
          const bytes = new Uint8Array([tag, 0x80, ...body, 0x00, 0x00]);
          const code = await codeOf(() => verifyPassive({ sod: bytes, files }, { trustStore: store() }));
          expect(['SOD_MALFORMED', 'LDS_SECURITY_OBJECT_MALFORMED']).toContain(code);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a byte flipped anywhere in a valid SOD → a report or a PaError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (pos, mask) => {
        const bad = sod.slice();
        const i = pos % bad.length;
        bad[i] = (bad[i] as number) ^ mask;
        try {
          const r = await verifyPassive({ sod: bad, files }, { trustStore: store() });
          expect(typeof r.ok).toBe('boolean');
        } catch (e) {
          expect(e).toBeInstanceOf(PaError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a byte flipped inside the signed attributes or the signature value → ok is false', async () => {
    // The exact signed-attribute bytes ([0] IMPLICIT, A0 …) and the signature's s value (last 32 bytes).
    const parsed = parseSignedData(sod, 'SOD_MALFORMED', 'sod');
    const attrs = (parsed.cms.signerInfos[0] as { signedAttrs: Uint8Array }).signedAttrs.slice();
    expect(attrs[0]).toBe(0xa0);
    let start = -1;
    for (let i = 0; i + attrs.length <= sod.length && start < 0; i++)
      if (attrs.every((b, j) => sod[i + j] === b)) start = i;
    expect(start).toBeGreaterThan(0);
    const positions = [
      ...Array.from({ length: attrs.length }, (_, i) => start + i),
      ...Array.from({ length: 32 }, (_, i) => sod.length - 1 - i),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...positions), fc.integer({ min: 1, max: 255 }), async (i, mask) => {
        const bad = sod.slice();
        bad[i] = (bad[i] as number) ^ mask;
        try {
          const r = await verifyPassive({ sod: bad, files }, { trustStore: store() });
          expect(r.ok).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(PaError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: trust-store inputs never crash', () => {
  it('random bytes as certificate, CRL or master list → PaError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('certificates', 'crls', 'masterLists'),
        fc.uint8Array({ maxLength: 200 }),
        (field, bytes) => {
          try {
            createTrustStore({ [field]: [bytes] });
          } catch (e) {
            expect(e).toBeInstanceOf(PaError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a byte flipped in a valid master list → a report or a PaError', () => {
    const ml = createMasterList(pki, [pki.csca.certificate]);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        const bad = ml.slice();
        const i = pos % bad.length;
        bad[i] = (bad[i] as number) ^ mask;
        try {
          const s = createTrustStore({ masterLists: [bad], masterListSigners: [pki.csca.certificate] });
          expect(s.masterLists).toHaveLength(1);
        } catch (e) {
          expect(e).toBeInstanceOf(PaError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
