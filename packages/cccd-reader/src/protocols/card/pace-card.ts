/**
 * @module
 * The chip's side of PACE (ICAO Doc 9303 Part 11 §4.4.3), for the software chip only: encrypting
 * the nonce z = E(K_π, s) (§4.4.3.3 step 1) and, for the Chip Authentication Mapping
 * (§4.4.3.5), computing A_IC = E(KS_Enc, CA_IC) with CA_IC = SK_IC⁻¹ · SK_Map,IC mod n. Both need
 * chip secrets (the nonce, the chip's static private key). Card side code: never exported by a
 * public `@vneid/cccd-reader` subpath. The terminal's halves stay in `../pace/`.
 */
import { requireBigint, requireBytes, requireEcDomain, requireSuite } from '../pace/arguments.ts';
import { camIv } from '../pace/chip-authentication-mapping.ts';
import { type CipherSuite, encryptBlocks, padIso9797 } from '../pace/cipher-suite.ts';
import { bigIntToBytes, type EcDomain, modInverse } from '../pace/domain-parameters.ts';
import { PaceError } from '../pace/pace-error.ts';

/** Chip side: z = E(K_π, s). The nonce length must be a multiple of the block length. */
export function encryptNonce(suite: CipherSuite, kPi: Uint8Array, nonce: Uint8Array): Uint8Array {
  requireSuite(suite);
  requireBytes(kPi, 'K_pi');
  requireBytes(nonce, 'the nonce');
  if (nonce.length === 0 || nonce.length % suite.blockLength !== 0) {
    throw new PaceError('INVALID_NONCE', 'Nonce length is not a multiple of the block length', {
      context: { length: nonce.length },
    });
  }
  return encryptBlocks(suite, kPi, nonce);
}

/** Chip side: A_IC, the encrypted chip authentication data (tag 8A of the last GA response). */
export function encryptChipAuthenticationData(
  domain: EcDomain,
  suite: CipherSuite,
  kEnc: Uint8Array,
  chipStaticPrivateKey: bigint,
  chipMappingPrivateKey: bigint,
): Uint8Array {
  requireEcDomain(domain);
  requireSuite(suite);
  requireBytes(kEnc, 'K_Enc');
  requireBigint(chipStaticPrivateKey, 'the chip static private key');
  requireBigint(chipMappingPrivateKey, 'the chip mapping private key');
  const { n } = domain.curve;
  const ca = (modInverse(chipStaticPrivateKey % n, n) * chipMappingPrivateKey) % n;
  const plain = padIso9797(bigIntToBytes(ca, Math.ceil(n.toString(2).length / 8)), suite.blockLength);
  return encryptBlocks(suite, kEnc, plain, camIv(suite, kEnc));
}
