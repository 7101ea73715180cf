/**
 * Bad options, one table looped over every public `@vneid/core` function that takes an options
 * argument: each must throw the layer's typed error with the one bad-argument code,
 * `INVALID_ARGUMENT` — never a TypeError, and never a result built from a NaN clock
 * (`0NaN-01-15`).
 */
import { describe, expect, it } from 'vitest';
import { checkPasscode, checkPassword } from '../../src/credentials/index.ts';
import { crossCheck } from '../../src/ekyc/index.ts';
import { isCoreError } from '../../src/errors/index.ts';
import {
  expectedExpiry,
  formatMrz,
  formatVietnamTd1,
  mrzNameCompatible,
  parseMrz,
  transliterateName,
} from '../../src/mrz/index.ts';

const MRZ = [
  'IDVNM0900123450001090012345<<1',
  '9001158M3001156VNM<<<<<<<<<<<8',
  'NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<',
];
const VIETNAM = {
  idNumber: '001090012345',
  dateOfBirth: '1990-01-15',
  sex: 'male' as const,
  dateOfExpiry: '2030-01-15',
  surname: 'NGUYEN',
  givenNames: 'VAN AN',
};
const TD3 = {
  format: 'TD3' as const,
  documentCode: 'P',
  issuingState: 'UTO',
  documentNumber: 'L898902C3',
  dateOfBirth: '740812',
  dateOfExpiry: '120415',
  sex: 'female' as const,
  nationality: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
};

/** Option values that are wrong whatever the function: the options argument itself. */
const BAD_OPTIONS_ARGUMENT: readonly [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['a string', 'x'],
  ['a boolean', true],
  ['an array', []],
  ['a function', () => ({})],
];

const BAD_CLOCKS: readonly [string, unknown][] = [
  ['now: null', { now: null }],
  ['now: a number', { now: Date.UTC(2026, 0, 1) }],
  ['now: a string', { now: 'today' }],
  ['now: an object', { now: {} }],
  ['now() → NaN', { now: () => Number.NaN }],
  ['now() → Infinity', { now: () => Number.POSITIVE_INFINITY }],
  ['now() → invalid Date', { now: () => new Date('not a date') }],
  ['now() → a string', { now: () => '2026-01-01' }],
  ['now() → undefined', { now: () => undefined }],
  ['now() → beyond Date range', { now: () => 1e300 }],
  ['now() → year 200', { now: () => Date.UTC(200, 0, 1) }],
];

interface Subject {
  name: string;
  call: (options: unknown) => unknown;
  /** Option objects that are wrong for this function in particular. */
  badOptions: readonly [string, unknown][];
  /** Options that must work (so the table is not passing on a function that always throws). */
  goodOptions: readonly unknown[];
}

