/**
 * @module
 * SMS and e-mail texts carrying a one-time code, in Vietnamese and English. The code appears
 * only in the body, exactly once; the subject (e-mail subject, notification title) never holds
 * it, because subjects end up in previews, lock screens and mail-server logs. Vietnamese text is
 * NFC and uses diacritics, so an SMS is sent as UCS-2 (70 characters, or 67 per part of a
 * long message): with a brand of up to 12 characters and a code of up to 8 digits the Vietnamese
 * body fits in two parts, and the English one (GSM 7-bit) in a single 160-character SMS.
 *
 * The sender names itself: there is no default brand, and names of the authority (VNeID, Bộ
 * Công an, C06) are refused, because a text that looks like it comes from the police is exactly
 * what the scams it warns about imitate. The validity is required too, so that the text states
 * the challenge's real TTL (pass `ttlSeconds` from the issued challenge).
 */
import { OtpError } from '../errors.ts';
import { checkOptions } from '../option-checks.ts';

/** Languages with a template. */
export type OtpMessageLocale = 'vi' | 'en';

/** Options of {@link renderOtpMessage}. */
export interface OtpMessageOptions {
  /** The code, 4–10 digits. */
  code: string;
  /** How long it stays valid, in whole seconds: the `ttlSeconds` of the issued challenge. */
  ttlSeconds: number;
  /** Default `vi`. */
  locale?: OtpMessageLocale;
  /**
   * Your service's name at the start of the text (required): letters, digits, spaces, `.` and
   * `-`, up to 20 characters, not all digits, and not a name of the authority (VNeID, Bộ Công
   * an, Công an, BCA, C06).
   */
  brand: string;
}

/** A rendered message. */
export interface OtpMessage {
  /** Code-free title (e-mail subject, push notification title). */
  subject: string;
  /** The text holding the code. */
  body: string;
}

/** Brand names that pass for the authority (compared without case, diacritics, spaces, dots or hyphens). */
function impersonatesAuthority(brand: string): boolean {
  const folded = brand
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[ .-]/g, '');
  return folded.includes('vneid') || folded.includes('congan') || folded === 'bca' || folded === 'c06';
}

function duration(seconds: number, locale: OtpMessageLocale): string {
  const minutes = seconds / 60;
  if (locale === 'vi') return Number.isInteger(minutes) ? `${minutes} phút` : `${seconds} giây`;
  if (Number.isInteger(minutes)) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/**
 * The message for `code`, e.g. (vi) "Ngân hàng X: Mã OTP của bạn là 109010, có hiệu lực trong 3 phút.
 * Không cung cấp mã này cho bất kỳ ai, kể cả người xưng là công an."
 * @throws {OtpError} `INVALID_ARGUMENT` for a bad code, a missing or bad `ttlSeconds`, a missing,
 *   malformed or authority-impersonating `brand` (the message never repeats the code)
 */
export function renderOtpMessage(options: OtpMessageOptions): OtpMessage {
  checkOptions(options);
  const { code, ttlSeconds, locale = 'vi', brand } = options;
  if (typeof code !== 'string' || !/^[0-9]{4,10}$/.test(code)) {
    throw new OtpError('INVALID_ARGUMENT', 'code: expected 4-10 decimal digits', {
      context: { field: 'code' },
    });
  }
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new OtpError('INVALID_ARGUMENT', 'ttlSeconds: expected a positive integer', {
      context: { field: 'ttlSeconds' },
    });
  }
  if (locale !== 'vi' && locale !== 'en') {
    throw new OtpError('INVALID_ARGUMENT', 'locale: expected vi or en', { context: { field: 'locale' } });
  }
  if (typeof brand !== 'string' || !/^[\p{L}\p{N} .-]{1,20}$/u.test(brand) || /^[0-9 .-]+$/.test(brand)) {
    throw new OtpError(
      'INVALID_ARGUMENT',
      'brand: expected 1-20 letters, digits, spaces, dots or hyphens, not only digits',
      {
        context: { field: 'brand' },
      },
    );
  }
  if (impersonatesAuthority(brand)) {
    throw new OtpError('INVALID_ARGUMENT', 'brand: name your own service, not the authority', {
      context: { field: 'brand' },
    });
  }
  const valid = duration(ttlSeconds, locale);
  if (locale === 'vi') {
    return {
      subject: `${brand}: mã xác thực (OTP)`,
      body:
        `${brand}: Mã OTP của bạn là ${code}, có hiệu lực trong ${valid}. ` +
        'Không cung cấp mã này cho bất kỳ ai, kể cả người xưng là công an.',
    };
  }
  return {
    subject: `${brand}: verification code (OTP)`,
    body: `${brand}: Your OTP is ${code}, valid for ${valid}. Never share this code with anyone, including people claiming to be officials.`,
  };
}
