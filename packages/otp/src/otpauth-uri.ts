/**
 * @module
 * otpauth:// URIs, the Key URI Format that authenticator apps read from QR codes
 * (google-authenticator wiki "Key Uri Format": `otpauth://TYPE/LABEL?PARAMETERS`, label
 * `issuer:account`, Base32 `secret`, optional `issuer`, `algorithm`, `digits`, `period`, and
 * `counter` required for HOTP). Building goes through otplib's URI generator after checking
 * every field; parsing is strict and reports every defect with its own {@link OtpError} code.
 */
import { generateURI } from 'otplib';
import { decodeBase32, encodeBase32 } from './base32.ts';
import type { OtpErrorCode } from './errors.ts';
import { OtpError } from './errors.ts';
import { checkInteger, MAX_SECRET_BYTES, MIN_SECRET_BYTES, MIN_SHORT_SECRET_BYTES } from './option-checks.ts';
import type { OtpAlgorithm } from './otp-parameters.ts';
import { checkParameters } from './otp-parameters.ts';

interface OtpauthCommon {
  /** Shared secret, 16–64 bytes (written as unpadded Base32). */
  secret: Uint8Array;
  /** Also accept a secret of 10–15 bytes (an existing 80-bit enrolment); default false. */
  allowShortSecret?: boolean;
  /** Account name shown in the app (e.g. an e-mail); must not contain `:`. */
  account: string;
  /** Provider shown in the app (e.g. `VNeID`); must not contain `:`. */
  issuer?: string;
  /** Default `SHA1` (the only value some apps honour). */
  algorithm?: OtpAlgorithm;
  /** 6–8; default 6. */
  digits?: number;
}

/** Input of {@link buildOtpauthUri}. */
export type OtpauthUriOptions =
  | (OtpauthCommon & { type: 'totp' /** Seconds, 1–3600; default 30. */; period?: number })
  | (OtpauthCommon & { type: 'hotp' /** Initial counter; default 0. */; counter?: number });

interface ParsedCommon {
  secret: Uint8Array;
  /** Present (true) when the secret has 10–15 bytes, so that the result can be passed to `verifyTotp`/`verifyHotp` as is. */
  allowShortSecret?: true;
  account: string;
  /** From the `issuer` parameter or, failing that, the label prefix. */
  issuer?: string;
  algorithm: OtpAlgorithm;
  digits: number;
}

/** Result of {@link parseOtpauthUri}: every default filled in. */
export type OtpauthUri =
  | (ParsedCommon & { type: 'totp'; period: number })
  | (ParsedCommon & { type: 'hotp'; counter: number });

/** Options of {@link parseOtpauthUri}. */
export interface ParseOtpauthUriOptions {
  /** Ignore parameters this parser does not know (e.g. `image`) instead of rejecting them; default false. */
  allowUnknownParameters?: boolean;
}

function checkName(field: 'account' | 'issuer', value: unknown): string {
  if (typeof value !== 'string' || !/^[^: \u0000-\u001f\u007f][^:\u0000-\u001f\u007f]*$/.test(value)) {
    throw new OtpError(
      'INVALID_ARGUMENT',
      `${field}: expected a non-empty text without ':', control characters or a leading space`,
      {
        context: { field },
      },
    );
  }
  return value;
}

/**
 * An otpauth:// URI for an authenticator app (label `issuer:account`, `issuer` parameter, and
 * only the non-default `algorithm`, `digits` and `period`).
 * @throws {OtpError} `INVALID_SECRET`, `INVALID_ARGUMENT`
 */
export function buildOtpauthUri(options: OtpauthUriOptions): string {
  const p = checkParameters(options);
  const account = checkName('account', options.account);
  const issuer = options.issuer === undefined ? '' : checkName('issuer', options.issuer);
  const common = {
    issuer,
    label: account,
    secret: encodeBase32(p.secret),
    algorithm: p.algorithm,
    digits: p.digits,
  };
  try {
    if (options.type === 'totp') {
      const period = options.period ?? 30;
      checkInteger('period', period, 1, 3600);
      return generateURI({ strategy: 'totp', ...common, period });
    }
    if (options.type === 'hotp') {
      const counter = options.counter ?? 0;
      checkInteger('counter', counter, 0, Number.MAX_SAFE_INTEGER);
      return generateURI({ strategy: 'hotp', ...common, counter });
    }
  } catch (cause) {
    if (cause instanceof OtpError) throw cause;
    // encodeURIComponent refuses lone surrogates.
    throw new OtpError('INVALID_ARGUMENT', 'account or issuer: not well-formed Unicode', {
      cause,
      context: { field: 'label' },
    });
  }
  throw new OtpError('INVALID_ARGUMENT', 'type: expected totp or hotp', { context: { field: 'type' } });
}

function fail(code: OtpErrorCode, message: string, field: string): never {
  throw new OtpError(code, `otpauth URI: ${message}`, { context: { field } });
}

