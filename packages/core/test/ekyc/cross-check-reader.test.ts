/**
 * crossCheck takes what @vneid/cccd-reader returns: DG1 and DG13 built and parsed by the
 * reader's LDS layer (its `Dg1` and `Dg13` types must fit the structural inputs, checked by the
 * type checker as well). Kept apart from cross-check.test.ts so the mutation run of core, which
 * copies only core, does not need the reader.
 */
import { buildDg1, buildDg13, parseDg1, parseDg13 } from '@vneid/cccd-reader/lds';
import { describe, expect, it } from 'vitest';
import { crossCheck } from '../../src/ekyc/index.ts';
import { formatVietnamTd1 } from '../../src/mrz/index.ts';

const NOW = (): number => Date.UTC(2026, 0, 1);

describe('crossCheck with the reader', () => {
  const mrz = formatVietnamTd1({
    idNumber: '079190012345',
    dateOfBirth: '1990-03-04',
    sex: 'female',
    dateOfExpiry: '2030-03-04',
    surname: 'DO',
    givenNames: 'THI THU HA',
  });
  const qr = {
    idNumber: '079190012345',
    fullName: 'Đỗ Thị Thu Hà',
    dateOfBirth: '1990-03-04',
    sex: 'female' as const,
  };
  const fields = {
    idNumber: '079190012345',
    fullName: 'Đỗ Thị Thu Hà',
    dateOfBirth: '04/03/1990',
    sex: 'Nữ',
    expiryDate: '04/03/2030',
  };

  it('takes the Dg1 and Dg13 of @vneid/cccd-reader', () => {
    const dg1 = parseDg1(buildDg1(mrz), { now: NOW });
    const dg13 = parseDg13(buildDg13(fields));
    const r = crossCheck({ qr, chip: { dg1, dg13 } }, { now: NOW });
    expect(r.ok).toBe(true);
    expect(r.sources).toEqual(['qr', 'dg1', 'dg13']);
  });

  it('sees a DG13 that names someone else', () => {
    const dg1 = parseDg1(buildDg1(mrz), { now: NOW });
    const dg13 = parseDg13(buildDg13({ ...fields, fullName: 'Đỗ Thị Thu Hằng' }));
    const r = crossCheck({ qr, chip: { dg1, dg13 } }, { now: NOW });
    expect(r.ok).toBe(false);
    expect(r.fields.name.comparisons.filter((c) => c.status === 'mismatch')).toHaveLength(2);
  });
});
