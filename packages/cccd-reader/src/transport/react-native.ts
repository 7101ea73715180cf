/**
 * @module
 * An {@link ApduTransport} over react-native-nfc-manager v3 (ISO/IEC 14443-4 IsoDep on Android,
 * Core NFC `NFCISO7816Tag` on iOS), for `@vneid/cccd-reader/react-native`. The module object is
 * injected (`import NfcManager from 'react-native-nfc-manager'`; nothing here imports it): only
 * the members below are used, as react-native-nfc-manager 3.16.3 declares them in `index.d.ts`
 * and implements them in `src/NfcManagerAndroid.js`, `src/NfcManagerIOS.js`,
 * `src/NfcTech/IsoDepHandler.js` and `android/…/NfcManager.java`, `ios/NfcManager+IsoDep.m`:
 * - Android: `isoDepHandler.transceive(bytes: number[]): Promise<number[]>` (response data ‖
 *   SW1 ‖ SW2), `setTimeout(ms): Promise<void>` (`IsoDep.setTimeout`), and
 *   `getMaxTransceiveLength(): Promise<number>` (`IsoDep.getMaxTransceiveLength`, the largest
 *   command the controller sends). Every Java exception of `transceive` — `TagLostException`,
 *   an `IOException` for a command over the limit — is reported as the string
 *   `"transceive fail"`; without a technology request (before `requestTechnology`, after
 *   `cancelTechnologyRequest`) every call fails with `"no tech request available"`.
 * - iOS: `sendCommandAPDUIOS(bytes: number[]): Promise<{ response: number[]; sw1: number; sw2:
 *   number }>`. Core NFC errors arrive as `"NFCError:<code>"` strings, which the module's JS layer
 *   turns into its `NfcError` classes (`TagConnectionLost` 100, `SessionInvalidated` 103,
 *   `TagNotConnected` 104, `PacketTooLong` 105, `UserCancel` 200, `Timeout` 201, …) with an empty
 *   message; without a session it answers `"Not even registered"`, without a tag
 *   `"Not connected"`.
 *
 * Bytes cross the bridge as `number[]` and are checked both ways; inside they are `Uint8Array`.
 * Every failure of the native call is `ReaderError('TRANSPORT_FAILED')` with the kind in
 * `context.step` (`TAG_LOST`, `NOT_CONNECTED`, `TIMEOUT`, `COMMAND_TOO_LONG`, `TRANSCEIVE`) —
 * the code after which `readCard` calls its `reconnect` — except the user closing the iOS sheet
 * (`UserCancel`, Android `"cancelled"`): `ABORTED`, never retried. A timed-out or aborted
 * exchange leaves the transport broken (a late answer would pair with the next command): the
 * reconnection builds a new one. Extended length (ISO/IEC 7816-4 §5.1): Android reports the
 * controller's limit; 261 bytes is the longest short APDU (Android's `IsoDep` documentation),
 * so a limit above it is taken as extended-length support (react-native-nfc-manager does not
 * expose `IsoDep.isExtendedLengthApduSupported`), and at 261 or below the transport refuses
 * extended APDUs and tells the reader not to try. Core NFC has no such query and encodes
 * extended APDUs itself (`NFCISO7816APDU`): on iOS the limit is the ISO maximum, 65544 bytes, and
 * whether the chip takes them is left to the reader's probe (`extendedLength: 'auto'`, falling
 * back on 6700).
 */
import { ReaderError } from '../errors.ts';
import { type ApduTransport, type TransceiveOptions, throwIfAborted } from './transport.ts';

/** The Android members of react-native-nfc-manager's default export that the transport uses. */
export interface NfcManagerAndroidLike {
  isoDepHandler: { transceive(bytes: number[]): Promise<number[]> };
  setTimeout(timeout: number): Promise<void>;
  getMaxTransceiveLength(): Promise<number>;
}

/** The iOS member of react-native-nfc-manager's default export that the transport uses. */
export interface NfcManagerIosLike {
  sendCommandAPDUIOS(bytes: number[]): Promise<{ response: number[]; sw1: number; sw2: number }>;
}

/** Options of {@link createReactNativeTransport}. */
export interface ReactNativeTransportOptions {
  /** `Platform.OS`: which native API to call. */
  platform: 'android' | 'ios';
  /**
   * Android `IsoDep.setTimeout`, in ms (default 5000). The platform's default depends on the
   * phone's NFC stack and can be shorter than a chip needs for PACE or an RSA Active
   * Authentication signature; a timed-out exchange reports "transceive fail", as a lost tag does.
   */
  isoDepTimeoutMs?: number;
  /**
   * How long one exchange may take before it fails with `TRANSPORT_FAILED` (step `TIMEOUT`), in
   * ms: default 1000 more than the IsoDep timeout on Android, 10 000 on iOS.
   */
  timeoutMs?: number;
}

/** How the reader should size its reads over this transport (`readCard`'s `reading` option). */
export interface ReactNativeReadingOptions {
  extendedLength: 'auto' | false;
  extendedResponseLimit?: number;
}

