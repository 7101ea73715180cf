/**
 * @module
 * Shared shape of VNeID credential checks (docs/field-evidence.md §6, from the public VNeID user guides):
 * every violated rule is reported, each with a stable code and a Vietnamese and English
 * message. Messages never repeat the credential or any of its characters.
 */
import { optionsObject } from '../errors/arguments.ts';
import { CoreError } from '../errors/index.ts';

/** A message in Vietnamese and English. */
export interface LocalizedMessage {
  vi: string;
  en: string;
}

/** One violated rule (or warning). */
export interface CredentialIssue<Code extends string> {
  code: Code;
  message: LocalizedMessage;
}

/** Result of a credential check: `ok` is true exactly when `violations` is empty. */
export interface CredentialCheck<Code extends string, WarningCode extends string = never> {
  ok: boolean;
  /** Every rule the credential breaks, in a fixed order. */
  violations: CredentialIssue<Code>[];
  /** Advice that does not make the credential invalid (e.g. a trivial passcode). */
  warnings: CredentialIssue<WarningCode>[];
}

/** Codes of {@link CredentialsError}. */
export type CredentialsErrorCode =
  | 'INVALID_SPECIALS'
  /**
   * The options argument is not an object, or an option has the wrong type (the spelling of
   * every `@vneid/*` package; it was `INVALID_OPTIONS` before 0.1.0).
   */
  | 'INVALID_ARGUMENT';

/**
 * `options` as an object (`undefined` → `{}`); throws `INVALID_ARGUMENT` for null, primitives,
 * arrays and functions (callers without TypeScript).
 */
export function checkOptions<T extends object>(options: T | undefined): T {
  return optionsObject(options, (message) => new CredentialsError('INVALID_ARGUMENT', message));
}

/** Error thrown for invalid check options (never for an invalid credential: that is a result). */
export class CredentialsError extends CoreError<CredentialsErrorCode, Record<string, never>> {}
