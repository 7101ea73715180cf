import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import type { OtpAlgorithm, TotpVerifyOptions } from '../../src/index.ts';
import { generateHotp, generateTotp, totpTimeStep, verifyTotp } from '../../src/index.ts';
import { ascii } from '../support.ts';

interface TotpVector {
  time: number;
  utc: string;
  t: string;
  mode: OtpAlgorithm;
  totp: string;
}

const file = loadVectors<TotpVector>(import.meta.url, 'rfc6238-totp') as ReturnType<
  typeof loadVectors<TotpVector>
> & {
  seeds: Record<OtpAlgorithm, string>;
};
const at = (seconds: number) => () => seconds * 1000;
const algorithms = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512');

describe(`TOTP: ${file.source}`, () => {
  it.each(file.vectors)('$utc $mode → $totp', (v) => {
    const secret = ascii(file.seeds[v.mode]);
    expect(new Date(v.time * 1000).toISOString().replace('T', ' ').slice(0, 19)).toBe(v.utc);
    expect(totpTimeStep({ now: at(v.time) })).toBe(Number.parseInt(v.t, 16));
    expect(generateTotp({ secret, algorithm: v.mode, digits: 8, now: at(v.time) })).toBe(v.totp);
    expect(
      verifyTotp({ secret, algorithm: v.mode, digits: 8, token: v.totp, now: at(v.time), window: 0 }),
    ).toEqual({
      ok: true,
      delta: 0,
      timeStep: Number.parseInt(v.t, 16),
    });
  });
});

describe('TOTP', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is HOTP of T = floor((now − T0) / X) for any period, including 180 s', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.constantFrom(1, 30, 60, 180, 3600),
        fc.nat({ max: 10_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.constantFrom(6, 7, 8),
        algorithms,
        (secret, period, t0, ms, digits, algorithm) => {
          const now = () => t0 * 1000 + ms;
          const step = Math.floor(Math.floor(now() / 1000 - t0) / period);
          expect(totpTimeStep({ period, t0, now })).toBe(step);
          expect(generateTotp({ secret, period, t0, now, digits, algorithm })).toBe(
            generateHotp({ secret, counter: step, digits, algorithm }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('changes step exactly at the period boundary', () => {
    const period = 180;
    const boundary = 1_700_000_100 * 1000;
    const step = boundary / 1000 / period;
    expect(Number.isInteger(step)).toBe(true);
    expect(totpTimeStep({ period, now: () => boundary - 1 })).toBe(step - 1);
    expect(totpTimeStep({ period, now: () => boundary })).toBe(step);
  });

  it('uses Date.now by default', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_234_567_890_000);
    const secret = ascii(file.seeds.SHA1);
    expect(generateTotp({ secret, digits: 8 })).toBe('89005924');
    expect(verifyTotp({ secret, digits: 8, token: '89005924' }).ok).toBe(true);
  });

  it('window property: accepts a client clock skewed by k steps iff −past ≤ k ≤ future', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 32 }),
        fc.constantFrom(30, 60, 180),
        fc.integer({ min: 1_000_000_000_000, max: 3_000_000_000_000 }),
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        algorithms,
        (secret, period, serverMs, k, past, future, algorithm) => {
          const clientMs = serverMs + k * period * 1000;
          const token = generateTotp({ secret, period, algorithm, now: () => clientMs });
          const r = verifyTotp({
            secret,
            period,
            algorithm,
            token,
            window: { past, future },
            now: () => serverMs,
          });
          if (k >= -past && k <= future) expect(r.ok).toBe(true);
          if (r.ok) {
            expect(r.delta).toBeGreaterThanOrEqual(-past);
            expect(r.delta).toBeLessThanOrEqual(future);
            const serverStep = totpTimeStep({ period, now: () => serverMs });
            expect(r.timeStep).toBe(serverStep + r.delta);
            expect(generateHotp({ secret, algorithm, counter: r.timeStep })).toBe(token);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clock-skew property: any skew in milliseconds is judged by the steps it crosses', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 1_500_000_000_000, max: 2_500_000_000_000 }),
        fc.integer({ min: -400_000, max: 400_000 }),
        fc.integer({ min: 0, max: 2 }),
        (secret, serverMs, skewMs, window) => {
          const period = 60;
          const clientStep = totpTimeStep({ period, now: () => serverMs + skewMs });
          const serverStep = totpTimeStep({ period, now: () => serverMs });
          const token = generateTotp({ secret, period, now: () => serverMs + skewMs });
          const r = verifyTotp({ secret, period, token, window, now: () => serverMs });
          if (Math.abs(clientStep - serverStep) <= window) {
            expect(r).toMatchObject({ ok: true });
            // The first matching step is the client's unless an earlier step collides.
            if (r.ok && r.timeStep !== clientStep)
              expect(generateHotp({ secret, counter: r.timeStep })).toBe(token);
          } else if (r.ok) {
            expect(Math.abs(r.delta)).toBeLessThanOrEqual(window);
            expect(generateHotp({ secret, counter: r.timeStep })).toBe(token);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses replays with afterTimeStep (RFC 6238 §5.2)', () => {
    const secret = ascii(file.seeds.SHA256);
    const now = () => 1_700_000_000_000;
    const token = generateTotp({ secret, algorithm: 'SHA256', now });
    const first = verifyTotp({ secret, algorithm: 'SHA256', token, now });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(verifyTotp({ secret, algorithm: 'SHA256', token, now, afterTimeStep: first.timeStep })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    // The next step's code is still accepted within the window.
    const next = generateTotp({ secret, algorithm: 'SHA256', now: () => now() + 30_000 });
    expect(
      verifyTotp({ secret, algorithm: 'SHA256', token: next, now, afterTimeStep: first.timeStep }),
    ).toMatchObject({
      ok: true,
      delta: 1,
    });
    // An afterTimeStep past the whole window refuses everything instead of throwing.
    expect(
      verifyTotp({ secret, algorithm: 'SHA256', token: next, now, afterTimeStep: first.timeStep + 5 }),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('counts from T0', () => {
    const secret = ascii(file.seeds.SHA1);
    const now = () => (1000 + 30 * 7 + 29) * 1000;
    expect(generateTotp({ secret, t0: 1000, now })).toBe(generateHotp({ secret, counter: 7 }));
  });

  it('reports malformed tokens', () => {
    const secret = ascii(file.seeds.SHA1);
    for (const token of ['9428708', '942870822', '9428708a', '']) {
      expect(verifyTotp({ secret, digits: 8, token, now: at(59) })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  const bad: [string, Partial<TotpVerifyOptions>][] = [
    ['period 0', { period: 0 }],
    ['period 3601', { period: 3601 }],
    ['period 1.5', { period: 1.5 }],
    ['negative t0', { t0: -1 }],
    ['now before t0', { t0: 2_000_000_000 }],
    ['NaN clock', { now: () => Number.NaN }],
    ['negative window', { window: -1 }],
    ['window of 50 each way', { window: 50 }],
    ['fractional window', { window: { past: 0.5, future: 1 } }],
    ['negative afterTimeStep', { afterTimeStep: -1 }],
    ['fractional afterTimeStep', { afterTimeStep: 1.5 }],
    ['digits 10', { digits: 10 }],
  ];
  it.each(bad)('rejects %s with INVALID_ARGUMENT', (_name, override) => {
    const options = { secret: ascii(file.seeds.SHA1), token: '123456', now: at(1_111_111_111), ...override };
    expect(() => verifyTotp(options)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('rejects a short secret with INVALID_SECRET', () => {
    expect(() => generateTotp({ secret: new Uint8Array(10) })).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET' }),
    );
  });
});
