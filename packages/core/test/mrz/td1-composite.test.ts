/**
 * The TD1 composite check digit covers exactly ICAO Doc 9303 Part 5, 4.2.2: line 1 positions
 * 6–30 (document number, its check digit, optional data), line 2 positions 1–7 (date of birth
 * and its check digit), 9–15 (expiry and its check digit) and 19–29 (optional data 2). Each
 * character inside changes the composite; each outside does not. Run on a TD1 whose optional
 * data fields hold no fillers, so a range one character too short or too long is seen (the
 * mutation run found the ranges untested with the filler-only specimens).
 */
import { describe, expect, it } from 'vitest';
import { formatMrz, MrzError, parseMrz } from '../../src/mrz/index.ts';

const NOW = (): number => Date.UTC(2026, 0, 1);

const LINES = formatMrz({
  format: 'TD1',
  documentCode: 'I',
  issuingState: 'UTO',
  documentNumber: 'D23145890',
  optionalData: 'AB12CD34EF56GH7',
  optionalData2: 'XY98ZW76UV5',
  dateOfBirth: '740812',
  dateOfExpiry: '120415',
  sex: 'female',
  nationality: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
});

/** Another character of the same kind whose value differs by 1 (a digit stays a digit, a letter a letter). */
function bump(c: string): string {
  if (c >= '0' && c <= '9') return String((Number(c) + 1) % 10);
  if (c >= 'A' && c <= 'Y') return String.fromCharCode(c.charCodeAt(0) + 1);
  if (c === 'Z') return 'Y';
  return 'A'; // a filler
}

function failedFields(lines: string[]): string[] {
  try {
    parseMrz(lines, { now: NOW });
  } catch (e) {
    if (e instanceof MrzError && e.code === 'BAD_CHECK_DIGIT') return e.context.fields ?? [];
    if (e instanceof MrzError) return [`(${e.code})`];
    throw e;
  }
  return [];
}

function changed(line: number, position: number): string[] {
  const lines = [...LINES];
  const l = lines[line]!;
  lines[line] = l.slice(0, position) + bump(l[position]!) + l.slice(position + 1);
  return lines;
}

describe('TD1 composite check digit (ICAO 9303 Part 5, 4.2.2)', () => {
  it('the test MRZ is valid and has no fillers in its optional data', () => {
    expect(LINES[0]).toBe('I<UTOD231458907AB12CD34EF56GH7');
    expect(LINES[1]!.slice(18, 29)).toBe('XY98ZW76UV5');
    expect(failedFields(LINES)).toEqual([]);
  });

  const covered: [number, number][] = [];
  for (let p = 5; p < 30; p++) covered.push([0, p]);
  for (let p = 0; p < 7; p++) covered.push([1, p]);
  for (let p = 8; p < 15; p++) covered.push([1, p]);
  for (let p = 18; p < 29; p++) covered.push([1, p]);

  it.each(covered)('line %i, index %i is covered by the composite', (line, position) => {
    expect(failedFields(changed(line, position))).toContain('composite');
  });

  const outside: [number, number][] = [
    [0, 0],
    [0, 1],
    [0, 2],
    [0, 3],
    [0, 4],
    [1, 7],
    [1, 15],
    [1, 16],
    [1, 17],
  ];
  it.each(outside)('line %i, index %i is not', (line, position) => {
    expect(failedFields(changed(line, position))).not.toContain('composite');
  });
});
