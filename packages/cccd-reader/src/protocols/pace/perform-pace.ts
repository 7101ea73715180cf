/**
 * @module
 * PACE v2 run against a card (ICAO Doc 9303 Part 11 §4.4.4, APDUs of §4.4.4.1–4.4.4.2):
 * MSE:Set AT, then four GENERAL AUTHENTICATE commands (encrypted nonce, map nonce, key
 * agreement, mutual authentication), then session keys KS_Enc = KDF(K, 1), KS_MAC = KDF(K, 2)
 * with SSC = 0. Supports generic mapping, integrated mapping and chip authentication mapping
 * over ECDH and DH, 3DES and AES. Every failure is a `ReaderError('PACE_FAILED')` naming the
 * step and the status word.
 */
import { concatBytes } from '@vneid/core/bytes';
import { decodeTlv, encodeOid, encodeTlv, findTlv, type Tlv } from '@vneid/core/tlv';
import { ReaderError } from '../../errors.ts';
import { describeProtocolOid } from '../../lds/oids.ts';
import type { PaceInfo } from '../../lds/security-infos.ts';
import { createSecureChannel, type SecureChannel } from '../../sm/index.ts';
import { type ApduTransport, buildCommandApdu } from '../../transport/index.ts';
import { platformRandom } from '../random.ts';
import { requireArgument, requireObject, requireTransport } from '../require.ts';
import { sendStep } from '../send-step.ts';
import { computeAuthenticationToken, verifyAuthenticationToken } from './authentication-token.ts';
import { decryptChipAuthenticationData } from './chip-authentication-mapping.ts';
import { cipherSuite, encryptBlocks, kdf } from './cipher-suite.ts';
import {
  baseGenerator,
  decodeDhPublic,
  decodePoint,
  domainForParameterId,
  drawPrivateKey,
  type PaceDomain,
  publicKeyFor,
  sharedSecret,
} from './domain-parameters.ts';
import { genericMapping } from './generic-mapping.ts';
import { integratedMapping } from './integrated-mapping.ts';
import { PaceError } from './pace-error.ts';
import { decryptNonce, type PacePassword, passwordKey, passwordReference } from './password.ts';

const PACE = 'PACE';

/** The steps of a PACE run, as reported in `ReaderError.context.step`. */
export type PaceStep =
  | 'SETUP'
  | 'MSE_SET_AT'
  | 'ENCRYPTED_NONCE'
  | 'MAP_NONCE'
  | 'KEY_AGREEMENT'
  | 'MUTUAL_AUTHENTICATION';

/** Secure-messaging parameters handed to the channel factory (secret: never log them). */
export interface PaceSessionKeys {
  cipher: 'aes' | '3des';
  keyBits: 128 | 192 | 256;
  kEnc: Uint8Array;
  kMac: Uint8Array;
  ssc: Uint8Array;
}

/** Options of {@link performPace}. */
export interface PerformPaceOptions {
  /** Randomness source (default: `crypto.getRandomValues`); called in protocol order. */
  random?: (n: number) => Uint8Array;
  signal?: AbortSignal;
  /**
   * Whether MSE:Set AT carries `84 <parameterId>`. `'auto'` (default): only for proprietary
   * IDs (≥ 32); pass `'always'` when EF.CardAccess lists several PACEInfos. Whatever the first
   * form, the other one is tried once if the card answers 6A80, 6A87 or 6700.
   */
  parameterIdReference?: 'auto' | 'always' | 'never';
  /** Domain parameters for a proprietary parameter ID (from a PACEDomainParameterInfo). */
  domainParameters?: PaceDomain;
  /** Builds the secure channel from the session keys (default: the `sm` layer's). */
  createChannel?: (transport: ApduTransport, keys: PaceSessionKeys) => SecureChannel;
}

/** What a successful PACE run established (no secrets). */
export interface PaceResult {
  /** The secure channel: an ApduTransport that protects every command. */
  channel: SecureChannel;
  oid: string;
  parameterId: number | undefined;
  keyAgreement: 'DH' | 'ECDH';
  mapping: 'GM' | 'IM' | 'CAM';
  cipher: 'aes' | '3des';
  keyBits: 128 | 192 | 256;
  /** 'CAN' or 'MRZ'. */
  passwordType: 'CAN' | 'MRZ';
  /** Whether MSE:Set AT carried the parameter ID in the form the card accepted. */
  parameterIdSent: boolean;
  /** The chip's ephemeral public key (ID_PICC for Chip/Terminal Authentication). */
  chipEphemeralPublicKey: Uint8Array;
  /** The terminal's ephemeral public key. */
  terminalEphemeralPublicKey: Uint8Array;
  /** GM/CAM: the chip's mapping public key (needed to verify CAM). */
  chipMappingPublicKey: Uint8Array | undefined;
  /** CAM: CA_IC decrypted from the chip's A_IC; verify with `verifyChipAuthenticationMapping`. */
  chipAuthenticationData: bigint | undefined;
}

