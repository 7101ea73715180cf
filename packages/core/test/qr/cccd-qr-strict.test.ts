import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CccdQrError,
  type CccdQrErrorCode,
  type CccdQrErrorContext,
  type CccdQrFields,
  formatCccdQr,
  parseCccdQr,
} from '../../src/qr/index.ts';

// Strict validation of every field of the QR text (issue 13): layout and mode markers, bounded
// lengths, invisible / bidi / HTML-special characters, plausible dates, a typed error naming
// the field and never carrying the value. Synthetic people only.
const NOW = () => Date.UTC(2026, 0, 15, 12);
const CCCD = '001090012345|123456789|Nguyễn Văn An|15031990|Nam|Số 1 Phố Huế, Hai Bà Trưng, Hà Nội|01072021';
const CAN_CUOC =
  '079301000123||Trần Thị Bình|02022001|Nữ|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|20082024|Trần Văn Cường|Lê Thị Dung|';

const F = (over: Partial<Record<number, string>>, base = CCCD): string =>
  base
    .split('|')
    .map((f, i) => over[i] ?? f)
    .join('|');

function caught(fn: () => unknown): CccdQrError | null {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CccdQrError);
    return e as CccdQrError;
  }
  return null;
}

/** Invisible or direction-changing characters that must never reach a form or a database. */
const INVISIBLES: [string, string][] = [
  ['RLO (bidi override)', '\u202e'],
  ['LRE (bidi embedding)', '\u202a'],
  ['PDF', '\u202c'],
  ['RLI (bidi isolate)', '\u2067'],
  ['PDI', '\u2069'],
  ['LRM', '\u200e'],
  ['RLM', '\u200f'],
  ['Arabic letter mark', '\u061c'],
  ['zero-width space', '\u200b'],
  ['zero-width non-joiner', '\u200c'],
  ['zero-width joiner', '\u200d'],
  ['word joiner', '\u2060'],
  ['BOM / zero-width no-break space', '\ufeff'],
  ['soft hyphen', '\u00ad'],
  ['no-break space', '\u00a0'],
  ['ideographic space', '\u3000'],
  ['line separator', '\u2028'],
  ['private use', '\ue000'],
  ['lone surrogate', '\ud800'],
];
const MARKUP = ['<', '>', '&', '"', "'", '`'];

describe('parseCccdQr: strict characters', () => {
  const rows: [string, string, number, 'invisible' | 'markup'][] = [];
  for (const [name, ch] of INVISIBLES) {
    rows.push([`${name} in the name`, F({ 2: `Nguyễn Văn${ch} An` }), 2, 'invisible']);
    rows.push([`${name} in the address`, F({ 5: `Số 1${ch} Phố Huế` }), 5, 'invisible']);
  }
  for (const ch of MARKUP) {
    rows.push([`${ch} in the name`, F({ 2: `Nguyễn${ch}Văn An` }), 2, 'markup']);
    rows.push([`${ch} in the address`, F({ 5: `Số 1 ${ch} Phố Huế` }), 5, 'markup']);
    rows.push([`${ch} in an extra field`, F({ 8: `Lê Thị ${ch}Dung` }, CAN_CUOC), 8, 'markup']);
  }
  rows.push(['<script> in the address', F({ 5: '<script>alert(1)</script>' }), 5, 'markup']);
  rows.push(['RLO in an extra field', F({ 7: 'Trần\u202eVăn' }, CAN_CUOC), 7, 'invisible']);
  rows.push(['zero-width space in the ID', F({ 0: '00109001\u200b2345' }), 0, 'invisible']);

  it.each(rows)('rejects %s (INVALID_CHARACTER, field named)', (_name, text, fieldIndex, characterClass) => {
    for (const mode of ['strict', 'lenient'] as const) {
      const err = caught(() => parseCccdQr(text, { mode, now: NOW }));
      expect(err?.code).toBe('INVALID_CHARACTER');
      expect(err?.context).toMatchObject({ fieldIndex, characterClass });
      expect(err?.context.field).toBeDefined();
    }
  });

  it('keeps NFD input working (combining marks are not invisible characters)', () => {
    expect(parseCccdQr(CAN_CUOC.normalize('NFD'), { now: NOW }).fullName).toBe('Trần Thị Bình');
  });

  it.each([
    ['double space', 'Nguyễn  Văn An'],
    ['a dot', 'Nguyễn V. An'],
    ['a comma', 'Nguyễn, Văn An'],
    ['a symbol', 'Nguyễn Văn An ©'],
    ['an emoji', 'Nguyễn Văn 🙂'],
    ['a leading hyphen', '-Nguyễn Văn An'],
  ])('rejects a name with %s (INVALID_NAME)', (_n, name) => {
    expect(caught(() => parseCccdQr(F({ 2: name }), { now: NOW }))?.code).toBe('INVALID_NAME');
  });

  it('accepts hyphenated and minority-language names', () => {
    expect(parseCccdQr(F({ 2: 'Hoàng A-Nhi' }), { now: NOW }).fullName).toBe('Hoàng A-Nhi');
    expect(parseCccdQr(F({ 2: 'Y Bhăm Ksơr' }), { now: NOW }).fullName).toBe('Y Bhăm Ksơr');
  });
});