/** An {@link ApduTransport} over react-native-nfc-manager. */
export interface ReactNativeTransport extends ApduTransport {
  readonly platform: 'android' | 'ios';
  /** Longest command APDU the phone sends, in bytes (see the module note). */
  readonly maxApduLength: number;
  /** Whether the phone carries extended-length APDUs (the chip may still refuse them). */
  readonly extendedLength: boolean;
  /** Pass as `readCard(transport, { reading: transport.reading, … })`. */
  readonly reading: ReactNativeReadingOptions;
  /** False once an exchange timed out, was aborted or lost the tag: reconnect. */
  readonly usable: boolean;
}

/** The longest short command APDU: header, Lc, 255 data bytes, Le (ISO/IEC 7816-4 §5.1). */
export const SHORT_APDU_MAX_LENGTH = 261;
/** The longest extended command APDU: header, 3-byte Lc, 65 535 data bytes, 2-byte Le. */
export const EXTENDED_APDU_MAX_LENGTH = 65544;
/** Response budget of an extended READ BINARY the transport suggests (the reader's default). */
const EXTENDED_RESPONSE_LIMIT = 4096;

/** What a failed native exchange was (see {@link classifyNativeError}). */
export type NativeFailureKind =
  | 'TAG_LOST'
  | 'NOT_CONNECTED'
  | 'TIMEOUT'
  | 'COMMAND_TOO_LONG'
  | 'TRANSCEIVE'
  | 'CANCELLED';

/** Core NFC `NFCReaderError` codes (ios/Util.m formats them as `NFCError:<code>`). */
const IOS_CODES: Readonly<Record<number, NativeFailureKind>> = {
  100: 'TAG_LOST',
  103: 'NOT_CONNECTED',
  104: 'NOT_CONNECTED',
  105: 'COMMAND_TOO_LONG',
  200: 'CANCELLED',
  201: 'TIMEOUT',
};

/** The `NfcError` class names of react-native-nfc-manager's JS layer. */
const CLASS_NAMES: Readonly<Record<string, NativeFailureKind>> = {
  TagConnectionLost: 'TAG_LOST',
  SessionInvalidated: 'NOT_CONNECTED',
  TagNotConnected: 'NOT_CONNECTED',
  PacketTooLong: 'COMMAND_TOO_LONG',
  UserCancel: 'CANCELLED',
  Timeout: 'TIMEOUT',
};

/** What a native rejection means (see the module note); never looks at chip data. */
export function classifyNativeError(error: unknown): NativeFailureKind {
  const text =
    typeof error === 'string' ? error : error instanceof Error ? error.message : String(error ?? '');
  const ios = /^NFCError:(\d+)/.exec(text);
  if (ios) return IOS_CODES[Number(ios[1])] ?? 'TRANSCEIVE';
  if (text === 'transceive fail') return 'TAG_LOST';
  if (text === 'cancelled') return 'CANCELLED';
  if (text === 'no tech request available' || text === 'Not connected' || text === 'Not even registered')
    return 'NOT_CONNECTED';
  if (error instanceof Error) {
    const name = error.constructor?.name;
    if (name !== undefined && CLASS_NAMES[name] !== undefined) return CLASS_NAMES[name];
  }
  return 'TRANSCEIVE';
}

const MESSAGES: Readonly<Record<NativeFailureKind, string>> = {
  TAG_LOST: 'the NFC tag was lost during an exchange',
  NOT_CONNECTED: 'no NFC tag is connected (request the IsoDep technology first)',
  TIMEOUT: 'the chip did not answer in time',
  COMMAND_TOO_LONG: 'the command APDU is longer than the phone can send',
  TRANSCEIVE: 'the NFC exchange failed',
  CANCELLED: 'the NFC session was cancelled',
};

function failure(kind: NativeFailureKind, cause?: unknown, length?: number): ReaderError {
  if (kind === 'CANCELLED') return new ReaderError('ABORTED', MESSAGES[kind], { cause });
  return new ReaderError('TRANSPORT_FAILED', MESSAGES[kind], {
    cause,
    context: { step: kind, ...(length === undefined ? {} : { length }) },
  });
}

function toNumbers(bytes: Uint8Array): number[] {
  return Array.from(bytes);
}

function toBytes(value: unknown, what: string): Uint8Array {
  if (!Array.isArray(value))
    throw new ReaderError('INVALID_RESPONSE', `expected the ${what} as an array of bytes`);
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 0xff)
      throw new ReaderError(
        'INVALID_RESPONSE',
        `the ${what} holds a value that is not a byte at index ${i}`,
        {
          context: { offset: i },
        },
      );
    out[i] = b;
  }
  return out;
}

/** Whether a command APDU uses extended length fields (ISO/IEC 7816-4 §5.1). */
function isExtended(command: Uint8Array): boolean {
  // Case 2E/3E/4E: the fifth byte is 00 followed by at least two more length bytes.
  return command.length >= 7 && command[4] === 0;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > 600_000)
    throw new ReaderError('INVALID_ARGUMENT', `${name} must be a whole number of milliseconds (1–600000)`);
  return value;
}

