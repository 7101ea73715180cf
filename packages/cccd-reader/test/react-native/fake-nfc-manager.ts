/**
 * A fake of react-native-nfc-manager 3.16.3's default export, for one platform at a time, in
 * front of an {@link ApduTransport} card (the software chip). It behaves as the module's JS layer
 * and native code do (see src/transport/react-native.ts for the sources), and is stricter where
 * the real one would silently misbehave:
 * - nothing answers before `requestTechnology('IsoDep')` resolved or after
 *   `cancelTechnologyRequest()` (Android: "no tech request available"; iOS: "Not even
 *   registered"); a second request while one is open fails ("You can only issue one request at
 *   a time");
 * - a command must be an array of integers 0–255 (the real bridge truncates other numbers to a
 *   byte; here it is a recorded violation and a rejection), a well-formed APDU (Core NFC's
 *   `NFCISO7816APDU initWithData:` refuses anything else), at most `getMaxTransceiveLength()`
 *   bytes and, when the controller has no extended-length support (limit ≤ 261), not extended
 *   (Android: "transceive fail");
 * - one exchange at a time (the native module is synchronized);
 * - when the card's link drops (the chip's `lostConnectionAt` fault, or {@link FakeNfc.loseTag})
 *   the tag is gone until the technology is requested again: Android rejects "transceive fail"
 *   (`TagLostException`), iOS `TagConnectionLost` (NFCError:100) with an empty message, as the
 *   JS layer builds it.
 * Violations are collected in `violations` so that a test can assert the transport made none.
 */
import { ReaderError } from '../../src/errors.ts';
import { type ApduTransport, parseCommandApdu } from '../../src/transport/index.ts';

/** react-native-nfc-manager's `NfcError` classes used here (src/NfcError.js). */
export class NfcErrorBase extends Error {}
export class TagConnectionLost extends NfcErrorBase {}
export class UserCancel extends NfcErrorBase {}

export interface FakeNfcOptions {
  platform: 'android' | 'ios';
  /** The card in the field. */
  card: ApduTransport;
  /** `IsoDep.getMaxTransceiveLength()` (Android; default 65279, a controller with extended-length support). */
  maxTransceiveLength?: number;
  /** Called before each command reaches the card (e.g. to make one hang). */
  beforeCommand?: (command: number[], index: number) => 'hang' | 'cancel' | undefined;
}

export interface FakeNfc {
  /** The module object to hand to createReactNativeTransport. */
  module: Record<string, unknown>;
  requestTechnology(tech: string | string[]): Promise<string>;
  cancelTechnologyRequest(): Promise<void>;
  /** The tag leaves the field: every exchange fails until the technology is requested again. */
  loseTag(): void;
  readonly violations: string[];
  readonly stats: { commands: number; extended: number; requests: number; timeoutMs: number | undefined };
}

const isExtended = (c: Uint8Array): boolean => c.length >= 7 && c[4] === 0;

export function createFakeNfcManager(options: FakeNfcOptions): FakeNfc {
  const { platform, card } = options;
  const maxLength = options.maxTransceiveLength ?? 65279;
  let request: { connected: boolean } | null = null;
  let busy = false;
  const violations: string[] = [];
  const stats = { commands: 0, extended: 0, requests: 0, timeoutMs: undefined as number | undefined };

  /** The native error as the JS layer hands it to the app. */
  const nativeError = (android: string, ios: Error | string): Error =>
    platform === 'android'
      ? new NfcErrorBase(android)
      : typeof ios === 'string'
        ? new NfcErrorBase(ios)
        : ios;
  const notRequested = (): Error => nativeError('no tech request available', 'Not even registered');
  const lost = (): Error => nativeError('transceive fail', new TagConnectionLost());

  const exchange = async (bytes: unknown): Promise<Uint8Array> => {
    if (!Array.isArray(bytes)) {
      // IsoDepHandler.transceive throws synchronously inside an async function.
      violations.push('command is not an array');
      throw new Error('IsoDepHandler.transceive only takes input as a byte array');
    }
    if (request === null) {
      violations.push('transceive without a technology request');
      throw notRequested();
    }
    if (busy) {
      violations.push('two exchanges at once');
      throw nativeError('transceive fail', new NfcErrorBase('NFCError:202'));
    }
    if (!bytes.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 0xff)) {
      violations.push('command holds a value that is not a byte');
      throw nativeError('transceive fail', 'NFCError:3');
    }
    const command = Uint8Array.from(bytes as number[]);
    try {
      parseCommandApdu(command);
    } catch {
      violations.push('malformed command APDU');
      throw nativeError('transceive fail', 'not an iso7816 tag');
    }
    if (platform === 'android' && (command.length > maxLength || (maxLength <= 261 && isExtended(command)))) {
      violations.push(`command of ${command.length} bytes over the controller's limit ${maxLength}`);
      throw nativeError('transceive fail', '');
    }
    if (!request.connected) throw lost();
    const index = stats.commands++;
    if (isExtended(command)) stats.extended++;
    const step = options.beforeCommand?.(bytes as number[], index);
    if (step === 'hang') return new Promise<Uint8Array>(() => {});
    if (step === 'cancel') {
      request = null;
      throw nativeError('cancelled', new UserCancel());
    }
    busy = true;
    try {
      return await card.transceive(command);
    } catch (e) {
      if (e instanceof ReaderError && e.code === 'TRANSPORT_FAILED') {
        request.connected = false;
        throw lost();
      }
      throw e;
    } finally {
      busy = false;
    }
  };

  const requireRequest = (): void => {
    if (request === null) {
      violations.push('call without a technology request');
      throw notRequested();
    }
  };

  const module: Record<string, unknown> =
    platform === 'android'
      ? {
          isoDepHandler: {
            async transceive(bytes: number[]): Promise<number[]> {
              return Array.from(await exchange(bytes));
            },
          },
          async setTimeout(timeout: number): Promise<void> {
            requireRequest();
            if (!Number.isInteger(timeout) || timeout <= 0) {
              violations.push('setTimeout with a bad value');
              throw new NfcErrorBase('java.lang.IllegalArgumentException');
            }
            stats.timeoutMs = timeout;
          },
          async getMaxTransceiveLength(): Promise<number> {
            requireRequest();
            return maxLength;
          },
        }
      : {
          async sendCommandAPDUIOS(
            bytes: number[],
          ): Promise<{ response: number[]; sw1: number; sw2: number }> {
            const r = await exchange(bytes);
            return {
              response: Array.from(r.subarray(0, r.length - 2)),
              sw1: r[r.length - 2] as number,
              sw2: r[r.length - 1] as number,
            };
          },
        };

  return {
    module,
    async requestTechnology(tech) {
      const techs = typeof tech === 'string' ? [tech] : tech;
      if (request !== null) throw new NfcErrorBase('You can only issue one request at a time');
      if (!techs.includes('IsoDep')) throw new Error('the fake only serves IsoDep');
      stats.requests++;
      // The tag is (back) in the field: a new connection; the chip lost its session in between.
      request = { connected: true };
      (card as { reconnect?: () => void }).reconnect?.();
      return 'IsoDep';
    },
    async cancelTechnologyRequest() {
      request = null;
    },
    loseTag() {
      if (request !== null) request.connected = false;
    },
    violations,
    stats,
  };
}