describe('parseCccdQr: bounded lengths', () => {
  const longName = `Nguyễn ${'Văn '.repeat(30)}An`; // > 100 characters
  const longAddress = `Số 1 ${'Phố Huế, '.repeat(40)}Hà Nội`; // > 255 characters
  const rows: [string, string, CccdQrErrorCode, Partial<CccdQrErrorContext>][] = [
    [
      'a name over 100 characters',
      F({ 2: longName }),
      'FIELD_TOO_LONG',
      { field: 'fullName', maxLength: 100 },
    ],
    [
      'an address over 255 characters',
      F({ 5: longAddress }),
      'FIELD_TOO_LONG',
      { field: 'address', maxLength: 255 },
    ],
    [
      'an extra field over 255 characters',
      F({ 9: longAddress }, CAN_CUOC),
      'FIELD_TOO_LONG',
      { field: 'extra', fieldIndex: 9 },
    ],
    [
      'a payload over a QR code’s capacity',
      `${CCCD}${'a'.repeat(3000)}`,
      'INPUT_TOO_LONG',
      { maxLength: 2953 },
    ],
    ['a megabyte of text', 'x'.repeat(1 << 20), 'INPUT_TOO_LONG', {}],
    ['33 fields', `${CAN_CUOC}${'|x'.repeat(23)}`, 'INPUT_TOO_LONG', { maxLength: 32 }],
    ['a million separators', '|'.repeat(2900), 'INPUT_TOO_LONG', { maxLength: 32 }],
  ];
  it.each(rows)('rejects %s', (_n, text, code, context) => {
    const err = caught(() => parseCccdQr(text, { now: NOW }));
    expect(err?.code).toBe(code);
    expect(err?.context).toMatchObject(context);
  });

  it('accepts the longest allowed fields', () => {
    const name = `${'Nguyễn '.repeat(14)}An`.slice(0, 100).trimEnd();
    const address = `Số 1 ${'Phố Huế, '.repeat(40)}`.slice(0, 255).trimEnd();
    const d = parseCccdQr(F({ 2: name, 5: address }), { now: NOW });
    expect(d.fullName).toBe(name);
    expect(d.address).toBe(address);
    expect(parseCccdQr(`${CAN_CUOC}${'|x'.repeat(22)}`, { now: NOW }).extra).toHaveLength(25);
  });
});

describe('parseCccdQr: plausible dates', () => {
  it.each([
    ['a CCCD issued before 2016 (the first CCCD)', F({ 6: '31122015' }), 'IMPLAUSIBLE_DATE'],
    ['a Căn cước issued before 2024-07-01', F({ 6: '30062024' }, CAN_CUOC), 'IMPLAUSIBLE_DATE'],
    ['an issue date before birth', F({ 3: '15032020', 6: '01072019' }), 'ISSUE_BEFORE_BIRTH'],
    ['a birth date in the future', F({ 3: '16012026', 6: '16012026' }), 'DATE_IN_FUTURE'],
  ] as const)('rejects %s', (_n, text, code) => {
    const err = caught(() => parseCccdQr(text, { now: NOW }));
    expect(err?.code).toBe(code);
    expect(err?.context.field).toBe(code === 'DATE_IN_FUTURE' ? 'dateOfBirth' : 'issueDate');
  });

  it('accepts a child’s card (no age rule) and the first possible issue dates', () => {
    // Born 2025, card issued the same year: the 2023 law lets a Căn cước be issued at any age.
    const child = F({ 0: '079325000123', 3: '01012025', 6: '02012025' }, CAN_CUOC);
    expect(parseCccdQr(child, { now: NOW }).dateOfBirth).toBe('2025-01-01');
    expect(parseCccdQr(F({ 6: '01012016' }), { now: NOW }).issueDate).toBe('2016-01-01');
    expect(parseCccdQr(F({ 6: '01072024' }, CAN_CUOC), { now: NOW }).issueDate).toBe('2024-07-01');
    expect(parseCccdQr(F({ 3: '15012026', 6: '15012026' }), { now: NOW }).issueDate).toBe('2026-01-15');
  });
});

