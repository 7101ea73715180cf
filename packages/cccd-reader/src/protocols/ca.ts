/**
 * @module
 * Chip Authentication (ICAO Doc 9303 Part 11 §6.2, BSI TR-03110-1 §3.4 / TR-03110-3 §B.1):
 * an ephemeral-static key agreement between a fresh terminal key and the chip's static key
 * from DG14, run inside the existing secure channel, after which secure messaging restarts
 * with KS_Enc = KDF(K, 1), KS_MAC = KDF(K, 2) and SSC = 0.
 *
 * - ECDH and DH; AES (128/192/256) and 3DES; key IDs; EC keys with named, standardized or
 *   explicit domain parameters (the CCCD's DG14 uses explicit brainpoolP256r1 parameters,
 *   recognised as the named curve when equal, otherwise built as a curve of their own).
 * - Commands: MSE:Set AT (`00 22 41 A4`, `80` protocol OID, `84` key ID) + GENERAL
 *   AUTHENTICATE (`7C { 80 ephemeral public key }`); or, for 3DES chips without a
 *   ChipAuthenticationInfo (CA v1) or refusing MSE:Set AT, MSE:Set KAT (`00 22 41 A6`,
 *   `91` ephemeral public key, `84` key ID).
 *
 * The chip proves it holds the private key implicitly: only with it can it compute the new
 * session keys, so the first response protected after the switch verifies only for the genuine
 * chip. Pass `probe` (a command such as {@link selectFileProbe}) to have that proof made here —
 * a clone's answer fails its MAC and the result is `ok: false`, `reason: 'CLONED_CHIP'`;
 * without a probe, the caller's next protected read is the proof: a secure-messaging error
 * there (`SM_REJECTED` when the chip refuses our MAC with 6987/6988, `SM_MAC_MISMATCH` when its
 * answer fails ours, `SM_INVALID_RESPONSE`) means chip authentication failed.
 */
import { concatBytes } from '@vneid/core/bytes';
import { decodeTlv, encodeOid, encodeTlv } from '@vneid/core/tlv';
import { ReaderError } from '../errors.ts';
import { type Dg14, parseDg14 } from '../lds/dg14.ts';
import { ID_CA, NAMED_CURVES } from '../lds/oids.ts';
import type {
  ChipAuthenticationInfo,
  ChipAuthenticationPublicKeyInfo,
  SecurityInfo,
} from '../lds/security-infos.ts';
import type { SecureMessagingKeys } from '../sm/keys.ts';
import { type ApduTransport, buildCommandApdu, throwIfAborted } from '../transport/index.ts';
import { type CipherSuite, cipherSuite, kdf } from './pace/cipher-suite.ts';
import {
  baseGenerator,
  dhDomain,
  domainForParameterId,
  drawPrivateKey,
  ecDomain,
  type PaceDomain,
  publicKeyFor,
  sharedSecret,
} from './pace/domain-parameters.ts';
import { platformRandom } from './random.ts';
import { isObject, requireArgument, requireObject, requireTransport } from './require.ts';
import { sendStep } from './send-step.ts';

const CA = 'Chip Authentication';

/** Steps of a Chip Authentication run, as reported in `ReaderError.context.step`. */
export type ChipAuthenticationStep =
  | 'SETUP'
  | 'MSE_SET_AT'
  | 'GENERAL_AUTHENTICATE'
  | 'MSE_SET_KAT'
  | 'PROBE';

/** A secure channel whose keys can be switched (the `sm` layer's `SecureChannel`). */
export interface RekeyableChannel extends ApduTransport {
  rekey(keys: SecureMessagingKeys): void;
}

/** Which command set to use. */
export type ChipAuthenticationCommands = 'auto' | 'AT' | 'KAT';

/** Options of {@link performChipAuthentication}. */
export interface PerformChipAuthenticationOptions {
  /** DG14 as read (tag 6E), or parsed. */
  dg14: Uint8Array | Dg14;
  /** Use the key with this ID (required to choose when DG14 has several CA keys of one kind). */
  keyId?: number | undefined;
  /** Randomness for the ephemeral key (default: `crypto.getRandomValues`). */
  random?: (n: number) => Uint8Array;
  signal?: AbortSignal;
  /**
   * `'auto'` (default): MSE:Set AT + GENERAL AUTHENTICATE, or MSE:Set KAT for a CA v1 chip
   * (no ChipAuthenticationInfo) and for a 3DES chip that refuses MSE:Set AT.
   */
  commands?: ChipAuthenticationCommands;
  /**
   * Whether MSE carries the key reference `84`: `'auto'` (default) when the chosen key has an
   * ID, `'always'` (fails without an ID), `'never'`.
   */
  keyReference?: 'auto' | 'always' | 'never';
  /**
   * A plain command APDU sent over the new keys to prove the chip (e.g. {@link selectFileProbe}).
   * Without it, the caller's next protected command is the proof.
   */
  probe?: Uint8Array | undefined;
}

