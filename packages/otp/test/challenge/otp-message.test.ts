import { describe, expect, it } from 'vitest';
import type { OtpMessageOptions } from '../../src/challenge/index.ts';
import { renderOtpMessage } from '../../src/challenge/index.ts';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('renderOtpMessage', () => {
  it('Vietnamese by default, 3 minutes', () => {
    const m = renderOtpMessage({ code: '109010' });
    expect(m.body).toBe(
      'VNeID: Mã OTP của bạn là 109010, có hiệu lực trong 3 phút. Không cung cấp mã này cho bất kỳ ai, kể cả người xưng là công an.',
    );
    expect(m.subject).toBe('VNeID: mã xác thực (OTP)');
  });

  it('English', () => {
    const m = renderOtpMessage({ code: '109010', locale: 'en', ttlSeconds: 60 });
    expect(m.body).toBe(
      'VNeID: Your OTP is 109010, valid for 1 minute. Never share this code with anyone, including people claiming to be officials.',
    );
    expect(m.subject).toBe('VNeID: verification code (OTP)');
  });

  it.each([
    [180, 'vi', '3 phút'],
    [90, 'vi', '90 giây'],
    [600, 'en', '10 minutes'],
    [1, 'en', '1 second'],
    [45, 'en', '45 seconds'],
  ] as const)('%i s in %s reads "%s"', (ttlSeconds, locale, text) => {
    expect(renderOtpMessage({ code: '1234', ttlSeconds, locale }).body).toContain(` ${text}.`);
  });

  it('puts the code in the body exactly once and never in the subject; NFC', () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const code of ['000000', '99999999', '1234', '0123456789']) {
        const m = renderOtpMessage({ code, locale, brand: 'Ngân hàng X' });
        expect(occurrences(m.body, code)).toBe(1);
        expect(m.subject).not.toMatch(/[0-9]/);
        expect(m.body).toBe(m.body.normalize('NFC'));
        expect(m.subject).toBe(m.subject.normalize('NFC'));
      }
    }
  });

  it('fits two UCS-2 parts (vi) or one GSM 7-bit SMS (en) with the default brand and up to 8 digits', () => {
    for (const code of ['109010', '10901000']) {
      for (const ttlSeconds of [180, 600]) {
        expect(renderOtpMessage({ code, ttlSeconds }).body.length).toBeLessThanOrEqual(2 * 67);
        const en = renderOtpMessage({ code, ttlSeconds, locale: 'en' }).body;
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
    const options = { code: '109010', ...override } as OtpMessageOptions;
    try {
      renderOtpMessage(options);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((e as Error).message).not.toContain(options.code);
    }
  });
});
