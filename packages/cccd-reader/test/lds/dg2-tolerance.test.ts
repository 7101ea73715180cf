/**
 * DG2 as real documents carry it: ISO/IEC 19794-5:2011 (version 030) records, non-minimal BER
 * lengths inside the biometric template (accepted, reported), and a few bytes of slack after the
 * biometric data block (accepted up to DG2_MAX_SLACK, reported). Real samples come from
 * ../shared/data/interop-samples (see its SOURCES.md; read from there, never copied); no public
 * 030 sample exists there, so 030 records are built here by an independent writer.
 *
 * The 030 layout below was checked against ISO/IEC 19794-5:2011 Table 2 as implemented by
 * mosip/bio-utils (biometrics-util/src/main/java/io/mosip/biometrics/util/face/
 * GeneralHeader.java 17 bytes, RepresentationHeader.java 4+9+1+2+2+1+5q+17+8L+11,
 * FacialInformation.java 17 bytes with expression at offset 9, ImageInformation.java 11 bytes
 * with the colour space at offset 10, ImageData.java 4-byte length then the image). The old
 * parser read expression at offset 8, colour space at offset 11 and the image from offset 12.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes, toHex } from '@vneid/core/bytes';
import { decodeTlv, encodeTag, type Tlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir } from '../../../../test/support/vectors.ts';
import { buildDg2, DG2_MAX_SLACK, parseDg2, parseFaceRecord19794 } from '../../src/lds/index.ts';
import { codeOf, int, P, T } from './helpers.ts';

const dir = interopSamplesDir();
if (dir === null)
  console.warn('[dg2 tolerance] ../shared/data/interop-samples is absent: sample tests skipped');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir as string, name)));

const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** A baseline JPEG header (SOI, SOF0, EOI) of the given size. */
function jpeg(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    ...u16(height),
    ...u16(width),
    0x01,
    0x01,
    0x11,
    0x00,
    0xff,
    0xd9,
  ]);
}

interface Face030 {
  image: Uint8Array;
  imageDataType: number;
  width: number;
  height: number;
  qualityBlocks: number;
  landmarks: number;
  gender: number;
  eye: number;
  hair: number;
  subjectHeight: number;
  expression: number;
  faceImageType: number;
  colourSpace: number;
  /** Bytes after the image inside the representation (3D information). */
  trailer?: Uint8Array;
}

/** An ISO/IEC 19794-5:2011 representation, written field by field from the table above. */
function representation030(f: Face030): Uint8Array {
  const body = [
    ...[0x07, 0xe6, 0x05, 0x14, 0x0a, 0x1e, 0x00, 0x00, 0x00], // capture date/time 2022-05-20 10:30:00.000
    0x00, // capture device technology
    ...u16(0),
    ...u16(0), // vendor, type
    f.qualityBlocks,
    ...Array.from({ length: f.qualityBlocks }, (_, i) => [50 + i, 0x00, 0x01, 0x00, 0x02]).flat(),
    // Facial information (17): landmark count, gender, eye, hair, subject height, property mask,
    // expression, pose angle (3) and uncertainty (3).
    ...u16(f.landmarks),
    f.gender,
    f.eye,
    f.hair,
    f.subjectHeight,
    0x00,
    0x00,
    0x01,
    ...u16(f.expression),
    1,
    2,
    3,
    4,
    5,
    6,
    ...Array.from({ length: f.landmarks }, (_, i) => [
      0x01,
      i,
      ...u16(10 + i),
      ...u16(20 + i),
      ...u16(0),
    ]).flat(),
    // Image information (11).
    f.faceImageType,
    f.imageDataType,
    ...u16(f.width),
    ...u16(f.height),
    0x00, // spatial sampling rate level
    ...u16(0x0001), // post-acquisition processing
    0x00, // cross reference
    f.colourSpace,
    ...u32(f.image.length),
  ];
  const trailer = f.trailer ?? new Uint8Array(0);
  const length = 4 + body.length + f.image.length + trailer.length;
  return concatBytes(Uint8Array.from([...u32(length), ...body]), f.image, trailer);
}

function record030(...reps: Uint8Array[]): Uint8Array {
  const length = 17 + reps.reduce((n, r) => n + r.length, 0);
  const header = Uint8Array.from([
    0x46,
    0x41,
    0x43,
    0x00,
    0x30,
    0x33,
    0x30,
    0x00,
    ...u32(length),
    ...u16(reps.length),
    0x00,
    ...u16(0),
  ]);
  return concatBytes(header, ...reps);
}

