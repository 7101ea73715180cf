import { describe, expect, it } from 'vitest';
import type { OtpMessageOptions } from '../../src/challenge/index.ts';
import { renderOtpMessage } from '../../src/challenge/index.ts';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('renderOtpMessage', () => {
  it("Vietnamese by default, under the caller's brand, for the given validity", () => {
    const m = renderOtpMessage({ code: '109010', ttlSeconds: 180, brand: 'Ngân hàng X' });
    expect(m.body).toBe(
      'Ngân hàng X: Mã OTP của bạn là 109010, có hiệu lực trong 3 phút. Không cung cấp mã này cho bất kỳ ai, kể cả người xưng là công an.',
    );
    expect(m.subject).toBe('Ngân hàng X: mã xác thực (OTP)');
  });

  it('English', () => {
    const m = renderOtpMessage({ code: '109010', locale: 'en', ttlSeconds: 60, brand: 'Bank X' });
    expect(m.body).toBe(
      'Bank X: Your OTP is 109010, valid for 1 minute. Never share this code with anyone, including people claiming to be officials.',
    );
    expect(m.subject).toBe('Bank X: verification code (OTP)');
  });

  it('has no default brand and refuses names of the authority', () => {
    for (const brand of [
      undefined,
      'VNeID',
      'vneid',
      'V-NeID',
      'Bộ Công an',
      'BO CONG AN',
      'Công an',
      'cong-an',
      'BCA',
      'C06',
    ]) {
      expect(() => renderOtpMessage({ code: '109010', ttlSeconds: 180, brand } as OtpMessageOptions)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', context: { field: 'brand' } }),
      );
    }
    // Names that merely share letters are fine.
    for (const brand of ['BIDV', 'Công ty ABC', 'Ngân hàng An Bình', 'VNPay']) {
      expect(renderOtpMessage({ code: '109010', ttlSeconds: 180, brand }).subject).toContain(brand);
    }
  });

  it('has no default validity: the text states the TTL it is given', () => {
    expect(() => renderOtpMessage({ code: '109010', brand: 'Bank X' } as OtpMessageOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', context: { field: 'ttlSeconds' } }),
    );
  });

  it.each([
    [180, 'vi', '3 phút'],
    [90, 'vi', '90 giây'],
    [600, 'en', '10 minutes'],
    [1, 'en', '1 second'],
    [45, 'en', '45 seconds'],
  ] as const)('%i s in %s reads "%s"', (ttlSeconds, locale, text) => {
    expect(renderOtpMessage({ code: '1234', ttlSeconds, locale, brand: 'Bank X' }).body).toContain(
      ` ${text}.`,
    );
  });

  it('puts the code in the body exactly once and never in the subject; NFC', () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const code of ['000000', '99999999', '1234', '0123456789']) {
        const m = renderOtpMessage({ code, locale, brand: 'Ngân hàng X', ttlSeconds: 180 });
        expect(occurrences(m.body, code)).toBe(1);
        expect(m.subject).not.toMatch(/[0-9]/);
        expect(m.body).toBe(m.body.normalize('NFC'));
        expect(m.subject).toBe(m.subject.normalize('NFC'));
      }
    }
  });

  it('fits two UCS-2 parts (vi) or one GSM 7-bit SMS (en) with a brand of 12 characters and up to 8 digits', () => {
    const brand = 'Ngân hàng XY';
    expect(brand).toHaveLength(12);
    for (const code of ['109010', '10901000']) {
      for (const ttlSeconds of [180, 600]) {
        expect(renderOtpMessage({ code, ttlSeconds, brand }).body.length).toBeLessThanOrEqual(2 * 67);
        const en = renderOtpMessage({ code, ttlSeconds, locale: 'en', brand: 'Bank of XYZZ' }).body;
        expect(en.length).toBeLessThanOrEqual(160);
        expect(en).toMatch(/^[\x20-\x7e]+$/);
      }
    }
  });

  const bad: [string, Partial<OtpMessageOptions>][] = [
    ['3-digit code', { code: '123' }],
    ['11-digit code', { code: '12345678901' }],
    ['code with a letter', { code: '12a456' }],
    ['code with a space', { code: '123 456' }],
    ['ttl 0', { ttlSeconds: 0 }],
    ['fractional ttl', { ttlSeconds: 1.5 }],
    ['locale fr', { locale: 'fr' as 'vi' }],
    ['brand of digits', { brand: '123456' }],
    ['brand with colon', { brand: 'A:B' }],
    ['brand too long', { brand: 'A'.repeat(21) }],
  ];
  it.each(bad)('rejects %s without echoing the code', (_name, override) => {
    const options = { code: '109010', ttlSeconds: 180, brand: 'Bank X', ...override } as OtpMessageOptions;
    try {
      renderOtpMessage(options);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((e as Error).message).not.toContain(options.code);
    }
  });
});
