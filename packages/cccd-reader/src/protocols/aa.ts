/**
 * @module
 * Active Authentication (ICAO Doc 9303 Part 11 §6.1): the terminal sends INTERNAL AUTHENTICATE
 * with a fresh 8-byte challenge RND.IFD and the chip signs it with the private key whose public
 * half is in DG15.
 *
 * - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery. The
 *   representative J = `6A ‖ M1 ‖ H(M1 ‖ RND.IFD) ‖ trailer`, trailer `BC` (SHA-1, implicit) or
 *   `xx CC` with the ISO/IEC 10118-3 hash identifier xx (33 SHA-1, 34 SHA-256, 35 SHA-512,
 *   36 SHA-384, 38 SHA-224). J is recovered as s^e mod n, or n − s^e mod n when the former
 *   does not end in the nibble C (the ISO/IEC 9796-2 signature production function may choose
 *   min(J^d, n − J^d)). Every part is checked: signature length, range, header, trailer,
 *   length of M1, digest.
 * - ECDSA (BSI TR-03111): the hash comes from DG14's ActiveAuthenticationInfo when given, else
 *   from the key size. Plain r‖s and DER signatures are accepted; high-S is accepted.
 *
 * A wrong signature is reported (`ok: false` with a `reason`), never thrown; only malformed
 * input (an unparsable DG15/DG14, non-byte arguments) and failures to run the command throw.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, constantTimeEqual } from '@vneid/core/bytes';
import { verifyEcdsaDigest } from '../crypto/ecdsa.ts';
import { modPow } from '../crypto/mod-pow.ts';
import { ReaderError } from '../errors.ts';
import { type Dg14, parseDg14 } from '../lds/dg14.ts';
import { type Dg15, type Dg15EcKey, type Dg15RsaKey, parseDg15 } from '../lds/dg15.ts';
import { NAMED_CURVES } from '../lds/oids.ts';
import { type ApduTransport, buildCommandApdu, throwIfAborted } from '../transport/index.ts';
import {
  bigIntToBytes,
  bytesToBigInt,
  decodePoint,
  type EcDomain,
  type EcPoint,
  ecDomain,
} from './pace/domain-parameters.ts';
import { platformRandom } from './random.ts';
import { requireArgument, requireObject, requireTransport } from './require.ts';
import { sendStep } from './send-step.ts';

const AA = 'Active Authentication';

/** Hash functions of Active Authentication. */
export type AaHash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Signature schemes of Active Authentication. */
export type AaAlgorithm = 'RSA-ISO9796-2' | 'ECDSA';

/** Why an Active Authentication signature was rejected. */
export type AaFailureReason =
  /** RSA: the signature is not exactly as long as the modulus. */
  | 'SIGNATURE_LENGTH'
  /** RSA: the signature as a number is 0 or not below the modulus. */
  | 'SIGNATURE_OUT_OF_RANGE'
  /** RSA: the recovered representative does not start with 6A (scheme 1, partial recovery). */
  | 'HEADER'
  /** RSA: the representative ends neither in BC nor in xx CC. */
  | 'TRAILER'
  /** RSA: the trailer names a hash function that is not supported (e.g. RIPEMD-160). */
  | 'UNSUPPORTED_HASH'
  /** RSA: the modulus is too short to hold a recoverable part M1. */
  | 'MESSAGE_LENGTH'
  /** RSA: H(M1 ‖ challenge) differs from the digest in the signature. */
  | 'DIGEST_MISMATCH'
  /** ECDSA: the signature is neither plain r‖s of the curve's size nor a DER ECDSA-Sig-Value. */
  | 'SIGNATURE_FORMAT'
  /** ECDSA: r or s is out of range, or the equation does not hold. */
  | 'SIGNATURE_INVALID';

