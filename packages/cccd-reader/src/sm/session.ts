/**
 * @module
 * The cryptographic core shared by both ends of secure messaging (ICAO Doc 9303 Part 11
 * §9.8.6): encryption of data objects (3DES-CBC with a zero IV, or AES-CBC with IV =
 * E(KS_Enc, SSC)), the 8-byte MAC over SSC ‖ data padded with ISO 9797-1 method 2 (retail MAC
 * or truncated AES-CMAC), and the session state with its send-sequence counter.
 */
import { constantTimeEqual } from '@vneid/core/bytes';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  aesEcbEncrypt,
  padIso9797,
  retailMac,
  tripleDesCbcDecrypt,
  tripleDesCbcEncrypt,
  unpadIso9797,
} from '../crypto/index.ts';
import { checkKeys, incrementSsc, type SecureMessagingKeys } from './keys.ts';

/** Mutable state of one end of a session. */
export interface SmSession {
  keys: SecureMessagingKeys;
  /** 8 (3DES) or 16 (AES). */
  blockLength: number;
}

/** A new session from (validated, copied) keys. */
export function openSession(keys: SecureMessagingKeys): SmSession {
  const checked = checkKeys(keys);
  return { keys: checked, blockLength: checked.cipher === 'aes' ? 16 : 8 };
}

/** Increments the SSC (before every command and every response). */
export function nextSsc(session: SmSession): void {
  incrementSsc(session.keys.ssc);
}

function iv(session: SmSession): Uint8Array {
  const { cipher, kEnc, ssc } = session.keys;
  return cipher === 'aes' ? aesEcbEncrypt(kEnc, ssc) : new Uint8Array(8);
}

/** Pads and encrypts `data` under the current SSC. */
export function encryptData(session: SmSession, data: Uint8Array): Uint8Array {
  const padded = padIso9797(data, session.blockLength);
  const { cipher, kEnc } = session.keys;
  return cipher === 'aes' ? aesCbcEncrypt(kEnc, padded, iv(session)) : tripleDesCbcEncrypt(kEnc, padded);
}

/** Decrypts and strictly unpads; `undefined` when the length or padding is wrong. */
export function decryptData(session: SmSession, encrypted: Uint8Array): Uint8Array | undefined {
  if (encrypted.length === 0 || encrypted.length % session.blockLength !== 0) return undefined;
  const { cipher, kEnc } = session.keys;
  const padded =
    cipher === 'aes' ? aesCbcDecrypt(kEnc, encrypted, iv(session)) : tripleDesCbcDecrypt(kEnc, encrypted);
  const plain = unpadIso9797(padded, session.blockLength);
  return plain === undefined ? undefined : plain.slice();
}

/** The 8-byte MAC over SSC ‖ `data`, padded (method 2). */
export function computeMac(session: SmSession, data: Uint8Array): Uint8Array {
  const { cipher, kMac, ssc } = session.keys;
  const input = new Uint8Array(ssc.length + data.length);
  input.set(ssc);
  input.set(data, ssc.length);
  const padded = padIso9797(input, session.blockLength);
  return cipher === 'aes' ? aesCmac(kMac, padded).slice(0, 8) : retailMac(kMac, padded);
}

/** Constant-time check of a received MAC. */
export function verifyMac(session: SmSession, data: Uint8Array, mac: Uint8Array): boolean {
  return constantTimeEqual(computeMac(session, data), mac);
}
