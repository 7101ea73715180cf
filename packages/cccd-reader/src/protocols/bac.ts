/**
 * @module
 * Basic Access Control (ICAO Doc 9303 Part 11 §4.3, keys §9.7.2): the document basic access
 * keys from K_seed = SHA-1(MRZ_information)[0..16], GET CHALLENGE, EXTERNAL AUTHENTICATE with
 * E_IFD ‖ M_IFD (3DES-CBC and the retail MAC), the session keys from K_IFD ⊕ K_IC and
 * SSC = RND.IC[4..8] ‖ RND.IFD[4..8]. The card side is in
 * `card/bac-card.ts` (software chip only, not exported).
 */
import { constantTimeEqual, encodeUtf8 } from '@vneid/core/bytes';
import { mrzKeySeed } from '@vneid/core/mrz';
import {
  deriveKey,
  KDF_ENC,
  KDF_MAC,
  padIso9797,
  retailMac,
  sha1,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
} from '../crypto/index.ts';
import { ReaderError } from '../errors.ts';
import { createSecureChannel, type SecureChannel, type SecureMessagingKeys } from '../sm/index.ts';
import { type ApduTransport, buildCommandApdu, type ResponseApdu } from '../transport/index.ts';
import { platformRandom } from './random.ts';
import { isObject, requireArgument, requireObject, requireTransport } from './require.ts';
import { sendStep } from './send-step.ts';

const BAC = 'BAC';

/** The MRZ fields BAC keys are derived from (dates `YYMMDD` or ISO `YYYY-MM-DD`). */
export interface BacKey {
  /** Document number as printed in the MRZ, without check digit. */
  documentNumber: string;
  dateOfBirth: string;
  dateOfExpiry: string;
}

/** The steps of a BAC run, as reported in `ReaderError.context.step`. */
export type BacStep = 'GET_CHALLENGE' | 'EXTERNAL_AUTHENTICATE' | 'VERIFY';

/** Options of {@link performBac}. */
export interface PerformBacOptions {
  /** Randomness source (default `crypto.getRandomValues`): called for RND.IFD (8), then K.IFD (16). */
  random?: (n: number) => Uint8Array;
  signal?: AbortSignal;
  /** Builds the secure channel from the session keys (default: the `sm` layer's). */
  createChannel?: (transport: ApduTransport, keys: SecureMessagingKeys) => SecureChannel;
}

/** What a successful BAC run established (no secrets). */
export interface BacResult {
  /** The secure channel: an ApduTransport that protects every command (3DES). */
  channel: SecureChannel;
  cipher: '3des';
  keyBits: 128;
}

