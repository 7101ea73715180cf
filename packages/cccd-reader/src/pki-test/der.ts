/**
 * @module
 * DER building blocks for the test PKI (ITU-T X.690 DER; RFC 5280 §4.1 names, times, algorithm
 * identifiers and extensions), written with asn1js constructors so the structures read as the
 * specifications do.
 */
import * as asn1js from 'asn1js';

/** Encodes an asn1js element to DER bytes. */
export function der(element: asn1js.AsnType): Uint8Array {
  return new Uint8Array(element.toBER(false));
}

/** Re-parses DER bytes into an element (to embed pre-encoded structures). */
export function element(bytes: Uint8Array): asn1js.AsnType {
  const r = asn1js.fromBER(bytes);
  if (r.offset === -1) throw new Error('invalid DER');
  return r.result;
}

export const oid = (value: string): asn1js.ObjectIdentifier => new asn1js.ObjectIdentifier({ value });

export const seq = (...value: asn1js.AsnType[]): asn1js.Sequence => new asn1js.Sequence({ value });

/** A DER SET OF: elements sorted by their encodings (X.690 §11.6). */
export function setOf(...value: asn1js.AsnType[]): asn1js.Set {
  const sorted = value
    .map((v) => ({ v, d: der(v) }))
    .sort((a, b) => {
      const n = Math.min(a.d.length, b.d.length);
      for (let i = 0; i < n; i++) if (a.d[i] !== b.d[i]) return (a.d[i] as number) - (b.d[i] as number);
      return a.d.length - b.d.length;
    })
    .map((x) => element(x.d));
  return new asn1js.Set({ value: sorted });
}

/** `[n] EXPLICIT` (context-specific, constructed). */
export const explicit = (n: number, ...value: asn1js.AsnType[]): asn1js.Constructed =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value });

export const octets = (bytes: Uint8Array): asn1js.OctetString => new asn1js.OctetString({ valueHex: bytes });

export const bits = (bytes: Uint8Array, unusedBits = 0): asn1js.BitString =>
  new asn1js.BitString({ valueHex: bytes, unusedBits });

/** UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5); whole seconds. */
export function time(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const d = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return d.getUTCFullYear() < 2050
    ? new asn1js.UTCTime({ valueDate: d })
    : new asn1js.GeneralizedTime({ valueDate: d });
}

/** AlgorithmIdentifier with optional parameters (NULL when `nullParams`). */
export function algorithm(id: string, params?: asn1js.AsnType | 'null'): asn1js.Sequence {
  if (params === 'null') return seq(oid(id), new asn1js.Null());
  return params === undefined ? seq(oid(id)) : seq(oid(id), params);
}

/** A distinguished name from `[type OID, value]` pairs; C as PrintableString, the rest UTF8String. */
export function name(parts: ReadonlyArray<readonly [string, string]>): asn1js.Sequence {
  return seq(
    ...parts.map(
      ([type, value]) =>
        new asn1js.Set({
          value: [
            seq(
              oid(type),
              type === '2.5.4.6' || type === '2.5.4.5'
                ? new asn1js.PrintableString({ value })
                : new asn1js.Utf8String({ value }),
            ),
          ],
        }),
    ),
  );
}

/** An Extension. */
export const extension = (id: string, critical: boolean, value: asn1js.AsnType): asn1js.Sequence =>
  critical
    ? seq(oid(id), new asn1js.Boolean({ value: true }), octets(der(value)))
    : seq(oid(id), octets(der(value)));
