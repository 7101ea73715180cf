import { beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore, type PassiveReport, verifyPassive } from '../../src/pa/index.ts';
import {
  createCrl,
  createTestPki,
  encodeLdsSecurityObject,
  signSod,
  TEST_PKI_ALGORITHMS,
  type TestPki,
  type TestPkiAlgorithm,
} from '../../src/pki-test/index.ts';

const DG1 = new Uint8Array([0x61, 0x05, 0x5f, 0x1f, 0x02, 0x41, 0x42]);
const DG2 = new Uint8Array(2000).map((_, i) => (i * 7) & 0xff);
const DG13 = new Uint8Array([0x6d, 0x03, 0x02, 0x01, 0x01]);
const DG3 = new Uint8Array([0x63, 0x01, 0x00]);
const files = { 1: DG1, 2: DG2, 13: DG13 };
const SIGNING_TIME = new Date('2025-03-04T05:06:07Z');

interface Variant {
  label: string;
  algorithm: TestPkiAlgorithm;
  explicitParameters: boolean;
}
const VARIANTS: Variant[] = [
  ...TEST_PKI_ALGORITHMS.map((algorithm) => ({ label: algorithm, algorithm, explicitParameters: false })),
  {
    label: 'ecdsa-brainpoolP256r1 (explicit DSC parameters)',
    algorithm: 'ecdsa-brainpoolP256r1',
    explicitParameters: true,
  },
  {
    label: 'ecdsa-brainpoolP384r1 (explicit DSC parameters)',
    algorithm: 'ecdsa-brainpoolP384r1',
    explicitParameters: true,
  },
  { label: 'ecdsa-p256 (explicit DSC parameters)', algorithm: 'ecdsa-p256', explicitParameters: true },
];

const EXPECTED_ALG: Record<TestPkiAlgorithm, RegExp> = {
  rsa: /^sha256WithRSAEncryption$/,
  'rsa-pss': /^RSASSA-PSS \(SHA-256, MGF1-SHA-256, salt 32\)$/,
  'ecdsa-p256': /^ecdsa-with-SHA256$/,
  'ecdsa-brainpoolP256r1': /^ecdsa-with-SHA256$/,
  'ecdsa-brainpoolP384r1': /^ecdsa-with-SHA256$/,
};

