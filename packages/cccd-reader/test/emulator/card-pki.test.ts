import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCardFiles, createCardPki, createSyntheticPerson } from '../../src/emulator/index.ts';
import { createTrustStore, verifyPassive } from '../../src/pa/index.ts';

/** A deterministic byte source: SHA-256 in counter mode over a seed. */
function expand(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = createHash('sha256').update(seed).update(String(counter++)).digest();
      pool = new Uint8Array([...pool, ...block]);
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

describe('createCardPki', () => {
  it('rebuilds the same CSCA and DSC from the same byte source (EC signers) and signs verifiable chips', async () => {
    const a = await createCardPki('brainpool384', expand('seed-1'));
    const b = await createCardPki('brainpool384', expand('seed-1'));
    const c = await createCardPki('brainpool384', expand('seed-2'));
    expect(Buffer.from(b.csca.certificate).equals(Buffer.from(a.csca.certificate))).toBe(true);
    expect(Buffer.from(b.dsc.certificate).equals(Buffer.from(a.dsc.certificate))).toBe(true);
    expect(Buffer.from(c.csca.certificate).equals(Buffer.from(a.csca.certificate))).toBe(false);
    // A chip signed with the rebuilt PKI verifies against the first one's CSCA, not another's.
    const files = await createCardFiles(createSyntheticPerson(3), { pki: b });
    const input = { sod: files.sod, files: files.dataGroups };
    const now = new Date('2026-01-01T00:00:00Z');
    const ok = await verifyPassive(input, {
      trustStore: createTrustStore({ certificates: [a.csca.certificate] }),
      now,
    });
    expect(ok.ok).toBe(true);
    const other = await verifyPassive(input, {
      trustStore: createTrustStore({ certificates: [c.csca.certificate] }),
      now,
    });
    expect(other.ok).toBe(false);
    expect(other.chain.ok).toBe(false);
  });

  it('rejects an unknown signer and a missing byte source with RangeError', async () => {
    await expect(createCardPki('nope' as 'rsa', expand('x'))).rejects.toThrow(RangeError);
    await expect(createCardPki('brainpool384', undefined as unknown as () => Uint8Array)).rejects.toThrow(
      RangeError,
    );
  });
});
