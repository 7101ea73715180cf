import { describe, expect, it } from 'vitest';
import type { OtpRecipient } from '../../src/challenge/index.ts';
import { normalizeRecipient } from '../../src/challenge/index.ts';

describe('normalizeRecipient', () => {
  it.each([
    ['0912345678', 'tel:+84912345678'],
    ['0912 345 678', 'tel:+84912345678'],
    ['091.234.5678', 'tel:+84912345678'],
    ['84912345678', 'tel:+84912345678'],
    ['+84912345678', 'tel:+84912345678'],
    ['+84 (0) 912-345-678', 'tel:+84912345678'],
    ['0084912345678', 'tel:+84912345678'],
    ['02838123456', 'tel:+842838123456'],
    ['+1 415 555 0100', 'tel:+14155550100'],
  ])('phone %s → %s', (phone, expected) => {
    expect(normalizeRecipient({ phone })).toBe(expected);
  });

  it('e-mail addresses are trimmed and lower-cased', () => {
    expect(normalizeRecipient({ email: '  Alice.Nguyen@Example.VN ' })).toBe(
      'mailto:alice.nguyen@example.vn',
    );
  });

  it.each([
    [{ phone: '' }],
    [{ phone: '12345' }],
    [{ phone: '+0123456789' }],
    [{ phone: '0012' }],
    [{ phone: '091234567' }],
    [{ phone: '091234567890' }],
    [{ phone: '0912345678 ext 1' }],
    [{ phone: '+84912345678+1' }],
    [{ email: 'a@b' }],
    [{ email: 'a b@c.vn' }],
    [{ email: '@c.vn' }],
    [{ email: 'a@@c.vn' }],
    [{ email: `${'a'.repeat(250)}@c.vn` }],
    [{}],
    [null],
    [{ phone: 912345678 }],
  ])('rejects %j with INVALID_RECIPIENT and does not echo it', (input) => {
    try {
      normalizeRecipient(input as unknown as OtpRecipient);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_RECIPIENT' });
      const text = JSON.stringify(input) ?? '';
      const digits = text.match(/[0-9]{4,}/)?.[0];
      if (digits !== undefined) expect((e as Error).message).not.toContain(digits);
    }
  });
});
