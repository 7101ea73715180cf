import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtpChallengesOptions, OtpIssued } from '../../src/challenge/index.ts';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import type { OtpStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { manualClock, recordingStore, seededRandom, yieldingStore } from '../support.ts';

const PHONE = { phone: '0912345678' };
const OTHER = { phone: '+84 987 654 321' };
const hashKey = new Uint8Array(32).fill(7);

function setup(overrides: Partial<OtpChallengesOptions> = {}, wrap: (s: OtpStore) => OtpStore = (s) => s) {
  const clock = manualClock();
  const memory = createMemoryStore({ now: clock.now });
  const store = wrap(memory);
  const otp = createOtpChallenges({ store, hashKey, now: clock.now, random: seededRandom(1), ...overrides });
  return { clock, memory, store, otp };
}

async function issued(p: Promise<unknown>): Promise<OtpIssued> {
  const r = (await p) as OtpIssued;
  expect(r.ok).toBe(true);
  return r;
}

/** A code of the same length that is certainly not `code`. */
const wrong = (code: string): string => code.replace(/^./, (d) => String((Number(d) + 1) % 10));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('issue', () => {
  it('returns a 6-digit code, an opaque id and the limits', async () => {
    const { otp, clock } = setup();
    const r = await issued(otp.issue(PHONE));
    expect(r.code).toMatch(/^[0-9]{6}$/);
    expect(r.challengeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.expiresAt).toBe(clock.start + 180_000);
    expect(r.resendAvailableAt).toBe(clock.start + 60_000);
    expect(r.attemptsRemaining).toBe(5);
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toEqual({
      ok: true,
      challengeId: r.challengeId,
    });
  });

  it('stores neither the code nor the recipient in clear', async () => {
    const rec = recordingStore(createMemoryStore());
    const otp2 = createOtpChallenges({ store: rec, hashKey });
    const r = await issued(otp2.issue({ phone: '0912 345 678' }));
    await otp2.verify({ challengeId: r.challengeId, code: wrong(r.code) });
    const r2 = await issued(otp2.issue({ email: 'Alice.Nguyen@Example.vn' }));
    const written = rec.written.join('\n');
    expect(rec.written.length).toBeGreaterThan(4);
    for (const secret of [r.code, r2.code, '912345678', '0912', 'alice', 'example'])
      expect(written).not.toContain(secret);
  });

  it('draws codes from the injected CSPRNG, never Math.random', async () => {
    const spy = vi.spyOn(Math, 'random');
    const a = setup({ random: seededRandom(42) });
    const b = setup({ random: seededRandom(42) });
    const ra = await issued(a.otp.issue(PHONE));
    const rb = await issued(b.otp.issue(PHONE));
    expect(ra.code).toBe(rb.code);
    expect(ra.challengeId).toBe(rb.challengeId);
    a.clock.advance(60_000);
    expect((await issued(a.otp.resend({ challengeId: ra.challengeId }))).code).toMatch(/^[0-9]{6}$/);
    // The platform default works too.
    const c = setup({ random: undefined });
    expect((await issued(c.otp.issue(PHONE))).code).toMatch(/^[0-9]{6}$/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('honours codeLength', async () => {
    const { otp } = setup({ codeLength: 8 });
    expect((await issued(otp.issue(PHONE))).code).toMatch(/^[0-9]{8}$/);
  });
});

describe('verify', () => {
  it('accepts until just before expiresAt and refuses from exactly expiresAt', async () => {
    const { otp, clock } = setup({ resendCooldownSeconds: 0 });
    const a = await issued(otp.issue(PHONE));
    const b = await issued(otp.issue(OTHER));
    clock.set(a.expiresAt - 1);
    expect(await otp.verify({ challengeId: a.challengeId, code: a.code })).toMatchObject({ ok: true });
    clock.set(b.expiresAt);
    expect(await otp.verify({ challengeId: b.challengeId, code: b.code })).toEqual({
      ok: false,
      reason: 'expired',
      attemptsRemaining: 0,
    });
  });

  it('honours a custom TTL at its boundary', async () => {
    const { otp, clock } = setup({ ttlSeconds: 30 });
    const r = await issued(otp.issue(PHONE));
    expect(r.expiresAt - clock.start).toBe(30_000);
    clock.advance(30_000);
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({
      reason: 'expired',
    });
  });

  it('counts wrong codes: the 5th burns the challenge, the 6th (even correct) is refused', async () => {
    const { otp } = setup();
    const r = await issued(otp.issue(PHONE));
    const bad = wrong(r.code);
    for (const remaining of [4, 3, 2, 1]) {
      expect(await otp.verify({ challengeId: r.challengeId, code: bad })).toEqual({
        ok: false,
        reason: 'wrong-code',
        attemptsRemaining: remaining,
      });
    }
    expect(await otp.verify({ challengeId: r.challengeId, code: bad })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      attemptsRemaining: 0,
    });
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      attemptsRemaining: 0,
    });
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
    });
  });

  it('the 5th attempt still succeeds with the right code; maxAttempts is configurable', async () => {
    const { otp } = setup({ maxAttempts: 2, resendCooldownSeconds: 0 });
    const r = await issued(otp.issue(PHONE));
    expect(await otp.verify({ challengeId: r.challengeId, code: wrong(r.code) })).toMatchObject({
      attemptsRemaining: 1,
    });
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({ ok: true });
    const d = setup();
    const s = await issued(d.otp.issue(PHONE));
    for (let i = 0; i < 4; i++) await d.otp.verify({ challengeId: s.challengeId, code: wrong(s.code) });
    expect(await d.otp.verify({ challengeId: s.challengeId, code: s.code })).toMatchObject({ ok: true });
  });

  it('treats malformed and over-long codes as wrong codes', async () => {
    const { otp } = setup();
    const r = await issued(otp.issue(PHONE));
    for (const code of ['', 'abcdef', `${r.code} `, r.code.repeat(20)]) {
      expect(await otp.verify({ challengeId: r.challengeId, code })).toMatchObject({
        ok: false,
        reason: 'wrong-code',
      });
    }
    await expect(
      otp.verify({ challengeId: r.challengeId, code: 123456 as unknown as string }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses a replay of a used code', async () => {
    const { otp } = setup();
    const r = await issued(otp.issue(PHONE));
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({ ok: true });
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toEqual({
      ok: false,
      reason: 'used',
      attemptsRemaining: 0,
    });
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({ ok: false, reason: 'used' });
  });

  it('does not accept a code for another challenge', async () => {
    const { otp } = setup({ resendCooldownSeconds: 0 });
    const a = await issued(otp.issue(PHONE));
    const b = await issued(otp.issue(PHONE));
    // seededRandom(1) draws two different codes, so the cross-check below always runs.
    expect(b.code).not.toBe(a.code);
    expect(await otp.verify({ challengeId: a.challengeId, code: b.code })).toEqual({
      ok: false,
      reason: 'wrong-code',
      attemptsRemaining: 4,
    });
    expect(await otp.verify({ challengeId: b.challengeId, code: b.code })).toMatchObject({ ok: true });
  });

  it('reports unknown and malformed ids as not-found', async () => {
    const { otp } = setup();
    for (const challengeId of [
      'AAAAAAAAAAAAAAAAAAAAAA',
      'short',
      '../../etc/passwd',
      '',
      5 as unknown as string,
    ]) {
      expect(await otp.verify({ challengeId, code: '123456' })).toEqual({
        ok: false,
        reason: 'not-found',
        attemptsRemaining: 0,
      });
      expect(await otp.resend({ challengeId })).toEqual({ ok: false, reason: 'not-found' });
    }
  });

  it('binds to the recipient when asked (any spelling of the same number)', async () => {
    const { otp } = setup();
    const r = await issued(otp.issue(PHONE));
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code, recipient: OTHER })).toMatchObject({
      reason: 'not-found',
    });
    expect(
      await otp.verify({ challengeId: r.challengeId, code: r.code, recipient: { phone: '+84 91 234 5678' } }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('forgets a challenge one TTL after it expired', async () => {
    const { otp, clock } = setup();
    const r = await issued(otp.issue(PHONE));
    clock.set(r.expiresAt + 179_999);
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({
      reason: 'expired',
    });
    clock.set(r.expiresAt + 180_000);
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({
      reason: 'not-found',
    });
  });
});

describe('resend', () => {
  it('obeys the cooldown to the millisecond, then replaces the code, expiry and attempts', async () => {
    const { otp, clock } = setup();
    const r = await issued(otp.issue(PHONE));
    await otp.verify({ challengeId: r.challengeId, code: wrong(r.code) });
    clock.advance(59_999);
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 1,
    });
    clock.advance(1);
    const again = await issued(otp.resend({ challengeId: r.challengeId }));
    expect(again.challengeId).toBe(r.challengeId);
    expect(again.expiresAt).toBe(clock.start + 60_000 + 180_000);
    expect(again.attemptsRemaining).toBe(5);
    expect(again.code).not.toBe(r.code); // deterministic random: known to differ
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toEqual({
      ok: false,
      reason: 'wrong-code',
      attemptsRemaining: 4,
    });
    expect(await otp.verify({ challengeId: r.challengeId, code: again.code })).toMatchObject({ ok: true });
  });

  it('reports the remaining cooldown in whole seconds, rounded up', async () => {
    const { otp, clock } = setup({ resendCooldownSeconds: 90 });
    const r = await issued(otp.issue(PHONE));
    clock.advance(500);
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 90,
    });
    clock.advance(88_600);
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 1,
    });
  });

  it('revives an expired (not yet forgotten) challenge', async () => {
    const { otp, clock } = setup();
    const r = await issued(otp.issue(PHONE));
    clock.set(r.expiresAt + 10_000);
    const again = await issued(otp.resend({ challengeId: r.challengeId }));
    expect(again.expiresAt).toBe(r.expiresAt + 10_000 + 180_000);
    expect(await otp.verify({ challengeId: r.challengeId, code: again.code })).toMatchObject({ ok: true });
  });

  it('applies the cooldown per recipient, also to new challenges, whatever the spelling', async () => {
    const { otp, clock } = setup();
    await issued(otp.issue({ phone: '0912345678' }));
    clock.advance(10_000);
    expect(await otp.issue({ phone: '+84 912 345 678' })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 50,
    });
    expect(await otp.issue({ phone: '84-912-345-678' })).toMatchObject({ reason: 'cooldown' });
    await issued(otp.issue(OTHER));
    await issued(otp.issue({ email: 'a@b.vn' }));
  });
});