const BHT = T(
  0xa1,
  Uint8Array.of(0x81, 0x01, 0x02),
  Uint8Array.of(0x87, 0x02, 0x01, 0x01),
  Uint8Array.of(0x88, 0x02, 0x00, 0x08),
);
const dg2Of = (block: Uint8Array, after: Uint8Array = new Uint8Array(0)): Uint8Array =>
  T(0x75, T(0x7f61, int(1), T(0x7f60, BHT, block, after)));

const sample: Face030 = {
  image: concatBytes(jpeg(300, 400), Uint8Array.of(1, 2, 3, 4, 5)),
  imageDataType: 0,
  width: 240,
  height: 320,
  qualityBlocks: 2,
  landmarks: 3,
  gender: 2,
  eye: 3,
  hair: 4,
  subjectHeight: 0x99,
  expression: 0x0102,
  faceImageType: 1,
  colourSpace: 1,
};

describe('ISO/IEC 19794-5:2011 (030) records', () => {
  it('reads every header field at its Table 2 offset and the image after its 4-byte length', () => {
    const [face] = parseFaceRecord19794(record030(representation030(sample)));
    expect(toHex(face!.image)).toBe(toHex(sample.image));
    expect(face).toMatchObject({ imageType: 'jpeg', width: 300, height: 400, headerMismatch: true });
    expect(face!.header).toEqual({
      version: '030',
      imageDataType: 'jpeg',
      imageDataTypeCode: 0,
      width: 240,
      height: 320,
      faceImageType: 1,
      gender: 2,
      eyeColour: 3,
      hairColour: 4,
      subjectHeight: 0x99,
      expression: 0x0102,
      featurePoints: 3,
      colourSpace: 1,
    });
  });

  it('property: any quality/landmark counts, image types and 3D trailers', () => {
    fc.assert(
      fc.property(
        fc.record({
          qualityBlocks: fc.integer({ min: 0, max: 5 }),
          landmarks: fc.integer({ min: 0, max: 20 }),
          gender: fc.integer({ min: 0, max: 255 }),
          eye: fc.integer({ min: 0, max: 255 }),
          hair: fc.integer({ min: 0, max: 255 }),
          subjectHeight: fc.integer({ min: 0, max: 255 }),
          expression: fc.integer({ min: 0, max: 0xffff }),
          faceImageType: fc.integer({ min: 0, max: 255 }),
          imageDataType: fc.constantFrom(0, 1, 2, 3),
          colourSpace: fc.integer({ min: 0, max: 255 }),
          width: fc.integer({ min: 1, max: 0xffff }),
          height: fc.integer({ min: 1, max: 0xffff }),
          tail: fc.uint8Array({ maxLength: 64 }),
          trailer: fc.uint8Array({ maxLength: 16 }),
          faces: fc.integer({ min: 1, max: 3 }),
        }),
        (r) => {
          const f: Face030 = {
            ...r,
            image: concatBytes(jpeg(r.width, r.height), r.tail),
            trailer: r.trailer,
          };
          const faces = parseDg2(
            dg2Of(P(0x5f2e, record030(...Array.from({ length: r.faces }, () => representation030(f))))),
          ).faces;
          expect(faces).toHaveLength(r.faces);
          for (const face of faces) {
            expect(toHex(face.image)).toBe(toHex(f.image));
            expect([face.width, face.height]).toEqual([r.width, r.height]);
            expect(face.header).toMatchObject({
              expression: r.expression,
              colourSpace: r.colourSpace,
              subjectHeight: r.subjectHeight,
              width: r.width,
              height: r.height,
              imageDataTypeCode: r.imageDataType,
              featurePoints: r.landmarks,
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("buildDg2({ version: '030' }) → parseDg2 gives back image, type and declared size (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xffff }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.uint8Array({ maxLength: 200 }),
        (width, height, tail) => {
          const image = concatBytes(jpeg(width, height), tail);
          const dg2 = parseDg2(buildDg2({ image, width, height, imageType: 'jpeg', version: '030' }));
          expect(dg2.warnings).toEqual([]);
          expect(toHex(dg2.faces[0]!.image)).toBe(toHex(image));
          expect(dg2.faces[0]!.header).toMatchObject({
            version: '030',
            width,
            height,
            imageDataType: 'jpeg',
            colourSpace: 1,
          });
          expect(dg2.faces[0]!.headerMismatch).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('an image length past the representation is LDS_TRUNCATED_RECORD', () => {
    const rep = representation030(sample);
    const at = rep.length - sample.image.length - 4;
    new DataView(rep.buffer).setUint32(at, sample.image.length + 1);
    expect(codeOf(() => parseFaceRecord19794(record030(rep)))).toBe('LDS_TRUNCATED_RECORD');
  });

  it.skipIf(dir === null)('a 030 record around the real JPEG of iso19794/ISO19794_Test1_Face.jpg', () => {
    const real = read('iso19794/ISO19794_Test1_Face.jpg');
    const [face] = parseDg2(
      dg2Of(P(0x5f2e, record030(representation030({ ...sample, image: real, width: 148, height: 70 })))),
    ).faces;
    expect(toHex(face!.image)).toBe(toHex(real));
    expect(face).toMatchObject({
      imageType: 'jpeg',
      imageContainer: 'jfif',
      width: 148,
      height: 70,
      headerMismatch: false,
    });
  });
});

/** Re-encodes a decoded TLV tree with every length in the 4-byte long form (`84 xx xx xx xx`). */
function longForm(node: Tlv): Uint8Array {
  const value = node.children === undefined ? node.value : concatBytes(...node.children.map(longForm));
  return concatBytes(encodeTag(node.tag), Uint8Array.of(0x84, ...u32(value.length)), value);
}

/** Number of TLVs of a tree. */
const countNodes = (node: Tlv): number => 1 + (node.children ?? []).reduce((n, c) => n + countNodes(c), 0);

/** The template parts of a one-template DG2 (A1 and the data block), as decoded. */
function partsOf(dg2: Uint8Array): { bht: Tlv; block: Tlv } {
  const t = decodeTlv(dg2).children![0]!.children![1]!;
  return { bht: t.children!.find((c) => c.tag === 0xa1)!, block: t.children!.find((c) => c.tag !== 0xa1)! };
}

describe.skipIf(dir === null)('DG2 of real samples: clean files have no warnings', () => {
  it('bsi2008, nl-specimen-2006 (19794-5:2005) and ISO 39794-5 DG2s', () => {
    for (const f of [
      'bsi2008/EF_DG2.bin',
      'nl-specimen-2006/EF_DG2_0102.bin',
      'iso39794/ICAO_39794_5_AP_DG2_MandFields.dat',
      'iso39794/ICAO_39794_5_AP_DG2_AllFields.dat',
    ]) {
      const dg2 = parseDg2(read(f));
      expect(dg2.warnings, f).toEqual([]);
      expect(dg2.faces, f).toHaveLength(1);
    }
  });
});

describe.skipIf(dir === null)(
  'non-minimal BER lengths inside the biometric template (real samples re-encoded)',
  () => {
    for (const f of ['bsi2008/EF_DG2.bin', 'iso39794/ICAO_39794_5_AP_DG2_AllFields.dat']) {
      it(`${f}: every length in long form → same face, one warning per TLV`, () => {
        const original = read(f);
        const clean = parseDg2(original);
        const tree = decodeTlv(original);
        const relaxed = longForm(tree);
        // The shared strict decoder still refuses these bytes (secure messaging and EF.SOD use it).
        expect(() => decodeTlv(relaxed)).toThrow(/shortest form/);
        const dg2 = parseDg2(relaxed);
        expect(dg2.faces).toHaveLength(1);
        expect(toHex(dg2.faces[0]!.image)).toBe(toHex(clean.faces[0]!.image));
        expect(dg2.faces[0]!.header).toEqual(clean.faces[0]!.header);
        expect(dg2.warnings.every((w) => w.code === 'LDS_NON_MINIMAL_LENGTH')).toBe(true);
        // One warning per TLV read (the BHT's children are read too; for 39794-5 every DER node).
        const offsets = dg2.warnings.map((w) => w.offset);
        expect(new Set(offsets).size).toBe(offsets.length);
        expect(offsets[0]).toBe(0);
        for (const o of offsets) {
          // Each offset is a tag whose length octets are the 84 long form written above.
          let i = o;
          if ((relaxed[i]! & 0x1f) === 0x1f) while (relaxed[++i]! & 0x80);
          expect(relaxed[i + 1], `offset ${o}`).toBe(0x84);
        }
        const expected = f.includes('39794')
          ? // 75, 7F61, 02, 7F60, A1 + its children, 7F2E, and every node of the 39794-5 block.
            4 +
            1 +
            partsOf(original).bht.children!.length +
            1 +
            countNodes(partsOf(original).block.children![0]!)
          : 4 + 1 + partsOf(original).bht.children!.length + 1;
        expect(dg2.warnings).toHaveLength(expected);
      });
    }

    it('an indefinite length inside DG2 is still LDS_INVALID_TLV', () => {
      const rec = record030(representation030(sample));
      const indefinite = concatBytes(
        Uint8Array.of(0x75, 0x80),
        T(0x7f61, int(1), T(0x7f60, BHT, P(0x5f2e, rec))),
        Uint8Array.of(0, 0),
      );
      expect(codeOf(() => parseDg2(indefinite))).toBe('LDS_INVALID_TLV');
    });
  },
);

describe('slack after the biometric data block', () => {
  const rec = record030(representation030(sample));
  const clean = parseDg2(dg2Of(P(0x5f2e, rec)));

  it(`1…${DG2_MAX_SLACK} bytes after 5F2E inside 7F60: same face, one LDS_BIOMETRIC_SLACK`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: DG2_MAX_SLACK }), (slack) => {
        const bytes = dg2Of(P(0x5f2e, rec), slack);
        const dg2 = parseDg2(bytes);
        expect(toHex(dg2.faces[0]!.image)).toBe(toHex(clean.faces[0]!.image));
        // Slack bytes that happen to form complete TLVs are read as (ignored) elements; whatever
        // remains after them is reported as slack and reaches the end of the template.
        const slackWarnings = dg2.warnings.filter((w) => w.code === 'LDS_BIOMETRIC_SLACK');
        expect(slackWarnings.length).toBeLessThanOrEqual(1);
        for (const w of slackWarnings) {
          expect(w.offset).toBeGreaterThanOrEqual(bytes.length - slack.length);
          expect(w.offset + w.length!).toBe(bytes.length);
        }
      }),
      { numRuns: 300 },
    );
    const zeros = dg2Of(P(0x5f2e, rec), new Uint8Array(DG2_MAX_SLACK));
    expect(parseDg2(zeros).warnings).toEqual([
      { code: 'LDS_BIOMETRIC_SLACK', offset: zeros.length - DG2_MAX_SLACK, length: DG2_MAX_SLACK },
    ]);
  });

  it(`${DG2_MAX_SLACK + 1} bytes of slack are an error`, () => {
    expect(codeOf(() => parseDg2(dg2Of(P(0x5f2e, rec), new Uint8Array(DG2_MAX_SLACK + 1))))).toBe(
      'LDS_INVALID_TLV',
    );
  });

  it(`a 5F2E up to ${DG2_MAX_SLACK} bytes longer than its record: accepted in DG2, not as a bare record`, () => {
    for (let k = 1; k <= DG2_MAX_SLACK + 1; k++) {
      const padded = concatBytes(rec, new Uint8Array(k).fill(0xff));
      const bytes = dg2Of(P(0x5f2e, padded));
      expect(codeOf(() => parseFaceRecord19794(padded))).toBe('LDS_RECORD_LENGTH_MISMATCH');
      if (k > DG2_MAX_SLACK) {
        expect(codeOf(() => parseDg2(bytes))).toBe('LDS_RECORD_LENGTH_MISMATCH');
        continue;
      }
      const dg2 = parseDg2(bytes);
      expect(toHex(dg2.faces[0]!.image)).toBe(toHex(sample.image));
      const valueStart = bytes.length - padded.length;
      expect(dg2.warnings).toEqual([
        { code: 'LDS_BIOMETRIC_SLACK', offset: valueStart + rec.length, length: k },
      ]);
    }
  });

  it.skipIf(dir === null)('slack after a real 19794-5:2005 record (bsi2008) and a real 39794-5 block', () => {
    for (const f of ['bsi2008/EF_DG2.bin', 'iso39794/ICAO_39794_5_AP_DG2_MandFields.dat']) {
      const original = read(f);
      const { bht, block } = partsOf(original);
      const image = parseDg2(original).faces[0]!.image;
      // After the data block inside 7F60.
      const after = parseDg2(T(0x75, T(0x7f61, int(1), T(0x7f60, bht.raw, block.raw, new Uint8Array(3)))));
      expect(toHex(after.faces[0]!.image), f).toBe(toHex(image));
      expect(
        after.warnings.map((w) => [w.code, w.length]),
        f,
      ).toEqual([['LDS_BIOMETRIC_SLACK', 3]]);
      // Inside the data block, after the record / the 39794-5 element.
      const inside = parseDg2(
        T(
          0x75,
          T(0x7f61, int(1), T(0x7f60, bht.raw, P(block.tag, concatBytes(block.value, Uint8Array.of(0, 0))))),
        ),
      );
      expect(toHex(inside.faces[0]!.image), f).toBe(toHex(image));
      expect(
        inside.warnings.map((w) => [w.code, w.length]),
        f,
      ).toEqual([['LDS_BIOMETRIC_SLACK', 2]]);
    }
  });
});
