/**
 * @module
 * Small helpers over asn1js for the passive-authentication layer (ITU-T X.690 BER/DER): parse a
 * whole buffer, read integers as bigint, read (possibly constructed, BER-chunked) OCTET STRINGs,
 * and encode unsigned big integers minimally.
 */
import * as asn1js from 'asn1js';

/** Thrown internally; callers turn it into a typed `PaError`. */
export class Asn1Malformed extends Error {}

/** Resource limits of the BER parser (asn1js defaults: 10 000 nodes, depth 100, 16 MiB). */
export interface BerLimits {
  maxNodes?: number;
}

/**
 * Parses one BER element that must fill `bytes` exactly. Chip data keeps asn1js's default
 * limits; master lists (hundreds of certificates) need a larger node budget.
 */
export function parseBer(bytes: Uint8Array, limits: BerLimits = {}): asn1js.AsnType {
  const result = asn1js.fromBER(
    bytes,
    limits.maxNodes === undefined ? undefined : { maxNodes: limits.maxNodes },
  );
  if (result.offset === -1) throw new Asn1Malformed(result.result.error || 'BER decoding failed');
  if (result.offset !== bytes.length) throw new Asn1Malformed('trailing bytes after the BER element');
  return result.result;
}

/** The raw bytes an element was decoded from (tag, length, value). */
export function encodedBytes(element: asn1js.AsnType): Uint8Array {
  return new Uint8Array(element.valueBeforeDecodeView);
}

/** The content of an OCTET STRING, concatenating the segments of a constructed (BER) one. */
export function octetStringValue(element: asn1js.AsnType): Uint8Array {
  const block = (element as asn1js.BaseBlock).valueBlock as unknown as {
    isConstructed?: boolean;
    value?: asn1js.AsnType[];
    valueHexView?: Uint8Array;
  };
  if (
    block.isConstructed ||
    (block.value !== undefined && block.value.length > 0 && block.valueHexView?.length === 0)
  ) {
    const parts = (block.value ?? []).map(octetStringValue);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
  if (block.valueHexView === undefined) throw new Asn1Malformed('not an OCTET STRING');
  return new Uint8Array(block.valueHexView);
}

/** An INTEGER as an unsigned bigint (the big-endian magnitude; negative values rejected). */
export function integerValue(element: asn1js.AsnType): bigint {
  if (!(element instanceof asn1js.Integer)) throw new Asn1Malformed('expected INTEGER');
  const v = element.toBigInt();
  if (v < 0n) throw new Asn1Malformed('negative INTEGER');
  return v;
}

/** Big-endian unsigned bytes of `v`, left-padded to `length` when given. */
export function bigintToBytes(v: bigint, length?: number): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const raw = new Uint8Array(hex.length / 2);
  for (let i = 0; i < raw.length; i++) raw[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  if (length === undefined || raw.length === length) return raw;
  if (raw.length > length) throw new Asn1Malformed('integer too large');
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

/** Big-endian unsigned bytes to bigint. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** An unsigned INTEGER with DER's minimal two's-complement encoding. */
export function unsignedInteger(v: bigint): asn1js.Integer {
  const raw = bigintToBytes(v);
  const needsZero = raw.length === 0 || ((raw[0] ?? 0) & 0x80) !== 0;
  const bytes = needsZero ? new Uint8Array([0, ...raw]) : raw;
  return new asn1js.Integer({ valueHex: bytes });
}
