import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeIdNumber, PROVINCE_CODES } from '@vneid/core/id-number';
import { expectedExpiry } from '@vneid/core/mrz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFaceJpeg, createSyntheticPerson, dg13FieldsOf, toMrzName } from '../../src/emulator/index.ts';
import { buildDg13, inspectFaceImage, parseDg13 } from '../../src/lds/index.ts';

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const small = { faceBytes: 0 };

describe('createSyntheticPerson', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createSyntheticPerson(42, small);
    const b = createSyntheticPerson(42, small);
    expect(a).toEqual(b);
    expect(createSyntheticPerson(43, small).idNumber).not.toBe(a.idNumber);
  });

  it('gives an ID number consistent with birth province, sex and birth year (property)', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const p = createSyntheticPerson(seed, small);
        const info = decodeIdNumber(p.idNumber);
        expect(info.region.kind).toBe('province');
        expect(PROVINCE_CODES[p.idNumber.slice(0, 3)]).toBeDefined();
        expect(info.sex).toBe(p.sex);
        expect(info.birthYear).toBe(Number(p.dateOfBirth.slice(0, 4)));
        expect(p.can).toBe(p.idNumber.slice(6));
      }),
      { numRuns: 200 },
    );
  });

  it('issues chip CCCDs 2021 – June 2024 to holders of at least 14, expiring per the 2014 law (property)', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const p = createSyntheticPerson(seed, small);
        expect(p.issueDate >= '2021-01-01' && p.issueDate <= '2024-06-30').toBe(true);
        expect(Number.isNaN(Date.parse(p.issueDate))).toBe(false);
        expect(Number.isNaN(Date.parse(p.dateOfBirth))).toBe(false);
        const age = Number(p.issueDate.slice(0, 4)) - Number(p.dateOfBirth.slice(0, 4));
        expect(age).toBeGreaterThanOrEqual(14);
        expect(p.dateOfExpiry).toBe(expectedExpiry(p.dateOfBirth, p.issueDate, { law: '2014' }));
        if (p.dateOfExpiry !== null) expect(p.dateOfExpiry > p.issueDate).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('writes names with diacritics (NFC, upper case) and MRZ names without them', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const p = createSyntheticPerson(seed, small);
        expect(p.fullName).toBe(p.fullName.normalize('NFC'));
        expect(p.fullName).toBe(p.fullName.toUpperCase());
        expect(p.fullName.split(' ')).toHaveLength(3);
        expect(`${p.mrzSurname} ${p.mrzGivenNames}`).toBe(toMrzName(p.fullName));
        expect(p.mrzSurname + p.mrzGivenNames).toMatch(/^[A-Z ]+$/);
        expect(p.oldIdNumber).toMatch(/^(\d{9})?$/);
        expect(p.unknown16).toMatch(/^\d{16}$/);
      }),
      { numRuns: 200 },
    );
  });

  it('removes Vietnamese diacritics for the MRZ', () => {
    expect(toMrzName('ĐẶNG THỊ Ư')).toBe('DANG THI U');
    expect(toMrzName('NGUYỄN VĂN A')).toBe('NGUYEN VAN A');
    expect(toMrzName('Hồ Ngọc Ơ')).toBe('HO NGOC O');
  });

  it('sometimes has addresses longer than 127 bytes, spouses and no spouse, and cards without expiry', () => {
    const people = Array.from({ length: 300 }, (_, i) => createSyntheticPerson(i, small));
    const bytes = (s: string): number => new TextEncoder().encode(s).length;
    expect(people.filter((p) => bytes(p.placeOfResidence) > 127).length).toBeGreaterThan(100);
    expect(people.some((p) => p.spouseName === null)).toBe(true);
    expect(people.some((p) => p.spouseName !== null)).toBe(true);
    expect(people.some((p) => p.dateOfExpiry === null)).toBe(true);
    expect(people.some((p) => p.oldIdNumber === '')).toBe(true);
    expect(new Set(people.map((p) => p.sex))).toEqual(new Set(['male', 'female']));
  });

  it('DG13 built from any person parses back to the same 16 fields (property)', () => {
    fc.assert(
      fc.property(seeds, fc.constantFrom('nested' as const, 'flat' as const), (seed, layout) => {
        const p = createSyntheticPerson(seed, small);
        const fields = dg13FieldsOf(p);
        const parsed = parseDg13(buildDg13(fields, { parentsLayout: layout }));
        expect(parsed.fieldOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        for (const [key, value] of Object.entries(fields))
          expect(parsed[key as keyof typeof parsed]).toEqual(value);
        expect(parsed.dateOfBirthIso).toBe(p.dateOfBirth);
        expect(parsed.issueDateIso).toBe(p.issueDate);
        expect(parsed.expiryDateIso).toBe(p.dateOfExpiry);
        expect(parsed.parentsLayout).toBe(layout);
      }),
      { numRuns: 100 },
    );
  });
});

describe('createFaceJpeg', () => {
  it('is a JFIF baseline JPEG whose SOF0 gives the requested size (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 700 }), fc.integer({ min: 8, max: 700 }), seeds, (w, h, seed) => {
        const jpeg = createFaceJpeg({ width: w, height: h, seed });
        expect(inspectFaceImage(jpeg)).toEqual({ type: 'jpeg', container: 'jfif', width: w, height: h });
        expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
        expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
      }),
      { numRuns: 50 },
    );
  });

  it('pads to the requested size with a comment segment, default 300 × 400', () => {
    const jpeg = createFaceJpeg({ targetBytes: 15000 });
    expect(jpeg.length).toBe(15000);
    expect(inspectFaceImage(jpeg)).toMatchObject({ width: 300, height: 400 });
    expect(createSyntheticPerson(1).face.jpeg.length).toBe(15000);
  });

  it('rejects impossible sizes', () => {
    expect(() => createFaceJpeg({ width: 0 })).toThrow(RangeError);
    expect(() => createFaceJpeg({ height: 70000 })).toThrow(RangeError);
  });

  const djpeg = spawnSync('djpeg', ['-version'], { encoding: 'utf8' }).error === undefined;
  it.skipIf(!djpeg)('decodes with libjpeg (djpeg) to a picture of the right size and shades', () => {
    const dir = mkdtempSync(join(tmpdir(), 'face-'));
    const file = join(dir, 'face.jpg');
    writeFileSync(file, createFaceJpeg({ width: 300, height: 400, seed: 9, targetBytes: 15000 }));
    const pgm = execFileSync('djpeg', ['-pnm', file]);
    const header = new TextDecoder().decode(pgm.subarray(0, 15));
    expect(header.startsWith('P5\n300 400\n255\n')).toBe(true);
    const pixels = pgm.subarray(15);
    expect(pixels.length).toBe(300 * 400);
    // Background in the corner is light, the eyes' row has dark blocks.
    expect(pixels[0]).toBeGreaterThan(200);
    expect(Math.min(...pixels.subarray(300 * 184, 300 * 185))).toBeLessThan(80);
    expect(readFileSync(file).length).toBe(15000);
  });
});
