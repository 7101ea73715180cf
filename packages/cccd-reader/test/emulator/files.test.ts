import { fromHex, toHex } from '@vneid/core/bytes';
import { parseMrz } from '@vneid/core/mrz';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  type CardSigner,
  createCardFiles,
  createSyntheticPerson,
  dg13FieldsOf,
  tamperBytes,
} from '../../src/emulator/index.ts';
import {
  LDS_HASH_ALGORITHMS,
  parseCom,
  parseDg1,
  parseDg2,
  parseDg13,
  parseDg14,
  parseDg15,
  parseLdsSecurityObject,
  parseSecurityInfos,
  parseSod,
} from '../../src/lds/index.ts';
import { createTrustStore, parseCertificates, verifyPassive } from '../../src/pa/index.ts';
import { createCrl } from '../../src/pki-test/index.ts';
import vector from './vectors/card-access.json' with { type: 'json' };

const SIGNERS: CardSigner[] = ['rsa', 'rsa-pss', 'ecdsa-p256', 'brainpool384', 'brainpool-explicit'];
const EXPECTED_SIGNATURE: Record<CardSigner, RegExp> = {
  rsa: /^sha256WithRSAEncryption$/,
  'rsa-pss': /^RSASSA-PSS/,
  'ecdsa-p256': /^ecdsa-with-SHA256$/,
  brainpool384: /^ecdsa-with-SHA256$/,
  'brainpool-explicit': /^ecdsa-with-SHA256$/,
};
const EXPECTED_KEY: Record<CardSigner, RegExp> = {
  rsa: /^RSA-2048$/,
  'rsa-pss': /^RSA-2048$/,
  'ecdsa-p256': /P-256/,
  brainpool384: /^EC brainpoolP384r1$/,
  'brainpool-explicit': /^EC explicit parameters \(brainpoolP384r1\)$/,
};

let files: CardFiles;
beforeAll(async () => {
  files = await createCardFiles(createSyntheticPerson(11));
});