describe('layout and mode markers: unknown values are refused, never passed through', () => {
  it.each([['Strict'], ['loose'], [''], [1], [true]])('parse mode %j is INVALID_ARGUMENT', (mode) => {
    expect(caught(() => parseCccdQr(CCCD, { mode: mode as 'strict', now: NOW }))?.code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it.each([['CCCD'], ['cancuoc'], [''], [undefined], [7]])('format kind %j is INVALID_KIND', (kind) => {
    const fields = { ...parseCccdQr(CAN_CUOC, { now: NOW }), kind } as unknown as CccdQrFields;
    const err = caught(() => formatCccdQr(fields));
    expect(err?.code).toBe('INVALID_KIND');
    expect(err?.context.field).toBe('kind');
  });
});

// --- Properties ---------------------------------------------------------------------------

const TEXT_FIELDS = [2, 5] as const;
const invisible = fc.constantFrom(...INVISIBLES.map(([, c]) => c));
const markup = fc.constantFrom(...MARKUP);

describe('parseCccdQr properties', () => {
  it('a bad character anywhere in a name or address is INVALID_CHARACTER naming that field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEXT_FIELDS),
        fc.oneof(invisible, markup),
        fc.nat(),
        fc.constantFrom(CCCD, CAN_CUOC),
        fc.constantFrom('strict', 'lenient') as fc.Arbitrary<'strict' | 'lenient'>,
        (fieldIndex, ch, at, base, mode) => {
          const value = base.split('|')[fieldIndex] as string;
          const pos = 1 + (at % (value.length - 1)); // inside the field (the ends are white-space checked)
          const text = F({ [fieldIndex]: value.slice(0, pos) + ch + value.slice(pos) }, base);
          const err = caught(() => parseCccdQr(text, { mode, now: NOW }));
          expect(err?.code).toBe('INVALID_CHARACTER');
          expect(err?.context.field).toBe(fieldIndex === 2 ? 'fullName' : 'address');
          expect(err?.context.fieldIndex).toBe(fieldIndex);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an error names the field that failed and never contains any field value', () => {
    const junk = fc.string({ unit: 'grapheme', minLength: 6, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        junk,
        fc.constantFrom(CCCD, CAN_CUOC),
        (fieldIndex, value, base) => {
          const text = F({ [fieldIndex]: value }, base);
          const err = caught(() => parseCccdQr(text, { now: NOW }));
          if (err === null) return; // the junk happened to be valid for that field
          const fields = text.split('|');
          // (Values of 6 characters or more: shorter ones such as the sex field's `Nam` can be English words.)
          for (const f of fields) if (f.trim().length >= 6) expect(err.message).not.toContain(f.trim());
          // Per-field codes name their field; whole-payload codes (count, length) need not.
          if (
            !['WRONG_FIELD_COUNT', 'MISSING_OLD_ID_FIELD', 'INPUT_TOO_LONG', 'EMPTY_INPUT'].includes(err.code)
          ) {
            expect(err.context.field).toBeDefined();
            expect(err.context.fieldIndex).toBeTypeOf('number');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('whatever it accepts is bounded, visible, markup-free text with plausible dates', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom('Nguyễn Văn An', 'Hà Nội', '15031990', '01072021', 'Nam', 'Nữ', '001090012345', ''),
      invisible,
      markup,
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 7, maxLength: 12 }), (parts) => {
        let d: ReturnType<typeof parseCccdQr>;
        try {
          d = parseCccdQr(parts.join('|'), { mode: 'lenient', now: NOW });
        } catch (e) {
          expect(e).toBeInstanceOf(CccdQrError);
          return;
        }
        for (const t of [d.fullName, d.address, ...d.extra]) {
          expect(t).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}<>&"'`\u00a0\u3000]/u);
        }
        expect(d.fullName.length).toBeLessThanOrEqual(100);
        expect(d.address.length).toBeLessThanOrEqual(255);
        expect(d.dateOfBirth <= d.issueDate).toBe(true);
        expect(d.issueDate <= '2026-01-15').toBe(true);
        expect(d.issueDate >= '2016-01-01').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the bound on the payload holds for any length (no quadratic work, no huge arrays)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2954, max: 200_000 }), fc.constantFrom('|', 'a', 'ữ'), (n, ch) => {
        expect(caught(() => parseCccdQr(ch.repeat(n), { now: NOW }))?.code).toBe('INPUT_TOO_LONG');
      }),
      { numRuns: 50 },
    );
  });
});