/** Percent-decoding; in the query `+` is a space (as `URLSearchParams` reads it). */
function decodePart(raw: string, code: OtpErrorCode, field: string, plusIsSpace: boolean): string {
  if (/[\u0000-\u0020\u007f-\uffff#]/.test(raw))
    fail(code, `${field}: characters that must be percent-encoded`, field);
  try {
    return decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
  } catch {
    return fail(code, `${field}: bad percent-encoding`, field);
  }
}

const KNOWN = new Set(['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter']);
const ALGORITHMS = new Set<string>(['SHA1', 'SHA256', 'SHA512']);

/**
 * Strict otpauth:// parser. Scheme, type and the Base32 `secret` are case-insensitive, and the
 * secret may have 10–64 bytes (the 80-bit, 16-character secrets authenticator apps often show
 * are accepted; the result then has `allowShortSecret: true`); everything else must be as
 * the Key URI Format describes it.
 * @throws {OtpError} `URI_SCHEME`, `URI_TYPE`, `URI_LABEL`, `URI_PARAMETER`, `URI_SECRET`,
 *   `URI_ALGORITHM`, `URI_DIGITS`, `URI_PERIOD`, `URI_COUNTER`, `URI_ISSUER`
 */
export function parseOtpauthUri(uri: string, options: ParseOtpauthUriOptions = {}): OtpauthUri {
  if (typeof uri !== 'string' || !/^otpauth:\/\//i.test(uri))
    fail('URI_SCHEME', 'expected otpauth://', 'scheme');
  const rest = uri.slice('otpauth://'.length);
  const slash = rest.indexOf('/');
  const type = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
  if (type !== 'totp' && type !== 'hotp') fail('URI_TYPE', 'expected type totp or hotp', 'type');
  if (slash === -1) fail('URI_LABEL', 'no label', 'label');
  const afterType = rest.slice(slash + 1);
  const q = afterType.indexOf('?');
  const rawLabel = q === -1 ? afterType : afterType.slice(0, q);
  const rawQuery = q === -1 ? '' : afterType.slice(q + 1);

  const label = decodePart(rawLabel, 'URI_LABEL', 'label', false);
  if (/[\u0000-\u001f\u007f]/.test(label)) fail('URI_LABEL', 'control characters in the label', 'label');
  const colon = label.indexOf(':');
  if (colon !== -1 && label.indexOf(':', colon + 1) !== -1) fail('URI_LABEL', 'more than one ":"', 'label');
  const labelIssuer = colon === -1 ? undefined : label.slice(0, colon);
  // The Key URI Format allows spaces after the colon.
  const account = colon === -1 ? label : label.slice(colon + 1).replace(/^ +/, '');
  if (labelIssuer === '') fail('URI_LABEL', 'empty issuer before ":"', 'label');
  if (account === '') fail('URI_LABEL', 'empty account name', 'label');

  const params = new Map<string, string>();
  if (rawQuery !== '') {
    for (const pair of rawQuery.split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) fail('URI_PARAMETER', 'expected name=value', 'query');
      const name = decodePart(pair.slice(0, eq), 'URI_PARAMETER', 'query', true);
      const value = decodePart(pair.slice(eq + 1), 'URI_PARAMETER', 'query', true);
      if (params.has(name)) fail('URI_PARAMETER', `repeated parameter ${name}`, name);
      if (!KNOWN.has(name)) {
        if (options.allowUnknownParameters === true) continue;
        fail('URI_PARAMETER', 'unknown parameter', 'query');
      }
      params.set(name, value);
    }
  }

  const secretText = params.get('secret');
  if (secretText === undefined) fail('URI_SECRET', 'no secret', 'secret');
  let secret: Uint8Array;
  try {
    // Authenticator apps and enrolment pages write the secret in either case.
    secret = decodeBase32(secretText.toUpperCase());
  } catch (cause) {
    throw new OtpError('URI_SECRET', 'otpauth URI: secret is not strict Base32', {
      cause,
      context: { field: 'secret' },
    });
  }
  if (secret.length < MIN_SHORT_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
    throw new OtpError('URI_SECRET', `otpauth URI: secret must be 10-64 bytes, got ${secret.length}`, {
      context: { field: 'secret', length: secret.length },
    });
  }

  const issuerParam = params.get('issuer');
  if (issuerParam !== undefined) {
    if (issuerParam === '' || issuerParam.includes(':'))
      fail('URI_ISSUER', 'issuer is empty or contains ":"', 'issuer');
    if (labelIssuer !== undefined && labelIssuer !== issuerParam)
      fail('URI_ISSUER', 'label prefix and issuer differ', 'issuer');
  }
  const issuer = issuerParam ?? labelIssuer;

  const algorithmText = params.get('algorithm') ?? 'SHA1';
  if (!ALGORITHMS.has(algorithmText)) fail('URI_ALGORITHM', 'expected SHA1, SHA256 or SHA512', 'algorithm');
  const algorithm = algorithmText as OtpAlgorithm;

  const digitsText = params.get('digits') ?? '6';
  if (!/^[678]$/.test(digitsText)) fail('URI_DIGITS', 'expected 6, 7 or 8', 'digits');
  const digits = Number(digitsText);

  const common: ParsedCommon = {
    secret,
    ...(secret.length < MIN_SECRET_BYTES ? { allowShortSecret: true as const } : {}),
    account,
    algorithm,
    digits,
    ...(issuer === undefined ? {} : { issuer }),
  };
  if (type === 'totp') {
    if (params.has('counter')) fail('URI_COUNTER', 'counter in a TOTP URI', 'counter');
    const periodText = params.get('period') ?? '30';
    const period = /^[1-9][0-9]{0,3}$/.test(periodText) ? Number(periodText) : 0;
    if (period < 1 || period > 3600) fail('URI_PERIOD', 'expected whole seconds in 1-3600', 'period');
    return { type, ...common, period };
  }
  if (params.has('period')) fail('URI_PERIOD', 'period in an HOTP URI', 'period');
  const counterText = params.get('counter');
  if (counterText === undefined) fail('URI_COUNTER', 'HOTP URI without counter', 'counter');
  const counter = /^(0|[1-9][0-9]{0,15})$/.test(counterText) ? Number(counterText) : -1;
  if (!Number.isSafeInteger(counter) || counter < 0)
    fail('URI_COUNTER', 'expected a non-negative safe integer', 'counter');
  return { type, ...common, counter };
}