describe('createCardFiles: the CCCD file set', () => {
  it('EF.CardAccess equals the public hex read from CCCDs (SPEC-NOTES §4)', () => {
    expect(toHex(files.cardAccess as Uint8Array)).toBe(vector.cardAccessHex);
    expect(files.pace).toEqual({ oid: vector.paceOid, parameterId: vector.parameterId, mapping: 'GM' });
    expect(files.caProtocol).toBe(vector.caOid);
    const infos = parseSecurityInfos(fromHex(vector.cardAccessHex)).infos;
    expect(infos.map((i) => i.type)).toEqual([
      'TerminalAuthenticationInfo',
      'ChipAuthenticationInfo',
      'PACEInfo',
    ]);
  });

  it('EF.COM lists DG1, DG2, DG3, DG13, DG14, DG15 and the SOD hashes exactly those with SHA-256', () => {
    expect(parseCom(files.com)).toMatchObject({
      ldsVersion: '0107',
      unicodeVersion: '040000',
      dataGroups: [1, 2, 3, 13, 14, 15],
    });
    const lso = parseLdsSecurityObject(parseSod(files.sod).signedData.eContent);
    expect(lso.hashAlgorithm.name).toBe('SHA-256');
    expect(lso.dataGroupHashes.map((h) => h.dataGroup)).toEqual([1, 2, 3, 13, 14, 15]);
    expect(LDS_HASH_ALGORITHMS['SHA-256'].length).toBe(32);
  });

  it('DG1 holds the Vietnamese TD1 MRZ of the person', () => {
    const p = files.person;
    const dg1 = parseDg1(files.dataGroups.get(1) as Uint8Array);
    expect(dg1.mrzText).toBe(files.mrz.join(''));
    expect(dg1.mrz.vietnam).toMatchObject({ idNumber: p.idNumber, consistent: true });
    expect(dg1.mrz.documentNumber).toBe(p.idNumber.slice(3));
    expect(dg1.mrz.surname).toBe(p.mrzSurname);
    expect(dg1.mrz.givenNames).toBe(p.mrzGivenNames);
    expect(dg1.raw.length).toBe(95);
  });

  it('DG14 has the CA key on brainpoolP256r1 with explicit parameters and is 386 bytes like a real CCCD', () => {
    const dg14 = files.dataGroups.get(14) as Uint8Array;
    expect(dg14.length).toBe(386);
    const infos = parseDg14(dg14).securityInfos.infos;
    const key = infos.find((i) => i.type === 'ChipAuthenticationPublicKeyInfo');
    expect(key?.type === 'ChipAuthenticationPublicKeyInfo' && key.publicKey.domainParameters).toMatchObject({
      kind: 'ec',
      namedCurve: 'brainpoolP256r1',
    });
    expect(key?.type === 'ChipAuthenticationPublicKeyInfo' && toHex(key.publicKey.publicKey)).toBe(
      toHex(files.keys.ca?.publicKey as Uint8Array),
    );
    expect(infos.some((i) => i.type === 'ActiveAuthenticationInfo')).toBe(false);
  });

  it('DG15 holds an RSA-2048 key, DG3 is a placeholder and DG2 is ~15 KB', () => {
    const dg15 = parseDg15(files.dataGroups.get(15) as Uint8Array);
    expect(dg15.publicKey).toMatchObject({ algorithm: 'rsa', modulusBits: 2048, publicExponent: 65537 });
    expect(files.keys.aa?.kind).toBe('rsa');
    expect(files.dataGroups.get(3)?.[0]).toBe(0x63);
    expect(files.dataGroups.get(2)?.length).toBeGreaterThan(15000);
  });

  it('keeps the access keys: CAN = last 6 ID digits, MRZ key in the 9-digit form by default', () => {
    const p = files.person;
    expect(files.access.can).toBe(p.idNumber.slice(6));
    expect(files.access.mrzKey.documentNumber).toBe(p.idNumber.slice(3));
    const mrz = parseMrz(files.mrz);
    expect(files.access.mrzKey.dateOfBirth).toBe(mrz.dateOfBirth);
    expect(files.access.mrzKey.dateOfExpiry).toBe(mrz.dateOfExpiry);
  });

  it('never prints private keys', () => {
    expect(String(files.keys.ca)).not.toMatch(/\d{20}/);
    expect(JSON.stringify(files.keys.ca)).not.toMatch(/\d{20}/);
  });

  it('honours options: no PACE/CA/AA, flat DG13, ECDSA AA, 12-digit MRZ key, header size, IM mapping', async () => {
    const p = createSyntheticPerson(5, { faceBytes: 0 });
    const bare = await createCardFiles(p, {
      pace: false,
      ca: false,
      aa: false,
      dg3: false,
      signer: 'ecdsa-p256',
    });
    expect(bare.cardAccess).toBeUndefined();
    expect(bare.pace).toBeUndefined();
    expect([...bare.dataGroups.keys()]).toEqual([1, 2, 13]);
    expect(parseCom(bare.com).dataGroups).toEqual([1, 2, 13]);

    const other = await createCardFiles(p, {
      aaKey: 'ecdsa',
      dg13Layout: 'flat',
      mrzKeyForm: '12-digit',
      faceHeader: { width: 480, height: 640 },
      paceMapping: 'IM',
      signer: 'ecdsa-p256',
    });
    expect(parseDg13(other.dataGroups.get(13) as Uint8Array).parentsLayout).toBe('flat');
    expect(other.access.mrzKey.documentNumber).toBe(p.idNumber);
    const face = parseDg2(other.dataGroups.get(2) as Uint8Array).faces[0];
    expect(face).toMatchObject({
      width: 300,
      height: 400,
      headerMismatch: true,
      header: { width: 480, height: 640 },
    });
    expect(parseDg15(other.dataGroups.get(15) as Uint8Array).publicKey).toMatchObject({
      algorithm: 'ec',
      curveName: 'brainpoolP256r1',
    });
    const infos = parseDg14(other.dataGroups.get(14) as Uint8Array).securityInfos.infos;
    expect(infos.find((i) => i.type === 'ActiveAuthenticationInfo')).toMatchObject({
      signatureAlgorithmName: expect.any(String),
    });
    expect(other.pace?.oid).toBe('0.4.0.127.0.7.2.2.4.4.2');
    await expect(createCardFiles(p, { signer: 'dsa' as CardSigner })).rejects.toThrow(RangeError);
  });
});

describe('createCardFiles: property — any person round-trips through the LDS parsers', () => {
  it('DG1, DG2, DG13 and the SOD hashes parse back to the same values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const person = createSyntheticPerson(seed, {
          faceBytes: 0,
          faceWidth: 8 + (seed % 300),
          faceHeight: 8 + (seed % 411),
        });
        const f = await createCardFiles(person, { signer: 'ecdsa-p256', aa: false });
        const dg13 = parseDg13(f.dataGroups.get(13) as Uint8Array);
        for (const [key, value] of Object.entries(dg13FieldsOf(person)))
          expect(dg13[key as keyof typeof dg13]).toEqual(value);
        const face = parseDg2(f.dataGroups.get(2) as Uint8Array).faces[0];
        expect(face).toMatchObject({
          imageType: 'jpeg',
          width: person.face.width,
          height: person.face.height,
          headerMismatch: false,
        });
        expect(face?.image).toEqual(person.face.jpeg);
        const mrz = parseDg1(f.dataGroups.get(1) as Uint8Array).mrz;
        expect(mrz.dateOfBirthIso).toBe(person.dateOfBirth);
        expect(mrz.sex).toBe(person.sex);
        const lso = parseLdsSecurityObject(parseSod(f.sod).signedData.eContent);
        expect(lso.dataGroupHashes.map((h) => h.dataGroup)).toEqual([...f.dataGroups.keys()]);
      }),
      { numRuns: 25 },
    );
  });
});

