/**
 * @module
 * PACE Generic Mapping (ICAO Doc 9303 Part 11 §4.4.3.3.1): from the decrypted nonce s and an
 * anonymous key agreement on the static group (H = x·Y for ECDH, h = y^x for DH), the new
 * generator is G' = s·G + H (ECDH) or g' = g^s·h mod p (DH). The same function serves the
 * terminal and the chip (each passes its own mapping private key and the peer's public key).
 */

import { requireBigint, requireBytes, requireDomain } from './arguments.ts';
import {
  agree,
  bytesToBigInt,
  groupOrder,
  modPow,
  type PaceDomain,
  type PaceGenerator,
} from './domain-parameters.ts';
import { PaceError } from './pace-error.ts';

/**
 * Generic mapping: returns the ephemeral generator G' (or g').
 * @param nonce - the decrypted nonce s
 * @param mappingPrivateKey - this side's mapping private key
 * @param peerMappingPublicKey - the other side's mapping public key (checked on the curve)
 */
export function genericMapping(
  domain: PaceDomain,
  nonce: Uint8Array,
  mappingPrivateKey: bigint,
  peerMappingPublicKey: Uint8Array,
): PaceGenerator {
  requireDomain(domain);
  requireBytes(nonce, 'the nonce');
  requireBigint(mappingPrivateKey, 'the mapping private key');
  requireBytes(peerMappingPublicKey, "the peer's mapping public key");
  const s = bytesToBigInt(nonce) % groupOrder(domain);
  if (s === 0n) throw new PaceError('INVALID_NONCE', 'Nonce is zero modulo the group order');
  const h = agree(domain, mappingPrivateKey, peerMappingPublicKey);
  if (domain.kind === 'ec' && h.kind === 'ec') {
    const mapped = domain.Point.BASE.multiply(s).add(h.point);
    if (mapped.is0()) throw new PaceError('INVALID_MAPPING', 'Mapped generator is the point at infinity');
    return { kind: 'ec', point: mapped };
  }
  if (domain.kind === 'dh' && h.kind === 'dh') {
    const { p, g } = domain.group;
    const mapped = (modPow(g, s, p) * h.value) % p;
    if (mapped <= 1n) throw new PaceError('INVALID_MAPPING', 'Mapped generator is trivial');
    return { kind: 'dh', g: mapped };
  }
  throw new PaceError('INVALID_MAPPING', 'Key agreement does not match the domain');
}
