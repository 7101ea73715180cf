/**
 * @module
 * The reading layer (`@vneid/cccd-reader/reading`): SELECT by file ID (never SELECT MF) or
 * implicit selection by short EF identifier in the first READ BINARY, and READ BINARY of whole
 * files in the largest chunks the chip accepts — extended length when supported, short Le sized for secure messaging otherwise, 6700/6Cxx fallbacks, odd INS
 * above offset 32767 — with progress events and resumption after a lost connection.
 */
export {
  berLengthSize,
  DEFAULT_EXTENDED_RESPONSE_LIMIT,
  MAX_EXTENDED_RESPONSE_LIMIT,
  maxPlainChunk,
  oddInsResponseLength,
  type SecureMessagingKind,
  SHORT_RESPONSE_LIMIT,
  SHRINK_STEPS,
  shrinkChunk,
  smResponseLength,
} from './chunk-size.ts';
export {
  createFileReader,
  type FileReader,
  type FileReaderOptions,
  type FileReaderState,
  type FileReadProgressEvent,
  HEADER_READ_LENGTH,
  MAX_EVEN_INS_OFFSET,
  type ReadFileOptions,
  readFile,
  tlvTotalLength,
} from './file-reader.ts';
export { ReadProgress } from './read-progress.ts';
export { EMRTD_AID, type SelectOptions, selectApplication, selectFile } from './select.ts';