/**
 * A transport over the IsoDep tag react-native-nfc-manager is connected to. Call it after
 * `await NfcManager.requestTechnology(NfcTech.IsoDep)`; on Android it sets the IsoDep timeout and
 * reads the controller's transceive limit. After a lost tag, cancel the request, request the
 * technology again and create a new transport (return it from `readCard`'s `reconnect`).
 * @throws {ReaderError} `INVALID_ARGUMENT` (no such member on the module, bad options),
 * `TRANSPORT_FAILED` (no tag connected), `ABORTED` (the user cancelled)
 */
export async function createReactNativeTransport(
  nfcManager: NfcManagerAndroidLike | NfcManagerIosLike,
  options: ReactNativeTransportOptions,
): Promise<ReactNativeTransport> {
  const platform = options?.platform;
  if (platform !== 'android' && platform !== 'ios')
    throw new ReaderError('INVALID_ARGUMENT', "options.platform must be 'android' or 'ios' (Platform.OS)");
  const isoDepTimeoutMs = positiveInteger('isoDepTimeoutMs', options.isoDepTimeoutMs, 5000);
  const timeoutMs = positiveInteger(
    'timeoutMs',
    options.timeoutMs,
    platform === 'android' ? isoDepTimeoutMs + 1000 : 10_000,
  );
  let send: (command: number[]) => Promise<Uint8Array>;
  let maxApduLength: number;
  if (platform === 'android') {
    const android = nfcManager as Partial<NfcManagerAndroidLike>;
    if (
      typeof android?.isoDepHandler?.transceive !== 'function' ||
      typeof android.setTimeout !== 'function' ||
      typeof android.getMaxTransceiveLength !== 'function'
    )
      throw new ReaderError(
        'INVALID_ARGUMENT',
        'expected react-native-nfc-manager (isoDepHandler.transceive, setTimeout, getMaxTransceiveLength)',
      );
    const handler = android.isoDepHandler;
    let max: unknown;
    try {
      await android.setTimeout(isoDepTimeoutMs);
      max = await android.getMaxTransceiveLength();
    } catch (e) {
      throw failure(classifyNativeError(e), e);
    }
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 5)
      throw new ReaderError('INVALID_RESPONSE', 'getMaxTransceiveLength did not return a length');
    maxApduLength = max;
    send = async (command) => toBytes(await handler.transceive(command), 'response');
  } else {
    const ios = nfcManager as Partial<NfcManagerIosLike>;
    if (typeof ios?.sendCommandAPDUIOS !== 'function')
      throw new ReaderError('INVALID_ARGUMENT', 'expected react-native-nfc-manager (sendCommandAPDUIOS)');
    maxApduLength = EXTENDED_APDU_MAX_LENGTH;
    send = async (command) => {
      const answer: unknown = await (ios as NfcManagerIosLike).sendCommandAPDUIOS(command);
      const { response, sw1, sw2 } = (answer ?? {}) as { response?: unknown; sw1?: unknown; sw2?: unknown };
      const data = toBytes(response, 'response data');
      const sw = toBytes([sw1, sw2], 'status word');
      const out = new Uint8Array(data.length + 2);
      out.set(data);
      out.set(sw, data.length);
      return out;
    };
  }
  const extendedLength = maxApduLength > SHORT_APDU_MAX_LENGTH;
  const reading: ReactNativeReadingOptions = extendedLength
    ? { extendedLength: 'auto', extendedResponseLimit: Math.min(EXTENDED_RESPONSE_LIMIT, maxApduLength) }
    : { extendedLength: false };
  let usable = true;
  let busy = false;

  return {
    platform,
    maxApduLength,
    extendedLength,
    reading,
    get usable() {
      return usable;
    },
    async transceive(command: Uint8Array, opts?: TransceiveOptions): Promise<Uint8Array> {
      throwIfAborted(opts?.signal);
      if (!(command instanceof Uint8Array) || command.length < 4)
        throw new ReaderError('INVALID_ARGUMENT', 'a command APDU is a Uint8Array of at least 4 bytes');
      if (!usable) throw failure('NOT_CONNECTED');
      if (busy)
        throw new ReaderError('INVALID_ARGUMENT', 'one exchange at a time: await the previous transceive');
      if (command.length > maxApduLength || (!extendedLength && isExtended(command)))
        throw failure('COMMAND_TOO_LONG', undefined, command.length);
      busy = true;
      const signal = opts?.signal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      try {
        return await new Promise<Uint8Array>((resolve, reject) => {
          timer = setTimeout(() => {
            usable = false;
            reject(failure('TIMEOUT'));
          }, timeoutMs);
          onAbort = (): void => {
            usable = false;
            reject(new ReaderError('ABORTED', 'the operation was aborted', { cause: signal?.reason }));
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          send(toNumbers(command)).then(resolve, (e: unknown) => {
            if (e instanceof ReaderError) return reject(e);
            const kind = classifyNativeError(e);
            if (kind !== 'COMMAND_TOO_LONG') usable = false;
            reject(failure(kind, e));
          });
        });
      } finally {
        busy = false;
        clearTimeout(timer);
        if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
