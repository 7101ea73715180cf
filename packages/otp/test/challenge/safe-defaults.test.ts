import { describe, expect, it } from 'vitest';
import type { OtpChallengesOptions, OtpIssued } from '../../src/challenge/index.ts';
import { createOtpChallenges, renderOtpMessage } from '../../src/challenge/index.ts';
import type { OtpStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { manualClock, seededRandom, yieldingStore } from '../support.ts';

const hashKey = new Uint8Array(32).fill(3);

function setup(overrides: Partial<OtpChallengesOptions> = {}, wrap: (s: OtpStore) => OtpStore = (s) => s) {
  const clock = manualClock();
  const store = wrap(createMemoryStore({ now: clock.now }));
  const otp = createOtpChallenges({ store, hashKey, now: clock.now, random: seededRandom(4), ...overrides });
  return { clock, store, otp };
}

async function issued(p: Promise<unknown>): Promise<OtpIssued> {
  const r = (await p) as OtpIssued;
  expect(r.ok).toBe(true);
  return r;
}

describe('code length', () => {
  it('refuses codes shorter than 6 digits unless explicitly allowed', async () => {
    for (const codeLength of [4, 5]) {
      expect(() => setup({ codeLength })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', context: { field: 'codeLength' } }),
      );
      const { otp } = setup({ codeLength, allowShortCodes: true });
      expect((await issued(otp.issue({ phone: '0912345678' }))).code).toHaveLength(codeLength);
    }
    expect(() => setup({ allowShortCodes: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const { otp } = setup();
    expect((await issued(otp.issue({ phone: '0912345678' }))).code).toMatch(/^[0-9]{6}$/);
  });
});

describe('message validity tied to the challenge', () => {
  it('hands out the challenge TTL with the code, for issue and resend alike', async () => {
    const { otp, clock } = setup({ ttlSeconds: 300, resendCooldownSeconds: 30 });
    const r = await issued(otp.issue({ phone: '0912345678' }));
    expect(r.ttlSeconds).toBe(300);
    expect(r.expiresAt - clock.now()).toBe(r.ttlSeconds * 1000);
    const text = renderOtpMessage({ code: r.code, ttlSeconds: r.ttlSeconds, brand: 'Ngân hàng X' }).body;
    expect(text).toContain('có hiệu lực trong 5 phút.');
    clock.advance(30_000);
    const again = await issued(otp.resend({ challengeId: r.challengeId }));
    expect(again.ttlSeconds).toBe(300);
    expect(again.expiresAt - clock.now()).toBe(300_000);
  });
});

describe('send caps per account', () => {
  it('caps sends per account across phone numbers, on issue and resend, and does not count refusals', async () => {
    const { otp, clock } = setup({
      resendCooldownSeconds: 0,
      sendCaps: { perHour: 2, perDay: 10 },
      accountSendCaps: { perHour: 3, perDay: 4 },
    });
    const account = 'user-42';
    const a = await issued(otp.issue({ phone: '0912345678' }, { account }));
    await issued(otp.issue({ phone: '0987654321' }, { account }));
    await issued(otp.resend({ challengeId: a.challengeId }));
    // The account's fourth send in the hour is refused, whichever phone it goes to.
    expect(await otp.issue({ phone: '0911111111' }, { account })).toEqual({
      ok: false,
      reason: 'account-hourly-cap',
      retryAfterSeconds: 3600,
    });
    expect(await otp.resend({ challengeId: a.challengeId })).toMatchObject({ reason: 'account-hourly-cap' });
    // Without the account (or with another one) the phone's own caps apply.
    await issued(otp.issue({ phone: '0911111111' }));
    await issued(otp.issue({ phone: '0911111111' }, { account: 'user-43' }));
    // The phone's cap refuses: the account's reservation is given back.
    clock.advance(3_600_000);
    expect(await otp.issue({ phone: '0912345678' }, { account: 'user-44' })).toMatchObject({ ok: true });
    expect(await otp.issue({ phone: '0912345678' }, { account: 'user-44' })).toMatchObject({ ok: true });
    expect(await otp.issue({ phone: '0912345678' }, { account: 'user-44' })).toMatchObject({
      reason: 'hourly-cap',
    });
    expect(await otp.issue({ phone: '0900000001' }, { account: 'user-44' })).toMatchObject({ ok: true });
    // user-42: 3 sends an hour ago, 1 now reaches the daily cap of 4.
    await issued(otp.issue({ phone: '0900000002' }, { account }));
    expect(await otp.issue({ phone: '0900000003' }, { account })).toMatchObject({
      reason: 'account-daily-cap',
    });
  });

  it('rejects a bad account id or account caps with INVALID_ARGUMENT', async () => {
    const { otp } = setup();
    for (const account of ['', 'x'.repeat(257), 42]) {
      await expect(otp.issue({ phone: '0912345678' }, { account } as never)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    expect(() => setup({ accountSendCaps: { perHour: 0 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('resend contention', () => {
  it('lets exactly one of concurrent resends of a challenge replace the code, and counts one send', async () => {
    for (const seed of [1, 2, 3, 4]) {
      let yielding: ReturnType<typeof yieldingStore> | undefined;
      const { otp } = setup({ resendCooldownSeconds: 0, sendCaps: { perHour: 100, perDay: 100 } }, (s) => {
        yielding = yieldingStore(s, seed);
        return yielding;
      });
      const first = await issued(otp.issue({ phone: '0912345678' }, { account: 'u' }));
      const results = await Promise.all(
        Array.from({ length: 6 }, () => otp.resend({ challengeId: first.challengeId })),
      );
      const won = results.filter((r): r is OtpIssued => r.ok);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'cooldown')).toHaveLength(5);
      expect(yielding!.casFailures).toBeGreaterThan(0);
      // Only the winner's code works; the first code was replaced.
      expect(await otp.verify({ challengeId: first.challengeId, code: first.code })).toMatchObject({
        ok: false,
      });
      expect(await otp.verify({ challengeId: first.challengeId, code: won[0]!.code })).toEqual({
        ok: true,
        challengeId: first.challengeId,
      });
    }
  });

  it('gives back the sends of resends that lost the race (per phone and per account)', async () => {
    const { otp } = setup(
      { resendCooldownSeconds: 0, sendCaps: { perHour: 3, perDay: 10 }, accountSendCaps: { perHour: 3 } },
      (s) => yieldingStore(s, 11),
    );
    const first = await issued(otp.issue({ phone: '0912345678' }, { account: 'u' }));
    const results = await Promise.all(
      Array.from({ length: 2 }, () => otp.resend({ challengeId: first.challengeId })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // Two sends counted (issue + the winning resend): one more is allowed for the phone and the account.
    expect(await otp.issue({ phone: '0912345678' }, { account: 'u' })).toMatchObject({ ok: true });
    expect(await otp.issue({ phone: '0912345678' })).toMatchObject({ reason: 'hourly-cap' });
  });
});