function fail(step: PaceStep, message: string, sw?: number, cause?: unknown): never {
  const context: { step: PaceStep; sw?: number } = { step };
  if (sw !== undefined) context.sw = sw;
  throw new ReaderError('PACE_FAILED', `PACE failed at ${step}: ${message}`, {
    context,
    ...(cause === undefined ? {} : { cause }),
  });
}

const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

/** What the terminal knows before talking to the chip: protocol, domain, K_π (secret). */
interface PaceSetup {
  oid: string;
  parameterId: number | undefined;
  keyAgreement: 'DH' | 'ECDH';
  mapping: 'GM' | 'IM' | 'CAM';
  suite: ReturnType<typeof cipherSuite>;
  domain: PaceDomain;
  kPi: Uint8Array;
}

/** One command of the run (see `send-step.ts`). */
type Send = (step: PaceStep, command: Uint8Array) => Promise<{ data: Uint8Array; sw: number }>;

/** The protocol from its OID, the domain parameters and the password key K_π (§4.4.3.1). */
function setUp(
  password: PacePassword,
  paceInfo: { oid: string; parameterId?: number | undefined },
  domainParameters: PaceDomain | undefined,
): PaceSetup {
  const { oid } = paceInfo;
  const parameterId = paceInfo.parameterId;
  const desc = describeProtocolOid(oid);
  if (desc?.protocol !== 'PACE' || desc.mapping === undefined || desc.cipher === undefined) {
    fail('SETUP', 'the protocol OID is not a supported PACE protocol');
  }
  const keyAgreement = desc.keyAgreement as 'DH' | 'ECDH';
  const suite = cipherSuite(desc.cipher, desc.keyLength ?? 128);
  try {
    let domain: PaceDomain;
    if (domainParameters !== undefined) domain = domainParameters;
    else if (parameterId === undefined)
      throw new PaceError('UNSUPPORTED_DOMAIN_PARAMETERS', 'No parameter ID');
    else domain = domainForParameterId(parameterId);
    if ((domain.kind === 'ec') !== (keyAgreement === 'ECDH')) {
      throw new PaceError(
        'UNSUPPORTED_DOMAIN_PARAMETERS',
        'Domain parameters do not match the key agreement',
      );
    }
    return {
      oid,
      parameterId,
      keyAgreement,
      mapping: desc.mapping,
      suite,
      domain,
      kPi: passwordKey(suite, password),
    };
  } catch (cause) {
    fail('SETUP', 'unsupported domain parameters or invalid password', undefined, cause);
  }
}

/**
 * 1. MSE:Set AT `80 <oid> 83 <password ref> [84 <parameter ID>]`; the other form of the
 * parameter ID once on 6A80/6A87/6700. Returns whether the accepted form carried it.
 */
async function setAuthenticationTemplate(
  send: Send,
  setup: PaceSetup,
  password: PacePassword,
  mode: 'auto' | 'always' | 'never',
): Promise<boolean> {
  const { oid, parameterId } = setup;
  const mse = (withId: boolean): Uint8Array => {
    const parts = [
      encodeTlv(0x80, encodeOid(oid)),
      encodeTlv(0x83, Uint8Array.of(passwordReference(password))),
    ];
    if (withId && parameterId !== undefined) parts.push(encodeTlv(0x84, Uint8Array.of(parameterId)));
    return buildCommandApdu({ cla: 0x00, ins: 0x22, p1: 0xc1, p2: 0xa4, data: concatBytes(...parts) });
  };
  let withId = mode === 'always' || (mode === 'auto' && parameterId !== undefined && parameterId >= 32);
  let r = await send('MSE_SET_AT', mse(withId));
  if (
    (r.sw === 0x6a80 || r.sw === 0x6a87 || r.sw === 0x6700) &&
    mode !== 'never' &&
    parameterId !== undefined
  ) {
    withId = !withId;
    r = await send('MSE_SET_AT', mse(withId));
  }
  if (r.sw !== 0x9000) fail('MSE_SET_AT', `the card answered ${swHex(r.sw)}`, r.sw);
  return withId && parameterId !== undefined;
}

/**
 * GENERAL AUTHENTICATE: 7C-wrapped data, CLA 10 (command chaining) except the last, Le = 00
 * (extended 0000 when the data needs extended length), retried without Le on 6700; returns the
 * objects of the chip's 7C.
 */