/** The result of checking an Active Authentication signature. */
export interface AaReport {
  /** True only when the signature verifies over this challenge with the DG15 key. */
  ok: boolean;
  algorithm: AaAlgorithm;
  /** Hash function used (RSA: named by the trailer; undefined when the trailer is unreadable). */
  hash: AaHash | undefined;
  /** Size of the DG15 key in bits (RSA modulus, or EC group order). */
  keyBits: number;
  /** ECDSA: the signature encoding that was found. */
  signatureFormat?: 'plain' | 'der';
  /** Set when `ok` is false. */
  reason?: AaFailureReason;
}

/** Input of {@link verifyActiveAuthentication}. */
export interface VerifyActiveAuthenticationInput {
  /** DG15 as read (tag 6F), or already parsed. */
  dg15: Uint8Array | Dg15;
  /** The challenge RND.IFD sent in INTERNAL AUTHENTICATE. */
  challenge: Uint8Array;
  /** The response data (signature) of INTERNAL AUTHENTICATE. */
  response: Uint8Array;
  /** DG14 (raw or parsed): its ActiveAuthenticationInfo names the ECDSA hash. */
  dg14?: Uint8Array | Dg14 | undefined;
  /** ECDSA: forces the hash (otherwise DG14's ActiveAuthenticationInfo, else by key size). */
  hash?: AaHash | undefined;
}

interface HashFunction {
  readonly name: AaHash;
  readonly length: number;
  readonly hash: (data: Uint8Array) => Uint8Array;
}

/** Hash functions with their output lengths. */
export const AA_HASHES: Readonly<Record<AaHash, HashFunction>> = {
  'SHA-1': { name: 'SHA-1', length: 20, hash: (d) => sha1(d) },
  'SHA-224': { name: 'SHA-224', length: 28, hash: (d) => sha224(d) },
  'SHA-256': { name: 'SHA-256', length: 32, hash: (d) => sha256(d) },
  'SHA-384': { name: 'SHA-384', length: 48, hash: (d) => sha384(d) },
  'SHA-512': { name: 'SHA-512', length: 64, hash: (d) => sha512(d) },
};

/** ISO/IEC 10118-3 hash-function identifiers used in the explicit ISO/IEC 9796-2 trailer `xx CC`. */
export const ISO9796_HASH_IDS: Readonly<Record<AaHash, number>> = {
  'SHA-1': 0x33,
  'SHA-256': 0x34,
  'SHA-512': 0x35,
  'SHA-384': 0x36,
  'SHA-224': 0x38,
};

/** Hash of ActiveAuthenticationInfo signature algorithm OIDs (TR-03111 ecdsa-plain-*, X9.62 ecdsa-with-*). */
const ECDSA_SIGNATURE_OIDS: Readonly<Record<string, AaHash>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'SHA-1',
  '0.4.0.127.0.7.1.1.4.1.2': 'SHA-224',
  '0.4.0.127.0.7.1.1.4.1.3': 'SHA-256',
  '0.4.0.127.0.7.1.1.4.1.4': 'SHA-384',
  '0.4.0.127.0.7.1.1.4.1.5': 'SHA-512',
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.1': 'SHA-224',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

function malformed(step: string, message: string, cause?: unknown): never {
  throw new ReaderError('AA_FAILED', `Active Authentication: ${message}`, {
    context: { step },
    ...(cause === undefined ? {} : { cause }),
  });
}

function requireBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ReaderError('INVALID_ARGUMENT', `Active Authentication: ${what} must be a Uint8Array`);
  }
  return value;
}

/** Parses DG15 (or passes a parsed one through). @throws {ReaderError} `AA_FAILED` */
export function activeAuthenticationKey(dg15: Uint8Array | Dg15): Dg15RsaKey | Dg15EcKey {
  if (dg15 instanceof Uint8Array) {
    try {
      return parseDg15(dg15).publicKey;
    } catch (cause) {
      malformed('DG15', 'DG15 is malformed', cause);
    }
  }
  if (typeof dg15 !== 'object' || dg15 === null || !('publicKey' in dg15)) {
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'Active Authentication: dg15 must be DG15 bytes or a parsed DG15',
    );
  }
  return dg15.publicKey;
}

