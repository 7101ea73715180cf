/**
 * @module
 * LDSSecurityObject (ICAO Doc 9303 Part 10 §4.6.2.2 and Appendix D): the signed content of
 * EF.SOD, `SEQUENCE { version, hashAlgorithm, SEQUENCE OF DataGroupHash { dataGroupNumber,
 * dataGroupHashValue }, ldsVersionInfo OPTIONAL }`, and its builder for synthetic cards.
 */
import { encodeUtf8 } from '@vneid/core/bytes';
import { decodeTlv, encodeInteger, encodeOid, encodeTlv, type Tlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import {
  assertInput,
  assertTlv,
  childrenOf,
  guard,
  integerOf,
  oidOf,
  primitiveOf,
  structure,
  TAG,
  textOf,
  tlvFailure,
} from './lds-tlv.ts';

const FILE = 'LDSSecurityObject';
/** eContentType of EF.SOD (`id-icao-mrtd-security-ldsSecurityObject`). */
export const LDS_SECURITY_OBJECT_OID = '2.23.136.1.1.1';

/** Hash algorithms ICAO Doc 9303 Part 12 allows for data-group hashes. */
export type LdsHashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** OID and digest length of each {@link LdsHashName}. */
export const LDS_HASH_ALGORITHMS: Readonly<Record<LdsHashName, { oid: string; length: number }>> = {
  'SHA-1': { oid: '1.3.14.3.2.26', length: 20 },
  'SHA-224': { oid: '2.16.840.1.101.3.4.2.4', length: 28 },
  'SHA-256': { oid: '2.16.840.1.101.3.4.2.1', length: 32 },
  'SHA-384': { oid: '2.16.840.1.101.3.4.2.2', length: 48 },
  'SHA-512': { oid: '2.16.840.1.101.3.4.2.3', length: 64 },
};

/** The hash name of a digest-algorithm OID, or undefined. */
export function hashNameOfOid(oid: string): LdsHashName | undefined {
  for (const [name, info] of Object.entries(LDS_HASH_ALGORITHMS))
    if (info.oid === oid) return name as LdsHashName;
  return undefined;
}

/** One data-group hash. */
export interface DataGroupHash {
  dataGroup: number;
  hash: Uint8Array;
}

/** Parsed LDSSecurityObject. */
export interface LdsSecurityObject {
  /** The eContent exactly as signed. */
  raw: Uint8Array;
  /** 0 (LDS 1.7) or 1 (LDS 1.8, with `ldsVersionInfo`). */
  version: number;
  hashAlgorithm: { oid: string; name: LdsHashName; parameters?: Uint8Array };
  dataGroupHashes: DataGroupHash[];
  ldsVersionInfo?: { ldsVersion: string; unicodeVersion: string };
}

/** Input of {@link buildLdsSecurityObject}. */
export interface LdsSecurityObjectValues {
  hashAlgorithm: LdsHashName;
  dataGroupHashes: readonly DataGroupHash[];
  /** When given, version 1 with `ldsVersionInfo` (`{ ldsVersion: '0108', unicodeVersion: '040000' }`). */
  ldsVersion?: { ldsVersion: string; unicodeVersion: string };
}

/** Parses an AlgorithmIdentifier: `{ oid, parameters? }` with the parameters' exact DER. */
export function parseAlgorithmIdentifier(
  tlv: Tlv | undefined,
  file: string,
  what: string,
): { oid: string; parameters?: Uint8Array } {
  if (tlv !== undefined) assertTlv(tlv, typeof file === 'string' ? file : FILE);
  const parts = childrenOf(tlv, TAG.SEQUENCE, file, what);
  structure(parts.length >= 1 && parts.length <= 2, file, `${what} must hold an OID and optional parameters`);
  const oid = oidOf(parts[0], file, `the OID of ${what}`);
  const params = parts[1];
  return params === undefined ? { oid } : { oid, parameters: params.raw };
}

/**
 * Parses the LDSSecurityObject (the eContent of EF.SOD); `encoding: 'der'` (as EF.SOD's parser
 * asks) rejects indefinite and non-minimal lengths, the default also accepts BER.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_INVALID_STRUCTURE`,
 *   `LDS_UNSUPPORTED_ALGORITHM`, `LDS_INVALID_TEXT`
 */
export function parseLdsSecurityObject(
  eContent: Uint8Array,
  options: { encoding?: 'der' | 'ber' } = {},
): LdsSecurityObject {
  if (!(eContent instanceof Uint8Array)) {
    throw new LdsError('LDS_INVALID_INPUT', `${FILE}: expected a Uint8Array`, { context: { file: FILE } });
  }
  let root: Tlv;
  try {
    root = decodeTlv(eContent, { ber: options.encoding !== 'der' });
  } catch (cause) {
    throw tlvFailure(cause, FILE);
  }
  const parts = childrenOf(root, TAG.SEQUENCE, FILE, 'the LDSSecurityObject SEQUENCE');
  structure(parts.length === 3 || parts.length === 4, FILE, `expected 3 or 4 elements, got ${parts.length}`);
  const version = integerOf(parts[0], FILE, 'the version');
  const algorithm = parseAlgorithmIdentifier(parts[1], FILE, 'the hash algorithm');
  const name = hashNameOfOid(algorithm.oid);
  if (name === undefined) {
    throw new LdsError('LDS_UNSUPPORTED_ALGORITHM', `${FILE}: unknown hash algorithm ${algorithm.oid}`, {
      context: { file: FILE },
    });
  }
  const expected = LDS_HASH_ALGORITHMS[name].length;
  const dataGroupHashes: DataGroupHash[] = [];
  const seen = new Set<number>();
  for (const entry of childrenOf(parts[2], TAG.SEQUENCE, FILE, 'the data-group hashes')) {
    const pair = childrenOf(entry, TAG.SEQUENCE, FILE, 'a DataGroupHash');
    structure(pair.length === 2, FILE, 'a DataGroupHash must hold a number and a hash', {
      offset: entry.offset,
    });
    const dataGroup = integerOf(pair[0], FILE, 'a data-group number');
    structure(dataGroup >= 1 && dataGroup <= 16, FILE, 'data-group numbers run from 1 to 16', {
      offset: entry.offset,
    });
    structure(!seen.has(dataGroup), FILE, 'a data group is hashed twice', { offset: entry.offset });
    seen.add(dataGroup);
    const hash = primitiveOf(pair[1], TAG.OCTET_STRING, FILE, 'a data-group hash');
    structure(
      hash.length === expected,
      FILE,
      `a ${name} hash must be ${expected} bytes, got ${hash.length}`,
      {
        offset: entry.offset,
        expected,
        actual: hash.length,
      },
    );
    dataGroupHashes.push({ dataGroup, hash });
  }
  const result: LdsSecurityObject = {
    raw: eContent,
    version,
    hashAlgorithm: algorithm.parameters === undefined ? { oid: algorithm.oid, name } : { ...algorithm, name },
    dataGroupHashes,
  };
  const info = parts[3];
  if (info !== undefined) {
    const pair = childrenOf(info, TAG.SEQUENCE, FILE, 'the LDS version info');
    structure(pair.length === 2, FILE, 'the LDS version info must hold two strings');
    result.ldsVersionInfo = {
      ldsVersion: textOf(pair[0] as Tlv, FILE),
      unicodeVersion: textOf(pair[1] as Tlv, FILE),
    };
  }
  return result;
}

/**
 * Builds a DER LDSSecurityObject (version 0, or 1 with `ldsVersion`), hashes in the given order.
 * @throws {LdsError} `LDS_INVALID_INPUT` for an unknown algorithm, a hash of the wrong length
 *   or a data-group number outside 1–16
 */
export function buildLdsSecurityObject(values: LdsSecurityObjectValues): Uint8Array {
  assertInput(
    typeof values === 'object' && values !== null && Array.isArray(values.dataGroupHashes),
    FILE,
    'an object with a hashAlgorithm and a dataGroupHashes array',
  );
  const info = LDS_HASH_ALGORITHMS[values.hashAlgorithm];
  if (info === undefined) {
    throw new LdsError('LDS_INVALID_INPUT', `${FILE}: unknown hash algorithm`, { context: { file: FILE } });
  }
  const hashes = values.dataGroupHashes.map(({ dataGroup, hash }) => {
    if (!Number.isInteger(dataGroup) || dataGroup < 1 || dataGroup > 16 || hash.length !== info.length) {
      throw new LdsError(
        'LDS_INVALID_INPUT',
        `${FILE}: data groups are 1–16 and hashes ${info.length} bytes`,
        {
          context: { file: FILE, expected: info.length, actual: hash.length },
        },
      );
    }
    return encodeTlv(TAG.SEQUENCE, [
      encodeTlv(TAG.INTEGER, encodeInteger(dataGroup)),
      encodeTlv(TAG.OCTET_STRING, hash),
    ]);
  });
  return guard(FILE, () => {
    const parts = [
      encodeTlv(TAG.INTEGER, encodeInteger(values.ldsVersion ? 1 : 0)),
      encodeTlv(TAG.SEQUENCE, [encodeTlv(TAG.OID, encodeOid(info.oid))]),
      encodeTlv(TAG.SEQUENCE, hashes),
    ];
    if (values.ldsVersion) {
      parts.push(
        encodeTlv(TAG.SEQUENCE, [
          encodeTlv(TAG.PRINTABLE_STRING, encodeUtf8(values.ldsVersion.ldsVersion)),
          encodeTlv(TAG.PRINTABLE_STRING, encodeUtf8(values.ldsVersion.unicodeVersion)),
        ]),
      );
    }
    return encodeTlv(TAG.SEQUENCE, parts);
  });
}
