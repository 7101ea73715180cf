/**
 * @module
 * `@vneid/cccd-reader`: read the Vietnamese CCCD / Căn cước chip with {@link readCard} over any
 * {@link ApduTransport} (a phone's NFC, a PC/SC reader, the software chip). The layers have
 * their own subpaths (`/transport`, `/sm`, `/protocols`, `/reading`, `/lds`, `/pa`,
 * `/emulator`). The root stays lean: passive authentication (`/pa`, pkijs) is loaded by
 * `readCard` on demand only when `authenticate.passive` is given.
 */
export { ReaderError, type ReaderErrorCode, type ReaderErrorContext } from './errors.ts';
export { LdsError, type LdsErrorCode } from './lds/lds-error.ts';
export { type ParsedLdsFile, parseLdsFile } from './lds/parse-lds-file.ts';
export {
  type AccessAttempt,
  AccessDeniedError,
  type AccessKeyForm,
  type AccessMethod,
  type CardFileName,
  DEFAULT_CARD_FILES,
  type ParseFailure,
  type ReadCardAuthenticate,
  type ReadCardFiles,
  type ReadCardOptions,
  type ReadCardProgressEvent,
  type ReadCardRaw,
  type ReadCardResult,
  type ReadCardVerification,
  readCard,
  type SkippedFile,
  type VerificationError,
} from './read-card.ts';
export {
  type CardSession,
  type CardSessionOptions,
  openCardSession,
  type SkippedRead,
  type SkipReason,
} from './reading/card-session.ts';
export type { ApduTransport, TransceiveOptions } from './transport/index.ts';
