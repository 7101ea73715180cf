/**
 * @module
 * Object identifiers of ICAO Doc 9303 Part 11 §9.2 (SecurityInfos: PACE, Chip Authentication,
 * Terminal Authentication, Active Authentication) and BSI TR-03110 Part 3 §A.1 / TR-03111
 * (standardized domain parameters, EC key and signature OIDs), shared by the LDS parsers and
 * the protocols. Also the table of standardized domain parameter IDs 0–2 and 8–18 (ICAO Doc 9303
 * Part 11 §9.5.1, RFC 5114, RFC 5639, FIPS 186-4) as plain numbers, so that explicit EC
 * parameters (DG14, EF.CardSecurity) can be recognised as a named curve.
 */
import { CURVE_OIDS, type EcCurveParameters, NAMED_CURVES } from '../crypto/curves.ts';
import { assertInput } from './lds-tlv.ts';

export { CURVE_OIDS, type EcCurveParameters, NAMED_CURVES };

/** id-PACE and its protocol OIDs (ICAO 9303-11 §9.2.3). */
export const ID_PACE: '0.4.0.127.0.7.2.2.4' = '0.4.0.127.0.7.2.2.4';
/** id-CA (ICAO 9303-11 §9.2.7). */
export const ID_CA: '0.4.0.127.0.7.2.2.3' = '0.4.0.127.0.7.2.2.3';
/** id-PK: Chip Authentication public keys (ICAO 9303-11 §9.2.6). */
export const ID_PK: '0.4.0.127.0.7.2.2.1' = '0.4.0.127.0.7.2.2.1';
/** id-TA (ICAO 9303-11 §9.2.9). */
export const ID_TA: '0.4.0.127.0.7.2.2.2' = '0.4.0.127.0.7.2.2.2';
/** id-AA: ActiveAuthenticationInfo (ICAO 9303-11 §9.2.4). */
export const ID_AA: '2.23.136.1.1.5' = '2.23.136.1.1.5';
/** standardizedDomainParameters (BSI TR-03110-3 §A.2.1.1): AlgorithmIdentifier with an ID. */
export const ID_STANDARDIZED_DOMAIN_PARAMETERS: '0.4.0.127.0.7.1.2' = '0.4.0.127.0.7.1.2';
/** id-ecPublicKey (X9.62 / RFC 5480). */
export const ID_EC_PUBLIC_KEY: '1.2.840.10045.2.1' = '1.2.840.10045.2.1';
/** dhpublicnumber (X9.42 / RFC 3279). */
export const ID_DH_PUBLIC_NUMBER: '1.2.840.10046.2.1' = '1.2.840.10046.2.1';
/** prime-field (X9.62): field type of explicit EC parameters. */
export const ID_PRIME_FIELD: '1.2.840.10045.1.1' = '1.2.840.10045.1.1';

/** Key agreement of a PACE / CA protocol. */
export type KeyAgreement = 'DH' | 'ECDH';
/** PACE mapping (ICAO 9303-11 §4.4.3.3). */
export type PaceMapping = 'GM' | 'IM' | 'CAM';
/** Symmetric cipher of a protocol. */
export type ProtocolCipher = '3DES' | 'AES';

/** What a PACE, CA or TA protocol OID stands for. */
export interface ProtocolDescription {
  protocol: 'PACE' | 'CA' | 'PK' | 'TA';
  keyAgreement?: KeyAgreement;
  mapping?: PaceMapping;
  cipher?: ProtocolCipher;
  /** Key length in bits (3DES: 112 reported as 128, the KDF length). */
  keyLength?: 128 | 192 | 256;
}

const SUITES: Record<string, { cipher: ProtocolCipher; keyLength: 128 | 192 | 256 }> = {
  '1': { cipher: '3DES', keyLength: 128 },
  '2': { cipher: 'AES', keyLength: 128 },
  '3': { cipher: 'AES', keyLength: 192 },
  '4': { cipher: 'AES', keyLength: 256 },
};

const PACE_MAPPINGS: Record<string, { keyAgreement: KeyAgreement; mapping: PaceMapping }> = {
  '1': { keyAgreement: 'DH', mapping: 'GM' },
  '2': { keyAgreement: 'ECDH', mapping: 'GM' },
  '3': { keyAgreement: 'DH', mapping: 'IM' },
  '4': { keyAgreement: 'ECDH', mapping: 'IM' },
  '6': { keyAgreement: 'ECDH', mapping: 'CAM' },
};

/**
 * Describes a PACE (`0.4.0.127.0.7.2.2.4.m.c`), CA (`…2.2.3.k.c`), PK (`…2.2.1.k`) or TA OID;
 * undefined for anything else (including the bare mapping OIDs used by
 * PACEDomainParameterInfo, which {@link describeDomainParameterProtocol} handles).
 */