async function generalAuthenticate(
  send: Send,
  step: PaceStep,
  objects: Uint8Array[],
  last: boolean,
): Promise<Tlv[]> {
  const data = encodeTlv(0x7c, objects);
  const cla = last ? 0x00 : 0x10;
  const extended = data.length > 255;
  let res = await send(
    step,
    buildCommandApdu({ cla, ins: 0x86, p1: 0, p2: 0, data, le: extended ? 65536 : 256, extended }),
  );
  if (res.sw === 0x6700)
    res = await send(step, buildCommandApdu({ cla, ins: 0x86, p1: 0, p2: 0, data, extended }));
  if (res.sw !== 0x9000) fail(step, `the card answered ${swHex(res.sw)}`, res.sw);
  try {
    const tlv = decodeTlv(res.data);
    if (tlv.tag !== 0x7c)
      throw new PaceError('INVALID_MAPPING', 'Response is not a dynamic authentication data object');
    return tlv.children ?? [];
  } catch (cause) {
    fail(step, 'the response data is not a 7C dynamic authentication data object', res.sw, cause);
  }
}

/** The value of data object `tag` in the chip's answer (non-empty), or PACE_FAILED. */
function need(step: PaceStep, list: Tlv[], tag: number): Uint8Array {
  const t = findTlv(list, tag);
  if (t === undefined || t.value.length === 0)
    fail(step, `the response has no data object ${tag.toString(16).toUpperCase()}`);
  return t.value;
}

/** Runs a computation on the chip's data; a failure is PACE_FAILED at `step`. */
function guard<T>(step: PaceStep, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof ReaderError) throw cause;
    fail(step, cause instanceof PaceError ? cause.message : 'the card sent invalid data', undefined, cause);
  }
}

/** The chip's public key must be valid and differ from the terminal's (§4.4.3.3.1, §4.4.3.4). */
function checkDistinct(step: PaceStep, domain: PaceDomain, chip: Uint8Array, terminal: Uint8Array): void {
  guard(step, () => {
    const same =
      domain.kind === 'ec'
        ? decodePoint(domain, chip).equals(decodePoint(domain, terminal))
        : decodeDhPublic(domain, chip) === decodeDhPublic(domain, terminal);
    if (same) throw new PaceError('INVALID_PUBLIC_KEY', "the chip's public key equals the terminal's");
  });
}

/** 2. Encrypted nonce: z from the chip, s = D(K_π, z). */
async function receiveNonce(send: Send, setup: PaceSetup): Promise<Uint8Array> {
  const z = need('ENCRYPTED_NONCE', await generalAuthenticate(send, 'ENCRYPTED_NONCE', [], false), 0x80);
  return guard('ENCRYPTED_NONCE', () => decryptNonce(setup.suite, setup.kPi, z));
}

/** 3. Map nonce: the ephemeral generator, by integrated or generic (also CAM) mapping. */
async function mapNonce(
  send: Send,
  setup: PaceSetup,
  s: Uint8Array,
  random: (n: number) => Uint8Array,
): Promise<{ generator: ReturnType<typeof baseGenerator>; chipMappingPublicKey: Uint8Array | undefined }> {
  const { domain, suite } = setup;
  if (setup.mapping === 'IM') {
    const t = random(s.length);
    await generalAuthenticate(send, 'MAP_NONCE', [encodeTlv(0x81, t)], false);
    const generator = guard('MAP_NONCE', () =>
      integratedMapping(domain, s, t, suite.keyLength, (k, d) => encryptBlocks(suite, k, d)),
    );
    return { generator, chipMappingPublicKey: undefined };
  }
  const mapKey = drawPrivateKey(domain, random);
  const mapPublic = publicKeyFor(domain, baseGenerator(domain), mapKey);
  const res = await generalAuthenticate(send, 'MAP_NONCE', [encodeTlv(0x81, mapPublic)], false);
  const chipMap = need('MAP_NONCE', res, 0x82);
  checkDistinct('MAP_NONCE', domain, chipMap, mapPublic);
  return {
    generator: guard('MAP_NONCE', () => genericMapping(domain, s, mapKey, chipMap)),
    chipMappingPublicKey: chipMap,
  };
}