/** K_enc and K_mac of the document basic access keys (secret). */
export interface BacAccessKeys {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

/**
 * K_seed: the first 16 bytes of SHA-1(MRZ_information) for an MRZ key (ICAO 9303-11 §9.7.2), or
 * a 16-byte seed given directly.
 * @throws {ReaderError} `INVALID_ARGUMENT` for malformed MRZ fields or a seed of another length
 */
export function bacKeySeed(key: BacKey | Uint8Array): Uint8Array {
  requireArgument(isObject(key), BAC, 'an MRZ key or a 16-byte key seed');
  if (key instanceof Uint8Array) {
    if (key.length !== 16) throw new ReaderError('INVALID_ARGUMENT', 'the BAC key seed is 16 bytes long');
    return key.slice();
  }
  let info: string;
  try {
    info = mrzKeySeed(key);
  } catch (cause) {
    throw new ReaderError('INVALID_ARGUMENT', 'the MRZ key fields are malformed', { cause });
  }
  return sha1(encodeUtf8(info)).slice(0, 16);
}

/** K_enc = KDF(K_seed, 1) and K_mac = KDF(K_seed, 2), 3DES with parity (ICAO 9303-11 §9.7.1). */
export function bacAccessKeys(keySeed: Uint8Array): BacAccessKeys {
  requireArgument(
    keySeed instanceof Uint8Array && keySeed.length === 16,
    BAC,
    'the 16-byte key seed as a Uint8Array',
  );
  return { kEnc: deriveKey(keySeed, KDF_ENC, '3des', 128), kMac: deriveKey(keySeed, KDF_MAC, '3des', 128) };
}

/**
 * Session keys from K_IFD ⊕ K_IC and the SSC from the two challenges.
 * Internal: shared with the card side (`card/bac-card.ts`); not part of `/protocols`.
 */
export function sessionKeys(
  kIfd: Uint8Array,
  kIcc: Uint8Array,
  rndIcc: Uint8Array,
  rndIfd: Uint8Array,
): SecureMessagingKeys {
  const seed = new Uint8Array(16);
  for (let i = 0; i < 16; i++) seed[i] = (kIfd[i] as number) ^ (kIcc[i] as number);
  const ssc = new Uint8Array(8);
  ssc.set(rndIcc.subarray(4, 8), 0);
  ssc.set(rndIfd.subarray(4, 8), 4);
  return {
    cipher: '3des',
    keyBits: 128,
    kEnc: deriveKey(seed, KDF_ENC, '3des', 128),
    kMac: deriveKey(seed, KDF_MAC, '3des', 128),
    ssc,
  };
}

/**
 * E = 3DES-CBC(K_enc, plain) ‖ M = retail MAC(K_mac, pad(E)).
 * Internal: shared with the card side (`card/bac-card.ts`); not part of `/protocols`.
 */
export function cryptogram(keys: BacAccessKeys, plain: Uint8Array): Uint8Array {
  const e = tripleDesCbcEncrypt(keys.kEnc, plain);
  const out = new Uint8Array(40);
  out.set(e);
  out.set(retailMac(keys.kMac, padIso9797(e, 8)), 32);
  return out;
}

/**
 * Checks the MAC of E ‖ M and decrypts E; `undefined` when the MAC is wrong.
 * Internal: shared with the card side (`card/bac-card.ts`); not part of `/protocols`.
 */
export function openCryptogram(keys: BacAccessKeys, data: Uint8Array): Uint8Array | undefined {
  const e = data.subarray(0, 32);
  if (!constantTimeEqual(retailMac(keys.kMac, padIso9797(e, 8)), data.subarray(32, 40))) return undefined;
  return tripleDesCbcDecrypt(keys.kEnc, e);
}

function fail(step: BacStep, message: string, sw?: number, cause?: unknown): never {
  const context: { step: BacStep; sw?: number } = { step };
  if (sw !== undefined) context.sw = sw;
  throw new ReaderError('BAC_FAILED', `BAC failed at ${step}: ${message}`, {
    context,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** One exchange of BAC (see `send-step.ts` for what passes through and what becomes `BAC_FAILED`). */
function send(
  transport: ApduTransport,
  step: BacStep,
  command: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<ResponseApdu> {
  return sendStep(transport, step, command, { signal, fail });
}

/**
 * Performs BAC with the card behind `transport` and returns the secure channel.
 * @param key - the MRZ fields, or the 16-byte K_seed
 * @throws {ReaderError} `BAC_FAILED` with `context.step` and `context.sw` (transport failures and
 * malformed responses too, with the cause), `INVALID_ARGUMENT` for malformed key fields, `ABORTED`
 */
export async function performBac(
  transport: ApduTransport,
  key: BacKey | Uint8Array,
  options: PerformBacOptions = {},
): Promise<BacResult> {
  requireTransport(transport, BAC);
  requireObject(options, BAC, 'an options object when given');
  requireArgument(
    options.random === undefined || typeof options.random === 'function',
    BAC,
    'random(n) as a function',
  );
  const random = options.random ?? platformRandom;
  const { signal } = options;
  const access = bacAccessKeys(bacKeySeed(key));
  const challenge = await send(
    transport,
    'GET_CHALLENGE',
    buildCommandApdu({ cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, le: 8 }),
    signal,
  );
  if (challenge.sw !== 0x9000) fail('GET_CHALLENGE', 'the card refused GET CHALLENGE', challenge.sw);
  if (challenge.data.length !== 8) fail('GET_CHALLENGE', 'RND.IC is not 8 bytes', challenge.sw);
  const rndIcc = challenge.data;
  const rndIfd = random(8);
  const kIfd = random(16);
  if (
    !(rndIfd instanceof Uint8Array) ||
    rndIfd.length !== 8 ||
    !(kIfd instanceof Uint8Array) ||
    kIfd.length !== 16
  ) {
    throw new ReaderError('INVALID_ARGUMENT', 'random(n) must return n bytes');
  }
  const s = new Uint8Array(32);
  s.set(rndIfd, 0);
  s.set(rndIcc, 8);
  s.set(kIfd, 16);
  const auth = await send(
    transport,
    'EXTERNAL_AUTHENTICATE',
    buildCommandApdu({ cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: cryptogram(access, s), le: 40 }),
    signal,
  );
  if (auth.sw !== 0x9000) fail('EXTERNAL_AUTHENTICATE', 'the card refused the terminal cryptogram', auth.sw);
  if (auth.data.length !== 40) fail('EXTERNAL_AUTHENTICATE', 'the card cryptogram is not 40 bytes', auth.sw);
  const r =
    openCryptogram(access, auth.data) ?? fail('VERIFY', 'the card cryptogram MAC does not verify', auth.sw);
  if (!constantTimeEqual(r.subarray(0, 8), rndIcc) || !constantTimeEqual(r.subarray(8, 16), rndIfd)) {
    fail('VERIFY', 'the card cryptogram does not carry the challenges', auth.sw);
  }
  const keys = sessionKeys(kIfd, r.subarray(16, 32), rndIcc, rndIfd);
  const channel = (options.createChannel ?? createSecureChannel)(transport, keys);
  return { channel, cipher: '3des', keyBits: 128 };
}
