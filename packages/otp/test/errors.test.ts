import { BytesError } from '@vneid/core/errors';
import { describe, expect, it, vi } from 'vitest';
import { generateHotp, isOtpError, OtpError } from '../src/index.ts';

describe('OtpError', () => {
  it('spells the bad-argument code as @vneid/core does (INVALID_ARGUMENT)', () => {
    const core = new BytesError('INVALID_ARGUMENT', 'x');
    try {
      generateHotp({ secret: new Uint8Array(20), counter: 0, digits: 5 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OtpError);
      expect((e as OtpError).code).toBe(core.code);
      expect((e as OtpError).context.field).toBe('digits');
    }
  });

  it('is recognised by isOtpError through its symbol brand, also from another copy of the package', async () => {
    const own = new OtpError('INVALID_SECRET', 'secret: expected 16-64 bytes');
    expect(isOtpError(own)).toBe(true);
    expect(isOtpError(own, 'INVALID_SECRET')).toBe(true);
    expect(isOtpError(own, 'INVALID_ARGUMENT')).toBe(false);
    expect((own as unknown as Record<symbol, unknown>)[Symbol.for('@vneid/otp/error')]).toBe(true);
    // A second, independent copy of the module (as with a duplicated dependency).
    vi.resetModules();
    const copy = await import('../src/errors.ts');
    expect(copy.OtpError).not.toBe(OtpError);
    const foreign = new copy.OtpError('URI_SECRET', 'otpauth URI: no secret');
    expect(foreign instanceof OtpError).toBe(false);
    expect(isOtpError(foreign, 'URI_SECRET')).toBe(true);
    expect(copy.isOtpError(own, 'INVALID_SECRET')).toBe(true);
  });

  it('is not fooled by look-alikes: other SDK errors, plain objects with a code, or non-objects', () => {
    expect(isOtpError(new BytesError('INVALID_ARGUMENT', 'x'))).toBe(false);
    expect(isOtpError({ code: 'INVALID_ARGUMENT', context: {} })).toBe(false);
    expect(isOtpError(Object.assign(new Error('x'), { code: 'INVALID_ARGUMENT' }))).toBe(false);
    expect(isOtpError({ [Symbol.for('@vneid/otp/error')]: true })).toBe(false);
    for (const v of [undefined, null, 0, 'INVALID_ARGUMENT', Symbol.for('@vneid/otp/error')]) {
      expect(isOtpError(v)).toBe(false);
    }
  });
});
