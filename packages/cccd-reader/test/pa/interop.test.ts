/**
 * Passive authentication on documents this project did not produce (see
 * ../shared/data/interop-samples/SOURCES.md). No CSCA of these test documents is available, so
 * each assertion states exactly which checks pass: signature, messageDigest and every data-group
 * hash pass; the chain stops at the DSC; validity fails where the DSC has expired.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir, sharedDataFile } from '../../../../test/support/vectors.ts';
import { certificateSignedBy, publicKeyOf } from '../../src/pa/certificate.ts';
import {
  createTrustStore,
  parseCertificates,
  VIETNAM_CSCA_PEM,
  VIETNAM_CSCA_SHA256,
  verifyPassive,
  verifySecurityObject,
  vietnamCsca,
} from '../../src/pa/index.ts';
import { describeKey } from '../../src/pa/public-key.ts';
import { parseSignedData } from '../../src/pa/signed-data.ts';

const dir = interopSamplesDir();
if (dir === null)
  console.warn('interop-samples folder absent (../shared/data/interop-samples): PA interop tests skipped');
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(join(dir as string, p)));
const NOW = new Date('2026-11-22T00:00:00Z');

describe.skipIf(dir === null)('interop: real and reference documents', () => {
  const pkiCerts = (): Uint8Array[] => readdirSync(join(dir as string, 'pki')).map((f) => read(`pki/${f}`));
  const store = () => createTrustStore({ certificates: pkiCerts() });

  it('bsi2008 (BSI test passport): ECDSA-SHA1 on explicit brainpoolP224r1 parameters verifies; DG1-3, DG14 match', async () => {
    const files: Record<number, Uint8Array> = {};
    for (const n of [1, 2, 3, 14]) files[n] = read(`bsi2008/EF_DG${n}.bin`);
    const r = await verifyPassive(
      { sod: read('bsi2008/EF_SOD.bin'), files },
      { trustStore: store(), now: NOW },
    );
    expect(r.signature).toEqual({
      ok: true,
      algorithm: 'ecdsa-with-SHA1',
      key: 'EC explicit parameters (224-bit curve)',
    });
    expect(r.messageDigest).toEqual({ ok: true, present: true });
    expect(r.lds).toEqual({ version: 0, hashAlgorithm: { oid: '1.3.14.3.2.26', name: 'SHA-1' } });
    expect(r.dataGroups.map((d) => `${d.dataGroup}:${d.status}`)).toEqual([
      '1:match',
      '2:match',
      '3:match',
      '14:match',
    ]);
    // The CSCA "CSCA BDR TEST 19.09.07" is not among the samples; the DSC expired in 2009.
    expect(r.signer?.issuer).toBe('CN=CSCA BDR TEST 19.09.07');
    expect(r.chain).toMatchObject({ ok: false, reason: 'no-issuer-in-trust-store' });
    expect(r.validity).toMatchObject({ ok: false, reason: 'dsc-expired' });
    expect(r.validity.signingTime).toBeUndefined();
    expect(r.crl.status).toBe('unavailable');
    expect(r.ok).toBe(false);
    // The explicit curve is brainpoolP224r1 (RFC 5639 §3.3 prime).
    const embedded = parseSignedData(read('bsi2008/EF_SOD.bin'), 'SOD_MALFORMED', 'sod').certificates[0]!;
    const dsc = publicKeyOf(embedded);
    expect(dsc instanceof Error ? dsc.message : dsc.kind === 'ec' && dsc.curve.params.p.toString(16)).toBe(
      'd7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff',
    );
  });

  it('bsi2008: files the SOD does not list are not-in-sod; a flipped DG1 byte is a mismatch', async () => {
    const files: Record<number, Uint8Array> = {
      1: read('bsi2008/EF_DG1.bin').slice(),
      15: read('bsi2008/EF_DG15.bin'),
    };
    const dg1 = files[1] as Uint8Array;
    dg1[10] = (dg1[10] as number) ^ 1;
    const r = await verifyPassive(
      { sod: read('bsi2008/EF_SOD.bin'), files },
      { trustStore: store(), now: NOW },
    );
    expect(r.dataGroups.map((d) => `${d.dataGroup}:${d.status}`)).toEqual([
      '1:mismatch',
      '2:unread',
      '3:unread',
      '14:unread',
      '15:not-in-sod',
    ]);
  });

  it('nl-specimen-2006: sha256WithRSAEncryption verifies; DG1, DG2, DG15 match', async () => {
    const files = {
      1: read('nl-specimen-2006/EF_DG1_0101.bin'),
      2: read('nl-specimen-2006/EF_DG2_0102.bin'),
      15: read('nl-specimen-2006/EF_DG15_010F.bin'),
    };
    const r = await verifyPassive(
      { sod: read('nl-specimen-2006/EF_SOD_011D.bin'), files },
      { trustStore: store(), now: NOW },
    );
    expect(r.signature).toEqual({ ok: true, algorithm: 'sha256WithRSAEncryption', key: 'RSA-2048' });
    expect(r.messageDigest.ok).toBe(true);
    expect(r.dataGroups.map((d) => `${d.dataGroup}:${d.status}`)).toEqual(['1:match', '2:match', '15:match']);
    expect(r.signer?.issuer).toBe('CN=CSCA Test, OU=CSCA Test, O=Sdu Identification bv, C=NL');
    expect(r.chain).toMatchObject({ ok: false, reason: 'no-issuer-in-trust-store' });
    expect(r.validity).toMatchObject({ ok: false, reason: 'dsc-expired' });
    expect(r.ok).toBe(false);
  });

  it('EF.CardSecurity (German eID, gmrtd trace): ECDSA-SHA384 on explicit brainpoolP384r1 verifies, DSC valid now', async () => {
    const r = await verifySecurityObject(read('cardsecurity/DE_EF_CardSecurity_from_gmrtd_trace.bin'), {
      trustStore: store(),
      now: NOW,
    });
    expect(r.contentType).toBe('0.4.0.127.0.7.3.2.1');
    expect(r.content.length).toBe(309);
    expect(r.signature).toEqual({
      ok: true,
      algorithm: 'ecdsa-with-SHA384',
      key: 'EC explicit parameters (brainpoolP384r1)',
    });
    expect(r.messageDigest).toEqual({ ok: true, present: true });
    expect(r.validity.ok).toBe(true);
    // Issued by csca-germany, but by an older key than DE_ROOT_CA_CSCA07 (key identifiers differ).
    expect(r.signer?.issuer).toBe('C=DE, O=bund, OU=bsi, CN=csca-germany');
    expect(r.chain).toMatchObject({ ok: false, reason: 'no-issuer-in-trust-store' });
    expect(r.ok).toBe(false);
  });

  it('efcardsecurity.dump (JMRTD): ECDSA-SHA256 brainpoolP256r1 over the content (no signed attributes) verifies', async () => {
    const r = await verifySecurityObject(read('cardsecurity/efcardsecurity.dump'), {
      trustStore: store(),
      now: NOW,
    });
    expect(r.signature).toEqual({ ok: true, algorithm: 'ecdsa-with-SHA256', key: 'EC brainpoolP256r1' });
    expect(r.messageDigest).toEqual({ ok: true, present: false });
    expect(r.signer?.subject).toBe('C=UT, CN=DS-1');
    expect(r.chain.reason).toBe('no-issuer-in-trust-store');
    expect(r.validity.reason).toBe('dsc-expired');
  });

  it('a changed signature byte in EF.CardSecurity is detected', async () => {
    const bytes = read('cardsecurity/efcardsecurity.dump').slice();
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0x01;
    const r = await verifySecurityObject(bytes, { trustStore: store(), now: NOW });
    expect(r.signature.ok).toBe(false);
    expect(r.signature.reason).toBe('signature-invalid');
  });

  it('pki/*.cer: every certificate parses; the three CSCAs verify their own signatures (ECDSA explicit brainpoolP512r1, RSA-PSS, RSA)', () => {
    const facts = readdirSync(join(dir as string, 'pki'))
      .sort()
      .map((f) => {
        const c = parseCertificates(read(`pki/${f}`))[0]!;
        const key = publicKeyOf(c);
        return [
          f,
          key instanceof Error ? key.message : describeKey(key),
          c.selfIssued ? certificateSignedBy(c, c).ok : 'not self-issued',
        ];
      });
    expect(facts).toEqual([
      ['DE_ROOT_CA_CSCA07.cer', 'EC explicit parameters (brainpoolP512r1)', true],
      ['IDN_2020-10_CSCA.cer', 'RSA-4096', true],
      ['NL_ROOT_CA.cer', 'RSA-4096', true],
      ['dsc_de_0130846f2b3e.cer', 'RSA-2048', 'not self-issued'],
      ['dsc_de_0142fd5cf927.cer', 'RSA-2048', 'not self-issued'],
    ]);
    const s = createTrustStore({ certificates: pkiCerts() });
    expect(s.anchors).toHaveLength(5);
  });
});

describe('Vietnamese CSCA', () => {
  const shared = sharedDataFile('csca-vietnam.pem');
  it('is shipped as package data identical to ../shared/data/csca-vietnam.pem', () => {
    const data = readFileSync(new URL('../../data/csca-vietnam.pem', import.meta.url), 'utf8');
    expect(VIETNAM_CSCA_PEM).toBe(data.trim());
    if (shared === null)
      console.warn('../shared/data/csca-vietnam.pem absent: comparison with the shared copy skipped');
    else expect(data).toBe(readFileSync(shared, 'utf8'));
  });

  it('parses: fingerprint 6F0A20D6…22B1A9, P-384 self-signed, key usage period ends 2026-01-21', () => {
    const [c] = parseCertificates(vietnamCsca());
    expect(c).toBeDefined();
    if (!c) return;
    expect(c.fingerprintSha256.startsWith('6F0A20D6')).toBe(true);
    expect(c.fingerprintSha256.endsWith('22B1A9')).toBe(true);
    expect(c.fingerprintSha256).toBe(VIETNAM_CSCA_SHA256);
    expect(c.subject.text).toBe(
      'C=VN, O=Vietnam Government Information Security Commission, serialNumber=001, CN=CSCA Vietnam',
    );
    expect(c.selfIssued).toBe(true);
    expect(c.isCa).toBe(true);
    const key = publicKeyOf(c);
    expect(key instanceof Error ? key.message : describeKey(key)).toBe('EC P-384');
    expect(certificateSignedBy(c, c)).toEqual({ ok: true });
    expect(c.privateKeyUsagePeriod?.notAfter?.toISOString()).toBe('2026-01-21T18:11:36.000Z');
    expect(c.notAfter.toISOString()).toBe('2046-04-13T18:11:36.000Z');
  });
});
