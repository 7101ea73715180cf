/**
 * @module
 * Object identifiers of ICAO Doc 9303 Part 11 §9.2 (SecurityInfos: PACE, Chip Authentication,
 * Terminal Authentication, Active Authentication) and BSI TR-03110 Part 3 §A.1 / TR-03111
 * (standardized domain parameters, EC key and signature OIDs), shared by the LDS parsers and
 * the protocols. Also the table of standardized domain parameter IDs 0–2 and 8–18 (ICAO Doc 9303
 * Part 11 §9.5.1, RFC 5114, RFC 5639, FIPS 186-4) as plain numbers, so that explicit EC
 * parameters (DG14, EF.CardSecurity) can be recognised as a named curve.
 */
import { assertInput } from './lds-tlv.ts';

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

/** Named curve OIDs used by eMRTDs. */
export const CURVE_OIDS: Readonly<Record<string, string>> = {
  secp192r1: '1.2.840.10045.3.1.1',
  secp224r1: '1.3.132.0.33',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp521r1: '1.3.132.0.35',
  brainpoolP192r1: '1.3.36.3.3.2.8.1.1.3',
  brainpoolP224r1: '1.3.36.3.3.2.8.1.1.5',
  brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7',
  brainpoolP320r1: '1.3.36.3.3.2.8.1.1.9',
  brainpoolP384r1: '1.3.36.3.3.2.8.1.1.11',
  brainpoolP512r1: '1.3.36.3.3.2.8.1.1.13',
};

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

/** Prime-field short Weierstrass curve parameters y² = x³ + ax + b over GF(p), as numbers. */
export interface EcCurveParameters {
  p: bigint;
  a: bigint;
  b: bigint;
  /** Base point coordinates. */
  gx: bigint;
  gy: bigint;
  /** Order of the base point. */
  n: bigint;
  /** Cofactor. */
  h: bigint;
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

/** Named curves by name (RFC 5639 brainpool, FIPS 186-4 NIST). */
export const NAMED_CURVES: Readonly<Record<string, EcCurveParameters>> = {
  secp192r1: {
    p: h('fffffffffffffffffffffffffffffffeffffffffffffffff'),
    a: h('fffffffffffffffffffffffffffffffefffffffffffffffc'),
    b: h('64210519e59c80e70fa7e9ab72243049feb8deecc146b9b1'),
    gx: h('188da80eb03090f67cbf20eb43a18800f4ff0afd82ff1012'),
    gy: h('07192b95ffc8da78631011ed6b24cdd573f977a11e794811'),
    n: h('ffffffffffffffffffffffff99def836146bc9b1b4d22831'),
    h: 1n,
  },
  brainpoolP192r1: {
    p: h('c302f41d932a36cda7a3463093d18db78fce476de1a86297'),
    a: h('6a91174076b1e0e19c39c031fe8685c1cae040e5c69a28ef'),
    b: h('469a28ef7c28cca3dc721d044f4496bcca7ef4146fbf25c9'),
    gx: h('c0a0647eaab6a48753b033c56cb0f0900a2f5c4853375fd6'),
    gy: h('14b690866abd5bb88b5f4828c1490002e6773fa2fa299b8f'),
    n: h('c302f41d932a36cda7a3462f9e9e916b5be8f1029ac4acc1'),
    h: 1n,
  },
  secp224r1: {
    p: h('ffffffffffffffffffffffffffffffff000000000000000000000001'),
    a: h('fffffffffffffffffffffffffffffffefffffffffffffffffffffffe'),
    b: h('b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4'),
    gx: h('b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21'),
    gy: h('bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34'),
    n: h('ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d'),
    h: 1n,
  },
  brainpoolP224r1: {
    p: h('d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff'),
    a: h('68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43'),
    b: h('2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b'),
    gx: h('0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d'),
    gy: h('58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd'),
    n: h('d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f'),
    h: 1n,
  },
  secp256r1: {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: h('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    b: h('5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    h: 1n,
  },
  brainpoolP256r1: {
    p: h('a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377'),
    a: h('7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9'),
    b: h('26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6'),
    gx: h('8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262'),
    gy: h('547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997'),
    n: h('a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7'),
    h: 1n,
  },
  brainpoolP320r1: {
    p: h('d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27'),
    a: h('3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4'),
    b: h('520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6'),
    gx: h('43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611'),
    gy: h('14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1'),
    n: h('d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311'),
    h: 1n,
  },
  secp384r1: {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    b: h('b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef'),
    gx: h('aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
    gy: h('3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
    n: h('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    h: 1n,
  },
  brainpoolP384r1: {
    p: h('8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53'),
    a: h('7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826'),
    b: h('04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11'),
    gx: h('1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e'),
    gy: h('8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315'),
    n: h('8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565'),
    h: 1n,
  },
  brainpoolP512r1: {
    p: h(
      'aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3',
    ),
    a: h(
      '7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca',
    ),
    b: h(
      '3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723',
    ),
    gx: h(
      '81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822',
    ),
    gy: h(
      '7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892',
    ),
    n: h(
      'aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069',
    ),
    h: 1n,
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    b: h(
      '0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00',
    ),
    gx: h(
      '00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66',
    ),
    gy: h(
      '011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650',
    ),
    n: h(
      '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
    h: 1n,
  },
};

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
