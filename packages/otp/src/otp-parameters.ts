/**
 * @module
 * Parameters shared by HOTP (RFC 4226 §5) and TOTP (RFC 6238 §4): the shared secret, the HMAC
 * hash function and the number of digits, checked once here and handed to otplib with its
 * browser-safe `@noble/hashes` crypto plugin.
 */
import type { HashAlgorithm, OTPGuardrails } from 'otplib';
import { createGuardrails, NobleCryptoPlugin } from 'otplib';
import { OtpError } from './errors.ts';
import {
  checkInteger,
  checkOptions,
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  MIN_SHORT_SECRET_BYTES,
} from './option-checks.ts';

/** HMAC hash function, spelled as in otpauth:// URIs (RFC 6238 §1.2 allows SHA-256/512). */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Parameters common to HOTP and TOTP. */
export interface OtpParameters {
  /** Shared secret K, 16–64 bytes (RFC 4226 §4 R6: at least 128 bits; 160 recommended). */
  secret: Uint8Array;
  /**
   * Also accept secrets of 10–15 bytes (the 80-bit secrets of many existing authenticator
   * enrolments; `parseOtpauthUri` sets it for such a URI); default false. New secrets should
   * have 20 bytes (`generateOtpSecret`).
   */
  allowShortSecret?: boolean;
  /** HMAC hash function; default `SHA1`. */
  algorithm?: OtpAlgorithm;
  /** Code length, 6–8 digits (RFC 4226 §5.3); default 6. */
  digits?: number;
}

/** Why a code was not accepted. */
export type OtpMismatchReason =
  /** The token is not `digits` decimal digits. */
  | 'malformed'
  /** No counter or time step in the window gives this token. */
  | 'mismatch';

/** The crypto plugin every call uses: pure JavaScript, no `node:crypto`, runs in browsers. */
export const cryptoPlugin: NobleCryptoPlugin = /* @__PURE__ */ new NobleCryptoPlugin();

const ALGORITHMS: Record<OtpAlgorithm, HashAlgorithm> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** Checked parameters in otplib's spelling. */
export interface CheckedParameters {
  secret: Uint8Array;
  algorithm: HashAlgorithm;
  digits: number;
  /** Only for a short secret: otplib's limits with the lower minimum. */
  guardrails?: OTPGuardrails;
}

let shortSecretGuardrails: OTPGuardrails | undefined;

/** @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT` */
export function checkParameters(p: OtpParameters): CheckedParameters {
  checkOptions(p);
  if (!(p.secret instanceof Uint8Array)) {
    throw new OtpError('INVALID_SECRET', 'secret: expected a Uint8Array', { context: { field: 'secret' } });
  }
  const allowShort = p.allowShortSecret ?? false;
  if (typeof allowShort !== 'boolean') {
    throw new OtpError('INVALID_ARGUMENT', 'allowShortSecret: expected a boolean', {
      context: { field: 'allowShortSecret' },
    });
  }
  const min = allowShort ? MIN_SHORT_SECRET_BYTES : MIN_SECRET_BYTES;
  if (p.secret.length < min || p.secret.length > MAX_SECRET_BYTES) {
    throw new OtpError(
      'INVALID_SECRET',
      `secret: expected ${min}-${MAX_SECRET_BYTES} bytes, got ${p.secret.length}`,
      {
        context: { field: 'secret', length: p.secret.length },
      },
    );
  }
  const algorithm = ALGORITHMS[p.algorithm ?? 'SHA1'];
  if (algorithm === undefined || !Object.hasOwn(ALGORITHMS, p.algorithm ?? 'SHA1')) {
    throw new OtpError('INVALID_ARGUMENT', 'algorithm: expected SHA1, SHA256 or SHA512', {
      context: { field: 'algorithm' },
    });
  }
  const digits = p.digits ?? 6;
  checkInteger('digits', digits, 6, 8);
  if (p.secret.length < MIN_SECRET_BYTES) {
    shortSecretGuardrails ??= createGuardrails({ MIN_SECRET_BYTES: MIN_SHORT_SECRET_BYTES });
    return { secret: p.secret, algorithm, digits, guardrails: shortSecretGuardrails };
  }
  return { secret: p.secret, algorithm, digits };
}

/** True when `token` is exactly `digits` ASCII digits. */
export function isWellFormedToken(token: unknown, digits: number): token is string {
  return typeof token === 'string' && token.length === digits && /^[0-9]+$/.test(token);
}
