/**
 * @module
 * PACE passwords and the nonce key K_π (ICAO Doc 9303 Part 11 §4.4.3.1, §9.7.3): π is the CAN
 * as ASCII digits, or SHA-1 of `MRZ_information` (document number, date of birth, date of
 * expiry, each with its check digit); K_π = KDF(π, 3). The terminal decrypts the nonce
 * s = D(K_π, z); the chip's encryption z = E(K_π, s) is in `../card/pace-card.ts`.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { encodeUtf8 } from '@vneid/core/bytes';
import { type MrzKey, mrzKeySeed } from '@vneid/core/mrz';
import { requireArgument, requireBytes, requireSuite } from './arguments.ts';
import { type CipherSuite, decryptBlocks, kdf } from './cipher-suite.ts';
import { PaceError } from './pace-error.ts';

/** A PACE password: the Card Access Number, or the MRZ key. */
export type PacePassword = { can: string } | MrzKey;

/** Password reference of MSE:Set AT tag 83: 01 = MRZ, 02 = CAN (ICAO 9303-11 §4.4.4.1). */
export type PasswordReference = 1 | 2;

function requirePassword(password: unknown): asserts password is PacePassword {
  requireArgument(
    typeof password === 'object' &&
      password !== null &&
      (!('can' in password) || typeof (password as { can: unknown }).can === 'string'),
    'a password ({ can } or an MRZ key)',
  );
}

/** The password reference for a password. */
export function passwordReference(password: PacePassword): PasswordReference {
  requirePassword(password);
  return 'can' in password ? 2 : 1;
}

/** π: the CAN's ASCII bytes, or SHA-1(MRZ_information). */
export function passwordBytes(password: PacePassword): Uint8Array {
  requirePassword(password);
  if ('can' in password) {
    if (!/^[0-9]{6}$/.test(password.can)) {
      throw new PaceError('INVALID_PASSWORD', 'The CAN must be 6 decimal digits');
    }
    return encodeUtf8(password.can);
  }
  try {
    return sha1(encodeUtf8(mrzKeySeed(password)));
  } catch (cause) {
    throw new PaceError('INVALID_PASSWORD', 'The MRZ key is not valid', { cause });
  }
}

/** K_π = KDF(π, 3). */
export function passwordKey(suite: CipherSuite, password: PacePassword): Uint8Array {
  requireSuite(suite);
  return kdf(suite, passwordBytes(password), 3);
}

/** Terminal side: s = D(K_π, z). */
export function decryptNonce(suite: CipherSuite, kPi: Uint8Array, encryptedNonce: Uint8Array): Uint8Array {
  requireSuite(suite);
  requireBytes(kPi, 'K_pi');
  requireBytes(encryptedNonce, 'the encrypted nonce');
  if (encryptedNonce.length === 0 || encryptedNonce.length % suite.blockLength !== 0) {
    throw new PaceError('INVALID_NONCE', 'Encrypted nonce length is not a multiple of the block length', {
      context: { length: encryptedNonce.length },
    });
  }
  return decryptBlocks(suite, kPi, encryptedNonce);
}
