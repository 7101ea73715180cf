/**
 * Edges of crossCheck that the mutation run (pnpm mutation) found untested: how each source's
 * values are read (absent, invalid, partial), MRZ inputs of every shape, the names' fallbacks,
 * and the argument errors' messages and contexts.
 */
import { describe, expect, it } from 'vitest';
import { type CrossCheckComparison, type CrossCheckDg13, crossCheck } from '../../src/ekyc/index.ts';
import { isCoreError } from '../../src/errors/index.ts';
import { formatMrz, formatVietnamTd1, parseMrz } from '../../src/mrz/index.ts';

const NOW = (): number => Date.UTC(2026, 0, 1);
const QR = {
  idNumber: '079190012345',
  fullName: 'Đỗ Thị Thu Hà',
  dateOfBirth: '1990-03-04',
  sex: 'female' as const,
};
const DG13: CrossCheckDg13 = {
  idNumber: '079190012345',
  fullName: 'Đỗ Thị Thu Hà',
  dateOfBirth: '04/03/1990',
  sex: 'Nữ',
  expiryDate: '04/03/2030',
};
const LINES = formatVietnamTd1({
  idNumber: '079190012345',
  dateOfBirth: '1990-03-04',
  sex: 'female',
  dateOfExpiry: '2030-03-04',
  surname: 'DO',
  givenNames: 'THI THU HA',
});
const MRZ = parseMrz(LINES, { now: NOW });

const status = (list: readonly CrossCheckComparison[], field: string): string[] =>
  list.filter((c) => c.field === field).map((c) => c.status);

