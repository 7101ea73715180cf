/**
 * WebCrypto for NIST-curve certificate and CRL signatures (W3C Web Cryptography API ECDSA;
 * FIPS 186-4 §6.4): where `crypto.subtle` exists the DSC → CSCA (P-384 for Viet Nam) and CRL
 * signatures are checked natively; only a positive answer is used, so without WebCrypto, or when
 * it refuses, the portable verifier decides and the report is the same.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTrustStore, verifyPassive } from '../../src/pa/index.ts';
import { createCrl, createTestPki, encodeLdsSecurityObject, signSod } from '../../src/pki-test/index.ts';

const files = { 1: new Uint8Array([0x61, 0x01, 0x00]) };
const documentOf = async () => {
  const pki = await createTestPki({ algorithm: 'ecdsa-brainpoolP384r1' });
  const sod = signSod({ ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }), pki });
  const trustStore = createTrustStore({ certificates: [pki.csca.certificate], crls: [createCrl(pki, [7n])] });
  return { sod, trustStore };
};
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('WebCrypto for the P-384 chain and CRL', () => {
  it('checks the DSC → P-384 CSCA and the CRL signature with crypto.subtle (ECDSA P-384)', async () => {
    const { sod, trustStore } = await documentOf();
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const r = await verifyPassive({ sod, files }, { trustStore });
    expect(r.ok).toBe(true);
    expect(r.crl.status).toBe('good');
    expect(verify).toHaveBeenCalledTimes(2);
    expect(importKey.mock.calls.map((c) => (c[2] as EcKeyImportParams).namedCurve)).toEqual([
      'P-384',
      'P-384',
    ]);
    expect(await Promise.all(verify.mock.results.map((x) => x.value))).toEqual([true, true]);
  });

  it('without crypto.subtle, or when it refuses, the portable verifier decides: same report', async () => {
    const a = await documentOf();
    const reference = await verifyPassive({ sod: a.sod, files }, { trustStore: a.trustStore });
    const b = await documentOf();
    vi.spyOn(globalThis.crypto.subtle, 'verify').mockResolvedValue(false);
    const refused = await verifyPassive({ sod: b.sod, files }, { trustStore: b.trustStore });
    vi.restoreAllMocks();
    const c = await documentOf();
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    const without = await verifyPassive({ sod: c.sod, files }, { trustStore: c.trustStore });
    for (const r of [reference, refused, without]) {
      expect(r.ok).toBe(true);
      expect(r.chain.ok).toBe(true);
      expect(r.crl.status).toBe('good');
    }
  });
});
