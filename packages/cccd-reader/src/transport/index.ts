/**
 * @module
 * APDU transport (`@vneid/cccd-reader/transport`): the {@link ApduTransport} interface, command
 * and response APDUs in short and extended length, and readable status words.
 */
export { ReaderError, type ReaderErrorCode, type ReaderErrorContext } from '../errors.ts';
export {
  buildCommandApdu,
  buildResponseApdu,
  type CommandApdu,
  parseCommandApdu,
  parseResponseApdu,
  type ResponseApdu,
} from './apdu.ts';
export { statusWordName } from './status-words.ts';
export {
  type ApduTransport,
  createScriptedTransport,
  type ScriptedExchange,
  type ScriptedTransport,
  type TransceiveOptions,
  throwIfAborted,
} from './transport.ts';
