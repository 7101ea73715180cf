/**
 * @module
 * OBJECT IDENTIFIER contents (ITU-T X.690 §8.19): base-128 subidentifiers, the first combining
 * the first two arcs as `40 × arc1 + arc2`. Decoding is strict DER: no empty value, no
 * leading `80` byte in a subidentifier, no unterminated subidentifier. Arcs of any size are
 * supported (BigInt beyond 2^53).
 */
import { TlvError } from './tlv-error.ts';

const OID_RE = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

/**
 * Dotted form of OBJECT IDENTIFIER contents (`04 00 7F 00 07 02 02 04 02 02` →
 * `0.4.0.127.0.7.2.2.4.2.2`).
 * @throws {TlvError} `TLV_INVALID_VALUE`; `TLV_INVALID_INPUT` when `bytes` is not a `Uint8Array`.
 */
export function decodeOid(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TlvError('TLV_INVALID_INPUT', 'Expected a Uint8Array');
  if (bytes.length === 0) throw new TlvError('TLV_INVALID_VALUE', 'An OBJECT IDENTIFIER cannot be empty');
  const arcs: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x80) {
      throw new TlvError(
        'TLV_INVALID_VALUE',
        `OBJECT IDENTIFIER subidentifier at offset ${i} has a leading 80 byte`,
        {
          context: { offset: i },
        },
      );
    }
    let small = 0;
    let big: bigint | null = null;
    for (;;) {
      if (i >= bytes.length) {
        throw new TlvError('TLV_INVALID_VALUE', 'OBJECT IDENTIFIER ends inside a subidentifier', {
          context: { offset: i },
        });
      }
      const c = bytes[i++]!;
      if (big === null && small < 2 ** 45) small = small * 128 + (c & 0x7f);
      else {
        big = (big ?? BigInt(small)) * 128n + BigInt(c & 0x7f);
      }
      if ((c & 0x80) === 0) break;
    }
    if (arcs.length === 0) {
      if (big !== null) {
        arcs.push('2', (big - 80n).toString());
      } else if (small < 80) {
        arcs.push(String(Math.floor(small / 40)), String(small % 40));
      } else {
        arcs.push('2', String(small - 80));
      }
    } else {
      arcs.push(big !== null ? big.toString() : String(small));
    }
  }
  return arcs.join('.');
}

/**
 * OBJECT IDENTIFIER contents of a dotted OID (no tag or length).
 * @throws {TlvError} `TLV_INVALID_VALUE` for malformed text, a first arc above 2, or a second
 *   arc of 40 or more under arcs 0 and 1.
 */
export function encodeOid(dotted: string): Uint8Array {
  if (typeof dotted !== 'string' || !OID_RE.test(dotted)) {
    throw new TlvError('TLV_INVALID_VALUE', 'Expected a dotted OBJECT IDENTIFIER such as 2.23.136.1.1.1');
  }
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const a0 = arcs[0]!;
  const a1 = arcs[1]!;
  if (a0 > 2n || (a0 < 2n && a1 >= 40n)) {
    throw new TlvError(
      'TLV_INVALID_VALUE',
      'The first OID arc must be 0–2, and the second below 40 under 0 and 1',
    );
  }
  const subs = [a0 * 40n + a1, ...arcs.slice(2)];
  const out: number[] = [];
  for (const sub of subs) {
    const groups: number[] = [];
    let v = sub;
    do {
      groups.push(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = groups.length - 1; i >= 0; i--) out.push(groups[i]! | (i > 0 ? 0x80 : 0));
  }
  return Uint8Array.from(out);
}
