/**
 * crossCheck: the card's QR, printed MRZ and chip DG1/DG13 compared field by field, pair by
 * pair, with a strict `ok`. The person is invented. (cross-check-reader.test.ts feeds it what
 * @vneid/cccd-reader really returns.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CrossCheckComparison,
  type CrossCheckDg13,
  type CrossCheckInput,
  type CrossCheckQr,
  crossCheck,
} from '../../src/ekyc/index.ts';
import { isCoreError } from '../../src/errors/index.ts';
import { formatVietnamTd1, parseMrz, transliterateName } from '../../src/mrz/index.ts';

const NOW = (): number => Date.UTC(2026, 0, 1);

interface Person {
  idNumber: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  dateOfExpiry: string | null;
}

/** 079 = Hồ Chí Minh; 1 = born in the 1900s, female; 90 = 1990. */
const HA: Person = {
  idNumber: '079190012345',
  fullName: 'Đỗ Thị Thu Hà',
  dateOfBirth: '1990-03-04',
  sex: 'female',
  dateOfExpiry: '2030-03-04',
};

const dmy = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function mrzLines(p: Person): string[] {
  const name = transliterateName(p.fullName, { length: 30 });
  return formatVietnamTd1(
    {
      idNumber: p.idNumber,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      dateOfExpiry: p.dateOfExpiry,
      surname: name.surname,
      givenNames: name.givenNames,
    },
    { truncateName: true },
  );
}

function sources(p: Person): { qr: CrossCheckQr; mrz: string[]; dg13: CrossCheckDg13 } {
  return {
    qr: { idNumber: p.idNumber, fullName: p.fullName, dateOfBirth: p.dateOfBirth, sex: p.sex },
    mrz: mrzLines(p),
    dg13: {
      idNumber: p.idNumber,
      fullName: p.fullName,
      dateOfBirth: dmy(p.dateOfBirth),
      sex: p.sex === 'male' ? 'Nam' : 'Nữ',
      expiryDate: p.dateOfExpiry === null ? 'Không thời hạn' : dmy(p.dateOfExpiry),
    },
  };
}

function allFour(p: Person): CrossCheckInput {
  const s = sources(p);
  return { qr: s.qr, mrz: s.mrz, chip: { dg1: { mrz: parseMrz(s.mrz, { now: NOW }) }, dg13: s.dg13 } };
}

