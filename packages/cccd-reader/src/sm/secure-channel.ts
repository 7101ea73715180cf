/**
 * @module
 * The secure channel: an {@link ApduTransport} that protects every plain command APDU and
 * unprotects the card's response (ICAO Doc 9303 Part 11 §9.8). Exchanges are serialised so
 * the SSC always follows the order the card sees. A protected response the chip sends in parts
 * (61xx, ISO/IEC 7816-4) is joined with plain GET RESPONSE commands before it is checked.
 */
import { completeResponse } from '../transport/get-response.ts';
import { type ApduTransport, type TransceiveOptions, throwIfAborted } from '../transport/index.ts';
import type { SecureMessagingKeys } from './keys.ts';
import { openSession } from './session.ts';
import { protectCommand, unprotectResponse } from './terminal.ts';

/** A transport speaking secure messaging with the card. */
export interface SecureChannel extends ApduTransport {
  readonly cipher: '3des' | 'aes';
  readonly keyBits: 128 | 192 | 256;
  /** Switches to new session keys and SSC (chip authentication). */
  rekey(keys: SecureMessagingKeys): void;
  /**
   * Whether the last response came back protected (DO'99' and a verified DO'8E'): `false`
   * before the first exchange, after a bare status word (e.g. 6982 from a chip that has lost
   * its session) and after an exchange that failed. Optional so other implementations stay
   * valid; {@link createSecureChannel} always sets it (absent: unknown).
   */
  readonly lastResponseProtected?: boolean;
}

/**
 * Wraps `inner` in secure messaging with the given session keys. `transceive` takes a plain
 * command APDU and resolves with the plain response (data ‖ SW from DO'99'). A bare error status
 * word without SM objects (e.g. 6982, 6A82) is returned as it is; the SSC still counts that
 * exchange, and `lastResponseProtected` tells the two apart. After any SM error or transport failure the two counters may differ: open a new
 * session (BAC/PACE) before the next command.
 * @throws {ReaderError} `INVALID_ARGUMENT` for keys of the wrong length; from `transceive`:
 * `SM_MAC_MISMATCH`, `SM_INVALID_RESPONSE`, `SM_REJECTED` (bare 6987/6988), `ABORTED`,
 * `INVALID_ARGUMENT` (malformed plain APDU) and the inner transport's errors
 */
export function createSecureChannel(inner: ApduTransport, keys: SecureMessagingKeys): SecureChannel {
  let session = openSession(keys);
  let queue: Promise<unknown> = Promise.resolve();
  let lastProtected = false;
  const exchange = async (
    command: Uint8Array,
    options: TransceiveOptions | undefined,
  ): Promise<Uint8Array> => {
    lastProtected = false;
    throwIfAborted(options?.signal);
    const current = session;
    const wrapped = protectCommand(current, command);
    // A protected answer too long for the command's Le comes in parts (61xx): fetch the rest
    // with plain GET RESPONSE commands before checking it as one response.
    const response = await completeResponse(inner, await inner.transceive(wrapped, options), options);
    const plain = unprotectResponse(current, response);
    // Unprotected without error and with data: the SM objects were there and the MAC verified.
    lastProtected = response.length > 2;
    return plain;
  };
  return {
    get cipher() {
      return session.keys.cipher;
    },
    get keyBits() {
      return session.keys.keyBits;
    },
    get lastResponseProtected() {
      return lastProtected;
    },
    transceive(command, options) {
      const run = queue.then(
        () => exchange(command, options),
        () => exchange(command, options),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    rekey(next) {
      session = openSession(next);
    },
  };
}