export function describeProtocolOid(oid: string): ProtocolDescription | undefined {
  assertInput(typeof oid === 'string', 'OID', 'a dotted OID string');
  if (oid === ID_TA) return { protocol: 'TA' };
  const tail = (prefix: string): string[] | undefined =>
    oid.startsWith(`${prefix}.`) ? oid.slice(prefix.length + 1).split('.') : undefined;
  const pace = tail(ID_PACE);
  if (pace?.length === 2) {
    const m = PACE_MAPPINGS[pace[0] as string];
    const s = SUITES[pace[1] as string];
    if (m === undefined || s === undefined || (m.mapping === 'CAM' && s.cipher === '3DES')) return undefined;
    return { protocol: 'PACE', ...m, ...s };
  }
  const ca = tail(ID_CA);
  if (ca?.length === 2) {
    const keyAgreement = ca[0] === '1' ? 'DH' : ca[0] === '2' ? 'ECDH' : undefined;
    const s = SUITES[ca[1] as string];
    if (keyAgreement === undefined || s === undefined) return undefined;
    return { protocol: 'CA', keyAgreement, ...s };
  }
  const pk = tail(ID_PK);
  if (pk?.length === 1) {
    const keyAgreement = pk[0] === '1' ? 'DH' : pk[0] === '2' ? 'ECDH' : undefined;
    return keyAgreement === undefined ? undefined : { protocol: 'PK', keyAgreement };
  }
  return undefined;
}

/**
 * The key agreement and mapping named by a PACEDomainParameterInfo protocol OID
 * (`id-PACE-DH-GM`, `id-PACE-ECDH-GM`, `id-PACE-DH-IM`, `id-PACE-ECDH-IM`, `id-PACE-ECDH-CAM`).
 */
export function describeDomainParameterProtocol(
  oid: string,
): { keyAgreement: KeyAgreement; mapping: PaceMapping } | undefined {
  assertInput(typeof oid === 'string', 'OID', 'a dotted OID string');
  if (!oid.startsWith(`${ID_PACE}.`)) return undefined;
  const rest = oid.slice(ID_PACE.length + 1);
  return rest.includes('.') ? undefined : PACE_MAPPINGS[rest];
}

/** Builds the PACE protocol OID for a mapping and cipher suite (inverse of describeProtocolOid). */
export function paceProtocolOid(
  keyAgreement: KeyAgreement,
  mapping: PaceMapping,
  cipher: ProtocolCipher,
  keyLength: 128 | 192 | 256,
): string | undefined {
  const m = Object.entries(PACE_MAPPINGS).find(
    ([, v]) => v.keyAgreement === keyAgreement && v.mapping === mapping,
  );
  const s = Object.entries(SUITES).find(([, v]) => v.cipher === cipher && v.keyLength === keyLength);
  if (m === undefined || s === undefined || (mapping === 'CAM' && cipher === '3DES')) return undefined;
  return `${ID_PACE}.${m[0]}.${s[0]}`;
}

const NAMES: Record<string, string> = {
  [ID_AA]: 'id-AA',
  [ID_TA]: 'id-TA',
  [ID_STANDARDIZED_DOMAIN_PARAMETERS]: 'standardizedDomainParameters',
  [ID_EC_PUBLIC_KEY]: 'id-ecPublicKey',
  [ID_DH_PUBLIC_NUMBER]: 'dhpublicnumber',
  [ID_PRIME_FIELD]: 'prime-field',
  [`${ID_PK}.1`]: 'id-PK-DH',
  [`${ID_PK}.2`]: 'id-PK-ECDH',
  [`${ID_PACE}.1`]: 'id-PACE-DH-GM',
  [`${ID_PACE}.2`]: 'id-PACE-ECDH-GM',
  [`${ID_PACE}.3`]: 'id-PACE-DH-IM',
  [`${ID_PACE}.4`]: 'id-PACE-ECDH-IM',
  [`${ID_PACE}.6`]: 'id-PACE-ECDH-CAM',
  [`${ID_CA}.1`]: 'id-CA-DH',
  [`${ID_CA}.2`]: 'id-CA-ECDH',
  '0.4.0.127.0.7.1.1.4.1.1': 'ecdsa-plain-SHA1',
  '0.4.0.127.0.7.1.1.4.1.2': 'ecdsa-plain-SHA224',
  '0.4.0.127.0.7.1.1.4.1.3': 'ecdsa-plain-SHA256',
  '0.4.0.127.0.7.1.1.4.1.4': 'ecdsa-plain-SHA384',
  '0.4.0.127.0.7.1.1.4.1.5': 'ecdsa-plain-SHA512',
  '0.4.0.127.0.7.1.1.4.1.6': 'ecdsa-plain-RIPEMD160',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
};
for (const [name, oid] of Object.entries(CURVE_OIDS)) NAMES[oid] = name;
for (const [m, { keyAgreement, mapping }] of Object.entries(PACE_MAPPINGS)) {
  for (const [c, { cipher, keyLength }] of Object.entries(SUITES)) {
    if (mapping === 'CAM' && cipher === '3DES') continue;
    const suite = cipher === '3DES' ? '3DES-CBC-CBC' : `AES-CBC-CMAC-${keyLength}`;
    NAMES[`${ID_PACE}.${m}.${c}`] = `id-PACE-${keyAgreement}-${mapping}-${suite}`;
  }
}
for (const [k, ka] of [
  ['1', 'DH'],
  ['2', 'ECDH'],
] as const) {
  for (const [c, { cipher, keyLength }] of Object.entries(SUITES)) {
    const suite = cipher === '3DES' ? '3DES-CBC-CBC' : `AES-CBC-CMAC-${keyLength}`;
    NAMES[`${ID_CA}.${k}.${c}`] = `id-CA-${ka}-${suite}`;
  }
}