describe('send caps', () => {
  it('allows perHour sends in any rolling hour; the cap lifts exactly an hour after the oldest', async () => {
    const { otp, clock } = setup({ sendCaps: { perHour: 3, perDay: 10 } });
    const r = await issued(otp.issue(PHONE));
    clock.advance(60_000);
    await issued(otp.resend({ challengeId: r.challengeId }));
    clock.advance(60_000);
    await issued(otp.issue(PHONE));
    clock.advance(60_000);
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'hourly-cap',
      retryAfterSeconds: 3420,
    });
    expect(await otp.issue(PHONE)).toMatchObject({ reason: 'hourly-cap' });
    clock.set(clock.start + 3_600_000 - 1);
    expect(await otp.issue(PHONE)).toEqual({ ok: false, reason: 'hourly-cap', retryAfterSeconds: 1 });
    clock.set(clock.start + 3_600_000);
    await issued(otp.issue(PHONE));
    // Other recipients are not affected.
    await issued(otp.issue(OTHER));
  });

  it('allows perDay sends in any rolling 24 hours', async () => {
    const { otp, clock } = setup({ sendCaps: { perHour: 100, perDay: 4 }, resendCooldownSeconds: 0 });
    for (let i = 0; i < 4; i++) {
      await issued(otp.issue(PHONE));
      clock.advance(3_600_000);
    }
    expect(await otp.issue(PHONE)).toEqual({
      ok: false,
      reason: 'daily-cap',
      retryAfterSeconds: 86_400 - 4 * 3600,
    });
    clock.set(clock.start + 86_400_000 - 1);
    expect(await otp.issue(PHONE)).toMatchObject({ reason: 'daily-cap', retryAfterSeconds: 1 });
    clock.set(clock.start + 86_400_000);
    await issued(otp.issue(PHONE));
    expect(await otp.issue(PHONE)).toMatchObject({ reason: 'daily-cap', retryAfterSeconds: 3600 });
  });

  it('names the limit that refuses longest', async () => {
    const { otp, clock } = setup({ sendCaps: { perHour: 2, perDay: 2 } });
    await issued(otp.issue(PHONE));
    clock.advance(60_000);
    await issued(otp.issue(PHONE));
    expect(await otp.issue(PHONE)).toEqual({
      ok: false,
      reason: 'daily-cap',
      retryAfterSeconds: 86_400 - 60,
    });
  });

  it('uses defaults of 5 per hour and 10 per day', async () => {
    const { otp, clock } = setup({ resendCooldownSeconds: 0 });
    for (let i = 0; i < 5; i++) await issued(otp.issue(PHONE));
    expect(await otp.issue(PHONE)).toMatchObject({ reason: 'hourly-cap' });
    clock.advance(3_600_000);
    for (let i = 0; i < 5; i++) await issued(otp.issue(PHONE));
    clock.advance(3_600_000);
    expect(await otp.issue(PHONE)).toMatchObject({ reason: 'daily-cap' });
  });

  it('does not count refused resends', async () => {
    const { otp, clock } = setup({ sendCaps: { perHour: 2, perDay: 10 } });
    const r = await issued(otp.issue(PHONE));
    await otp.verify({ challengeId: r.challengeId, code: r.code });
    clock.advance(60_000);
    expect(await otp.resend({ challengeId: r.challengeId })).toMatchObject({ reason: 'used' });
    await issued(otp.issue(PHONE));
  });
});

