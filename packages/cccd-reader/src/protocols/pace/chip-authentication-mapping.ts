/**
 * @module
 * PACE Chip Authentication Mapping (ICAO Doc 9303 Part 11 §4.4.3.5): after generic mapping the
 * chip sends A_IC = E(KS_Enc, CA_IC) with CA_IC = SK_IC⁻¹ · SK_Map,IC mod n, encrypted in CBC
 * mode with IV = E(KS_Enc, −1) (the all-ones block) after ISO 9797-1 padding method 2. The
 * terminal decrypts it and checks PK_Map,IC = CA_IC · PK_IC against the chip's static
 * Chip Authentication key from EF.CardSecurity, which proves the chip is genuine. The chip's
 * side (computing A_IC) is in `../card/pace-card.ts`, for the software chip only.
 */
import { constantTimeEqual } from '@vneid/core/bytes';
import { requireBigint, requireBytes, requireEcDomain, requireSuite } from './arguments.ts';
import { type CipherSuite, decryptBlocks, encryptBlocks, unpadIso9797 } from './cipher-suite.ts';
import { bytesToBigInt, decodePoint, type EcDomain, encodePoint } from './domain-parameters.ts';
import { PaceError } from './pace-error.ts';

/**
 * IV = E(KS_Enc, −1), the all-ones block. Internal: shared with the chip side
 * (`../card/pace-card.ts`); not part of `/protocols`.
 */
export function camIv(suite: CipherSuite, kEnc: Uint8Array): Uint8Array {
  return encryptBlocks(suite, kEnc, new Uint8Array(suite.blockLength).fill(0xff));
}

/** Terminal side: decrypts A_IC into CA_IC (a scalar). */
export function decryptChipAuthenticationData(
  suite: CipherSuite,
  kEnc: Uint8Array,
  encrypted: Uint8Array,
): bigint {
  requireSuite(suite);
  requireBytes(kEnc, 'K_Enc');
  requireBytes(encrypted, 'the encrypted chip authentication data');
  if (encrypted.length === 0 || encrypted.length % suite.blockLength !== 0) {
    throw new PaceError('INVALID_MAPPING', 'Chip authentication data is not whole cipher blocks', {
      context: { length: encrypted.length },
    });
  }
  const plain = unpadIso9797(decryptBlocks(suite, kEnc, encrypted, camIv(suite, kEnc)));
  if (plain === undefined || plain.length === 0) {
    throw new PaceError('INVALID_MAPPING', 'Chip authentication data has no valid padding');
  }
  return bytesToBigInt(plain);
}

/**
 * Terminal side: checks PK_Map,IC = CA_IC · PK_IC. `chipStaticPublicKey` is the uncompressed
 * point from the ChipAuthenticationPublicKeyInfo of EF.CardSecurity.
 */
export function verifyChipAuthenticationMapping(
  domain: EcDomain,
  caData: bigint,
  chipMappingPublicKey: Uint8Array,
  chipStaticPublicKey: Uint8Array,
): boolean {
  requireEcDomain(domain);
  requireBigint(caData, 'CA_IC');
  requireBytes(chipMappingPublicKey, 'the chip mapping public key');
  requireBytes(chipStaticPublicKey, 'the chip static public key');
  const { n } = domain.curve;
  if (caData <= 0n || caData >= n) return false;
  const expected = encodePoint(decodePoint(domain, chipStaticPublicKey).multiply(caData));
  return constantTimeEqual(expected, encodePoint(decodePoint(domain, chipMappingPublicKey)));
}
