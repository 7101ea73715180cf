import { beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore, PaError, verifyPassive } from '../../src/pa/index.ts';
import {
  createLinkCertificate,
  createMasterList,
  createTestPki,
  encodeLdsSecurityObject,
  signSod,
  type TestPki,
  toPem,
} from '../../src/pki-test/index.ts';

const files = { 1: new Uint8Array([0x61, 0x01, 0x00]), 2: new Uint8Array([0x75, 0x01, 0x02]) };
const lds = encodeLdsSecurityObject({ dataGroups: files });

let vn: TestPki; // P-384 CSCA, brainpoolP384r1 DSC
let other: TestPki; // another country
let mlAuthority: TestPki; // issues the master-list signer
beforeAll(async () => {
  vn = await createTestPki({ algorithm: 'ecdsa-brainpoolP384r1' });
  other = await createTestPki({ algorithm: 'ecdsa-p256', country: 'UT', cscaCommonName: 'CSCA UTOPIA' });
  mlAuthority = await createTestPki({
    algorithm: 'ecdsa-p256',
    country: 'DE',
    cscaCommonName: 'CSCA ML AUTHORITY',
  });
});

describe('trust store', () => {
  it('holds several anchors (PEM bundle and DER) and picks the right one', async () => {
    const bundle = toPem(other.csca.certificate) + toPem(vn.csca.certificate);
    const trustStore = createTrustStore({ certificates: [bundle, other.csca.certificate] });
    expect(trustStore.anchors).toHaveLength(2); // duplicate removed
    const r = await verifyPassive(
      { sod: signSod({ ldsSecurityObject: lds, pki: vn }), files },
      { trustStore },
    );
    expect(r.ok).toBe(true);
    expect(r.chain.anchor).toBe('C=VN, O=VNeID SDK test PKI, CN=CSCA TEST');
    expect(r.chain.anchorSource).toBe('certificate');
  });

  it('follows a link certificate: DSC under a new CSCA key, trusted through the old CSCA and the link', async () => {
    const newCsca = await createTestPki({
      algorithm: 'ecdsa-brainpoolP384r1',
      cscaCommonName: 'CSCA TEST 2',
    });
    const link = createLinkCertificate(vn.csca, newCsca.csca);
    const sod = signSod({ ldsSecurityObject: lds, pki: newCsca });
    const onlyOld = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [vn.csca.certificate] }) },
    );
    expect(onlyOld.chain.reason).toBe('no-issuer-in-trust-store');
    const withLink = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [vn.csca.certificate, link] }) },
    );
    expect(withLink.ok).toBe(true);
    expect(withLink.chain.path).toEqual([
      'C=VN, O=VNeID SDK test PKI, CN=DS TEST',
      'C=VN, O=VNeID SDK test PKI, CN=CSCA TEST 2',
      'C=VN, O=VNeID SDK test PKI, CN=CSCA TEST',
    ]);
    expect(withLink.chain.anchor).toBe('C=VN, O=VNeID SDK test PKI, CN=CSCA TEST 2');
  });

  it('loads a master list whose signer chains to a trusted certificate', async () => {
    const ml = createMasterList(mlAuthority, [vn.csca.certificate, other.csca.certificate]);
    const trustStore = createTrustStore({
      masterLists: [ml],
      masterListSigners: [mlAuthority.csca.certificate],
    });
    expect(trustStore.masterLists).toEqual([
      {
        index: 0,
        version: 0,
        certificateCount: 2,
        signer: 'C=DE, O=VNeID SDK test PKI, CN=DS TEST',
        signature: { ok: true, algorithm: 'ecdsa-with-SHA256' },
        signerTrusted: true,
        trustedBy: 'C=DE, O=VNeID SDK test PKI, CN=CSCA ML AUTHORITY',
        added: 2,
      },
    ]);
    const r = await verifyPassive(
      { sod: signSod({ ldsSecurityObject: lds, pki: vn }), files },
      { trustStore },
    );
    expect(r.ok).toBe(true);
    expect(r.chain.anchorSource).toBe('master-list');
  });

  it('reports an untrusted master list and does not use it (unless asked)', async () => {
    const ml = createMasterList(mlAuthority, [vn.csca.certificate]);
    const trustStore = createTrustStore({ masterLists: [ml] });
    expect(trustStore.masterLists[0]).toMatchObject({
      signerTrusted: false,
      added: 0,
      signature: { ok: true },
    });
    expect(trustStore.anchors).toHaveLength(0);
    const sod = signSod({ ldsSecurityObject: lds, pki: vn });
    const r = await verifyPassive({ sod, files }, { trustStore });
    expect(r.chain.reason).toBe('no-issuer-in-trust-store');
    const loose = createTrustStore({ masterLists: [ml], acceptUntrustedMasterLists: true });
    const r2 = await verifyPassive({ sod, files }, { trustStore: loose });
    expect(r2.chain).toMatchObject({ ok: true, anchorSource: 'unverified-master-list' });
  });

  it('reports a master list whose content was altered after signing', () => {
    const ml = createMasterList(mlAuthority, [vn.csca.certificate]).slice();
    // Flip the last byte of the embedded CSCA certificate (inside its signature value): still parses.
    const cert = vn.csca.certificate;
    let at = -1;
    for (let i = 0; i + cert.length <= ml.length && at < 0; i++)
      if (cert.every((b, j) => ml[i + j] === b)) at = i;
    expect(at).toBeGreaterThan(0);
    ml[at + cert.length - 1] = (ml[at + cert.length - 1] as number) ^ 0x01;
    const s = createTrustStore({ masterLists: [ml], masterListSigners: [mlAuthority.csca.certificate] });
    expect(s.masterLists[0]?.signature).toMatchObject({ ok: false });
    expect(s.anchors).toHaveLength(0);
  });

  it('accepts a master list as PEM / Base64 text', () => {
    const ml = createMasterList(mlAuthority, [vn.csca.certificate]);
    const pem = toPem(ml, 'CMS');
    const b64 = pem.split('\n').slice(1, -2).join('');
    const s = createTrustStore({
      masterLists: [pem, b64],
      masterListSigners: [toPem(mlAuthority.csca.certificate)],
    });
    expect(s.masterLists.map((m) => m.signerTrusted)).toEqual([true, true]);
    expect(s.anchors).toHaveLength(1);
  });

  it('matches DSC issuer to CSCA subject regardless of key identifiers when absent', async () => {
    const noIds = await createTestPki({ algorithm: 'ecdsa-p256', omitKeyIdentifiers: true });
    const wrong = await createTestPki({ algorithm: 'ecdsa-p256', omitKeyIdentifiers: true });
    const sod = signSod({ ldsSecurityObject: lds, pki: noIds });
    const good = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [noIds.csca.certificate] }) },
    );
    expect(good.ok).toBe(true);
    // Same name, other key, no key identifiers to tell them apart: the signature decides.
    const bad = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [wrong.csca.certificate] }) },
    );
    expect(bad.chain.reason).toBe('issuer-signature-invalid');
  });

  it('finds a DSC that is not embedded among documentSigners, and by subject key identifier', async () => {
    const sod = signSod({
      ldsSecurityObject: lds,
      pki: vn,
      includeCertificate: false,
      signerIdentifier: 'subject-key-identifier',
    });
    const without = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [vn.csca.certificate] }) },
    );
    expect(without.signature.reason).toBe('signer-certificate-not-found');
    expect(without.chain.reason).toBe('signer-certificate-not-found');
    const withDs = await verifyPassive(
      { sod, files },
      {
        trustStore: createTrustStore({
          certificates: [vn.csca.certificate],
          documentSigners: [vn.dsc.certificate],
        }),
      },
    );
    expect(withDs.ok).toBe(true);
  });

  it('flags a DSC issued after the CSCA private key usage period (as for the Vietnamese CSCA after 2026-01-21)', async () => {
    const csca = await createTestPki({
      algorithm: 'ecdsa-brainpoolP384r1',
      notBefore: new Date('2021-02-01T00:00:00Z'),
      cscaNotBefore: new Date('2021-01-19T00:00:00Z'),
      cscaKeyUsageEnd: new Date('2026-01-21T00:00:00Z'),
    });
    const late = await createTestPki({
      algorithm: 'ecdsa-brainpoolP384r1',
      csca: csca.csca,
      notBefore: new Date('2026-03-01T00:00:00Z'),
    });
    const trustStore = createTrustStore({ certificates: [csca.csca.certificate] });
    const now = new Date('2026-06-01T00:00:00Z');
    const early = await verifyPassive(
      {
        sod: signSod({ ldsSecurityObject: lds, pki: csca, signingTime: new Date('2021-03-01T00:00:00Z') }),
        files,
      },
      { trustStore, now },
    );
    expect(early.ok).toBe(true);
    const r = await verifyPassive(
      {
        sod: signSod({ ldsSecurityObject: lds, pki: late, signingTime: new Date('2026-03-02T00:00:00Z') }),
        files,
      },
      { trustStore, now },
    );
    expect(r.validity.reason).toBe('dsc-issued-outside-csca-key-usage');
    expect(r.ok).toBe(false);
  });

  it('rejects bad arguments with INVALID_ARGUMENT / PEM_MALFORMED / CERTIFICATE_MALFORMED', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof PaError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => createTrustStore({ certificates: 'x' as never }))).toBe('INVALID_ARGUMENT');
    expect(code(() => createTrustStore({ certificates: ['no pem here'] }))).toBe('PEM_MALFORMED');
    expect(
      code(() =>
        createTrustStore({ certificates: ['-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----'] }),
      ),
    ).toBe('PEM_MALFORMED');
    expect(code(() => createTrustStore({ certificates: [new Uint8Array([0x30, 0x00])] }))).toBe(
      'CERTIFICATE_MALFORMED',
    );
    expect(code(() => createTrustStore({ crls: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])] }))).toBe(
      'CRL_MALFORMED',
    );
    expect(code(() => createTrustStore({ masterLists: [new Uint8Array([1, 2, 3])] }))).toBe(
      'MASTER_LIST_MALFORMED',
    );
    expect(
      code(() =>
        createTrustStore({ masterLists: [signSod({ ldsSecurityObject: lds, pki: vn }).subarray(2)] }),
      ),
    ).toBe('MASTER_LIST_MALFORMED');
  });
});
