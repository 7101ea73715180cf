import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { fromHex, toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import type { HotpVerifyOptions } from '../../src/index.ts';
import { generateHotp, OtpError, verifyHotp } from '../../src/index.ts';
import { ascii } from '../support.ts';

interface HotpVector {
  count: number;
  hmacSha1: string;
  truncatedHex: string;
  truncated: number;
  hotp: string;
}

const file = loadVectors<HotpVector>(import.meta.url, 'rfc4226-hotp') as ReturnType<
  typeof loadVectors<HotpVector>
> & {
  secretAscii: string;
};
const secret = ascii(file.secretAscii);

describe(`HOTP: ${file.source}`, () => {
  it.each(file.vectors)('count $count → $hotp', (v) => {
    // The vector file is self-consistent: HMAC-SHA-1 and dynamic truncation (RFC 4226 §5.3).
    const mac = hmac(sha1, secret, fromHex(v.count.toString(16).padStart(16, '0')));
    expect(toHex(mac)).toBe(v.hmacSha1);
    const offset = mac[19]! & 0x0f;
    const bin =
      ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
    expect(bin).toBe(v.truncated);
    expect(bin.toString(16)).toBe(v.truncatedHex);

    expect(generateHotp({ secret, counter: v.count })).toBe(v.hotp);
    expect(generateHotp({ secret, counter: v.count, digits: 7 })).toBe(
      String(v.truncated % 1e7).padStart(7, '0'),
    );
    expect(generateHotp({ secret, counter: v.count, digits: 8 })).toBe(
      String(v.truncated % 1e8).padStart(8, '0'),
    );
    expect(verifyHotp({ secret, counter: v.count, token: v.hotp })).toEqual({
      ok: true,
      delta: 0,
      nextCounter: v.count + 1,
    });
  });

  it('look-ahead window resynchronises (RFC 4226 §7.4)', () => {
    const token = file.vectors[5]!.hotp;
    expect(verifyHotp({ secret, counter: 0, token, lookAhead: 5 })).toEqual({
      ok: true,
      delta: 5,
      nextCounter: 6,
    });
    expect(verifyHotp({ secret, counter: 0, token, lookAhead: 4 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    // The counter only moves forward: a past value is never accepted.
    expect(verifyHotp({ secret, counter: 6, token, lookAhead: 3 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('reports malformed tokens without throwing', () => {
    for (const token of ['75522', '7552240', '75522a', ' 55224', '７５５２２４', '', '755 224']) {
      expect(verifyHotp({ secret, counter: 0, token })).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifyHotp({ secret, counter: 0, token: undefined as unknown as string })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('window property: accepts exactly the counters in [counter, counter + lookAhead]', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.nat({ max: 2 ** 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(6, 7, 8),
        fc.constantFrom('SHA1', 'SHA256', 'SHA512') as fc.Arbitrary<'SHA1' | 'SHA256' | 'SHA512'>,
        (key, counter, k, lookAhead, digits, algorithm) => {
          const token = generateHotp({ secret: key, counter: counter + k, digits, algorithm });
          const r = verifyHotp({ secret: key, counter, token, lookAhead, digits, algorithm });
          if (k <= lookAhead) expect(r.ok).toBe(true);
          if (r.ok) {
            // A match is always genuine and inside the window (an earlier collision is allowed).
            expect(r.delta).toBeGreaterThanOrEqual(0);
            expect(r.delta).toBeLessThanOrEqual(Math.min(k, lookAhead));
            expect(generateHotp({ secret: key, counter: counter + r.delta, digits, algorithm })).toBe(token);
            expect(r.nextCounter).toBe(counter + r.delta + 1);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  const bad: [string, Partial<HotpVerifyOptions>, string][] = [
    ['secret of 15 bytes', { secret: new Uint8Array(15) }, 'INVALID_SECRET'],
    ['secret of 65 bytes', { secret: new Uint8Array(65) }, 'INVALID_SECRET'],
    ['secret as text', { secret: 'GEZDGNBVGY3TQOJQ' as unknown as Uint8Array }, 'INVALID_SECRET'],
    ['5 digits', { digits: 5 }, 'INVALID_ARGUMENT'],
    ['9 digits', { digits: 9 }, 'INVALID_ARGUMENT'],
    ['6.5 digits', { digits: 6.5 }, 'INVALID_ARGUMENT'],
    ['MD5', { algorithm: 'MD5' as 'SHA1' }, 'INVALID_ARGUMENT'],
    ['prototype key as algorithm', { algorithm: 'toString' as 'SHA1' }, 'INVALID_ARGUMENT'],
    ['negative counter', { counter: -1 }, 'INVALID_ARGUMENT'],
    ['fractional counter', { counter: 1.5 }, 'INVALID_ARGUMENT'],
    ['unsafe counter', { counter: 2 ** 53 }, 'INVALID_ARGUMENT'],
    ['negative look-ahead', { lookAhead: -1 }, 'INVALID_ARGUMENT'],
    ['look-ahead of 99', { lookAhead: 99 }, 'INVALID_ARGUMENT'],
    [
      'counter + look-ahead beyond 2^53',
      { counter: Number.MAX_SAFE_INTEGER, lookAhead: 1 },
      'INVALID_ARGUMENT',
    ],
  ];
  it.each(bad)('rejects %s', (_name, override, code) => {
    const options = { secret, counter: 0, token: '755224', ...override } as HotpVerifyOptions;
    expect(() => verifyHotp(options)).toThrow(expect.objectContaining({ code }));
    if (!('lookAhead' in override)) expect(() => generateHotp(options)).toThrow(OtpError);
  });
});
