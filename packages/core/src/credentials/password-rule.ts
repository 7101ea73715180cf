/**
 * @module
 * The VNeID account password rule (docs/field-evidence.md §6, VNeID user guides): 8–20 characters with at
 * least one digit, one upper-case letter, one lower-case letter and one special character.
 * The guides list the specials `!@#$%^*()` (one also shows `_`), so the set is configurable.
 * Letters are ASCII `A–Z` / `a–z`; any character that is not an ASCII letter, a digit or an
 * allowed special (spaces, letters with diacritics, other symbols) is reported as well.
 */
import {
  type CredentialCheck,
  type CredentialIssue,
  CredentialsError,
  checkOptions,
} from './credential-check.ts';

/** Default special characters accepted by VNeID. */
export const DEFAULT_PASSWORD_SPECIALS = '!@#$%^*()';
/** Minimum password length. */
export const PASSWORD_MIN_LENGTH = 8;
/** Maximum password length. */
export const PASSWORD_MAX_LENGTH = 20;

/** Codes of password rule violations. */
export type PasswordRuleCode =
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'MISSING_DIGIT'
  | 'MISSING_UPPERCASE'
  | 'MISSING_LOWERCASE'
  | 'MISSING_SPECIAL'
  | 'DISALLOWED_CHARACTER';

/** Result of {@link checkPassword}. */
export type PasswordCheck = CredentialCheck<PasswordRuleCode>;

/** Options of {@link checkPassword}. */
export interface CheckPasswordOptions {
  /** Allowed special characters (printable ASCII, not letters, digits or space). Default `!@#$%^*()`. */
  specials?: string;
}

function validateSpecials(specials: string): void {
  if (typeof specials !== 'string' || specials.length === 0) {
    throw new CredentialsError('INVALID_SPECIALS', 'The special-character set must be a non-empty string');
  }
  for (const c of specials) {
    const code = c.charCodeAt(0);
    const printable = c.length === 1 && code > 0x20 && code < 0x7f;
    if (!printable || /[A-Za-z0-9]/.test(c)) {
      throw new CredentialsError(
        'INVALID_SPECIALS',
        'Special characters must be printable ASCII symbols (not letters, digits or spaces)',
      );
    }
  }
}

/**
 * Checks a password against the VNeID rule and lists every violated rule.
 * A non-string password is reported as violations (like an empty one), never thrown.
 * @throws {CredentialsError} `INVALID_SPECIALS` when `options.specials` is unusable;
 *   `INVALID_ARGUMENT` when `options` is not an object.
 */
export function checkPassword(password: string, options?: CheckPasswordOptions): PasswordCheck {
  const specials = checkOptions(options).specials ?? DEFAULT_PASSWORD_SPECIALS;
  validateSpecials(specials);
  const pw = typeof password === 'string' ? password : '';
  const chars = [...pw];
  let digit = false;
  let upper = false;
  let lower = false;
  let special = false;
  let disallowed = false;
  for (const c of chars) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= 'a' && c <= 'z') lower = true;
    else if (specials.includes(c)) special = true;
    else disallowed = true;
  }
  const violations: CredentialIssue<PasswordRuleCode>[] = [];
  if (chars.length < PASSWORD_MIN_LENGTH) {
    violations.push({
      code: 'TOO_SHORT',
      message: {
        vi: `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`,
        en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
      },
    });
  }
  if (chars.length > PASSWORD_MAX_LENGTH) {
    violations.push({
      code: 'TOO_LONG',
      message: {
        vi: `Mật khẩu chỉ được có tối đa ${PASSWORD_MAX_LENGTH} ký tự.`,
        en: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
      },
    });
  }
  if (!digit) {
    violations.push({
      code: 'MISSING_DIGIT',
      message: { vi: 'Mật khẩu phải có ít nhất một chữ số.', en: 'The password must contain a digit.' },
    });
  }
  if (!upper) {
    violations.push({
      code: 'MISSING_UPPERCASE',
      message: {
        vi: 'Mật khẩu phải có ít nhất một chữ cái viết hoa (A–Z).',
        en: 'The password must contain an upper-case letter (A–Z).',
      },
    });
  }
  if (!lower) {
    violations.push({
      code: 'MISSING_LOWERCASE',
      message: {
        vi: 'Mật khẩu phải có ít nhất một chữ cái viết thường (a–z).',
        en: 'The password must contain a lower-case letter (a–z).',
      },
    });
  }
  if (!special) {
    violations.push({
      code: 'MISSING_SPECIAL',
      message: {
        vi: `Mật khẩu phải có ít nhất một ký tự đặc biệt (${specials}).`,
        en: `The password must contain a special character (${specials}).`,
      },
    });
  }
  if (disallowed) {
    violations.push({
      code: 'DISALLOWED_CHARACTER',
      message: {
        vi: `Mật khẩu chỉ được gồm chữ cái không dấu, chữ số và các ký tự đặc biệt ${specials} (không dấu cách, không chữ có dấu).`,
        en: `The password may only contain unaccented letters, digits and the special characters ${specials} (no spaces or accented letters).`,
      },
    });
  }
  return { ok: violations.length === 0, violations, warnings: [] };
}
