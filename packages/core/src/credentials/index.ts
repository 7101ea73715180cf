/**
 * @module
 * VNeID credential rules (docs/field-evidence.md §6): the account password (8–20 characters with a digit,
 * an upper-case and a lower-case letter and a special character from a configurable set) and
 * the 6-digit passcode. Each check lists every violated rule with a stable code and a
 * Vietnamese and English message.
 */
export {
  type CredentialCheck,
  type CredentialIssue,
  CredentialsError,
  type CredentialsErrorCode,
  type LocalizedMessage,
} from './credential-check.ts';
export {
  type CheckPasscodeOptions,
  checkPasscode,
  PASSCODE_LENGTH,
  type PasscodeCheck,
  type PasscodeRuleCode,
  type PasscodeWarningCode,
} from './passcode-rule.ts';
export {
  type CheckPasswordOptions,
  checkPassword,
  DEFAULT_PASSWORD_SPECIALS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordCheck,
  type PasswordRuleCode,
} from './password-rule.ts';
