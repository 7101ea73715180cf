/**
 * @module
 * DER builders for the software chip's SecurityInfos (ICAO Doc 9303 Part 11 §9.2): PACEInfo,
 * ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo (EC key with explicit domain
 * parameters, SEC 1 §C.2, as the CCCD's DG14), TerminalAuthenticationInfo and
 * ActiveAuthenticationInfo; and the files holding them (EF.CardAccess, DG14, DG15).
 */
import { encodeInteger, encodeOid, encodeTlv } from '@vneid/core/tlv';
import { EC_PUBLIC_KEY_OID } from '../lds/dg15.ts';
import { type EcCurveParameters, ID_AA, ID_PK, ID_PRIME_FIELD, ID_TA } from '../lds/oids.ts';
import { bigIntToBytes, bigIntToMinimalBytes } from '../protocols/pace/domain-parameters.ts';

const SEQ = 0x30;
const SET = 0x31;
const int = (n: number): Uint8Array => encodeTlv(0x02, encodeInteger(n));
const oid = (dotted: string): Uint8Array => encodeTlv(0x06, encodeOid(dotted));

/** DER INTEGER of a non-negative bigint. */
export function unsignedIntegerDer(n: bigint): Uint8Array {
  const bytes = bigIntToMinimalBytes(n);
  const value = (bytes[0] as number) & 0x80 ? Uint8Array.of(0, ...bytes) : bytes;
  return encodeTlv(0x02, value);
}

/** `PACEInfo ::= SEQUENCE { protocol, version INTEGER (2), parameterId INTEGER OPTIONAL }`. */
export function paceInfoDer(protocol: string, parameterId?: number): Uint8Array {
  return encodeTlv(SEQ, [oid(protocol), int(2), ...(parameterId === undefined ? [] : [int(parameterId)])]);
}

/** `ChipAuthenticationInfo ::= SEQUENCE { protocol, version INTEGER (1), keyId OPTIONAL }`. */
export function chipAuthenticationInfoDer(protocol: string, keyId?: number): Uint8Array {
  return encodeTlv(SEQ, [oid(protocol), int(1), ...(keyId === undefined ? [] : [int(keyId)])]);
}

/** `TerminalAuthenticationInfo ::= SEQUENCE { id-TA, version INTEGER (1) }`. */
export function terminalAuthenticationInfoDer(): Uint8Array {
  return encodeTlv(SEQ, [oid(ID_TA), int(1)]);
}

/** `ActiveAuthenticationInfo ::= SEQUENCE { id-AA, version INTEGER (1), signatureAlgorithm OID }`. */
export function activeAuthenticationInfoDer(signatureAlgorithm: string): Uint8Array {
  return encodeTlv(SEQ, [oid(ID_AA), int(1), oid(signatureAlgorithm)]);
}

/** Explicit `ECParameters` (SEC 1 §C.2, version 1, prime field). */
export function explicitEcParametersDer(curve: EcCurveParameters): Uint8Array {
  const len = Math.ceil(curve.p.toString(2).length / 8);
  return encodeTlv(SEQ, [
    int(1),
    encodeTlv(SEQ, [oid(ID_PRIME_FIELD), unsignedIntegerDer(curve.p)]),
    encodeTlv(SEQ, [
      encodeTlv(0x04, bigIntToBytes(curve.a, len)),
      encodeTlv(0x04, bigIntToBytes(curve.b, len)),
    ]),
    encodeTlv(0x04, Uint8Array.of(0x04, ...bigIntToBytes(curve.gx, len), ...bigIntToBytes(curve.gy, len))),
    unsignedIntegerDer(curve.n),
    unsignedIntegerDer(curve.h),
  ]);
}

/** SubjectPublicKeyInfo of an EC public point with explicit domain parameters. */
export function ecSpkiExplicitDer(curve: EcCurveParameters, point: Uint8Array): Uint8Array {
  return encodeTlv(SEQ, [
    encodeTlv(SEQ, [oid(EC_PUBLIC_KEY_OID), explicitEcParametersDer(curve)]),
    encodeTlv(0x03, Uint8Array.of(0, ...point)),
  ]);
}

/** SubjectPublicKeyInfo of an EC public point on a named curve. */
export function ecSpkiNamedDer(curveOid: string, point: Uint8Array): Uint8Array {
  return encodeTlv(SEQ, [
    encodeTlv(SEQ, [oid(EC_PUBLIC_KEY_OID), oid(curveOid)]),
    encodeTlv(0x03, Uint8Array.of(0, ...point)),
  ]);
}

/** `ChipAuthenticationPublicKeyInfo ::= SEQUENCE { id-PK-ECDH, SubjectPublicKeyInfo, keyId OPTIONAL }`. */
export function chipAuthenticationPublicKeyInfoDer(spki: Uint8Array, keyId?: number): Uint8Array {
  return encodeTlv(SEQ, [oid(`${ID_PK}.2`), spki, ...(keyId === undefined ? [] : [int(keyId)])]);
}

/** `SecurityInfos ::= SET OF SecurityInfo`, in the order given (as cards store them). */
export function securityInfosDer(infos: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(SET, infos);
}