/**
 * The hash named by DG14's ActiveAuthenticationInfo, or undefined when DG14 has none.
 * @throws {ReaderError} `AA_FAILED` when DG14 is malformed or names an unsupported algorithm
 */
export function activeAuthenticationHash(dg14: Uint8Array | Dg14 | undefined): AaHash | undefined {
  if (dg14 === undefined) return undefined;
  let parsed: Dg14;
  if (dg14 instanceof Uint8Array) {
    try {
      parsed = parseDg14(dg14);
    } catch (cause) {
      malformed('DG14', 'DG14 is malformed', cause);
    }
  } else {
    parsed = dg14;
  }
  const info = parsed.securityInfos.infos.find((i) => i.type === 'ActiveAuthenticationInfo');
  if (info === undefined) return undefined;
  const hash = ECDSA_SIGNATURE_OIDS[info.signatureAlgorithm];
  if (hash === undefined)
    malformed('DG14', 'DG14 names an unsupported Active Authentication signature algorithm');
  return hash;
}

/** The EC domain of a DG15 EC key. @throws {ReaderError} `AA_FAILED` */
export function activeAuthenticationDomain(key: Dg15EcKey): EcDomain {
  const params =
    key.explicitParameters ?? (key.curveName === undefined ? undefined : NAMED_CURVES[key.curveName]);
  if (params === undefined) malformed('DG15', 'the EC key uses an unknown curve');
  try {
    return ecDomain(params);
  } catch (cause) {
    malformed('DG15', 'the EC domain parameters are not a valid curve', cause);
  }
}

/** Default ECDSA hash by the size of the group order (TR-03111 §4.1.1 style pairing). */
export function defaultEcdsaHash(orderBits: number): AaHash {
  if (orderBits <= 160) return 'SHA-1';
  if (orderBits <= 224) return 'SHA-224';
  if (orderBits <= 256) return 'SHA-256';
  if (orderBits <= 384) return 'SHA-384';
  return 'SHA-512';
}

/** The leftmost bits of a digest as an integer mod-n candidate (SEC 1 §4.1.3 step 5 / X9.62). */
export function ecdsaDigestToInteger(digest: Uint8Array, n: bigint): bigint {
  const e = bytesToBigInt(digest);
  const excess = digest.length * 8 - bitLength(n);
  return excess > 0 ? e >> BigInt(excess) : e;
}

/** Strict DER ECDSA-Sig-Value { r INTEGER, s INTEGER } → r, s; undefined when not exactly that. */
export function parseDerEcdsaSignature(sig: Uint8Array): { r: bigint; s: bigint } | undefined {
  const readLength = (at: number): [number, number] | undefined => {
    const first = sig[at];
    if (first === undefined) return undefined;
    if (first < 0x80) return [first, at + 1];
    if (first === 0x81) {
      const l = sig[at + 1];
      return l === undefined || l < 0x80 ? undefined : [l, at + 2];
    }
    return undefined;
  };
  if (sig[0] !== 0x30) return undefined;
  const outer = readLength(1);
  if (outer === undefined || outer[1] + outer[0] !== sig.length) return undefined;
  let at = outer[1];
  const ints: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[at] !== 0x02) return undefined;
    const len = readLength(at + 1);
    if (len === undefined || len[0] === 0 || len[1] + len[0] > sig.length) return undefined;
    const v = sig.subarray(len[1], len[1] + len[0]);
    // Positive and minimal: no sign bit, no superfluous leading zero.
    if (((v[0] as number) & 0x80) !== 0) return undefined;
    if (v.length > 1 && v[0] === 0 && ((v[1] as number) & 0x80) === 0) return undefined;
    ints.push(bytesToBigInt(v));
    at = len[1] + len[0];
  }
  if (at !== sig.length) return undefined;
  return { r: ints[0] as bigint, s: ints[1] as bigint };
}

