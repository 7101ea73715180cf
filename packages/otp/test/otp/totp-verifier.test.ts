import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import type { OtpAlgorithm } from '../../src/index.ts';
import { generateTotp } from '../../src/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createTotpVerifier } from '../../src/verifier/index.ts';
import { ascii, manualClock, yieldingStore } from '../support.ts';

interface TotpVector {
  time: number;
  utc: string;
  t: string;
  mode: OtpAlgorithm;
  totp: string;
}
const file = loadVectors<TotpVector>(import.meta.url, 'rfc6238-totp') as ReturnType<
  typeof loadVectors<TotpVector>
> & { seeds: Record<OtpAlgorithm, string> };

const secret = ascii(file.seeds.SHA1);
const codeAt = (ms: number) => generateTotp({ secret, now: () => ms });

describe(`createTotpVerifier: ${file.source}`, () => {
  it.each(file.vectors)('$utc $mode: accepts $totp once, then refuses it as replayed', async (v) => {
    const clock = manualClock(v.time * 1000);
    const verifier = createTotpVerifier({
      store: createMemoryStore({ now: clock.now }),
      secret: (account) => (account === 'alice' ? ascii(file.seeds[v.mode]) : undefined),
      algorithm: v.mode,
      digits: 8,
      window: 0,
      now: clock.now,
    });
    expect(await verifier.verify({ account: 'alice', token: v.totp })).toEqual({
      ok: true,
      timeStep: Number.parseInt(v.t, 16),
      delta: 0,
    });
    expect(await verifier.verify({ account: 'alice', token: v.totp })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
    // Another account has its own state (and here no secret at all).
    expect(await verifier.verify({ account: 'bob', token: v.totp })).toMatchObject({
      ok: false,
      reason: 'unknown-account',
    });
    // Window 0: the same code one step later is outside the window.
    clock.advance(30_000);
    const fresh = createTotpVerifier({
      store: createMemoryStore({ now: clock.now }),
      secret: ascii(file.seeds[v.mode]),
      algorithm: v.mode,
      digits: 8,
      window: 0,
      now: clock.now,
    });
    expect(await fresh.verify({ account: 'alice', token: v.totp })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });
});

describe('createTotpVerifier', () => {
  const setup = (extra: Partial<Parameters<typeof createTotpVerifier>[0]> = {}) => {
    const clock = manualClock(1_111_111_109_000);
    const store = createMemoryStore({ now: clock.now });
    const verifier = createTotpVerifier({ store, secret, now: clock.now, ...extra });
    return { clock, store, verifier };
  };

  it('refuses every step up to the last accepted one, also an older code still inside the window (RFC 6238 §5.2)', async () => {
    const { clock, verifier } = setup({ window: 1 });
    const t = clock.now();
    const previous = codeAt(t - 30_000);
    const current = codeAt(t);
    expect(await verifier.verify({ account: 'a', token: current })).toMatchObject({ ok: true, delta: 0 });
    // The previous step is inside the window, but older than the accepted one.
    expect(await verifier.verify({ account: 'a', token: previous })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
    clock.advance(30_000);
    // The code of the accepted step is still inside the window one step later: refused.
    expect(await verifier.verify({ account: 'a', token: current })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
    expect(await verifier.verify({ account: 'a', token: codeAt(clock.now()) })).toMatchObject({ ok: true });
  });

  it('accepts look-around only within the configured window', async () => {
    const { clock, verifier } = setup({ window: { past: 1, future: 0 } });
    const t = clock.now();
    expect(await verifier.verify({ account: 'a', token: codeAt(t + 30_000) })).toMatchObject({
      reason: 'mismatch',
    });
    expect(await verifier.verify({ account: 'b', token: codeAt(t - 60_000) })).toMatchObject({
      reason: 'mismatch',
    });
    expect(await verifier.verify({ account: 'c', token: codeAt(t - 30_000) })).toMatchObject({
      ok: true,
      delta: -1,
    });
    const wide = setup({ window: 2 });
    expect(await wide.verifier.verify({ account: 'a', token: codeAt(t + 60_000) })).toMatchObject({
      ok: true,
      delta: 2,
    });
  });

  it('locks an account after maxFailures consecutive wrong codes, for durationSeconds, without checking codes meanwhile', async () => {
    const { clock, verifier } = setup({ lockout: { maxFailures: 3, durationSeconds: 600 } });
    const good = codeAt(clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect(await verifier.verify({ account: 'a', token: wrong })).toEqual({
      ok: false,
      reason: 'mismatch',
      failuresRemaining: 2,
    });
    // A malformed token cannot match and is not counted; another account is not affected.
    expect(await verifier.verify({ account: 'a', token: '12345' })).toMatchObject({
      reason: 'malformed',
      failuresRemaining: 2,
    });
    expect(await verifier.verify({ account: 'a', token: wrong })).toMatchObject({ failuresRemaining: 1 });
    expect(await verifier.verify({ account: 'a', token: wrong })).toEqual({
      ok: false,
      reason: 'mismatch',
      failuresRemaining: 0,
      retryAfterSeconds: 600,
    });
    expect(await verifier.verify({ account: 'a', token: good })).toEqual({
      ok: false,
      reason: 'locked',
      failuresRemaining: 0,
      retryAfterSeconds: 600,
    });
    expect(await verifier.verify({ account: 'b', token: good })).toMatchObject({ ok: true });
    clock.advance(599_001);
    expect(await verifier.verify({ account: 'a', token: codeAt(clock.now()) })).toMatchObject({
      reason: 'locked',
      retryAfterSeconds: 1,
    });
    clock.advance(999);
    // Lifted: a fresh allowance of failures, and the right code works.
    expect(await verifier.verify({ account: 'a', token: wrong })).toMatchObject({ failuresRemaining: 2 });
    expect(await verifier.verify({ account: 'a', token: codeAt(clock.now()) })).toMatchObject({ ok: true });
  });

  it('resets the failure count on success', async () => {
    const { clock, verifier } = setup({ lockout: { maxFailures: 2 } });
    const good = codeAt(clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect(await verifier.verify({ account: 'a', token: wrong })).toMatchObject({ failuresRemaining: 1 });
    expect(await verifier.verify({ account: 'a', token: good })).toMatchObject({ ok: true });
    // A wrong code after a success is a mismatch, not a replay.
    expect(await verifier.verify({ account: 'a', token: wrong })).toEqual({
      ok: false,
      reason: 'mismatch',
      failuresRemaining: 1,
    });
  });

  it('keeps the state of an account (lockout, last step) for stateTtlSeconds, longer than the window span', async () => {
    const { clock, verifier } = setup({
      stateTtlSeconds: 7200,
      lockout: { maxFailures: 1, durationSeconds: 3600 },
    });
    const good = codeAt(clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect(await verifier.verify({ account: 'a', token: wrong })).toMatchObject({ reason: 'mismatch' });
    // The window span is (1 + 1 + 2) steps = 120 s; the lockout outlives it.
    clock.advance(1_800_000);
    expect(await verifier.verify({ account: 'a', token: codeAt(clock.now()) })).toEqual({
      ok: false,
      reason: 'locked',
      failuresRemaining: 0,
      retryAfterSeconds: 1800,
    });
  });

  it.each([
    ['period 0', { period: 0 }, 'period'],
    ['t0 -1', { t0: -1 }, 't0'],
    ['window "1"', { window: '1' }, 'window'],
    ['window.past 99', { window: { past: 99, future: 0 } }, 'window.past'],
    ['window.future 99', { window: { past: 0, future: 99 } }, 'window.future'],
    ['window 50 + 49', { window: { past: 50, future: 49 } }, 'window'],
    ['stateTtlSeconds 3599', { stateTtlSeconds: 3599 }, 'stateTtlSeconds'],
  ])('names the field of a bad option: %s', (_name, bad, field) => {
    expect(() =>
      createTotpVerifier({ store: createMemoryStore(), secret, ...(bad as object) } as never),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', context: { field } }));
  });

  it('accepts a window of 98 steps in all', () => {
    expect(() =>
      createTotpVerifier({ store: createMemoryStore(), secret, window: { past: 49, future: 49 } }),
    ).not.toThrow();
  });

  it('lets exactly one of many concurrent verifications of one code win, and loses no failure', async () => {
    const clock = manualClock(1_234_567_890_000);
    const store = yieldingStore(createMemoryStore({ now: clock.now }), 7);
    const verifier = createTotpVerifier({ store, secret, now: clock.now, lockout: { maxFailures: 100 } });
    const good = codeAt(clock.now());
    const results = await Promise.all(
      Array.from({ length: 20 }, () => verifier.verify({ account: 'a', token: good })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(19);
    expect(store.casFailures).toBeGreaterThan(0);
    // 19 replays counted, none lost: 81 remain.
    const wrong = good === '000000' ? '111111' : '000000';
    expect(await verifier.verify({ account: 'a', token: wrong })).toMatchObject({ failuresRemaining: 80 });
  });

  it('stores a hash of the account id, never the id, the secret or the code', async () => {
    const { clock, store, verifier } = setup();
    const written: string[] = [];
    const spy = {
      get: store.get,
      delete: store.delete,
      compareAndSet: (k: string, e: number | null, v: string, ttl: number) => {
        written.push(k, v);
        return store.compareAndSet(k, e, v, ttl);
      },
    };
    const v2 = createTotpVerifier({ store: spy, secret, now: clock.now });
    const good = codeAt(clock.now());
    await v2.verify({ account: 'alice@example.com', token: good });
    await verifier.verify({ account: 'x', token: '000000' });
    const text = written.join(' ');
    expect(text).not.toContain('alice');
    expect(text).not.toContain(good);
    expect(written[0]).toMatch(/^otp:totp:[0-9a-f]{64}$/);
  });

  it.each([
    ['no store', { store: undefined }],
    ['secret of the wrong type', { secret: 'JBSWY3DPEHPK3PXP' }],
    ['window 99', { window: 99 }],
    ['period 0', { period: 0 }],
    ['digits 5', { digits: 5 }],
    ['lockout 0', { lockout: { maxFailures: 0 } }],
    ['lockout null', { lockout: null }],
    ['keyPrefix empty', { keyPrefix: '' }],
  ])('rejects %s with INVALID_ARGUMENT', (_name, bad) => {
    expect(() =>
      createTotpVerifier({ store: createMemoryStore(), secret, ...(bad as object) } as never),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('rejects a bad account id or input with INVALID_ARGUMENT', async () => {
    const { verifier } = setup();
    for (const input of [
      null,
      { account: '', token: '123456' },
      { account: 'x'.repeat(257), token: '1' },
      { token: '1' },
    ]) {
      await expect(verifier.verify(input as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