describe('concurrency (store yields between get and compare-and-set)', () => {
  it('lets exactly one of many concurrent correct verifies succeed', async () => {
    for (const seed of [1, 2, 3]) {
      let yielding: ReturnType<typeof yieldingStore> | undefined;
      const { otp } = setup({}, (s) => {
        yielding = yieldingStore(s, seed);
        return yielding;
      });
      const r = await issued(otp.issue(PHONE));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => otp.verify({ challengeId: r.challengeId, code: r.code })),
      );
      expect(results.filter((x) => x.ok)).toHaveLength(1);
      expect(results.filter((x) => !x.ok && x.reason === 'used')).toHaveLength(19);
      expect(yielding!.casFailures).toBeGreaterThan(0); // the race really happened
    }
  });

  it('two concurrent verifies: one wins, the other sees used', async () => {
    const { otp } = setup({}, (s) => yieldingStore(s, 9));
    const r = await issued(otp.issue(PHONE));
    const [a, b] = await Promise.all([
      otp.verify({ challengeId: r.challengeId, code: r.code }),
      otp.verify({ challengeId: r.challengeId, code: r.code }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(a.ok ? b : a).toMatchObject({ reason: 'used' });
  });

  it('never loses a wrong attempt and never lets a code through a burned challenge', async () => {
    const { otp } = setup({}, (s) => yieldingStore(s, 5));
    const r = await issued(otp.issue(PHONE));
    const bad = wrong(r.code);
    const results = await Promise.all([
      ...Array.from({ length: 12 }, () => otp.verify({ challengeId: r.challengeId, code: bad })),
      ...Array.from({ length: 4 }, () => otp.verify({ challengeId: r.challengeId, code: r.code })),
    ]);
    const ok = results.filter((x) => x.ok).length;
    const wrongs = results
      .filter((x) => !x.ok && x.reason === 'wrong-code')
      .map((x) => (x.ok ? -1 : x.attemptsRemaining));
    const burned = results.filter((x) => !x.ok && x.reason === 'too-many-attempts').length;
    expect(ok).toBeLessThanOrEqual(1);
    // Each remaining count is reported at most once: every failure was counted.
    expect(new Set(wrongs).size).toBe(wrongs.length);
    // Either a right code won before the burn, or all five failures were counted and the rest
    // (including the right codes) met a burned challenge.
    const burnedFirst = ok === 0 && wrongs.sort().join() === '1,2,3,4' && burned === 12;
    expect(ok === 1 || burnedFirst).toBe(true);
  });

  it('counts every one of many concurrent wrong codes: 4 wrong-code, then the challenge burns', async () => {
    const { otp } = setup({}, (s) => yieldingStore(s, 6));
    const r = await issued(otp.issue(PHONE));
    const results = await Promise.all(
      Array.from({ length: 12 }, () => otp.verify({ challengeId: r.challengeId, code: wrong(r.code) })),
    );
    const remaining = results
      .filter((x) => !x.ok && x.reason === 'wrong-code')
      .map((x) => (x.ok ? -1 : x.attemptsRemaining))
      .sort();
    expect(remaining).toEqual([1, 2, 3, 4]);
    expect(results.filter((x) => !x.ok && x.reason === 'too-many-attempts')).toHaveLength(8);
    expect(await otp.verify({ challengeId: r.challengeId, code: r.code })).toMatchObject({
      reason: 'too-many-attempts',
    });
  });

  it('never exceeds the send caps under concurrent issues', async () => {
    const { otp } = setup({ resendCooldownSeconds: 0, sendCaps: { perHour: 3, perDay: 10 } }, (s) =>
      yieldingStore(s, 3),
    );
    const results = await Promise.all(Array.from({ length: 12 }, () => otp.issue(PHONE)));
    expect(results.filter((x) => x.ok)).toHaveLength(3);
  });
});

describe('misuse', () => {
  const store = createMemoryStore();
  const bad: [string, Partial<OtpChallengesOptions>][] = [
    ['no store', { store: undefined as unknown as OtpStore }],
    [
      'store without compareAndSet',
      { store: { get: async () => undefined, delete: async () => {} } as unknown as OtpStore },
    ],
    ['short hashKey', { hashKey: new Uint8Array(31) }],
    ['hashKey as text', { hashKey: 'secret' as unknown as Uint8Array }],
    ['ttlSeconds 0', { ttlSeconds: 0 }],
    ['ttlSeconds 1.5', { ttlSeconds: 1.5 }],
    ['maxAttempts 0', { maxAttempts: 0 }],
    ['negative cooldown', { resendCooldownSeconds: -1 }],
    ['perHour 0', { sendCaps: { perHour: 0 } }],
    ['perDay NaN', { sendCaps: { perDay: Number.NaN } }],
    ['codeLength 3', { codeLength: 3 }],
    ['codeLength 11', { codeLength: 11 }],
  ];
  it.each(bad)('rejects %s with INVALID_ARGUMENT', (_name, override) => {
    expect(() => createOtpChallenges({ store, hashKey, ...override })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('reports corrupt store records and endless contention', async () => {
    const { otp, memory } = setup();
    const r = await issued(otp.issue(PHONE));
    const key = `otp:challenge:${r.challengeId}`;
    const entry = (await memory.get(key))!;
    await memory.compareAndSet(key, entry.version, '{"v":1,"state":"pending"}', 1000);
    await expect(otp.verify({ challengeId: r.challengeId, code: r.code })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    const e2 = (await memory.get(key))!;
    await memory.compareAndSet(key, e2.version, 'not json', 1000);
    await expect(otp.resend({ challengeId: r.challengeId })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });

    const stubborn = setup({}, (s) => ({
      ...s,
      get: s.get,
      delete: s.delete,
      compareAndSet: async () => false,
    }));
    await expect(stubborn.otp.issue(PHONE)).rejects.toMatchObject({ code: 'STORE_CONTENTION' });
  });

  it('rejects unusable recipients without echoing them', async () => {
    const { otp } = setup();
    await expect(otp.issue({ phone: 'call 0912 345 67x' })).rejects.toMatchObject({
      code: 'INVALID_RECIPIENT',
    });
    await expect(otp.issue({ phone: 'call 0912 345 67x' })).rejects.not.toThrow(/0912/);
  });

  it('reports a random source that never yields a usable byte', async () => {
    const { otp } = setup({ random: (n) => new Uint8Array(n).fill(255) });
    await expect(otp.issue(PHONE)).rejects.toMatchObject({ code: 'RANDOM_FAILED' });
  });
});