function sodFor(pki: TestPki, dataGroups: Record<number, Uint8Array> = { ...files, 3: DG3 }): Uint8Array {
  return signSod({
    ldsSecurityObject: encodeLdsSecurityObject({ dataGroups }),
    pki,
    signingTime: SIGNING_TIME,
  });
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function onlyFailing(r: PassiveReport): string[] {
  const parts: string[] = [];
  if (!r.signature.ok) parts.push(`signature:${r.signature.reason}`);
  if (!r.messageDigest.ok) parts.push(`messageDigest:${r.messageDigest.reason}`);
  if (!r.chain.ok) parts.push(`chain:${r.chain.reason}`);
  if (!r.validity.ok) parts.push(`validity:${r.validity.reason}`);
  if (!r.crl.ok) parts.push(`crl:${r.crl.status}`);
  for (const d of r.dataGroups)
    if (d.status === 'mismatch' || d.status === 'not-in-sod') parts.push(`DG${d.dataGroup}:${d.status}`);
  return parts;
}

describe.each(VARIANTS)('generated PKI $label', ({ algorithm, explicitParameters }) => {
  let pki: TestPki;
  let other: TestPki;
  let sod: Uint8Array;
  beforeAll(async () => {
    const notBefore = new Date('2025-01-01T00:00:00Z');
    pki = await createTestPki({ algorithm, explicitParameters, notBefore });
    other = await createTestPki({ algorithm, notBefore });
    sod = sodFor(pki);
  });

  it('passes passive authentication; DG3 not given is unread', async () => {
    const r = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(onlyFailing(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.signature.algorithm).toMatch(EXPECTED_ALG[algorithm]);
    expect(r.chain.path).toEqual([
      'C=VN, O=VNeID SDK test PKI, CN=DS TEST',
      'C=VN, O=VNeID SDK test PKI, CN=CSCA TEST',
    ]);
    expect(r.dataGroups.map((d) => [d.dataGroup, d.status])).toEqual([
      [1, 'match'],
      [2, 'match'],
      [3, 'unread'],
      [13, 'match'],
    ]);
    expect(r.validity.signingTime).toBe(SIGNING_TIME.toISOString());
    expect(r.crl.status).toBe('unavailable');
    if (explicitParameters) expect(r.signature.key).toMatch(/^EC explicit parameters/);
  });

  it('fails on a changed data-group byte (that DG only)', async () => {
    const dg2 = DG2.slice();
    dg2[1000] = (dg2[1000] as number) ^ 0x01;
    const r = await verifyPassive(
      { sod, files: { ...files, 2: dg2 } },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(r.ok).toBe(false);
    expect(onlyFailing(r)).toEqual(['DG2:mismatch']);
  });

  it('fails on a changed signed attribute (signingTime): signature invalid, digest still fine', async () => {
    const t = new TextEncoder().encode('250304050607Z');
    const at = indexOf(sod, t);
    expect(at).toBeGreaterThan(0);
    const bad = sod.slice();
    bad[at + 11] = 0x38; // …07Z → …08Z
    const r = await verifyPassive(
      { sod: bad, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(onlyFailing(r)).toEqual(['signature:signature-invalid']);
  });

  it('fails on a changed LDSSecurityObject: messageDigest mismatch', async () => {
    const lds = encodeLdsSecurityObject({ dataGroups: { ...files, 3: DG3 } });
    const at = indexOf(sod, lds);
    const bad = sod.slice();
    bad[at + lds.length - 1] = (bad[at + lds.length - 1] as number) ^ 0x01; // last byte of the last DG hash
    const r = await verifyPassive(
      { sod: bad, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(onlyFailing(r)).toEqual(['messageDigest:mismatch', 'DG13:mismatch']);
  });

  it('fails with a wrong CSCA (same name, other key)', async () => {
    const r = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [other.csca.certificate] }) },
    );
    expect(onlyFailing(r)).toEqual(['chain:no-issuer-in-trust-store']);
    expect(r.chain.path).toHaveLength(1);
  });

  it('fails on a revoked DSC (CRL) and reports good on a clean CRL', async () => {
    const revoked = createCrl(pki, [123n, pki.dsc.serialNumber]);
    const r = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate], crls: [revoked] }) },
    );
    expect(onlyFailing(r)).toEqual(['crl:revoked']);
    const clean = createCrl(pki, [123n]);
    const g = await verifyPassive(
      { sod, files },
      {
        trustStore: createTrustStore({ certificates: [pki.csca.certificate], crls: [clean] }),
        requireCrl: true,
      },
    );
    expect(g.crl.status).toBe('good');
    expect(g.ok).toBe(true);
    // A CRL signed by another CSCA of the same name is not used.
    const forged = createCrl(other, [pki.dsc.serialNumber]);
    const f = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate], crls: [forged] }) },
    );
    expect(f.crl).toMatchObject({ status: 'unavailable', reason: 'crl-signature-invalid', ok: true });
    const fr = await verifyPassive(
      { sod, files },
      {
        trustStore: createTrustStore({ certificates: [pki.csca.certificate], crls: [forged] }),
        requireCrl: true,
      },
    );
    expect(onlyFailing(fr)).toEqual(['crl:unavailable']);
  });
});

describe('expired DSC', () => {
  it('fails with dsc-expired under the default policy and passes at signing time', async () => {
    const pki = await createTestPki({
      algorithm: 'ecdsa-brainpoolP384r1',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    const sod = signSod({
      ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }),
      pki,
      signingTime: new Date('2020-06-01T00:00:00Z'),
    });
    const trustStore = createTrustStore({ certificates: [pki.csca.certificate] });
    const r = await verifyPassive({ sod, files }, { trustStore, now: new Date('2026-01-01T00:00:00Z') });
    expect(onlyFailing(r)).toEqual(['validity:dsc-expired']);
    expect(r.validity.policy).toBe('now');
    const chain = await verifyPassive(
      { sod, files },
      { trustStore, now: () => new Date('2026-01-01T00:00:00Z'), validityPolicy: 'signing-time' },
    );
    expect(chain.ok).toBe(true);
    expect(chain.validity.checkedAt).toBe('2020-06-01T00:00:00.000Z');
  });
});