/** 4. Key agreement on the mapped generator: both ephemeral keys and KS_Enc, KS_MAC. */
async function agreeKeys(
  send: Send,
  setup: PaceSetup,
  generator: ReturnType<typeof baseGenerator>,
  random: (n: number) => Uint8Array,
): Promise<{ ephPublic: Uint8Array; chipEph: Uint8Array; kEnc: Uint8Array; kMac: Uint8Array }> {
  const { domain, suite } = setup;
  const ephKey = drawPrivateKey(domain, random);
  const ephPublic = publicKeyFor(domain, generator, ephKey);
  const chipEph = need(
    'KEY_AGREEMENT',
    await generalAuthenticate(send, 'KEY_AGREEMENT', [encodeTlv(0x83, ephPublic)], false),
    0x84,
  );
  checkDistinct('KEY_AGREEMENT', domain, chipEph, ephPublic);
  const k = guard('KEY_AGREEMENT', () => sharedSecret(domain, ephKey, chipEph));
  return { ephPublic, chipEph, kEnc: kdf(suite, k, 1), kMac: kdf(suite, k, 2) };
}

/**
 * 5. Mutual authentication: the tokens T_PCD and T_PICC (a wrong one: wrong password); with
 * CAM, the chip's A_IC decrypted to CA_IC.
 */
async function authenticateMutually(
  send: Send,
  setup: PaceSetup,
  keys: { ephPublic: Uint8Array; chipEph: Uint8Array; kEnc: Uint8Array; kMac: Uint8Array },
): Promise<bigint | undefined> {
  const { suite, oid, keyAgreement } = setup;
  const tokenT = computeAuthenticationToken(suite, keys.kMac, oid, keyAgreement, keys.chipEph);
  const res = await generalAuthenticate(send, 'MUTUAL_AUTHENTICATION', [encodeTlv(0x85, tokenT)], true);
  const tokenC = need('MUTUAL_AUTHENTICATION', res, 0x86);
  const expected = computeAuthenticationToken(suite, keys.kMac, oid, keyAgreement, keys.ephPublic);
  if (!verifyAuthenticationToken(expected, tokenC)) {
    fail('MUTUAL_AUTHENTICATION', "the chip's authentication token is wrong (wrong password?)");
  }
  if (setup.mapping !== 'CAM') return undefined;
  const aIc = need('MUTUAL_AUTHENTICATION', res, 0x8a);
  return guard('MUTUAL_AUTHENTICATION', () => decryptChipAuthenticationData(suite, keys.kEnc, aIc));
}

/**
 * Performs PACE with the card behind `transport` and returns the secure channel.
 * @param password - `{ can }` or an MRZ key `{ documentNumber, dateOfBirth, dateOfExpiry }`
 * @param paceInfo - a PACEInfo from EF.CardAccess, or simply `{ oid, parameterId }`
 * @throws {ReaderError} `PACE_FAILED` with `context.step` and `context.sw`
 */
export async function performPace(
  transport: ApduTransport,
  password: PacePassword,
  paceInfo: PaceInfo | { oid: string; parameterId?: number | undefined },
  options: PerformPaceOptions = {},
): Promise<PaceResult> {
  requireTransport(transport, PACE);
  requireObject(paceInfo, PACE, 'a PACEInfo or { oid, parameterId }');
  requireArgument(typeof paceInfo.oid === 'string', PACE, 'the PACE protocol OID as a string');
  requireObject(options, PACE, 'an options object when given');
  requireArgument(
    options.random === undefined || typeof options.random === 'function',
    PACE,
    'random(n) as a function',
  );
  const random = options.random ?? platformRandom;
  const setup = setUp(password, paceInfo, options.domainParameters);
  const send: Send = (step, command) => sendStep(transport, step, command, { signal: options.signal, fail });

  const parameterIdSent = await setAuthenticationTemplate(
    send,
    setup,
    password,
    options.parameterIdReference ?? 'auto',
  );
  const s = await receiveNonce(send, setup);
  const { generator, chipMappingPublicKey } = await mapNonce(send, setup, s, random);
  const agreed = await agreeKeys(send, setup, generator, random);
  const chipAuthenticationData = await authenticateMutually(send, setup, agreed);

  const { suite } = setup;
  const keys: PaceSessionKeys = {
    cipher: suite.cipher,
    keyBits: suite.keyBits,
    kEnc: agreed.kEnc,
    kMac: agreed.kMac,
    ssc: new Uint8Array(suite.blockLength),
  };
  return {
    channel: (options.createChannel ?? defaultChannel)(transport, keys),
    oid: setup.oid,
    parameterId: setup.parameterId,
    keyAgreement: setup.keyAgreement,
    mapping: setup.mapping,
    cipher: suite.cipher,
    keyBits: suite.keyBits,
    passwordType: 'can' in password ? 'CAN' : 'MRZ',
    parameterIdSent,
    chipEphemeralPublicKey: agreed.chipEph,
    terminalEphemeralPublicKey: agreed.ephPublic,
    chipMappingPublicKey,
    chipAuthenticationData,
  };
}

function defaultChannel(transport: ApduTransport, keys: PaceSessionKeys): SecureChannel {
  return createSecureChannel(transport, keys);
}