/** What a Chip Authentication run established (no secrets). */
export interface ChipAuthenticationResult {
  /**
   * True when the key agreement ran and secure messaging switched to the new keys — and, with a
   * probe, the chip answered it under those keys. False only when the probe failed.
   */
  ok: boolean;
  /** True when a probe was sent and its response verified under the new keys. */
  proven: boolean;
  /** Set when `ok` is false: the chip could not answer under the new keys (not the DG14 key holder). */
  reason?: 'CLONED_CHIP';
  /** Protocol OID used (`id-CA-ECDH-AES-CBC-CMAC-128`, …). */
  oid: string;
  /** ChipAuthenticationInfo version (1 when DG14 has none). */
  version: number;
  keyId: number | undefined;
  keyAgreement: 'DH' | 'ECDH';
  cipher: 'aes' | '3des';
  keyBits: 128 | 192 | 256;
  /** Commands that were used. */
  commands: 'AT' | 'KAT';
  /** Named curve / group of the chip key, when recognised (e.g. `brainpoolP256r1`). */
  domainName: string | undefined;
  /** The terminal's ephemeral public key (needed e.g. for Terminal Authentication). */
  terminalEphemeralPublicKey: Uint8Array;
}

/** The chosen Chip Authentication parameters of a DG14. */
export interface ChipAuthenticationSelection {
  oid: string;
  version: number;
  keyId: number | undefined;
  keyAgreement: 'DH' | 'ECDH';
  suite: CipherSuite;
  /** False when DG14 has no ChipAuthenticationInfo (CA v1: 3DES, MSE:Set KAT). */
  hasInfo: boolean;
  domain: PaceDomain;
  /** The chip's static public key (EC point or DH value). */
  chipPublicKey: Uint8Array;
}

const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

