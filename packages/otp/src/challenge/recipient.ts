/**
 * @module
 * Recipients of one-time codes (a phone number for SMS, an address for e-mail) in one canonical
 * form, so that send caps cannot be dodged by writing the same number differently. Vietnamese
 * national numbers (`0912…`, `84912…`) become E.164 (`+84912…`, ITU-T E.164); other numbers must
 * be given with `+` or `00`. The canonical form is only ever hashed, never stored or logged.
 */
import { OtpError } from '../errors.ts';

/** Who receives the code. */
export type OtpRecipient = { phone: string } | { email: string };

/**
 * `tel:+84…` or `mailto:…` (lower case). Error messages never repeat the input.
 * @throws {OtpError} `INVALID_RECIPIENT`
 */
export function normalizeRecipient(recipient: OtpRecipient): string {
  if (
    recipient !== null &&
    typeof recipient === 'object' &&
    'phone' in recipient &&
    typeof recipient.phone === 'string'
  ) {
    const s = recipient.phone.replace(/[\s.\-()]/g, '');
    let e164: string | undefined;
    if (/^\+840[1-9]\d{8,9}$/.test(s)) e164 = `+84${s.slice(4)}`;
    else if (/^\+[1-9]\d{6,14}$/.test(s)) e164 = s;
    else if (/^00[1-9]\d{6,14}$/.test(s)) e164 = `+${s.slice(2)}`;
    else if (/^0[1-9]\d{8,9}$/.test(s)) e164 = `+84${s.slice(1)}`;
    else if (/^84[1-9]\d{8,9}$/.test(s)) e164 = `+${s}`;
    if (e164 === undefined) {
      throw new OtpError(
        'INVALID_RECIPIENT',
        'phone: expected an E.164 number or a Vietnamese national number',
        {
          context: { field: 'phone' },
        },
      );
    }
    return `tel:${e164}`;
  }
  if (
    recipient !== null &&
    typeof recipient === 'object' &&
    'email' in recipient &&
    typeof recipient.email === 'string'
  ) {
    const s = recipient.email.trim().toLowerCase();
    if (s.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s)) {
      throw new OtpError('INVALID_RECIPIENT', 'email: expected one address of the form name@domain.tld', {
        context: { field: 'email' },
      });
    }
    return `mailto:${s}`;
  }
  throw new OtpError('INVALID_RECIPIENT', 'recipient: expected { phone } or { email }', {
    context: { field: 'recipient' },
  });
}
