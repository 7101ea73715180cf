/**
 * @module
 * One-time codes sent by SMS or e-mail: the challenge life cycle (issue, verify, resend with
 * TTL, attempt limit, cooldown and send caps), code generation, recipient normalisation and
 * Vietnamese/English message templates.
 */

export type { OtpErrorCode, OtpErrorContext } from '../errors.ts';
export { isOtpError, OTP_ERROR_BRAND, OtpError } from '../errors.ts';
export { generateNumericCode } from './numeric-code.ts';
export type {
  OtpChallenges,
  OtpChallengesOptions,
  OtpIssued,
  OtpResendRefused,
  OtpSendCaps,
  OtpSendRefused,
  OtpVerifyResult,
} from './otp-challenges.ts';
export { createOtpChallenges } from './otp-challenges.ts';
export type { OtpMessage, OtpMessageLocale, OtpMessageOptions } from './otp-message.ts';
export { renderOtpMessage } from './otp-message.ts';
export type { OtpRecipient } from './recipient.ts';
export { normalizeRecipient } from './recipient.ts';