function fail(step: ChipAuthenticationStep, message: string, sw?: number, cause?: unknown): never {
  const context: { step: ChipAuthenticationStep; sw?: number } = { step };
  if (sw !== undefined) context.sw = sw;
  throw new ReaderError('CA_FAILED', `Chip Authentication failed at ${step}: ${message}`, {
    context,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Preference among several ChipAuthenticationInfos: AES-256 > 192 > 128 > 3DES. */
const rank = (i: ChipAuthenticationInfo): number => (i.cipher === 'AES' ? i.keyLength : 0);

function domainOf(pk: ChipAuthenticationPublicKeyInfo): PaceDomain {
  const spec = pk.publicKey.domainParameters;
  if (spec.kind === 'standardized') return domainForParameterId(spec.parameterId);
  if (spec.kind === 'dh') return dhDomain(spec.group);
  if (spec.kind === 'ec') {
    const curve = spec.curve ?? (spec.namedCurve === undefined ? undefined : NAMED_CURVES[spec.namedCurve]);
    if (curve !== undefined) return ecDomain(curve);
  }
  throw new RangeError('unsupported domain parameters');
}

/**
 * Chooses the Chip Authentication protocol and key of a DG14 (the strongest cipher among the
 * ChipAuthenticationInfos matching the key).
 * @throws {ReaderError} `CA_FAILED` at step `SETUP`
 */
export function selectChipAuthentication(
  dg14: Uint8Array | Dg14,
  keyId?: number | undefined,
): ChipAuthenticationSelection {
  requireArgument(dg14 instanceof Uint8Array || isObject(dg14), CA, 'DG14 bytes or a parsed DG14');
  let infos: SecurityInfo[];
  try {
    const parsed = dg14 instanceof Uint8Array ? parseDg14(dg14) : dg14;
    infos = parsed.securityInfos.infos;
  } catch (cause) {
    fail('SETUP', 'DG14 is malformed', undefined, cause);
  }
  const keys = infos.filter(
    (i): i is ChipAuthenticationPublicKeyInfo =>
      i.type === 'ChipAuthenticationPublicKeyInfo' && (keyId === undefined || i.keyId === keyId),
  );
  const cas = infos.filter((i): i is ChipAuthenticationInfo => i.type === 'ChipAuthenticationInfo');
  if (keys.length === 0)
    fail(
      'SETUP',
      keyId === undefined
        ? 'DG14 has no Chip Authentication key'
        : 'DG14 has no Chip Authentication key with this key ID',
    );
  const matching = (pk: ChipAuthenticationPublicKeyInfo): ChipAuthenticationInfo[] =>
    cas
      .filter(
        (c) =>
          c.keyAgreement === pk.keyAgreement &&
          (c.keyId === undefined || pk.keyId === undefined || c.keyId === pk.keyId),
      )
      .sort((a, b) => rank(b) - rank(a));
  const withInfo = keys.filter((k) => matching(k).length > 0);
  const candidates = cas.length > 0 ? withInfo : keys;
  if (candidates.length === 0)
    fail('SETUP', 'no ChipAuthenticationInfo matches the Chip Authentication keys');
  if (candidates.length > 1 && new Set(candidates.map((k) => k.keyId)).size !== candidates.length) {
    fail('SETUP', 'DG14 has several Chip Authentication keys without distinct key IDs');
  }
  const pk = candidates[0] as ChipAuthenticationPublicKeyInfo;
  const info = matching(pk)[0];
  let domain: PaceDomain;
  try {
    domain = domainOf(pk);
  } catch (cause) {
    fail('SETUP', 'the Chip Authentication key has unsupported domain parameters', undefined, cause);
  }
  if ((domain.kind === 'ec') !== (pk.keyAgreement === 'ECDH')) {
    fail('SETUP', 'the key domain does not match its key agreement');
  }
  if (info === undefined) {
    // CA v1 (ICAO 9303-11 §9.2.5): without ChipAuthenticationInfo, 3DES is implied.
    return {
      oid: `${ID_CA}.${pk.keyAgreement === 'DH' ? 1 : 2}.1`,
      version: 1,
      keyId: pk.keyId,
      keyAgreement: pk.keyAgreement,
      suite: cipherSuite('3DES', 128),
      hasInfo: false,
      domain,
      chipPublicKey: pk.publicKey.publicKey,
    };
  }
  return {
    oid: info.oid,
    version: info.version,
    keyId: pk.keyId ?? info.keyId,
    keyAgreement: pk.keyAgreement,
    suite: cipherSuite(info.cipher, info.keyLength),
    hasInfo: true,
    domain,
    chipPublicKey: pk.publicKey.publicKey,
  };
}

/** Minimal unsigned big-endian bytes of a key ID (`84` value). */
function keyReference(keyId: number): Uint8Array {
  const out: number[] = [];
  let v = keyId;
  do {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return Uint8Array.from(out);
}

/** `SELECT EF <fid>` (`00 A4 02 0C 02 <fid>`), a probe proving the chip after the key switch. */
export function selectFileProbe(fileId: number): Uint8Array {
  requireArgument(
    Number.isInteger(fileId) && fileId >= 0 && fileId <= 0xffff,
    CA,
    'a file identifier 0000–FFFF',
  );
  return buildCommandApdu({
    cla: 0x00,
    ins: 0xa4,
    p1: 0x02,
    p2: 0x0c,
    data: Uint8Array.of((fileId >> 8) & 0xff, fileId & 0xff),
  });
}

const SM_FAILURES = new Set(['SM_MAC_MISMATCH', 'SM_INVALID_RESPONSE', 'SM_REJECTED']);

/**
 * Sends `probe` over the channel: true when the response verifies under the current keys, false
 * when secure messaging rejects it (wrong MAC, missing objects, 6987/6988).
 * @throws {ReaderError} anything else the channel throws (transport failure, abort)
 */
export async function verifyChipAuthentication(
  channel: ApduTransport,
  probe: Uint8Array,
  signal?: AbortSignal,
): Promise<boolean> {
  requireTransport(channel, CA, 'a secure channel');
  requireArgument(probe instanceof Uint8Array, CA, 'the probe command as a Uint8Array');
  try {
    await channel.transceive(probe, signal === undefined ? undefined : { signal });
    return true;
  } catch (e) {
    if (e instanceof ReaderError && SM_FAILURES.has(e.code)) return false;
    throw e;
  }
}

/**
 * Performs Chip Authentication over `channel` and switches it to the new session keys.
 * @throws {ReaderError} `CA_FAILED` with `context.step` and `context.sw`
 */
export async function performChipAuthentication(
  channel: RekeyableChannel,
  options: PerformChipAuthenticationOptions,
): Promise<ChipAuthenticationResult> {
  requireTransport(channel, CA, 'a secure channel');
  requireArgument(
    isObject(channel) && typeof channel.rekey === 'function',
    CA,
    'a secure channel with a rekey(keys) method',
  );
  requireObject(options, CA, 'options {dg14, keyId?, random?, signal?}');
  requireArgument(
    options.random === undefined || typeof options.random === 'function',
    CA,
    'random(n) as a function',
  );
  const selection = selectChipAuthentication(options.dg14, options.keyId);
  const { domain, suite, keyId } = selection;
  const referenceMode = options.keyReference ?? 'auto';
  if (referenceMode === 'always' && keyId === undefined) fail('SETUP', 'the key has no ID to reference');
  const reference =
    referenceMode !== 'never' && keyId !== undefined ? [encodeTlv(0x84, keyReference(keyId))] : [];
  const random = options.random ?? platformRandom;
  throwIfAborted(options.signal);

  // Ephemeral key pair and the shared secret, computed first so that a bad DG14 key fails
  // before anything is sent.
  let ephemeralPublic: Uint8Array;
  let kEnc: Uint8Array;
  let kMac: Uint8Array;
  try {
    const sk = drawPrivateKey(domain, random);
    ephemeralPublic = publicKeyFor(domain, baseGenerator(domain), sk);
    const k = sharedSecret(domain, sk, selection.chipPublicKey);
    kEnc = kdf(suite, k, 1);
    kMac = kdf(suite, k, 2);
  } catch (cause) {
    fail('SETUP', "the chip's public key is not valid for its domain parameters", undefined, cause);
  }

  const send = (
    step: ChipAuthenticationStep,
    command: Uint8Array,
  ): Promise<{ data: Uint8Array; sw: number }> =>
    sendStep(channel, step, command, { signal: options.signal, fail });

  const mode = options.commands ?? 'auto';
  let commands: 'AT' | 'KAT' = mode === 'KAT' || (mode === 'auto' && !selection.hasInfo) ? 'KAT' : 'AT';
  if (commands === 'AT') {
    const mse = buildCommandApdu({
      cla: 0x00,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa4,
      data: concatBytes(encodeTlv(0x80, encodeOid(selection.oid)), ...reference),
    });
    const r = await send('MSE_SET_AT', mse);
    if (r.sw !== 0x9000) {
      if (mode === 'auto' && suite.cipher === '3des') commands = 'KAT';
      else fail('MSE_SET_AT', `the chip answered ${swHex(r.sw)}`, r.sw);
    }
  }
  if (commands === 'AT') {
    const data = encodeTlv(0x7c, [encodeTlv(0x80, ephemeralPublic)]);
    const extended = data.length > 255;
    const ga = buildCommandApdu({
      cla: 0x00,
      ins: 0x86,
      p1: 0,
      p2: 0,
      data,
      le: extended ? 65536 : 256,
      extended,
    });
    const r = await send('GENERAL_AUTHENTICATE', ga);
    if (r.sw !== 0x9000) fail('GENERAL_AUTHENTICATE', `the chip answered ${swHex(r.sw)}`, r.sw);
    if (r.data.length > 0) {
      let ok = false;
      try {
        ok = decodeTlv(r.data).tag === 0x7c;
      } catch {
        ok = false;
      }
      if (!ok) fail('GENERAL_AUTHENTICATE', 'the response is not a 7C dynamic authentication data object');
    }
  } else {
    const kat = buildCommandApdu({
      cla: 0x00,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa6,
      data: concatBytes(encodeTlv(0x91, ephemeralPublic), ...reference),
    });
    const r = await send('MSE_SET_KAT', kat);
    if (r.sw !== 0x9000) fail('MSE_SET_KAT', `the chip answered ${swHex(r.sw)}`, r.sw);
  }

  channel.rekey({
    cipher: suite.cipher,
    keyBits: suite.keyBits,
    kEnc,
    kMac,
    ssc: new Uint8Array(suite.blockLength),
  });

  const result: ChipAuthenticationResult = {
    ok: true,
    proven: false,
    oid: selection.oid,
    version: selection.version,
    keyId,
    keyAgreement: selection.keyAgreement,
    cipher: suite.cipher,
    keyBits: suite.keyBits,
    commands,
    domainName: domain.name,
    terminalEphemeralPublicKey: ephemeralPublic,
  };
  if (options.probe !== undefined) {
    let verified: boolean;
    try {
      verified = await verifyChipAuthentication(channel, options.probe, options.signal);
    } catch (cause) {
      if (cause instanceof ReaderError && cause.code === 'ABORTED') throw cause;
      fail('PROBE', 'the probe command failed', undefined, cause);
    }
    if (!verified) return { ...result, ok: false, reason: 'CLONED_CHIP' };
    result.proven = true;
  }
  return result;
}