function verifyRsa(key: Dg15RsaKey, challenge: Uint8Array, response: Uint8Array): AaReport {
  const n = bytesToBigInt(key.modulus);
  const e = bytesToBigInt(key.exponent);
  const keyBits = key.modulusBits;
  const report = (hash: AaHash | undefined, reason?: AaFailureReason | undefined): AaReport =>
    reason === undefined
      ? { ok: true, algorithm: 'RSA-ISO9796-2', hash, keyBits }
      : { ok: false, algorithm: 'RSA-ISO9796-2', hash, keyBits, reason };
  const k = Math.ceil(keyBits / 8);
  if (response.length !== k) return report(undefined, 'SIGNATURE_LENGTH');
  const s = bytesToBigInt(response);
  if (s === 0n || s >= n) return report(undefined, 'SIGNATURE_OUT_OF_RANGE');
  const recovered = modPow(s, e, n);
  // ISO/IEC 9796-2: J when J ≡ 12 (mod 16), else n − J (the signer may publish min(J, n − J)).
  const alternative = (recovered & 0xfn) !== 0xcn;
  const j = alternative ? n - recovered : recovered;
  if ((j & 0xfn) !== 0xcn) return report(undefined, 'TRAILER');
  // The representative has one bit less than the modulus.
  const length = Math.ceil((keyBits - 1) / 8);
  if (bitLength(j) > length * 8) return report(undefined, alternative ? 'TRAILER' : 'HEADER');
  const rep = bigIntToBytes(j, length);
  const checked = checkIso9796Representative(rep, challenge);
  // J itself had a bad trailer and n − J does not even start like a representative: the
  // trailer is what failed, not some later field of a number that was never a representative.
  if (alternative && checked.reason !== undefined && rep[0] !== 0x6a) return report(undefined, 'TRAILER');
  return report(checked.hash, checked.reason);
}

/** The result of {@link checkIso9796Representative}. */
export interface Iso9796Check {
  /** Hash named by the trailer (undefined when the trailer is unreadable or unsupported). */
  hash: AaHash | undefined;
  /** Undefined when the representative is valid for the challenge. */
  reason: AaFailureReason | undefined;
}

/**
 * Checks a recovered ISO/IEC 9796-2 scheme 1 representative `6A ‖ M1 ‖ D ‖ trailer` (partial
 * recovery) against the challenge: trailer, header, a non-empty M1 and D = H(M1 ‖ challenge).
 */
export function checkIso9796Representative(rep: Uint8Array, challenge: Uint8Array): Iso9796Check {
  requireBytes(rep, 'the representative');
  requireBytes(challenge, 'the challenge');
  const length = rep.length;
  let hash: AaHash | undefined;
  let trailerLength: number;
  const last = rep[length - 1];
  if (last === 0xbc) {
    hash = 'SHA-1';
    trailerLength = 1;
  } else if (last === 0xcc && length >= 2) {
    const id = rep[length - 2] as number;
    hash = (Object.keys(ISO9796_HASH_IDS) as AaHash[]).find((h) => ISO9796_HASH_IDS[h] === id);
    if (hash === undefined) return { hash, reason: 'UNSUPPORTED_HASH' };
    trailerLength = 2;
  } else {
    return { hash: undefined, reason: 'TRAILER' };
  }
  if (rep[0] !== 0x6a) return { hash, reason: 'HEADER' };
  const h = AA_HASHES[hash];
  const digestStart = length - trailerLength - h.length;
  if (digestStart < 2) return { hash, reason: 'MESSAGE_LENGTH' };
  const m1 = rep.subarray(1, digestStart);
  const digest = rep.subarray(digestStart, length - trailerLength);
  const expected = h.hash(concatBytes(m1, challenge));
  return { hash, reason: constantTimeEqual(expected, digest) ? undefined : 'DIGEST_MISMATCH' };
}

