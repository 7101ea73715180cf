import { describe, expect, it } from 'vitest';
import { createSmsLogin } from './index.ts';

describe('example: SMS login with VNeID-style codes', () => {
  function setup() {
    let now = Date.UTC(2026, 0, 15, 8, 0, 0);
    const inbox: string[] = [];
    const login = createSmsLogin({
      hashKey: new Uint8Array(32).fill(7),
      brand: 'Ngân hàng X',
      now: () => now,
      sendSms: async (_phone, body) => {
        inbox.push(body);
      },
    });
    const lastCode = (): string => /(\d{6})/.exec(inbox.at(-1) ?? '')?.[1] ?? '';
    return { login, inbox, lastCode, advance: (s: number) => (now += s * 1000) };
  }

  it('sends a Vietnamese SMS and accepts its code once', async () => {
    const { login, inbox, lastCode } = setup();
    const started = await login.start('0912 345 678');
    if (!('challengeId' in started)) throw new Error('not sent');
    expect(inbox[0]).toMatch(/^Ngân hàng X: Mã OTP của bạn là \d{6}, có hiệu lực trong 3 phút\./);
    expect(await login.finish(started.challengeId, lastCode())).toEqual({ ok: true });
    expect(await login.finish(started.challengeId, lastCode())).toMatchObject({ ok: false, reason: 'used' });
  });

  it('refuses a resend inside the cooldown, then sends a new code; the old one stops working', async () => {
    const { login, lastCode, advance } = setup();
    const started = await login.start('0912345678');
    if (!('challengeId' in started)) throw new Error('not sent');
    const first = lastCode();
    advance(30);
    expect(await login.resend(started.challengeId)).toEqual({ refused: 'cooldown', retryAfterSeconds: 30 });
    advance(30);
    expect(await login.resend(started.challengeId)).toEqual({ ok: true });
    const second = lastCode();
    if (first !== second)
      expect(await login.finish(started.challengeId, first)).toMatchObject({
        ok: false,
        reason: 'wrong-code',
      });
    expect(await login.finish(started.challengeId, second)).toEqual({ ok: true });
  });

  it('expires the code after 3 minutes and burns it after 5 wrong tries', async () => {
    const { login, lastCode, advance } = setup();
    const a = await login.start('0912000001');
    if (!('challengeId' in a)) throw new Error('not sent');
    advance(180);
    expect(await login.finish(a.challengeId, lastCode())).toMatchObject({ ok: false, reason: 'expired' });
    const b = await login.start('0912000002');
    if (!('challengeId' in b)) throw new Error('not sent');
    const code = lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await login.finish(b.challengeId, wrong));
    expect(results.map((r) => ('attemptsRemaining' in r ? r.attemptsRemaining : -1))).toEqual([
      4, 3, 2, 1, 0,
    ]);
    expect(results[4]).toMatchObject({ reason: 'too-many-attempts' });
    expect(await login.finish(b.challengeId, code)).toMatchObject({ ok: false, reason: 'too-many-attempts' });
  });
});
