/**
 * @module
 * `@vneid/otp`: HOTP (RFC 4226) and TOTP (RFC 6238) on otplib with its `@noble/hashes` crypto
 * plugin (no `node:crypto`, runs in browsers), otpauth:// URIs with Base32 secrets (RFC 4648 §6),
 * and secret generation. The SMS/e-mail challenge life cycle is in `@vneid/otp/challenge`, its
 * storage in `@vneid/otp/store`.
 */

export { decodeBase32, encodeBase32 } from './base32.ts';
export type { OtpErrorCode, OtpErrorContext } from './errors.ts';
export { isOtpError, OTP_ERROR_BRAND, OtpError } from './errors.ts';
export type { HotpGenerateOptions, HotpVerifyOptions, HotpVerifyResult } from './hotp.ts';
export { generateHotp, verifyHotp } from './hotp.ts';
export type { OtpAlgorithm, OtpMismatchReason, OtpParameters } from './otp-parameters.ts';
export type { GenerateOtpSecretOptions, RandomSource } from './otp-secret.ts';
export { generateOtpSecret } from './otp-secret.ts';
export type { OtpauthUri, OtpauthUriOptions, ParseOtpauthUriOptions } from './otpauth-uri.ts';
export { buildOtpauthUri, parseOtpauthUri } from './otpauth-uri.ts';
export type {
  TotpClock,
  TotpGenerateOptions,
  TotpVerifyOptions,
  TotpVerifyResult,
  TotpWindow,
} from './totp.ts';
export { generateTotp, totpTimeStep, verifyTotp } from './totp.ts';
