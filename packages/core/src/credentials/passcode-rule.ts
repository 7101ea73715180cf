/**
 * @module
 * The VNeID passcode rule (docs/field-evidence.md §6, VNeID user guides): exactly 6 ASCII digits. Trivial
 * passcodes (one repeated digit, ascending or descending runs, a repeated 2- or 3-digit
 * pattern, or the holder's date of birth) are allowed by the rule and reported as warnings.
 */
import {
  type CredentialCheck,
  type CredentialIssue,
  CredentialsError,
  checkOptions,
} from './credential-check.ts';

/** Length of a passcode. */
export const PASSCODE_LENGTH = 6;

/** Codes of passcode rule violations. */
export type PasscodeRuleCode = 'WRONG_LENGTH' | 'NOT_DIGITS';

/** Codes of passcode warnings. */
export type PasscodeWarningCode =
  | 'REPEATED_DIGIT'
  | 'SEQUENTIAL_DIGITS'
  | 'REPEATED_PATTERN'
  | 'DATE_OF_BIRTH';

/** Result of {@link checkPasscode}. */
export type PasscodeCheck = CredentialCheck<PasscodeRuleCode, PasscodeWarningCode>;

/** Options of {@link checkPasscode}. */
export interface CheckPasscodeOptions {
  /** Holder's date of birth (`YYYY-MM-DD`): warns when the passcode is ddmmyy, yymmdd or mmddyy. */
  dateOfBirth?: string;
}

function isRun(code: string, step: 1 | -1): boolean {
  for (let i = 1; i < code.length; i++) {
    if ((code.charCodeAt(i) - code.charCodeAt(i - 1) + 10) % 10 !== (step + 10) % 10) return false;
  }
  return true;
}

/**
 * Checks a passcode (exactly 6 digits) and lists every violated rule and every warning. A
 * non-string passcode is reported as violations, never thrown.
 * @throws {CredentialsError} `INVALID_ARGUMENT` when `options` is not an object or
 *   `options.dateOfBirth` is not a string.
 */
export function checkPasscode(passcode: string, options?: CheckPasscodeOptions): PasscodeCheck {
  const opts = checkOptions(options);
  if (opts.dateOfBirth !== undefined && typeof opts.dateOfBirth !== 'string') {
    throw new CredentialsError('INVALID_ARGUMENT', 'Expected options.dateOfBirth to be a YYYY-MM-DD string');
  }
  const code = typeof passcode === 'string' ? passcode : '';
  const violations: CredentialIssue<PasscodeRuleCode>[] = [];
  const warnings: CredentialIssue<PasscodeWarningCode>[] = [];
  const length = [...code].length;
  if (length !== PASSCODE_LENGTH) {
    violations.push({
      code: 'WRONG_LENGTH',
      message: {
        vi: `Mã bảo vệ (passcode) phải gồm đúng ${PASSCODE_LENGTH} chữ số.`,
        en: `The passcode must be exactly ${PASSCODE_LENGTH} digits long.`,
      },
    });
  }
  if (!/^[0-9]*$/.test(code)) {
    violations.push({
      code: 'NOT_DIGITS',
      message: {
        vi: 'Mã bảo vệ (passcode) chỉ được gồm chữ số 0–9.',
        en: 'The passcode may only contain the digits 0–9.',
      },
    });
  }
  if (violations.length === 0) {
    if (/^(.)\1*$/.test(code)) {
      warnings.push({
        code: 'REPEATED_DIGIT',
        message: {
          vi: 'Mã bảo vệ chỉ lặp lại một chữ số, rất dễ đoán.',
          en: 'The passcode repeats a single digit and is easy to guess.',
        },
      });
    } else if (isRun(code, 1) || isRun(code, -1)) {
      warnings.push({
        code: 'SEQUENTIAL_DIGITS',
        message: {
          vi: 'Mã bảo vệ là dãy số liên tiếp, rất dễ đoán.',
          en: 'The passcode is a run of consecutive digits and is easy to guess.',
        },
      });
    } else if (/^(..)\1\1$/.test(code) || /^(...)\1$/.test(code)) {
      warnings.push({
        code: 'REPEATED_PATTERN',
        message: {
          vi: 'Mã bảo vệ lặp lại một nhóm số ngắn, dễ đoán.',
          en: 'The passcode repeats a short group of digits and is easy to guess.',
        },
      });
    }
    const dob =
      opts.dateOfBirth !== undefined
        ? /^[0-9]{2}([0-9]{2})-([0-9]{2})-([0-9]{2})$/.exec(opts.dateOfBirth)
        : null;
    if (dob) {
      const yy = dob[1]!;
      const mm = dob[2]!;
      const dd = dob[3]!;
      if ([dd + mm + yy, yy + mm + dd, mm + dd + yy].includes(code)) {
        warnings.push({
          code: 'DATE_OF_BIRTH',
          message: {
            vi: 'Mã bảo vệ trùng với ngày sinh, dễ bị đoán.',
            en: 'The passcode is the date of birth and is easy to guess.',
          },
        });
      }
    }
  }
  return { ok: violations.length === 0, violations, warnings };
}
