/**
 * @module
 * `@vneid/cccd-reader/react-native`: the {@link ApduTransport} over react-native-nfc-manager v3
 * (Android IsoDep, iOS Core NFC ISO 7816 tag; ISO/IEC 14443-4 and ISO/IEC 7816-4 APDUs). The
 * NFC module is passed in, so this subpath has no dependency on it.
 *
 * @example
 * ```ts
 * import { readCard } from '@vneid/cccd-reader';
 * import { createReactNativeTransport, type NfcManagerAndroidLike } from '@vneid/cccd-reader/react-native';
 *
 * declare const NfcManager: NfcManagerAndroidLike & {
 *   requestTechnology(tech: string): Promise<unknown>;
 *   cancelTechnologyRequest(): Promise<void>;
 * };
 * await NfcManager.requestTechnology('IsoDep');
 * const transport = await createReactNativeTransport(NfcManager, { platform: 'android' });
 * const result = await readCard(transport, {
 *   idNumber: '001099012345',
 *   reading: transport.reading,
 *   reconnect: async () => {
 *     await NfcManager.cancelTechnologyRequest();
 *     await NfcManager.requestTechnology('IsoDep');
 *     return createReactNativeTransport(NfcManager, { platform: 'android' });
 *   },
 * });
 * ```
 */
export { ReaderError, type ReaderErrorCode } from '../errors.ts';
export {
  classifyNativeError,
  createReactNativeTransport,
  EXTENDED_APDU_MAX_LENGTH,
  type NativeFailureKind,
  type NfcManagerAndroidLike,
  type NfcManagerIosLike,
  type ReactNativeReadingOptions,
  type ReactNativeTransport,
  type ReactNativeTransportOptions,
  SHORT_APDU_MAX_LENGTH,
} from '../transport/react-native.ts';
export type { ApduTransport } from '../transport/transport.ts';
