/**
 * @module
 * The chip's side of Chip Authentication with AES (ICAO Doc 9303 Part 11 §6.2): MSE:Set AT
 * (`00 22 41 A4`, DO'80 protocol OID, optional DO'84 key ID) selects the protocol, then
 * GENERAL AUTHENTICATE carries the terminal's ephemeral public key in `7C { 80 PK }`. The chip
 * computes K = x(SK_IC · PK), KS_Enc = KDF(K, 1), KS_MAC = KDF(K, 2) (with the protocols layer's
 * `chipAuthenticationCardStep`), answers `7C 00` under the old session keys and switches secure
 * messaging to the new keys with SSC = 0.
 */
import { decodeOid, decodeTlv, decodeTlvSequence, encodeTlv, findTlv } from '@vneid/core/tlv';
import { chipAuthenticationCardStep, chipAuthenticationSuite } from '../protocols/card/ca-card.ts';
import type { SecureMessagingKeys } from '../sm/index.ts';
import type { EmulatorEcKey } from './keys.ts';

/** The chip's Chip Authentication steps. */
export interface ChipAuthenticationCard {
  /** True when the MSE:Set AT data names `protocol` (and at most a key ID). */
  checkTemplate(data: Uint8Array, protocol: string): boolean;
  /**
   * The answer to GENERAL AUTHENTICATE and the new session keys, or null when the data is not
   * `7C { 80 point }` with a valid point.
   */
  respond(
    data: Uint8Array,
    key: EmulatorEcKey,
    protocol?: string,
  ): { response: Uint8Array; keys: SecureMessagingKeys } | null;
}

/** Chip Authentication, chip side. */
export const chipAuthenticationStep: ChipAuthenticationCard = {
  checkTemplate(data, protocol) {
    try {
      const dos = decodeTlvSequence(data);
      const oid = findTlv(dos, 0x80);
      return (
        oid !== undefined &&
        decodeOid(oid.value) === protocol &&
        dos.every((d) => d.tag === 0x80 || d.tag === 0x84)
      );
    } catch {
      return false;
    }
  },
  respond(data, key, protocol) {
    try {
      const outer = decodeTlv(data);
      const pk = outer.tag === 0x7c ? findTlv(outer.children ?? [], 0x80) : undefined;
      if (pk === undefined) return null;
      const suite = protocol === undefined ? undefined : chipAuthenticationSuite(protocol);
      const keys = chipAuthenticationCardStep(
        key.d,
        key.domain,
        pk.value,
        suite?.cipher ?? 'aes',
        suite?.keyBits ?? 128,
      );
      return { response: encodeTlv(0x7c, new Uint8Array(0)), keys };
    } catch {
      return null;
    }
  },
};