describe('EF.SOD passes passive authentication for every signer', () => {
  for (const signer of SIGNERS) {
    it(signer, async () => {
      const f = await createCardFiles(createSyntheticPerson(3, { faceBytes: 0 }), { signer });
      const trustStore = createTrustStore({ certificates: [f.trust.cscaPem] });
      const report = await verifyPassive({ sod: f.sod, files: f.dataGroups }, { trustStore });
      expect(report.ok).toBe(true);
      expect(report.signature.algorithm).toMatch(EXPECTED_SIGNATURE[signer]);
      expect(report.signature.key).toMatch(EXPECTED_KEY[signer]);
      expect(report.dataGroups.every((d) => d.status === 'match')).toBe(true);
      // The chain model holds too: the SOD was signed on the issue date, inside the DSC validity.
      const chain = await verifyPassive(
        { sod: f.sod, files: f.dataGroups },
        { trustStore, validityPolicy: 'signing-time' },
      );
      expect(chain.validity).toMatchObject({ ok: true, signingTime: `${f.person.issueDate}T09:00:00.000Z` });

      // A changed DG byte fails PA on that data group only.
      const tampered = new Map(f.dataGroups);
      tampered.set(13, tamperBytes(f.dataGroups.get(13) as Uint8Array));
      const bad = await verifyPassive({ sod: f.sod, files: tampered }, { trustStore });
      expect(bad.ok).toBe(false);
      expect(bad.dataGroups.filter((d) => d.status === 'mismatch').map((d) => d.dataGroup)).toEqual([13]);

      // A wrong CSCA (another signer's) breaks the chain.
      const other = await createCardFiles(f.person, { signer: signer === 'rsa' ? 'ecdsa-p256' : 'rsa' });
      const wrong = await verifyPassive(
        { sod: f.sod, files: f.dataGroups },
        { trustStore: createTrustStore({ certificates: [other.trust.csca] }) },
      );
      expect(wrong.ok).toBe(false);
      expect(wrong.chain.ok).toBe(false);
    });
  }

  it('a CRL from the test CSCA revoking the DSC makes PA fail with status revoked', async () => {
    const f = await createCardFiles(createSyntheticPerson(4, { faceBytes: 0 }), { signer: 'ecdsa-p256' });
    const crl = createCrl(f.trust.pki, [f.trust.pki.dsc.serialNumber]);
    const report = await verifyPassive(
      { sod: f.sod, files: f.dataGroups },
      { trustStore: createTrustStore({ certificates: [f.trust.csca], crls: [crl] }) },
    );
    expect(report.ok).toBe(false);
    expect(report.crl.status).toBe('revoked');
  });

  it('reuses the per-signer PKI (one CSCA per process and signer)', async () => {
    const a = await createCardFiles(createSyntheticPerson(1, { faceBytes: 0 }), { signer: 'ecdsa-p256' });
    const b = await createCardFiles(createSyntheticPerson(2, { faceBytes: 0 }), { signer: 'ecdsa-p256' });
    expect(toHex(a.trust.csca)).toBe(toHex(b.trust.csca));
    const [csca] = parseCertificates(a.trust.cscaPem);
    expect(csca?.subject.text).toMatch(/CSCA TEST VIET NAM/);
  });
});

describe('tamperBytes', () => {
  it('changes exactly one byte, keeps an upper-case letter a letter, or flips the byte at an offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.option(fc.nat(300), { nil: undefined }),
        (bytes, offset) => {
          const out = tamperBytes(bytes, offset);
          const diff = [...out].map((b, i) => (b === bytes[i] ? -1 : i)).filter((i) => i >= 0);
          expect(diff).toHaveLength(1);
          const i = diff[0] as number;
          if (offset === undefined && (bytes[i] as number) >= 0x41 && (bytes[i] as number) <= 0x5a) {
            expect(out[i]).toBeGreaterThanOrEqual(0x41);
            expect(out[i]).toBeLessThanOrEqual(0x5a);
          }
        },
      ),
    );
    expect(tamperBytes(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});