function verifyEcdsa(
  key: Dg15EcKey,
  challenge: Uint8Array,
  response: Uint8Array,
  hashName: AaHash | undefined,
): AaReport {
  const domain = activeAuthenticationDomain(key);
  let q: EcPoint;
  try {
    q = decodePoint(domain, key.publicKey);
  } catch (cause) {
    malformed('DG15', 'the EC public key is not a point of the curve', cause);
  }
  const n = domain.curve.n;
  const keyBits = bitLength(n);
  const hash = hashName ?? defaultEcdsaHash(keyBits);
  const orderLength = Math.ceil(keyBits / 8);
  let rs: { r: bigint; s: bigint } | undefined;
  let signatureFormat: 'plain' | 'der';
  if (response.length === 2 * orderLength) {
    rs = {
      r: bytesToBigInt(response.subarray(0, orderLength)),
      s: bytesToBigInt(response.subarray(orderLength)),
    };
    signatureFormat = 'plain';
  } else {
    rs = parseDerEcdsaSignature(response);
    signatureFormat = 'der';
  }
  const base = { algorithm: 'ECDSA' as const, hash, keyBits };
  if (rs === undefined) return { ok: false, ...base, reason: 'SIGNATURE_FORMAT' };
  const { r, s } = rs;
  if (r <= 0n || r >= n || s <= 0n || s >= n) {
    return { ok: false, ...base, signatureFormat, reason: 'SIGNATURE_INVALID' };
  }
  const ok = verifyEcdsaDigest(domain.Point, q, AA_HASHES[hash].hash(challenge), r, s);
  return ok
    ? { ok, ...base, signatureFormat }
    : { ok, ...base, signatureFormat, reason: 'SIGNATURE_INVALID' };
}

/**
 * Checks the chip's INTERNAL AUTHENTICATE response against the DG15 key and the challenge.
 * Never throws for a wrong signature: the report says why (`reason`).
 * @throws {ReaderError} `AA_FAILED` (DG15/DG14 malformed or unsupported), `INVALID_ARGUMENT`
 */
export function verifyActiveAuthentication(input: VerifyActiveAuthenticationInput): AaReport {
  requireObject(input, AA, 'an input object {dg15, challenge, response}');
  const challenge = requireBytes(input.challenge, 'challenge');
  const response = requireBytes(input.response, 'response');
  if (challenge.length === 0)
    throw new ReaderError('INVALID_ARGUMENT', 'Active Authentication: empty challenge');
  const key = activeAuthenticationKey(input.dg15);
  if (key.algorithm === 'rsa') return verifyRsa(key, challenge, response);
  return verifyEcdsa(key, challenge, response, input.hash ?? activeAuthenticationHash(input.dg14));
}

/** Options of {@link performActiveAuthentication}. */
export interface PerformActiveAuthenticationOptions {
  /** DG15 as read, or parsed. */
  dg15: Uint8Array | Dg15;
  /** DG14 (raw or parsed), for the ECDSA hash of its ActiveAuthenticationInfo. */
  dg14?: Uint8Array | Dg14 | undefined;
  /** ECDSA: forces the hash. */
  hash?: AaHash | undefined;
  /** Randomness for the challenge (default: `crypto.getRandomValues`). */
  random?: (n: number) => Uint8Array;
  signal?: AbortSignal;
  /**
   * Whether the chip (and the reader between) takes extended-length APDUs, e.g. as learned by
   * a file read: then an answer that may not fit a short response (an RSA signature of 224
   * bytes or more is ~260+ bytes under secure messaging) is asked for with an extended Le.
   * Otherwise the Le is short and a chip with more to send answers in parts (61xx, fetched by
   * the secure channel with GET RESPONSE). Default false.
   */
  extendedLength?: boolean;
}

