/**
 * @module
 * PC/SC transport (`@vneid/cccd-reader/pcsc`, Node.js only): an {@link ApduTransport} over a
 * contact or contactless PC/SC reader, through the optional native binding `@pokusew/pcsclite`
 * (pcsc-lite on Linux, winscard on Windows and macOS). The binding is imported lazily, so
 * nothing else in the SDK needs it.
 *
 * ```ts
 * import { createPcscTransport } from '@vneid/cccd-reader/pcsc';
 * const transport = await createPcscTransport({ reader: /contactless|PICC/i });
 * try {
 *   const result = await readCard(transport, { idNumber });
 * } finally {
 *   await transport.close();
 * }
 * ```
 */
export {
  PCSC_BINDING_MODULE,
  type PcscBinding,
  type PcscBindingContext,
  type PcscBindingReader,
} from './binding.ts';
export { type ListPcscReadersOptions, listPcscReaders } from './list-readers.ts';
export { createPcscTransport, type PcscTransport, type PcscTransportOptions } from './transport.ts';
