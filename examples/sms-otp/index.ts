/**
 * A login step that sends a VNeID-style SMS code under the bank's own name: 6 digits, valid 3 minutes, 5 tries, resend
 * after 60 s. The code is stored only as a keyed hash; the SMS body is the only place the code
 * appears. The clock is injected so the flow can be replayed (the test drives it minute by minute).
 *
 * Run: `pnpm --dir examples sms-otp` (prints the SMS a phone would receive).
 */
import { createOtpChallenges, renderOtpMessage } from '@vneid/otp/challenge';
import { createMemoryStore } from '@vneid/otp/store';

/** Anything that can deliver an SMS (an SMS gateway in production, an array in tests). */
export type SendSms = (phone: string, body: string) => Promise<void>;

/** The two endpoints a back end exposes for SMS login. */
export interface SmsLogin {
  /** Sends a code; returns the challenge id to give the app, or why it cannot send now. */
  start(phone: string): Promise<{ challengeId: string } | { refused: string; retryAfterSeconds: number }>;
  /** Checks the code the user typed. */
  finish(
    challengeId: string,
    code: string,
  ): Promise<{ ok: true } | { ok: false; reason: string; attemptsRemaining: number }>;
  /** Sends a fresh code for the same challenge (after the cooldown). */
  resend(challengeId: string): Promise<{ ok: true } | { refused: string; retryAfterSeconds?: number }>;
}

/** Builds the SMS login flow over a store (memory here; the sandbox server uses PostgreSQL). */
export function createSmsLogin(options: {
  sendSms: SendSms;
  hashKey: Uint8Array;
  /** Your service's name, first in every SMS (never the authority's: no "VNeID" or "Bộ Công an"). */
  brand: string;
  now?: () => number;
}): SmsLogin {
  const otp = createOtpChallenges({
    store: createMemoryStore(options.now ? { now: options.now } : {}),
    hashKey: options.hashKey,
    ...(options.now ? { now: options.now } : {}),
  });
  const phones = new Map<string, string>();
  return {
    async start(phone) {
      const issued = await otp.issue({ phone });
      if (!issued.ok) return { refused: issued.reason, retryAfterSeconds: issued.retryAfterSeconds };
      phones.set(issued.challengeId, phone);
      await options.sendSms(
        phone,
        renderOtpMessage({ code: issued.code, ttlSeconds: issued.ttlSeconds, brand: options.brand }).body,
      );
      return { challengeId: issued.challengeId };
    },
    async finish(challengeId, code) {
      const r = await otp.verify({ challengeId, code });
      return r.ok ? { ok: true } : { ok: false, reason: r.reason, attemptsRemaining: r.attemptsRemaining };
    },
    async resend(challengeId) {
      const r = await otp.resend({ challengeId });
      if (!r.ok)
        return {
          refused: r.reason,
          ...('retryAfterSeconds' in r ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
        };
      const phone = phones.get(challengeId);
      if (phone !== undefined)
        await options.sendSms(
          phone,
          renderOtpMessage({ code: r.code, ttlSeconds: r.ttlSeconds, brand: options.brand }).body,
        );
      return { ok: true };
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const login = createSmsLogin({
    hashKey: crypto.getRandomValues(new Uint8Array(32)),
    brand: 'Ngân hàng X',
    sendSms: async (_phone, body) => console.log(`SMS → ${body}`),
  });
  const started = await login.start('0912 345 678');
  console.log('start:', 'challengeId' in started ? 'sent' : started.refused);
  if ('challengeId' in started) console.log('wrong code:', await login.finish(started.challengeId, '000000'));
}
