/**
 * @module
 * The chip's side of Basic Access Control (ICAO Doc 9303 Part 11 §4.3.4, keys §9.7.2), for the
 * software chip only: checking the terminal's E_IFD ‖ M_IFD of EXTERNAL AUTHENTICATE against the
 * challenge RND.IC the chip sent, and answering E_IC ‖ M_IC with the chip's key half K_IC. Card
 * side code: never exported by a public `@vneid/cccd-reader` subpath.
 */
import { constantTimeEqual } from '@vneid/core/bytes';
import { ReaderError } from '../../errors.ts';
import type { SecureMessagingKeys } from '../../sm/keys.ts';
import { type BacKey, bacAccessKeys, bacKeySeed, cryptogram, openCryptogram, sessionKeys } from '../bac.ts';
import { requireArgument } from '../require.ts';

/** The card's answer to EXTERNAL AUTHENTICATE (see {@link bacCardRespond}). */
export interface BacCardResponse {
  /** Response data E_IC ‖ M_IC (40 bytes, without the status word: answer it with 9000). */
  response: Uint8Array;
  /** The session keys and SSC for `createCardSecureMessaging` (secret). */
  sessionKeys: SecureMessagingKeys;
}

/**
 * Card side of BAC: checks the terminal's E_IFD ‖ M_IFD against the challenge RND.IC the card
 * sent, and answers E_IC ‖ M_IC with R = RND.IC ‖ RND.IFD ‖ K_IC.
 * @param keySeed - K_seed (16 bytes) or the MRZ fields
 * @returns `null` when the length, MAC or RND.IC is wrong (the card answers 6300)
 */
export function bacCardRespond(
  keySeed: Uint8Array | BacKey,
  rndIcc: Uint8Array,
  kIcc: Uint8Array,
  externalAuthData: Uint8Array,
): BacCardResponse | null {
  requireArgument(
    rndIcc instanceof Uint8Array && kIcc instanceof Uint8Array,
    'BAC',
    'RND.IC and K.IC as Uint8Arrays',
  );
  if (rndIcc.length !== 8 || kIcc.length !== 16) {
    throw new ReaderError('INVALID_ARGUMENT', 'RND.IC is 8 bytes and K.IC 16 bytes');
  }
  if (!(externalAuthData instanceof Uint8Array) || externalAuthData.length !== 40) return null;
  const access = bacAccessKeys(bacKeySeed(keySeed));
  const s = openCryptogram(access, externalAuthData);
  if (s === undefined || !constantTimeEqual(s.subarray(8, 16), rndIcc)) return null;
  const rndIfd = s.subarray(0, 8);
  const r = new Uint8Array(32);
  r.set(rndIcc, 0);
  r.set(rndIfd, 8);
  r.set(kIcc, 16);
  return {
    response: cryptogram(access, r),
    sessionKeys: sessionKeys(s.subarray(16, 32), kIcc, rndIcc, rndIfd),
  };
}
