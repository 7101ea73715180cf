/**
 * @module
 * LDSSecurityObject, the signed content of EF.SOD (ICAO Doc 9303 Part 10 §4.6.2.2 and Appendix D):
 * version, the hash algorithm and one hash per data group. Parsed here with asn1js so that the
 * `pa` subpath stands alone; the hashes are compared with the data groups' bytes as read.
 */
import * as asn1js from 'asn1js';
import { type HashName, hashByOid } from './algorithms.ts';
import { integerValue, parseBer } from './asn1.ts';
import { PaError } from './pa-error.ts';

/** OID of the LDSSecurityObject content type (id-icao-mrtd-security-ldsSecurityObject). */
export const OID_LDS_SECURITY_OBJECT: '2.23.136.1.1.1' = '2.23.136.1.1.1';

/** A parsed LDSSecurityObject. */
export interface LdsSecurityObject {
  /** 0 (LDS 1.7) or 1 (LDS 1.8, with ldsVersionInfo). */
  version: number;
  hashAlgorithm: { oid: string; name: HashName | undefined };
  dataGroupHashes: Array<{ dataGroup: number; hash: Uint8Array }>;
  /** LDS and Unicode versions (version 1 only). */
  ldsVersionInfo?: { ldsVersion: string; unicodeVersion: string };
}

function fail(message: string, cause?: unknown): never {
  throw new PaError('LDS_SECURITY_OBJECT_MALFORMED', message, { context: { input: 'sod' }, cause });
}

/** Parses the DER LDSSecurityObject (the eContent of EF.SOD). */
export function parseLdsSecurityObject(eContent: Uint8Array): LdsSecurityObject {
  try {
    return parse(eContent);
  } catch (e) {
    if (e instanceof PaError) throw e;
    return fail('malformed LDSSecurityObject', e);
  }
}

function parse(eContent: Uint8Array): LdsSecurityObject {
  let root: asn1js.AsnType;
  try {
    root = parseBer(eContent);
  } catch (cause) {
    fail('expected a DER LDSSecurityObject', cause);
  }
  if (!(root instanceof asn1js.Sequence)) fail('expected LDSSecurityObject SEQUENCE');
  const [version, algorithm, hashes, versionInfo] = root.valueBlock.value;
  if (
    !(version instanceof asn1js.Integer) ||
    !(algorithm instanceof asn1js.Sequence) ||
    !(hashes instanceof asn1js.Sequence)
  ) {
    fail('expected version, hashAlgorithm and dataGroupHashValues');
  }
  const oid = algorithm.valueBlock.value[0];
  if (!(oid instanceof asn1js.ObjectIdentifier)) fail('expected a hash algorithm OID');
  const hashOid = oid.valueBlock.toString();
  const seen = new Set<number>();
  const dataGroupHashes = hashes.valueBlock.value.map((item) => {
    if (!(item instanceof asn1js.Sequence)) fail('expected DataGroupHash SEQUENCE');
    const [number, value] = item.valueBlock.value;
    if (!(number instanceof asn1js.Integer) || !(value instanceof asn1js.OctetString))
      fail('expected DataGroupHash number and value');
    const dg = Number(integerValue(number));
    if (!Number.isSafeInteger(dg) || dg < 1 || dg > 16 || seen.has(dg))
      fail('data group number out of range or repeated');
    seen.add(dg);
    return { dataGroup: dg, hash: new Uint8Array(value.valueBlock.valueHexView) };
  });
  const out: LdsSecurityObject = {
    version: Number(integerValue(version)),
    hashAlgorithm: { oid: hashOid, name: hashByOid(hashOid)?.name },
    dataGroupHashes,
  };
  if (versionInfo instanceof asn1js.Sequence) {
    const [lds, unicode] = versionInfo.valueBlock.value;
    const text = (v: unknown): string =>
      ((v as { valueBlock?: { value?: unknown } }).valueBlock?.value as string) ?? '';
    out.ldsVersionInfo = { ldsVersion: text(lds), unicodeVersion: text(unicode) };
  }
  return out;
}