/** The standard name of an OID (e.g. `id-PACE-ECDH-GM-AES-CBC-CMAC-128`), or undefined. */
export function oidName(oid: string): string | undefined {
  return NAMES[oid];
}

/** MODP group parameters: prime p, generator g of the subgroup of prime order q. */
export interface DhGroupParameters {
  p: bigint;
  g: bigint;
  q: bigint;
}

/** One row of the standardized domain parameter table (ICAO 9303-11 §9.5.1). */
export type StandardizedDomainParameters =
  | { id: number; kind: 'dh'; name: string; group: DhGroupParameters }
  | { id: number; kind: 'ec'; name: string; curveOid: string; curve: EcCurveParameters };

const h = (hex: string): bigint => BigInt(`0x${hex}`);

/** MODP groups with prime-order subgroups (RFC 5114 §2.1–2.3). */
export const MODP_GROUPS: Readonly<Record<string, DhGroupParameters>> = {
  'modp1024-160': {
    p: h(
      'B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371',
    ),
    g: h(
      'A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5',
    ),
    q: h('F518AA8781A8DF278ABA4E7D64B7CB9D49462353'),
  },
  'modp2048-224': {
    p: h(
      'AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F',
    ),
    g: h(
      'AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA',
    ),
    q: h('801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB'),
  },
  'modp2048-256': {
    p: h(
      '87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597',
    ),
    g: h(
      '3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659',
    ),
    q: h('8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3'),
  },
};

const STANDARD_IDS: ReadonlyArray<readonly [number, 'dh' | 'ec', string]> = [
  [0, 'dh', 'modp1024-160'],
  [1, 'dh', 'modp2048-224'],
  [2, 'dh', 'modp2048-256'],
  [8, 'ec', 'secp192r1'],
  [9, 'ec', 'brainpoolP192r1'],
  [10, 'ec', 'secp224r1'],
  [11, 'ec', 'brainpoolP224r1'],
  [12, 'ec', 'secp256r1'],
  [13, 'ec', 'brainpoolP256r1'],
  [14, 'ec', 'brainpoolP320r1'],
  [15, 'ec', 'secp384r1'],
  [16, 'ec', 'brainpoolP384r1'],
  [17, 'ec', 'brainpoolP512r1'],
  [18, 'ec', 'secp521r1'],
];

/** The standardized domain parameters for an ID (0–2, 8–18), or undefined (3–7 are reserved). */
export function standardizedDomainParameters(id: number): StandardizedDomainParameters | undefined {
  const row = STANDARD_IDS.find(([i]) => i === id);
  if (row === undefined) return undefined;
  const [, kind, name] = row;
  if (kind === 'dh') return { id, kind, name, group: MODP_GROUPS[name] as DhGroupParameters };
  return {
    id,
    kind,
    name,
    curveOid: CURVE_OIDS[name] as string,
    curve: NAMED_CURVES[name] as EcCurveParameters,
  };
}

/** IDs of the standardized domain parameter table. */
export const STANDARDIZED_DOMAIN_PARAMETER_IDS: readonly number[] = STANDARD_IDS.map(([id]) => id);

const CURVE_FIELDS = ['p', 'a', 'b', 'gx', 'gy', 'n', 'h'] as const;

/** Name of the named curve whose parameters equal `curve` (a compared mod p), or undefined. */
export function identifyNamedCurve(curve: EcCurveParameters): string | undefined {
  assertInput(
    typeof curve === 'object' &&
      curve !== null &&
      CURVE_FIELDS.every((k) => typeof curve[k] === 'bigint') &&
      curve.p > 0n,
    'curve',
    'EC curve parameters {p, a, b, gx, gy, n, h} as bigints',
  );
  for (const [name, c] of Object.entries(NAMED_CURVES)) {
    if (
      c.p === curve.p &&
      c.a === ((curve.a % c.p) + c.p) % c.p &&
      c.b === ((curve.b % c.p) + c.p) % c.p &&
      c.gx === curve.gx &&
      c.gy === curve.gy &&
      c.n === curve.n &&
      c.h === curve.h
    ) {
      return name;
    }
  }
  return undefined;
}

/** Name of the standard MODP group equal to `group`, or undefined. */
export function identifyModpGroup(group: { p: bigint; g: bigint; q?: bigint }): string | undefined {
  assertInput(
    typeof group === 'object' &&
      group !== null &&
      typeof group.p === 'bigint' &&
      typeof group.g === 'bigint' &&
      (group.q === undefined || typeof group.q === 'bigint'),
    'group',
    'a MODP group {p, g, q?} as bigints',
  );
  for (const [name, g] of Object.entries(MODP_GROUPS)) {
    if (g.p === group.p && g.g === group.g && (group.q === undefined || g.q === group.q)) return name;
  }
  return undefined;
}
