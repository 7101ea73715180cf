/**
 * @module
 * The secure channel: an {@link ApduTransport} that protects every plain command APDU and
 * unprotects the card's response (ICAO Doc 9303 Part 11 §9.8). Exchanges are serialised so
 * the SSC always follows the order the card sees.
 */
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
}

/**
 * Wraps `inner` in secure messaging with the given session keys.
 * @throws {ReaderError} `INVALID_ARGUMENT` for keys of the wrong length
 */
export function createSecureChannel(inner: ApduTransport, keys: SecureMessagingKeys): SecureChannel {
  let session = openSession(keys);
  let queue: Promise<unknown> = Promise.resolve();
  const exchange = async (
    command: Uint8Array,
    options: TransceiveOptions | undefined,
  ): Promise<Uint8Array> => {
    throwIfAborted(options?.signal);
    const current = session;
    const wrapped = protectCommand(current, command);
    const response = await inner.transceive(wrapped, options);
    return unprotectResponse(current, response);
  };
  return {
    get cipher() {
      return session.keys.cipher;
    },
    get keyBits() {
      return session.keys.keyBits;
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
