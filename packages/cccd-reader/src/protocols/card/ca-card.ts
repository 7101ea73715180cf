/**
 * @module
 * The chip's side of Chip Authentication (ICAO Doc 9303 Part 11 §6.2), for the software chip:
 * reading the terminal's MSE:Set AT / GENERAL AUTHENTICATE / MSE:Set KAT, and computing the
 * new session keys from the chip's static private key and the terminal's ephemeral public key
 * (K = x-coordinate of sk·PK (ECDH) or PK^sk mod p (DH); KS_Enc = KDF(K, 1), KS_MAC = KDF(K, 2),
 * SSC = 0). After answering the last command under the old keys, the card calls
 * `rekey(keys)` on its secure-messaging state.
 */
import { decodeOid, decodeTlv, decodeTlvSequence, findTlv, type Tlv } from '@vneid/core/tlv';
import { ReaderError } from '../../errors.ts';
import { describeProtocolOid } from '../../lds/oids.ts';
import type { SecureMessagingKeys } from '../../sm/keys.ts';
import { parseCommandApdu } from '../../transport/index.ts';
import { cipherSuite, kdf } from '../pace/cipher-suite.ts';
import { type PaceDomain, sharedSecret } from '../pace/domain-parameters.ts';

/** The cipher, key length and key agreement a CA protocol OID names. */
export interface ChipAuthenticationSuite {
  keyAgreement: 'DH' | 'ECDH';
  cipher: 'aes' | '3des';
  keyBits: 128 | 192 | 256;
}

/** Describes an `id-CA-*` OID, or undefined for anything else. */
export function chipAuthenticationSuite(oid: string): ChipAuthenticationSuite | undefined {
  const d = describeProtocolOid(oid);
  if (d?.protocol !== 'CA' || d.keyAgreement === undefined || d.cipher === undefined) return undefined;
  const suite = cipherSuite(d.cipher, d.keyLength ?? 128);
  return { keyAgreement: d.keyAgreement, cipher: suite.cipher, keyBits: suite.keyBits };
}

/**
 * Session keys of the chip after Chip Authentication.
 * @throws {ReaderError} `CA_FAILED` (`context.sw` 6A80) when the terminal's key is not a valid
 *   public key of the domain
 */
export function chipAuthenticationCardStep(
  staticPrivateKey: bigint,
  domain: PaceDomain,
  terminalEphemeralPublicKey: Uint8Array,
  cipher: 'aes' | '3des' | 'AES' | '3DES',
  keyBits: 128 | 192 | 256 = 128,
): SecureMessagingKeys {
  const suite = cipherSuite(cipher, keyBits);
  let k: Uint8Array;
  try {
    k = sharedSecret(domain, staticPrivateKey, terminalEphemeralPublicKey);
  } catch (cause) {
    throw new ReaderError('CA_FAILED', "the terminal's ephemeral public key is invalid", {
      context: { step: 'GENERAL_AUTHENTICATE', sw: 0x6a80 },
      cause,
    });
  }
  return {
    cipher: suite.cipher,
    keyBits: suite.keyBits,
    kEnc: kdf(suite, k, 1),
    kMac: kdf(suite, k, 2),
    ssc: new Uint8Array(suite.blockLength),
  };
}

/** A Chip Authentication command as the card reads it. */
export type ChipAuthenticationCommand =
  /** MSE:Set AT for CA (`00 22 41 A4`): protocol OID and optional key reference. */
  | { kind: 'MSE_SET_AT'; oid: string; keyId: number | undefined }
  /** GENERAL AUTHENTICATE (`00 86 00 00`) with `7C { 80 ephemeral public key }`. */
  | { kind: 'GENERAL_AUTHENTICATE'; ephemeralPublicKey: Uint8Array }
  /** MSE:Set KAT (`00 22 41 A6`): `91` ephemeral public key, optional key reference. */
  | { kind: 'MSE_SET_KAT'; ephemeralPublicKey: Uint8Array; keyId: number | undefined };

const unsigned = (v: Uint8Array): number => v.reduce((n, b) => n * 256 + b, 0);

function objects(data: Uint8Array | undefined): Tlv[] | undefined {
  if (data === undefined || data.length === 0) return undefined;
  try {
    return decodeTlvSequence(data);
  } catch {
    return undefined;
  }
}

/**
 * Reads a plain (already unwrapped) command APDU as a Chip Authentication command; undefined
 * when it is not one (or is malformed: the card then answers 6A80).
 */
export function readChipAuthenticationCommand(command: Uint8Array): ChipAuthenticationCommand | undefined {
  let apdu: ReturnType<typeof parseCommandApdu>;
  try {
    apdu = parseCommandApdu(command);
  } catch {
    return undefined;
  }
  const { ins, p1, p2 } = apdu;
  const keyIdOf = (dos: Tlv[]): number | undefined => {
    const t = findTlv(dos, 0x84);
    return t === undefined || t.value.length === 0 || t.value.length > 4 ? undefined : unsigned(t.value);
  };
  if (ins === 0x22 && p1 === 0x41 && p2 === 0xa4) {
    const dos = objects(apdu.data);
    const oid = dos === undefined ? undefined : findTlv(dos, 0x80);
    if (dos === undefined || oid === undefined) return undefined;
    let dotted: string;
    try {
      dotted = decodeOid(oid.value);
    } catch {
      return undefined;
    }
    if (chipAuthenticationSuite(dotted) === undefined) return undefined;
    return { kind: 'MSE_SET_AT', oid: dotted, keyId: keyIdOf(dos) };
  }
  if (ins === 0x22 && p1 === 0x41 && p2 === 0xa6) {
    const dos = objects(apdu.data);
    const pk = dos === undefined ? undefined : findTlv(dos, 0x91);
    if (dos === undefined || pk === undefined || pk.value.length === 0) return undefined;
    return { kind: 'MSE_SET_KAT', ephemeralPublicKey: pk.value, keyId: keyIdOf(dos) };
  }
  if (ins === 0x86 && p1 === 0 && p2 === 0 && (apdu.cla & 0x10) === 0 && apdu.data !== undefined) {
    let root: Tlv;
    try {
      root = decodeTlv(apdu.data);
    } catch {
      return undefined;
    }
    const pk = root.tag === 0x7c ? findTlv(root.children ?? [], 0x80) : undefined;
    if (pk === undefined || pk.value.length === 0) return undefined;
    return { kind: 'GENERAL_AUTHENTICATE', ephemeralPublicKey: pk.value };
  }
  return undefined;
}
