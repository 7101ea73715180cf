/**
 * Every LDS file of the public interoperability samples (../shared/data/interop-samples, see its
 * SOURCES.md) through the parsers. Skipped, with a message, only when the folder is absent.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { equalBytes } from '@vneid/core/bytes';
import { decodeTlv } from '@vneid/core/tlv';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir } from '../../../../test/support/vectors.ts';
import {
  LdsError,
  parseCom,
  parseDg1,
  parseDg2,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseFaceImageDataBlock39794,
  parseFaceRecord19794,
  parseLdsFile,
  parseSod,
} from '../../src/lds/index.ts';

const dir = interopSamplesDir();
if (dir === null)
  console.warn('[lds interop] ../shared/data/interop-samples is absent: interop tests skipped');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir as string, name)));

/** The core TLV decoder must accept ISO 7816 tags like 5F01 (EF.COM) and 5F0E (DG11). */

/** Width and height from the SIZ marker of the codestream inside a JP2 (found by search, independently of the parser). */
function sizFromCodestream(jp2: Uint8Array): [number, number] {
  for (let i = 0; i + 24 < jp2.length; i++) {
    if (jp2[i] === 0xff && jp2[i + 1] === 0x4f && jp2[i + 2] === 0xff && jp2[i + 3] === 0x51) {
      const v = new DataView(jp2.buffer, jp2.byteOffset + i + 4);
      return [v.getUint32(4) - v.getUint32(12), v.getUint32(8) - v.getUint32(16)];
    }
  }
  throw new Error('no SIZ');
}

function sha(name: 'SHA-1' | 'SHA-256', bytes: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHash(name === 'SHA-1' ? 'sha1' : 'sha256')
      .update(bytes)
      .digest(),
  );
}

