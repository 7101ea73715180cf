/**
 * Edges of the challenge life cycle that the mutation run (`pnpm mutation:otp`) found
 * unchecked: the resend race's refusal, which send the cooldown counts from, which refusal
 * wins when several apply, account caps only for calls that name an account, the account id
 * bounds and every field of a stored challenge record that must be validated on read.
 */
import { describe, expect, it } from 'vitest';
import type { OtpChallengesOptions, OtpIssued } from '../../src/challenge/index.ts';
import { createOtpChallenges } from '../../src/challenge/index.ts';
import type { OtpStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { manualClock, seededRandom, yieldingStore } from '../support.ts';

const PHONE = { phone: '0912345678' };
const OTHER = { phone: '+84 987 654 321' };
const hashKey = new Uint8Array(32).fill(7);

function setup(overrides: Partial<OtpChallengesOptions> = {}, wrap: (s: OtpStore) => OtpStore = (s) => s) {
  const clock = manualClock();
  const memory = createMemoryStore({ now: clock.now });
  const otp = createOtpChallenges({
    store: wrap(memory),
    hashKey,
    now: clock.now,
    random: seededRandom(1),
    ...overrides,
  });
  return { clock, memory, otp };
}

async function issued(p: Promise<unknown>): Promise<OtpIssued> {
  const r = (await p) as OtpIssued;
  expect(r.ok).toBe(true);
  return r;
}

describe('resend race', () => {
  it('lets exactly one of two concurrent resends win; the loser waits 1 s and its send is given back', async () => {
    const { otp, clock } = setup({ resendCooldownSeconds: 0, sendCaps: { perHour: 3, perDay: 10 } }, (s) =>
      yieldingStore(s, 3),
    );
    const r = await issued(otp.issue(PHONE));
    clock.advance(1000);
    const [a, b] = await Promise.all([
      otp.resend({ challengeId: r.challengeId }),
      otp.resend({ challengeId: r.challengeId }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const winner = (a.ok ? a : b) as OtpIssued;
    expect(a.ok ? b : a).toEqual({ ok: false, reason: 'cooldown', retryAfterSeconds: 1 });
    // The loser's send was released: two sends counted (issue + winning resend), so one more
    // fits under perHour 3 and the one after is refused.
    clock.advance(1000);
    const third = await issued(otp.resend({ challengeId: r.challengeId }));
    clock.advance(1000);
    expect(await otp.resend({ challengeId: r.challengeId })).toMatchObject({
      ok: false,
      reason: 'hourly-cap',
    });
    expect(await otp.verify({ challengeId: r.challengeId, code: third.code })).toEqual({
      ok: true,
      challengeId: r.challengeId,
    });
    expect(winner.challengeId).toBe(r.challengeId);
  });
});

describe('send limits', () => {
  it('counts the cooldown from the latest send, not the oldest', async () => {
    const { otp, clock } = setup();
    const r = await issued(otp.issue(PHONE));
    clock.advance(60_000);
    await issued(otp.resend({ challengeId: r.challengeId }));
    clock.advance(30_000);
    expect(await otp.resend({ challengeId: r.challengeId })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 30,
    });
  });

  it('reports the refusal that lasts longest when several apply', async () => {
    const { otp, clock } = setup({ resendCooldownSeconds: 7200, sendCaps: { perHour: 1, perDay: 10 } });
    await issued(otp.issue(PHONE));
    clock.advance(1000);
    // cooldown: 7199 s; hourly cap: 3599 s.
    expect(await otp.issue(PHONE)).toEqual({ ok: false, reason: 'cooldown', retryAfterSeconds: 7199 });
    const { otp: otp2, clock: clock2 } = setup({
      resendCooldownSeconds: 60,
      sendCaps: { perHour: 1, perDay: 1 },
    });
    await issued(otp2.issue(PHONE));
    clock2.advance(1000);
    // cooldown 59 s, hourly 3599 s, daily 86399 s.
    expect(await otp2.issue(PHONE)).toEqual({ ok: false, reason: 'daily-cap', retryAfterSeconds: 86_399 });
  });

  it('applies account caps only to issues that name an account', async () => {
    const { otp } = setup({ accountSendCaps: { perHour: 1, perDay: 10 } });
    await issued(otp.issue(PHONE));
    await issued(otp.issue(OTHER));
    await issued(otp.issue({ email: 'a@b.vn' }));
    await issued(otp.issue({ email: 'c@d.vn' }, { account: 'acct-1' }));
    expect(await otp.issue({ email: 'e@f.vn' }, { account: 'acct-1' })).toMatchObject({
      ok: false,
      reason: 'account-hourly-cap',
    });
  });

  it('accepts account ids of 1 to 256 characters', async () => {
    const { otp } = setup({ resendCooldownSeconds: 0 });
    await issued(otp.issue(PHONE, { account: 'x' }));
    await issued(otp.issue(PHONE, { account: 'x'.repeat(256) }));
    for (const account of ['', 'x'.repeat(257)])
      await expect(otp.issue(PHONE, { account })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        context: { field: 'account' },
      });
  });
});

describe('stored challenge records', () => {
  const HEX = 'a'.repeat(64);
  type Edit = (r: Record<string, unknown>) => unknown;
  const edits: [string, Edit][] = [
    ['null', () => null],
    ['a string', () => 'x'],
    ['another version', (r) => ({ ...r, v: 2 })],
    ['no recipient', ({ recipient: _, ...r }) => r],
    ['a numeric recipient', (r) => ({ ...r, recipient: 5 })],
    ['a recipient with a prefix', (r) => ({ ...r, recipient: `z${HEX}` })],
    ['a recipient with a suffix', (r) => ({ ...r, recipient: `${HEX}z` })],
    ['no code hash', ({ codeHash: _, ...r }) => r],
    ['a code hash with a prefix', (r) => ({ ...r, codeHash: `z${HEX}` })],
    ['a code hash with a suffix', (r) => ({ ...r, codeHash: `${HEX}z` })],
    ['a string expiry', (r) => ({ ...r, expiresAt: String(r.expiresAt) })],
    ['a fractional attempt count', (r) => ({ ...r, failedAttempts: 0.5 })],
    ['a numeric account', (r) => ({ ...r, account: 5 })],
    ['an account with a prefix', (r) => ({ ...r, account: `z${HEX}` })],
    ['an account with a suffix', (r) => ({ ...r, account: `${HEX}z` })],
    ['a fractional generation', (r) => ({ ...r, gen: 0.5 })],
    ['an unknown state', (r) => ({ ...r, state: 'done' })],
  ];

  it('accepts the record as written, with an account and a generation', async () => {
    const { otp, memory } = setup({ resendCooldownSeconds: 0 });
    const r = await issued(otp.issue(PHONE, { account: 'acct-1' }));
    const key = `otp:challenge:${r.challengeId}`;
    const entry = (await memory.get(key))!;
    const record = JSON.parse(entry.value) as Record<string, unknown>;
    expect(record.account).toMatch(/^[0-9a-f]{64}$/);
    await memory.compareAndSet(key, entry.version, JSON.stringify({ ...record, gen: 7 }), 60_000);
    const again = await issued(otp.resend({ challengeId: r.challengeId }));
    expect(await otp.verify({ challengeId: r.challengeId, code: again.code })).toMatchObject({ ok: true });
  });

  it.each(edits)('reports a record with %s as STORE_CORRUPT (challenge)', async (_, edit) => {
    const { otp, memory } = setup();
    const r = await issued(otp.issue(PHONE, { account: 'acct-1' }));
    const key = `otp:challenge:${r.challengeId}`;
    const entry = (await memory.get(key))!;
    const value = JSON.stringify(edit(JSON.parse(entry.value) as Record<string, unknown>));
    expect(await memory.compareAndSet(key, entry.version, value, 60_000)).toBe(true);
    const corrupt = { code: 'STORE_CORRUPT', context: { field: 'challenge' } };
    await expect(otp.verify({ challengeId: r.challengeId, code: r.code })).rejects.toMatchObject(corrupt);
    await expect(otp.resend({ challengeId: r.challengeId })).rejects.toMatchObject(corrupt);
  });

  it('reports unparseable JSON as STORE_CORRUPT with the parse error as cause', async () => {
    const { otp, memory } = setup();
    const r = await issued(otp.issue(PHONE));
    const key = `otp:challenge:${r.challengeId}`;
    const entry = (await memory.get(key))!;
    await memory.compareAndSet(key, entry.version, '{"v":1,', 60_000);
    const error = await otp.verify({ challengeId: r.challengeId, code: r.code }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT', context: { field: 'challenge' } });
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(SyntaxError);
  });
});
