/**
 * @module
 * Stateful one-time-password verifiers over an {@link OtpStore}: TOTP (RFC 6238 §5.2 window and
 * one-use rule) and HOTP (RFC 4226 §7.2 validation, §7.4 look-ahead resynchronisation), both
 * with a per-account lockout after consecutive wrong codes (RFC 4226 §7.3).
 */
export type {
  OtpLockout,
  OtpSecretLookup,
  OtpVerifierFailure,
  OtpVerifierOptions,
  OtpVerifierRefusal,
} from './account-state.ts';
export type { HotpVerifier, HotpVerifierOptions, HotpVerifierResult } from './hotp-verifier.ts';
export { createHotpVerifier } from './hotp-verifier.ts';
export type { TotpVerifier, TotpVerifierOptions, TotpVerifierResult } from './totp-verifier.ts';
export { createTotpVerifier } from './totp-verifier.ts';
