/**
 * @module
 * PACE mutual authentication (ICAO Doc 9303 Part 11 §4.4.3.4, public key data objects of
 * BSI TR-03110-3 §D.3): T = MAC(KS_MAC, PK) over the other side's ephemeral public key wrapped
 * as `7F49 { 06 protocol OID, 86 point }` (ECDH) or `7F49 { 06 OID, 84 y }` (DH); 8 bytes.
 */
import { constantTimeEqual } from '@vneid/core/bytes';
import { encodeOid, encodeTlv } from '@vneid/core/tlv';
import { requireArgument, requireBytes, requireString, requireSuite } from './arguments.ts';
import { type CipherSuite, mac8 } from './cipher-suite.ts';
import { bigIntToMinimalBytes, bytesToBigInt } from './domain-parameters.ts';

/**
 * The public key data object `7F49` of an ephemeral public key. EC keys are the uncompressed
 * point (tag 86); DH keys the public value as an unsigned integer (tag 84, no leading zeros).
 */
export function encodePublicKeyDataObject(
  protocolOid: string,
  keyAgreement: 'DH' | 'ECDH',
  publicKey: Uint8Array,
): Uint8Array {
  requireString(protocolOid, 'the protocol OID');
  requireArgument(keyAgreement === 'DH' || keyAgreement === 'ECDH', "the key agreement 'DH' or 'ECDH'");
  requireBytes(publicKey, 'the public key');
  const key =
    keyAgreement === 'ECDH'
      ? encodeTlv(0x86, publicKey)
      : encodeTlv(0x84, bigIntToMinimalBytes(bytesToBigInt(publicKey)));
  return encodeTlv(0x7f49, [encodeTlv(0x06, encodeOid(protocolOid)), key]);
}

/** Authentication token T = MAC8(KS_MAC, 7F49(peer's ephemeral public key)). */
export function computeAuthenticationToken(
  suite: CipherSuite,
  kMac: Uint8Array,
  protocolOid: string,
  keyAgreement: 'DH' | 'ECDH',
  peerEphemeralPublicKey: Uint8Array,
): Uint8Array {
  requireSuite(suite);
  requireBytes(kMac, 'K_MAC');
  return mac8(suite, kMac, encodePublicKeyDataObject(protocolOid, keyAgreement, peerEphemeralPublicKey));
}

/** Constant-time check of a received token against the expected one. */
export function verifyAuthenticationToken(expected: Uint8Array, received: Uint8Array): boolean {
  requireBytes(expected, 'the expected token');
  requireBytes(received, 'the received token');
  return constantTimeEqual(expected, received);
}