/** The report of an Active Authentication run, with the challenge that was signed. */
export interface ActiveAuthenticationResult extends AaReport {
  /** The 8-byte challenge RND.IFD that was sent. */
  challenge: Uint8Array;
}

/**
 * Plain signature bytes above which the protected answer may not fit a short response: DO'87
 * (≤ 4 header bytes, one padding block of 16) + DO'99 (4) + DO'8E (10) leave 256 − 34 = 222.
 */
const SHORT_PROTECTED_SIGNATURE = 222;

/**
 * Le of INTERNAL AUTHENTICATE: short 00 (up to 256 bytes) unless the RSA signature is longer;
 * extended when the chip takes it and the answer may not fit a short response once protected.
 */
function expectedLength(
  key: Dg15RsaKey | Dg15EcKey,
  extendedLength: boolean,
): { le: number; extended: boolean } {
  const length = key.algorithm === 'rsa' ? Math.ceil(key.modulusBits / 8) : 0;
  if (length > 256) return { le: 65536, extended: true };
  if (extendedLength && length > SHORT_PROTECTED_SIGNATURE) return { le: 256, extended: true };
  return { le: 256, extended: false };
}

/**
 * Runs Active Authentication: INTERNAL AUTHENTICATE `00 88 00 00 08 <RND.IFD> 00` over
 * `transport` (normally the secure channel), then {@link verifyActiveAuthentication}.
 * @throws {ReaderError} `AA_FAILED` with `context.step` `'INTERNAL_AUTHENTICATE'` and `context.sw`
 *   when the chip does not answer 9000 or the transport fails; `AA_FAILED` for a malformed DG15/DG14
 */
export async function performActiveAuthentication(
  transport: ApduTransport,
  options: PerformActiveAuthenticationOptions,
): Promise<ActiveAuthenticationResult> {
  requireTransport(transport, AA);
  requireObject(options, AA, 'options {dg15, dg14?, random?, signal?}');
  if (options.random !== undefined)
    requireArgument(typeof options.random === 'function', AA, 'random(n) as a function');
  const key = activeAuthenticationKey(options.dg15);
  // Resolve the hash before talking to the chip, so that a malformed DG14 fails early.
  const hash = options.hash ?? (key.algorithm === 'ec' ? activeAuthenticationHash(options.dg14) : undefined);
  throwIfAborted(options.signal);
  const challenge = (options.random ?? platformRandom)(8);
  if (!(challenge instanceof Uint8Array) || challenge.length !== 8) {
    throw new ReaderError('INVALID_ARGUMENT', 'Active Authentication: random(8) must return 8 bytes');
  }
  const { le, extended } = expectedLength(key, options.extendedLength === true);
  const command = buildCommandApdu({
    cla: 0x00,
    ins: 0x88,
    p1: 0x00,
    p2: 0x00,
    data: challenge,
    le,
    extended,
  });
  // A 6Cxx (wrong Le; e.g. a Norwegian chip answering a missing Le with 6C80, NFCPassportReader
  // issue #113) sends the same challenge again with Le = xx (see `send-step.ts`).
  const parsed = await sendStep(transport, 'INTERNAL_AUTHENTICATE', command, {
    signal: options.signal,
    fail: (step, message, sw, cause) => {
      throw new ReaderError('AA_FAILED', `Active Authentication: ${message}`, {
        context: sw === undefined ? { step } : { step, sw },
        ...(cause === undefined ? {} : { cause }),
      });
    },
  });
  if (parsed.sw !== 0x9000) {
    throw new ReaderError(
      'AA_FAILED',
      `Active Authentication: the chip answered ${parsed.sw.toString(16).toUpperCase().padStart(4, '0')}`,
      { context: { step: 'INTERNAL_AUTHENTICATE', sw: parsed.sw } },
    );
  }
  const report = verifyActiveAuthentication({ dg15: options.dg15, challenge, response: parsed.data, hash });
  return { ...report, challenge };
}
