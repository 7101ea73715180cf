/**
 * @module
 * Demo section: TOTP checked against RFC 6238 Appendix B, an otpauth:// URI for an
 * authenticator app, and the life of an SMS code (issue, wrong attempt, cooldown, resend,
 * verify, replay) on a simulated clock with the in-memory store. No real phone number is used.
 */

import { createOtpChallenges, renderOtpMessage } from '../../packages/otp/src/challenge/index.ts';
import {
  buildOtpauthUri,
  generateOtpSecret,
  generateTotp,
  parseOtpauthUri,
  verifyTotp,
} from '../../packages/otp/src/index.ts';
import { createMemoryStore } from '../../packages/otp/src/store/index.ts';
import type { DemoSection } from './sections.ts';

export const otpDemo: DemoSection = {
  title: 'OTP: TOTP (RFC 6238), otpauth:// URI, SMS code life cycle',
  async run(): Promise<void> {
    const rfcSecret = new TextEncoder().encode('12345678901234567890');
    const code = generateTotp({ secret: rfcSecret, digits: 8, now: () => 1_111_111_109_000 });
    console.log(`RFC 6238 B, SHA-1 at 2005-03-18 01:58:29 UTC: ${code} (expected 07081804)`);
    if (code !== '07081804') throw new Error('demo: TOTP does not match RFC 6238');

    const secret = generateOtpSecret();
    const uri = buildOtpauthUri({
      type: 'totp',
      secret,
      account: 'demo@example.com',
      issuer: 'Demo Bank',
    });
    console.log(`otpauth URI for an authenticator app: ${uri.replace(/secret=[A-Z2-7]+/, 'secret=…')}`);
    const parsed = parseOtpauthUri(uri);
    const now = Date.now();
    const totp = generateTotp({ secret: parsed.secret, now: () => now });
    console.log(
      `Code now: ${totp}; verify one step later →`,
      verifyTotp({ secret, token: totp, now: () => now + 30_000 }),
    );

    let t = Date.UTC(2026, 0, 15, 8, 0, 0);
    const clock = () => t;
    const otp = createOtpChallenges({
      store: createMemoryStore({ now: clock }),
      hashKey: globalThis.crypto.getRandomValues(new Uint8Array(32)),
      now: clock,
    });
    const phone = { phone: '0900000000' }; // not a real subscriber
    const issued = await otp.issue(phone);
    if (!issued.ok) throw new Error('demo: issue refused');
    // The sender names its own service (never the authority) and the code's real lifetime.
    const sms = { brand: 'Ngân hàng Demo', ttlSeconds: issued.ttlSeconds };
    console.log(`SMS (vi): ${renderOtpMessage({ code: issued.code, ...sms }).body}`);
    console.log(`SMS (en): ${renderOtpMessage({ code: issued.code, locale: 'en', ...sms }).body}`);
    console.log(
      'wrong code   →',
      await otp.verify({
        challengeId: issued.challengeId,
        code: '000000' === issued.code ? '111111' : '000000',
      }),
    );
    t += 30_000;
    console.log('resend @30 s →', await otp.resend({ challengeId: issued.challengeId }));
    t += 30_000;
    const again = await otp.resend({ challengeId: issued.challengeId });
    if (!again.ok) throw new Error('demo: resend refused');
    console.log(`resend @60 s → ok, new code valid until ${new Date(again.expiresAt).toISOString()}`);
    console.log(
      'old code     →',
      await otp.verify({
        challengeId: issued.challengeId,
        code: issued.code === again.code ? '' : issued.code,
      }),
    );
    console.log('new code     →', await otp.verify({ challengeId: issued.challengeId, code: again.code }));
    console.log('replay       →', await otp.verify({ challengeId: issued.challengeId, code: again.code }));
  },
};