function failure(fn: () => unknown): { code: string; message: string; context: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (isCoreError(e)) return e as never;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('crossCheck: reading each source', () => {
  it.each([
    ['an impossible ISO date', { dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
    ['a date in another form', { dateOfBirth: '04/03/1990' }, 'dateOfBirth'],
    ['a date with more', { dateOfBirth: '1990-03-044' }, 'dateOfBirth'],
    ['an empty name', { fullName: '  ' }, 'name'],
    ['a name that is not a string', { fullName: 42 }, 'name'],
    ['sex as the card writes it', { sex: 'Nữ' }, 'sex'],
    ['an ID of 11 digits', { idNumber: '07919001234' }, 'idNumber'],
  ])('QR with %s is invalid', (_label, change, field) => {
    const r = crossCheck({ qr: { ...QR, ...change } as never, chip: { dg13: DG13 } });
    expect(status(r.comparisons, field)).toEqual(['invalid']);
    expect(r.comparisons.find((c) => c.field === field)!.invalid).toEqual(['qr']);
    expect(r.ok).toBe(false);
  });

  it('QR fields left out are unavailable', () => {
    const r = crossCheck({ qr: { fullName: QR.fullName } as never, chip: { dg13: DG13 } });
    expect(status(r.comparisons, 'idNumber')).toEqual(['unavailable']);
    expect(status(r.comparisons, 'dateOfBirth')).toEqual(['unavailable']);
    expect(status(r.comparisons, 'sex')).toEqual(['unavailable']);
    expect(status(r.comparisons, 'name')).toEqual(['match']);
  });

  it.each([
    ['a date with something before it', { dateOfBirth: 'x04/03/1990' }, 'dateOfBirth', 'invalid'],
    ['a date with something after it', { dateOfBirth: '04/03/19901' }, 'dateOfBirth', 'invalid'],
    ['a date with spaces around it', { dateOfBirth: ' 04/03/1990 ' }, 'dateOfBirth', 'match'],
    ['an ID with spaces around it', { idNumber: ' 079190012345 ' }, 'idNumber', 'match'],
    ['an empty name', { fullName: ' ' }, 'name', 'invalid'],
    ['a number for a name', { fullName: 7 }, 'name', 'invalid'],
    ['null for a name', { fullName: null }, 'name', 'unavailable'],
    ['NAM in capitals for a woman', { sex: 'NỮ' }, 'sex', 'match'],
    ['Nữ decomposed', { sex: 'Nữ'.normalize('NFD') }, 'sex', 'match'],
    [
      'a text expiry that is not "no expiry"',
      { expiryDate: 'Không thời hạn nào' },
      'dateOfExpiry',
      'invalid',
    ],
    ['a text expiry before the words', { expiryDate: 'x Không thời hạn' }, 'dateOfExpiry', 'invalid'],
  ])('DG13 with %s', (_label, change, field, expected) => {
    const r = crossCheck(
      { qr: QR, mrz: LINES, chip: { dg13: { ...DG13, ...change } as never } },
      { now: NOW },
    );
    const withDg13 = r.comparisons.filter((c) => c.field === field && c.sources.includes('dg13'));
    expect(withDg13.length).toBeGreaterThan(0);
    for (const c of withDg13) {
      if (c.status !== 'unavailable' || expected !== 'match')
        expect([c.status, expected]).toContain(c.status);
    }
    expect(withDg13.some((c) => c.status === expected)).toBe(true);
  });

  it('reads "no expiry" in any case, spacing and normalisation', () => {
    const lines = formatVietnamTd1({
      idNumber: '079160012345',
      dateOfBirth: '1960-03-04',
      sex: 'female',
      dateOfExpiry: null,
      surname: 'DO',
      givenNames: 'THI THU HA',
    });
    for (const text of [
      'Không thời hạn',
      'KHÔNG THỜI HẠN',
      ' không  thời hạn ',
      'Không thời hạn'.normalize('NFD'),
    ]) {
      const r = crossCheck({ mrz: lines, chip: { dg13: { expiryDate: text } } }, { now: NOW });
      expect(status(r.comparisons, 'dateOfExpiry'), text).toEqual(['match']);
    }
  });

  it('reads an MRZ given parsed, without its lines, from its surname and given names', () => {
    const { lines: _lines, ...noLines } = MRZ;
    const r = crossCheck({ qr: QR, mrz: noLines });
    expect(status(r.comparisons, 'name')).toEqual(['match']);
    const other = crossCheck({ qr: QR, mrz: { ...noLines, givenNames: 'THI THU HAI' } });
    expect(status(other.comparisons, 'name')).toEqual(['mismatch']);
    const single = crossCheck({ qr: { ...QR, fullName: 'Đỗ' }, mrz: { ...noLines, givenNames: '' } });
    expect(status(single.comparisons, 'name')).toEqual(['match']);
  });

  it('reads the name of a TD3 (a passport) from its first line', () => {
    const td3 = formatMrz({
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'VNM',
      documentNumber: 'C1234567',
      dateOfBirth: '1990-03-04',
      dateOfExpiry: '2030-03-04',
      sex: 'female',
      nationality: 'VNM',
      surname: 'DO',
      givenNames: 'THI THU HA',
    });
    const r = crossCheck({ qr: QR, mrz: td3 }, { now: NOW });
    expect(status(r.comparisons, 'name')).toEqual(['match']);
    expect(status(r.comparisons, 'dateOfBirth')).toEqual(['match']);
    // A passport carries no Vietnamese ID number.
    expect(status(r.comparisons, 'idNumber')).toEqual(['unavailable']);
  });

  it('compares two MRZs by their name fields', () => {
    const other = formatVietnamTd1({
      idNumber: '079190012345',
      dateOfBirth: '1990-03-04',
      sex: 'female',
      dateOfExpiry: '2030-03-04',
      surname: 'DO',
      givenNames: 'THI THU HAI',
    });
    const r = crossCheck({ mrz: LINES, chip: { dg1: other } }, { now: NOW });
    expect(status(r.comparisons, 'name')).toEqual(['mismatch']);
    expect(
      status(crossCheck({ mrz: LINES, chip: { dg1: LINES } }, { now: NOW }).comparisons, 'name'),
    ).toEqual(['match']);
  });

  it('reads MRZ dates with unknown parts at their precision, and an unknown date as unavailable', () => {
    const partial = { ...MRZ, dateOfBirth: '9003<<' };
    const r = crossCheck({ qr: QR, mrz: partial, chip: { dg1: MRZ } });
    expect(r.comparisons.filter((c) => c.field === 'dateOfBirth').map((c) => c.status)).toEqual([
      'match',
      'match',
      'match',
    ]);
    const wrongMonth = crossCheck({ qr: QR, mrz: { ...MRZ, dateOfBirth: '9004<<' } });
    expect(status(wrongMonth.comparisons, 'dateOfBirth')).toEqual(['mismatch']);
    const unknown = crossCheck({ qr: QR, mrz: { ...MRZ, dateOfBirth: '<<<<<<' } });
    expect(status(unknown.comparisons, 'dateOfBirth')).toEqual(['unavailable']);
    const junk = crossCheck({ qr: QR, mrz: { ...MRZ, dateOfBirth: '<<0304' } });
    expect(status(junk.comparisons, 'dateOfBirth')).toEqual(['invalid']);
    const junkExpiry = crossCheck({
      mrz: MRZ,
      chip: { dg13: { ...DG13, expiryDate: '04/03/2030' }, dg1: { ...MRZ, dateOfExpiry: 'x' } },
    });
    expect(
      junkExpiry.comparisons.find((c) => c.field === 'dateOfExpiry' && c.sources[1] === 'dg1')!.status,
    ).toBe('invalid');
  });

  it('reads an unspecified MRZ sex as unavailable, and anything else as invalid', () => {
    expect(status(crossCheck({ qr: QR, mrz: { ...MRZ, sex: 'unspecified' } }).comparisons, 'sex')).toEqual([
      'unavailable',
    ]);
    expect(status(crossCheck({ qr: QR, mrz: { ...MRZ, sex: 'F' as never } }).comparisons, 'sex')).toEqual([
      'invalid',
    ]);
  });

  it('reads a name with no MRZ form as a mismatch against an MRZ, not an error', () => {
    const r = crossCheck({ qr: { ...QR, fullName: 'Đỗ Thị 阮' }, mrz: MRZ });
    expect(status(r.comparisons, 'name')).toEqual(['mismatch']);
  });

  it('is ok without an expiry or a sex to compare, not without an ID, a name or a date of birth', () => {
    const { expiryDate: _e, sex: _s, ...noExtras } = DG13;
    expect(crossCheck({ qr: QR, chip: { dg13: noExtras } }).ok).toBe(true);
    const { fullName: _n, ...noName } = DG13;
    expect(crossCheck({ qr: QR, chip: { dg13: noName } }).ok).toBe(false);
    const { dateOfBirth: _d, ...noDob } = DG13;
    expect(crossCheck({ qr: QR, chip: { dg13: noDob } }).ok).toBe(false);
  });
});

describe('crossCheck: argument errors', () => {
  it('names the source and says what was expected', () => {
    expect(failure(() => crossCheck({ qr: 'x' as never, chip: { dg13: DG13 } }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      context: { source: 'qr' },
      message: expect.stringMatching(/qr to be the parsed QR fields/),
    });
    expect(failure(() => crossCheck({ qr: QR, chip: { dg13: 'x' as never } }))).toMatchObject({
      context: { source: 'dg13' },
      message: expect.stringMatching(/chip\.dg13 to be the parsed DG13 fields/),
    });
    expect(failure(() => crossCheck({ qr: QR, chip: 'x' as never }))).toMatchObject({
      message: expect.stringMatching(/chip to be \{ dg1, dg13 \}/),
    });
    expect(failure(() => crossCheck('x' as never))).toMatchObject({
      context: {},
      message: expect.stringMatching(/\{ qr, mrz, chip \}/),
    });
    expect(failure(() => crossCheck({ qr: QR }))).toMatchObject({
      message: expect.stringMatching(/at least two sources .* got 1/),
    });
    expect(failure(() => crossCheck({ qr: QR, chip: {} }, { surnameWords: 11 }))).toMatchObject({
      message: expect.stringMatching(/surnameWords to be an integer from 1 to 10/),
    });
  });

  it.each(['documentNumber', 'dateOfBirth', 'dateOfExpiry', 'surname', 'givenNames'])(
    'rejects a parsed MRZ whose %s is not a string',
    (key) => {
      for (const source of ['mrz', 'dg1'] as const) {
        const bad = { ...MRZ, [key]: 1 };
        const input = source === 'mrz' ? { qr: QR, mrz: bad } : { qr: QR, chip: { dg1: bad } };
        expect(failure(() => crossCheck(input as never))).toMatchObject({
          code: 'INVALID_ARGUMENT',
          context: { source },
          message: expect.stringMatching(new RegExp(`${source} to be MRZ text or a parsed MRZ`)),
        });
      }
    },
  );

  it('takes surnameWords 1–10, and passes it on', () => {
    const ton = { ...QR, fullName: 'Tôn Nữ Thị Bích' };
    const lines = formatVietnamTd1({
      idNumber: '079190012345',
      dateOfBirth: '1990-03-04',
      sex: 'female',
      dateOfExpiry: '2030-03-04',
      surname: 'TON NU',
      givenNames: 'THI BICH',
    });
    expect(
      status(crossCheck({ qr: ton, mrz: lines }, { now: NOW, surnameWords: 2 }).comparisons, 'name'),
    ).toEqual(['match']);
    expect(status(crossCheck({ qr: ton, mrz: lines }, { now: NOW }).comparisons, 'name')).toEqual([
      'mismatch',
    ]);
    expect(crossCheck({ qr: QR, mrz: LINES }, { now: NOW, surnameWords: 10 }).sources).toEqual(['qr', 'mrz']);
  });
});
