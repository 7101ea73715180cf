/**
 * @module
 * Strict BER-TLV (ISO/IEC 7816-4 §5.2, ITU-T X.690 §8.1): bounded single-pass decoding,
 * minimal encoding, lookup helpers, and the small DER values (OBJECT IDENTIFIER, INTEGER)
 * the chip reader needs.
 */
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_NODES,
  type DecodeTlvOptions,
  decodeTlv,
  decodeTlvSequence,
  encodeLength,
  encodeTag,
  encodeTlv,
  findAllTlv,
  findTlv,
  isConstructedTag,
  requireTlv,
  type Tlv,
  type TlvDecodeStats,
  tagToHex,
} from './ber-tlv.ts';
export { decodeInteger, encodeInteger } from './integer.ts';
export { decodeOid, encodeOid } from './object-identifier.ts';
export { TlvError, type TlvErrorCode, type TlvErrorContext } from './tlv-error.ts';