const find = (
  list: readonly CrossCheckComparison[],
  field: string,
  a: string,
  b: string,
): CrossCheckComparison => list.find((c) => c.field === field && c.sources[0] === a && c.sources[1] === b)!;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isCoreError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('crossCheck', () => {
  it('agrees on every field across QR, MRZ, DG1 and DG13 of one card', () => {
    const r = crossCheck(allFour(HA), { now: NOW });
    expect(r.ok).toBe(true);
    expect(r.sources).toEqual(['qr', 'mrz', 'dg1', 'dg13']);
    expect(r.problems).toEqual([]);
    // 5 fields × 6 pairs.
    expect(r.comparisons).toHaveLength(30);
    for (const field of ['idNumber', 'name', 'dateOfBirth', 'sex'] as const) {
      expect(r.fields[field].comparisons.map((c) => c.status)).toEqual(Array(6).fill('match'));
    }
    // The QR carries no expiry; the three others agree on it.
    expect(r.fields.dateOfExpiry.comparisons.map((c) => `${c.sources.join('-')}:${c.status}`)).toEqual([
      'qr-mrz:unavailable',
      'qr-dg1:unavailable',
      'qr-dg13:unavailable',
      'mrz-dg1:match',
      'mrz-dg13:match',
      'dg1-dg13:match',
    ]);
    expect(find(r.comparisons, 'name', 'qr', 'mrz').basis).toBe('transliterated');
    expect(find(r.comparisons, 'name', 'qr', 'dg13').basis).toBe('equal');
    expect(find(r.comparisons, 'dateOfBirth', 'qr', 'mrz').basis).toBe('two-digit-year');
  });

  it('takes any two of the sources', () => {
    const s = sources(HA);
    for (const input of [
      { qr: s.qr, mrz: s.mrz },
      { qr: s.qr, chip: { dg13: s.dg13 } },
      { mrz: s.mrz, chip: { dg1: s.mrz } },
      { chip: { dg1: s.mrz, dg13: s.dg13 } },
    ]) {
      const r = crossCheck(input, { now: NOW });
      expect(r.ok, JSON.stringify(r.sources)).toBe(true);
      expect(r.comparisons).toHaveLength(5);
    }
  });

  it('reports a different name on the chip against each other source, and only there', () => {
    const input = allFour(HA);
    const dg13 = { ...(input.chip!.dg13 as CrossCheckDg13), fullName: 'Đỗ Thị Thu Hằng' };
    const r = crossCheck({ ...input, chip: { ...input.chip, dg13 } }, { now: NOW });
    expect(r.ok).toBe(false);
    expect(r.fields.name.ok).toBe(false);
    const bad = r.comparisons.filter((c) => c.status !== 'match' && c.status !== 'unavailable');
    expect(bad.map((c) => `${c.field}:${c.sources.join('-')}:${c.status}`)).toEqual([
      'name:qr-dg13:mismatch',
      'name:mrz-dg13:mismatch',
      'name:dg1-dg13:mismatch',
    ]);
    for (const f of ['idNumber', 'dateOfBirth', 'sex', 'dateOfExpiry'] as const)
      expect(r.fields[f].ok).toBe(true);
  });

  it('tells apart names that differ only in a tone mark when both have diacritics', () => {
    const s = sources(HA);
    const r = crossCheck({ qr: s.qr, chip: { dg13: { ...s.dg13, fullName: 'Đỗ Thị Thu Hả' } } });
    expect(r.fields.name.comparisons[0]!.status).toBe('mismatch');
  });

  it('matches a QR name in capitals with the DG13 name', () => {
    const s = sources(HA);
    const r = crossCheck({ qr: { ...s.qr, fullName: 'ĐỖ THỊ THU HÀ' }, chip: { dg13: s.dg13 } });
    expect(r.fields.name.comparisons[0]).toMatchObject({ status: 'match', basis: 'case-insensitive' });
  });

  it('matches a name the MRZ had to cut', () => {
    const long: Person = { ...HA, fullName: 'Nguyễn Hoàng Phương Thảo Nguyên Khôi' };
    const s = sources(long);
    expect(s.mrz[2]).toBe('NGUYEN<<HOANG<PHUONG<THAO<NGUY');
    const r = crossCheck({ qr: s.qr, mrz: s.mrz }, { now: NOW });
    expect(r.fields.name.comparisons[0]).toMatchObject({ status: 'match', basis: 'truncated' });
  });

  it('reports a date of birth that differs, and the ID number it no longer fits', () => {
    const s = sources(HA);
    const r = crossCheck({ qr: { ...s.qr, dateOfBirth: '1991-03-04' }, mrz: s.mrz }, { now: NOW });
    expect(r.ok).toBe(false);
    expect(r.fields.dateOfBirth.comparisons[0]!.status).toBe('mismatch');
    expect(r.problems).toEqual([{ source: 'qr', code: 'ID_BIRTH_YEAR_MISMATCH' }]);
  });

  it('reports a day that differs even though the year agrees', () => {
    const s = sources(HA);
    const r = crossCheck({ qr: { ...s.qr, dateOfBirth: '1990-03-05' }, mrz: s.mrz }, { now: NOW });
    expect(r.fields.dateOfBirth.comparisons[0]!.status).toBe('mismatch');
    expect(r.problems).toEqual([]);
  });

  it('reports a sex that differs, and the ID digit it contradicts', () => {
    const s = sources(HA);
    const r = crossCheck({ mrz: s.mrz, chip: { dg13: { ...s.dg13, sex: 'Nam' } } }, { now: NOW });
    expect(r.fields.sex.comparisons[0]!.status).toBe('mismatch');
    expect(r.problems).toEqual([{ source: 'dg13', code: 'ID_SEX_MISMATCH' }]);
    expect(r.ok).toBe(false);
  });

  it('reports a different ID number', () => {
    const s = sources(HA);
    const r = crossCheck({ qr: { ...s.qr, idNumber: '079190012346' }, chip: { dg13: s.dg13 } });
    expect(r.fields.idNumber.comparisons[0]!.status).toBe('mismatch');
    expect(r.ok).toBe(false);
  });

  it('compares expiry: no expiry on both, no expiry against a date, different dates', () => {
    const never: Person = { ...HA, idNumber: '079160012345', dateOfBirth: '1960-03-04', dateOfExpiry: null };
    const s = sources(never);
    expect(s.mrz[1]!.slice(8, 14)).toBe('991231');
    expect(crossCheck({ mrz: s.mrz, chip: { dg13: s.dg13 } }, { now: NOW }).ok).toBe(true);
    const dated = crossCheck(
      { mrz: s.mrz, chip: { dg13: { ...s.dg13, expiryDate: '04/03/2030' } } },
      { now: NOW },
    );
    expect(dated.fields.dateOfExpiry.comparisons[0]!.status).toBe('mismatch');
    const t = sources(HA);
    const other = crossCheck(
      { mrz: t.mrz, chip: { dg13: { ...t.dg13, expiryDate: '04/03/2035' } } },
      { now: NOW },
    );
    expect(other.fields.dateOfExpiry.comparisons[0]!.status).toBe('mismatch');
  });

  it('marks a value that cannot be read as invalid, which fails the check', () => {
    const s = sources(HA);
    for (const dg13 of [
      { ...s.dg13, dateOfBirth: '31/02/1990' },
      { ...s.dg13, dateOfBirth: '1990-03-04' },
      { ...s.dg13, sex: 'X' },
      { ...s.dg13, idNumber: '07919001234' },
      { ...s.dg13, expiryDate: 'soon' },
    ]) {
      const r = crossCheck({ qr: s.qr, mrz: s.mrz, chip: { dg13 } }, { now: NOW });
      const invalid = r.comparisons.filter((c) => c.status === 'invalid');
      expect(invalid.length, JSON.stringify(dg13)).toBeGreaterThan(0);
      expect(invalid.every((c) => c.invalid?.includes('dg13'))).toBe(true);
      expect(r.ok).toBe(false);
    }
  });

  it('is not ok when the ID number, name or date of birth were never compared', () => {
    const s = sources(HA);
    const r = crossCheck({
      qr: s.qr,
      chip: { dg13: { fullName: s.dg13.fullName, dateOfBirth: s.dg13.dateOfBirth } },
    });
    expect(r.fields.idNumber.comparisons[0]!.status).toBe('unavailable');
    expect(r.fields.idNumber.ok).toBe(false);
    expect(r.ok).toBe(false);
  });

  it('reports an MRZ whose document number is not the end of its ID number', () => {
    const s = sources(HA);
    const mrz = parseMrz(s.mrz, { now: NOW });
    const forged = { ...mrz, vietnam: { ...mrz.vietnam!, consistent: false } };
    const r = crossCheck({ qr: s.qr, mrz: forged });
    expect(r.problems).toEqual([{ source: 'mrz', code: 'MRZ_NUMBER_INCONSISTENT' }]);
    expect(r.ok).toBe(false);
  });

  it('never puts a compared value in the report', () => {
    const text = JSON.stringify(crossCheck(allFour(HA), { now: NOW }));
    for (const secret of ['079190012345', '190012345', 'THU', 'Hà', '1990', '900304', '04/03']) {
      expect(text).not.toContain(secret);
    }
  });

  it('is ok for any consistent synthetic card, and not once one field is changed', () => {
    const syllable = fc.constantFrom(
      'Nguyễn',
      'Trần',
      'Lê',
      'Phạm',
      'Đặng',
      'Văn',
      'Thị',
      'Hữu',
      'Ngọc',
      'Ánh',
      'Đức',
      'Hương',
      'Tuyết',
      'Quốc',
      'Ưng',
    );
    const person = fc
      .record({
        words: fc.array(syllable, { minLength: 2, maxLength: 5 }),
        year: fc.integer({ min: 1950, max: 2012 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        female: fc.boolean(),
        serial: fc.integer({ min: 0, max: 999999 }),
      })
      .map(({ words, year, month, day, female, serial }): Person => {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const s = (Math.floor((year - 1900) / 100) * 2 + (female ? 1 : 0)).toString();
        return {
          idNumber: `001${s}${String(year % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`,
          fullName: words.join(' '),
          dateOfBirth: iso,
          sex: female ? 'female' : 'male',
          dateOfExpiry: `${year + 60}-${iso.slice(5)}`,
        };
      });
    fc.assert(
      fc.property(person, fc.constantFrom('idNumber', 'fullName', 'dateOfBirth', 'sex'), (p, change) => {
        expect(crossCheck(allFour(p), { now: NOW }).ok).toBe(true);
        const s = sources(p);
        const qr: CrossCheckQr = { ...s.qr };
        if (change === 'idNumber')
          qr.idNumber = `${qr.idNumber.slice(0, 11)}${(Number(qr.idNumber[11]) + 1) % 10}`;
        if (change === 'fullName') qr.fullName = `${qr.fullName} Anh`;
        if (change === 'dateOfBirth')
          qr.dateOfBirth = `${qr.dateOfBirth.slice(0, 8)}${qr.dateOfBirth.slice(8) === '01' ? '02' : '01'}`;
        if (change === 'sex') qr.sex = qr.sex === 'male' ? 'female' : 'male';
        const r = crossCheck({ ...allFour(p), qr }, { now: NOW });
        expect(r.ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['no input', undefined],
    ['null', null],
    ['a string', 'x'],
    ['one source', { qr: sources(HA).qr }],
    ['no sources', {}],
    ['an empty chip', { qr: sources(HA).qr, chip: {} }],
    ['a QR that is not an object', { qr: 'x', mrz: sources(HA).mrz }],
    ['a chip that is not an object', { qr: sources(HA).qr, chip: 5 }],
    ['a DG13 that is not an object', { qr: sources(HA).qr, chip: { dg13: [] } }],
    ['an MRZ of the wrong shape', { qr: sources(HA).qr, mrz: { documentNumber: 1 } }],
  ])('rejects %s with INVALID_ARGUMENT', (_label, input) => {
    expect(codeOf(() => crossCheck(input as never, { now: NOW }))).toBe('INVALID_ARGUMENT');
  });

  it('passes on the MRZ error of an MRZ text that does not parse', () => {
    const s = sources(HA);
    const bad = [...s.mrz];
    bad[1] = `${bad[1]!.slice(0, 29)}${(Number(bad[1]![29]) + 1) % 10}`;
    expect(codeOf(() => crossCheck({ qr: s.qr, mrz: bad }, { now: NOW }))).toBe('BAD_CHECK_DIGIT');
  });
});