describe.skipIf(dir === null)('interop samples', () => {
  it('EF.COM (bsi2008, nl-specimen-2006)', () => {
    const bsi = parseCom(read('bsi2008/EF_COM.bin'));
    expect(bsi.ldsVersion).toBe('0107');
    expect(bsi.unicodeVersion).toBe('040000');
    expect(bsi.dataGroups).toEqual([1, 2, 3, 14]);
    expect(parseCom(read('nl-specimen-2006/EF_COM_011E.bin')).dataGroups).toEqual([1, 2, 15]);
  });

  it('DG1 (TD3 passports)', () => {
    for (const f of ['bsi2008/EF_DG1.bin', 'nl-specimen-2006/EF_DG1_0101.bin']) {
      const dg1 = parseDg1(read(f));
      expect(dg1.mrz.format).toBe('TD3');
      expect(dg1.mrzText).toHaveLength(88);
    }
  });

  it('EF.SOD: hashes in the LDSSecurityObject match the data groups as read', () => {
    const cases: Array<[string, Record<number, string>]> = [
      [
        'bsi2008/EF_SOD.bin',
        {
          1: 'bsi2008/EF_DG1.bin',
          2: 'bsi2008/EF_DG2.bin',
          3: 'bsi2008/EF_DG3.bin',
          14: 'bsi2008/EF_DG14.bin',
        },
      ],
      [
        'nl-specimen-2006/EF_SOD_011D.bin',
        {
          1: 'nl-specimen-2006/EF_DG1_0101.bin',
          2: 'nl-specimen-2006/EF_DG2_0102.bin',
          15: 'nl-specimen-2006/EF_DG15_010F.bin',
        },
      ],
    ];
    for (const [sodFile, dgs] of cases) {
      const raw = read(sodFile);
      const sod = parseSod(raw);
      expect(sod.raw).toBe(raw);
      const lso = sod.ldsSecurityObject;
      expect(lso.dataGroupHashes.map((h) => h.dataGroup)).toEqual(Object.keys(dgs).map(Number));
      for (const { dataGroup, hash } of lso.dataGroupHashes) {
        expect(
          equalBytes(
            sha(lso.hashAlgorithm.name as 'SHA-1' | 'SHA-256', read(dgs[dataGroup] as string)),
            hash,
          ),
          `${sodFile} DG${dataGroup}`,
        ).toBe(true);
      }
      const sd = sod.signedData;
      expect(sd.eContentType).toBe('2.23.136.1.1.1');
      expect(sd.certificates).toHaveLength(1);
      // Each certificate is a DER SEQUENCE whose bytes occur verbatim in the file.
      expect(decodeTlv(sd.certificates[0] as Uint8Array).tag).toBe(0x30);
      const [si] = sd.signerInfos;
      expect(si?.signedAttrs?.[0]).toBe(0xa0);
      // messageDigest is the hash of the eContent as signed.
      expect(
        equalBytes(
          sha(lso.hashAlgorithm.name as 'SHA-1' | 'SHA-256', sd.eContent),
          si?.messageDigest as Uint8Array,
        ),
      ).toBe(true);
      expect(si?.sid.issuer?.[0]).toBe(0x30);
    }
  });

  it('DG2: JPEG 2000 faces of the passports, size from the image', () => {
    const bsi = parseDg2(read('bsi2008/EF_DG2.bin'));
    expect(bsi.faces).toHaveLength(1);
    const face = bsi.faces[0]!;
    expect(face.format).toBe('19794-5');
    expect(face.imageType).toBe('jpeg2000');
    expect([face.width, face.height]).toEqual(sizFromCodestream(face.image));
    // The header says 337 × 449, the image is 413 × 531: the image wins, the mismatch is flagged.
    expect([face.header.width, face.header.height]).toEqual([337, 449]);
    expect(face.headerMismatch).toBe(true);
    const nl = parseDg2(read('nl-specimen-2006/EF_DG2_0102.bin')).faces[0]!;
    expect([nl.width, nl.height]).toEqual(sizFromCodestream(nl.image));
    expect(nl.headerMismatch).toBe(false);
  });

  it('ISO 19794-5 bare record: the image equals ISO19794_Test1_Face.jpg, 148 × 70 (JFIF + Exif)', () => {
    const [face] = parseFaceRecord19794(read('iso19794/ISO19794_Test1_Data.bin'));
    const jpg = read('iso19794/ISO19794_Test1_Face.jpg');
    expect(equalBytes(face!.image, jpg)).toBe(true);
    expect(face).toMatchObject({ imageType: 'jpeg', imageContainer: 'jfif', width: 148, height: 70 });
    // The header declares JPEG 2000 for a JPEG: flagged.
    expect(face!.header.imageDataType).toBe('jpeg2000');
    expect(face!.headerMismatch).toBe(true);
  });

  it('ISO 19794-5 InvalidImage: the record parses, the face is flagged IMAGE_UNRECOGNISED (decision: not fatal)', () => {
    const [face] = parseFaceRecord19794(read('iso19794/ISO19794_Test2_Data_InvalidImage.bin'));
    expect(face).toMatchObject({
      imageType: 'unknown',
      width: null,
      height: null,
      imageProblem: 'IMAGE_UNRECOGNISED',
      headerMismatch: true,
    });
  });

  it('ISO 39794-5 records and DG2s: the image equals ICAO_39794_5_AP_Face.jp2', () => {
    const jp2 = read('iso39794/ICAO_39794_5_AP_Face.jp2');
    const size = sizFromCodestream(jp2);
    for (const f of ['ICAO_39794_5_AP_DG2_MandFields.dat', 'ICAO_39794_5_AP_DG2_AllFields.dat']) {
      const faces = parseDg2(read(`iso39794/${f}`)).faces;
      expect(faces).toHaveLength(1);
      expect(faces[0]!.format).toBe('39794-5');
      expect(equalBytes(faces[0]!.image, jp2)).toBe(true);
      expect([faces[0]!.width, faces[0]!.height]).toEqual(size);
      expect(faces[0]!.biometricHeader?.formatType).toBe(0x2a);
    }
    for (const f of ['ICAO_39794_5_AP_MandFields.dat', 'ICAO_39794_5_AP_AllFields.dat']) {
      const [face] = parseFaceImageDataBlock39794(read(`iso39794/${f}`));
      expect(equalBytes(face!.image, jp2)).toBe(true);
      expect(face).toMatchObject({ imageType: 'jpeg2000', imageContainer: 'jp2' });
      expect(face!.header).toMatchObject({ version: '3/2019', imageDataType: 'jpeg2000' });
    }
    // AllFields declares an image size (572 × 731) the image does not have.
    const [all] = parseFaceImageDataBlock39794(read('iso39794/ICAO_39794_5_AP_AllFields.dat'));
    expect([all!.header.width, all!.header.height]).toEqual([572, 731]);
    expect(all!.headerMismatch).toBe(true);
    const [bad] = parseFaceImageDataBlock39794(
      read('iso39794/ICAO_39794_5_MandFields_InvalidImage.dat'.replace('5_M', '5_AP_M')),
    );
    expect(bad).toMatchObject({
      imageType: 'unknown',
      imageProblem: 'IMAGE_UNRECOGNISED',
      headerMismatch: true,
    });
  });

  it('DG3 container (fingerprints not parsed deeply)', () => {
    const parsed = parseLdsFile(3, read('bsi2008/EF_DG3.bin'));
    expect(parsed.file).toBe('DG3');
  });

  it('DG11 and DG12 (synthetic passport details)', () => {
    const dg11 = parseDg11(read('bsi2008/EF_DG11.bin'));
    expect(dg11.tags.length).toBeGreaterThan(0);
    expect(dg11.unknownElements).toEqual([]);
    // This sample's DG12 has no 5C tag list; its elements are read directly.
    const dg12 = parseDg12(read('bsi2008/EF_DG12.bin'));
    expect(dg12.tags).toEqual([]);
    expect(dg12.issuingAuthority).toBe('TEST');
    expect(dg12.otherPersons).toEqual(['William']);
    expect([dg12.endorsements, dg12.taxOrExitRequirements]).toEqual(['TEST', 'TEST']);
    expect(dg12.personalizationDeviceSerial).toBe('123');
    expect(dg12.unknownElements).toEqual([]);
  });

  it('DG14 SecurityInfos', () => {
    const dg14 = parseDg14(read('bsi2008/EF_DG14.bin'));
    expect(dg14.securityInfos.infos.length).toBeGreaterThan(0);
  });

  it('DG15 RSA keys', () => {
    for (const f of ['bsi2008/EF_DG15.bin', 'nl-specimen-2006/EF_DG15_010F.bin']) {
      const { publicKey } = parseDg15(read(f));
      expect(publicKey.algorithm).toBe('rsa');
      if (publicKey.algorithm === 'rsa') {
        expect(publicKey.modulusBits).toBe(1024);
        expect(publicKey.publicExponent).toBe(65537);
      }
    }
  });

  it('parseLdsFile dispatches by file ID', () => {
    expect(parseLdsFile(0x011d, read('bsi2008/EF_SOD.bin')).file).toBe('SOD');
    expect(parseLdsFile(0x0101, read('bsi2008/EF_DG1.bin')).file).toBe('DG1');
    expect(() => parseLdsFile(0x0101, read('bsi2008/EF_DG2.bin'))).toThrowError(LdsError);
  });
});
