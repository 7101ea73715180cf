/**
 * Trust scoped by issuing country and certificate powers (ICAO Doc 9303 Part 12 §5, §7.1;
 * RFC 5280 §4.2.1.3, §4.2.1.9). A CCCD's Document Signer must chain to a CSCA of Viet Nam: the
 * DSC's issuer C=, the CSCA's subject C= and DG1's issuing state must all be VN / VNM, so a
 * master list carrying other countries' CSCAs cannot vouch for a forged "CCCD". The CSCA must be
 * a CA (basicConstraints cA, keyUsage keyCertSign) and the DSC must have keyUsage
 * digitalSignature.
 */
import { readFileSync } from 'node:fs';
import { formatVietnamTd1 } from '@vneid/core/mrz';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../../../test/support/vectors.ts';
import { buildDg1 } from '../../src/lds/dg1.ts';
import {
  createTrustStore,
  parseCertificates,
  VIETNAM_COUNTRY,
  verifyPassive,
  vietnamCsca,
} from '../../src/pa/index.ts';
import {
  createMasterList,
  createTestPki,
  encodeLdsSecurityObject,
  signSod,
  type TestPki,
} from '../../src/pki-test/index.ts';

const dg1 = (issuingState: string): Uint8Array => {
  const lines = formatVietnamTd1({
    idNumber: '001099012345',
    dateOfBirth: '1999-03-04',
    sex: 'female',
    dateOfExpiry: '2039-03-04',
    surname: 'NGUYEN',
    givenNames: 'THI AN',
  });
  return buildDg1(lines.map((l, i) => (i === 0 ? `${l.slice(0, 2)}${issuingState}${l.slice(5)}` : l)));
};

let vn: TestPki;
let foreign: TestPki;
let mlAuthority: TestPki;
beforeAll(async () => {
  vn = await createTestPki({ algorithm: 'ecdsa-p256' });
  foreign = await createTestPki({ algorithm: 'ecdsa-p256', country: 'XX', cscaCommonName: 'CSCA XX' });
  mlAuthority = await createTestPki({ algorithm: 'ecdsa-p256', country: 'UT', cscaCommonName: 'CSCA ML' });
});

const sodFor = (pki: TestPki, files: Record<number, Uint8Array>): Uint8Array =>
  signSod({ ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }), pki });

describe('trust scoped by country', () => {
  it('a forged CCCD whose DSC chains to another country’s CSCA from a verified master list: country mismatch', async () => {
    const files = { 1: dg1('VNM') };
    const sod = sodFor(foreign, files);
    const store = createTrustStore({
      certificates: [vietnamCsca()],
      masterLists: [createMasterList(mlAuthority, [foreign.csca.certificate])],
      masterListSigners: [mlAuthority.csca.certificate],
    });
    expect(store.masterLists[0]?.added).toBe(1);
    const unscoped = await verifyPassive({ sod, files }, { trustStore: store });
    // Without a country every check passes: the master list vouches for CSCA XX.
    expect(unscoped.ok).toBe(true);
    const r = await verifyPassive({ sod, files }, { trustStore: store, country: VIETNAM_COUNTRY });
    expect(r.chain.ok).toBe(true);
    expect(r.country).toEqual({
      ok: false,
      expected: 'VN',
      dsc: 'XX',
      anchor: 'XX',
      document: 'VNM',
      reason: 'dsc-country-mismatch',
    });
    expect(r.ok).toBe(false);
  });

  it('a Vietnamese DSC and CSCA with DG1 issued by VNM pass; DG1 of another state fails', async () => {
    const store = createTrustStore({ certificates: [vn.csca.certificate] });
    const good = { 1: dg1('VNM') };
    const r = await verifyPassive(
      { sod: sodFor(vn, good), files: good },
      { trustStore: store, country: VIETNAM_COUNTRY },
    );
    expect(r.country).toEqual({ ok: true, expected: 'VN', dsc: 'VN', anchor: 'VN', document: 'VNM' });
    expect(r.ok).toBe(true);
    const other = { 1: dg1('UTO') };
    const bad = await verifyPassive(
      { sod: sodFor(vn, other), files: other },
      { trustStore: store, country: VIETNAM_COUNTRY },
    );
    expect(bad.dataGroups[0]?.status).toBe('match');
    expect(bad.country).toMatchObject({ ok: false, document: 'UTO', reason: 'document-country-mismatch' });
    expect(bad.ok).toBe(false);
  });
});

describe('certificate powers', () => {
  const files = { 1: dg1('VNM') };
  it('a CSCA without basicConstraints cA / keyCertSign cannot issue the DSC: issuer-not-ca', async () => {
    const pki = await createTestPki({ algorithm: 'ecdsa-p256', cscaNotCa: true });
    const r = await verifyPassive(
      { sod: sodFor(pki, files), files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(r.signature.ok).toBe(true);
    expect(r.chain).toMatchObject({ ok: false, reason: 'issuer-not-ca' });
    expect(r.ok).toBe(false);
  });

  it('a DSC whose keyUsage lacks digitalSignature: dsc-key-usage', async () => {
    const pki = await createTestPki({ algorithm: 'ecdsa-p256', dscKeyUsage: 'keyCertSign' });
    const r = await verifyPassive(
      { sod: sodFor(pki, files), files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(r.signature.ok).toBe(true);
    expect(r.chain).toMatchObject({ ok: false, reason: 'dsc-key-usage' });
    expect(r.ok).toBe(false);
  });

  const pem = sharedDataFile('csca-vietnam.pem');
  it.skipIf(pem === null)(
    'the real Vietnamese CSCA (../shared/data/csca-vietnam.pem) is a CA of VN with keyCertSign',
    () => {
      const [csca] = parseCertificates(readFileSync(pem as string, 'utf8'));
      expect(csca?.subject.country).toBe('VN');
      expect(csca?.isCa).toBe(true);
      expect(csca?.keyUsage).toEqual({ digitalSignature: false, keyCertSign: true, cRLSign: true });
      expect(csca?.fingerprintSha256).toBe(parseCertificates(vietnamCsca())[0]?.fingerprintSha256);
    },
  );
});