const SUBJECTS: readonly Subject[] = [
  {
    name: 'parseMrz',
    call: (o) => parseMrz(MRZ, o as never),
    badOptions: BAD_CLOCKS,
    goodOptions: [
      undefined,
      {},
      { now: () => Date.UTC(2026, 0, 1) },
      { now: () => new Date(Date.UTC(2026, 0, 1)) },
    ],
  },
  {
    name: 'expectedExpiry',
    call: (o) => expectedExpiry('1990-01-15', '2021-06-01', o as never),
    badOptions: [
      ['law: unknown', { law: '2030' }],
      ['law: null', { law: null }],
      ['law: a number', { law: 2014 }],
    ],
    goodOptions: [undefined, {}, { law: '2014' }, { law: '2023' }, { law: 'auto' }],
  },
  {
    name: 'formatMrz',
    call: (o) => formatMrz(TD3, o as never),
    badOptions: [
      ['truncateName: a string', { truncateName: 'yes' }],
      ['truncateName: null', { truncateName: null }],
      ['truncateName: 1', { truncateName: 1 }],
    ],
    goodOptions: [undefined, {}, { truncateName: true }, { truncateName: false }],
  },
  {
    name: 'formatVietnamTd1',
    call: (o) => formatVietnamTd1(VIETNAM, o as never),
    badOptions: [
      ['truncateName: a string', { truncateName: 'no' }],
      ['truncateName: null', { truncateName: null }],
    ],
    goodOptions: [undefined, {}, { truncateName: true }],
  },
  {
    name: 'transliterateName',
    call: (o) => transliterateName('Nguyễn Văn An', o as never),
    badOptions: [
      ['length: 0', { length: 0 }],
      ['length: a string', { length: '30' }],
      ['length: null', { length: null }],
      ['surnameWords: NaN', { surnameWords: Number.NaN }],
      ['surnameWords: null', { surnameWords: null }],
    ],
    goodOptions: [undefined, {}, { length: 30 }, { surnameWords: 2 }],
  },
  {
    name: 'mrzNameCompatible',
    call: (o) => mrzNameCompatible('NGUYEN<<VAN<AN', 'Nguyễn Văn An', o as never),
    badOptions: [
      ['surnameWords: a string', { surnameWords: '1' }],
      ['surnameWords: null', { surnameWords: null }],
    ],
    goodOptions: [undefined, {}, { surnameWords: 1 }],
  },
  {
    name: 'crossCheck (parsed MRZ: the clock is still checked)',
    call: (o) => crossCheck({ mrz: parseMrz(MRZ), chip: { dg1: parseMrz(MRZ) } }, o as never),
    badOptions: [
      ...BAD_CLOCKS,
      ['surnameWords: 0', { surnameWords: 0 }],
      ['surnameWords: null', { surnameWords: null }],
    ],
    goodOptions: [undefined, {}, { now: () => Date.UTC(2026, 0, 1) }, { surnameWords: 1 }],
  },
  {
    name: 'crossCheck (MRZ text)',
    call: (o) => crossCheck({ mrz: MRZ, chip: { dg1: MRZ } }, o as never),
    badOptions: BAD_CLOCKS,
    goodOptions: [undefined, { now: () => new Date(Date.UTC(2026, 0, 1)) }],
  },
  {
    name: 'checkPassword',
    call: (o) => checkPassword('Abcdef1!', o as never),
    badOptions: [],
    goodOptions: [undefined, {}, { specials: '!' }],
  },
  {
    name: 'checkPasscode',
    call: (o) => checkPasscode('150190', o as never),
    badOptions: [
      ['dateOfBirth: a number', { dateOfBirth: 19900115 }],
      ['dateOfBirth: null', { dateOfBirth: null }],
    ],
    goodOptions: [undefined, {}, { dateOfBirth: '1990-01-15' }],
  },
];

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('bad options give INVALID_ARGUMENT from every function that takes options', () => {
  for (const subject of SUBJECTS) {
    describe(subject.name, () => {
      it.each([...BAD_OPTIONS_ARGUMENT, ...subject.badOptions])('%s', (_label, options) => {
        const e = failure(() => subject.call(options));
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(TypeError);
        expect(isCoreError(e, 'INVALID_ARGUMENT'), String(e)).toBe(true);
        expect((e as { code: string }).code).toBe('INVALID_ARGUMENT');
      });

      it('accepts its valid options', () => {
        for (const options of subject.goodOptions)
          expect(failure(() => subject.call(options))).toBeUndefined();
      });
    });
  }
});

describe('parseMrz with an injected clock', () => {
  it('never builds a date from a NaN clock', () => {
    // Before the check, a NaN clock gave dateOfExpiryIso "0NaN-01-15".
    const e = failure(() => parseMrz(MRZ, { now: () => Number.NaN }));
    expect(isCoreError(e, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('takes a Date as well as epoch milliseconds, with the same result', () => {
    const ms = parseMrz(MRZ, { now: () => Date.UTC(2026, 0, 1) });
    const date = parseMrz(MRZ, { now: () => new Date(Date.UTC(2026, 0, 1)) });
    expect(date).toEqual(ms);
    expect(ms.dateOfExpiryIso).toBe('2030-01-15');
  });

  it('passes an error thrown by the clock through unchanged', () => {
    const boom = new Error('clock broke');
    expect(
      failure(() =>
        parseMrz(MRZ, {
          now: () => {
            throw boom;
          },
        }),
      ),
    ).toBe(boom);
  });
});
