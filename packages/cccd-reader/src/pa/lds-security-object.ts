/**
 * @module
 * LDSSecurityObject, the signed content of EF.SOD (ICAO Doc 9303 Part 10 §4.6.2.2 and Appendix D),
 * read with the LDS layer's parser; its errors become `PaError('LDS_SECURITY_OBJECT_MALFORMED')`
 * so that passive authentication has one error type.
 */
import {
  LDS_SECURITY_OBJECT_OID,
  type LdsSecurityObject,
  parseLdsSecurityObject as parseLds,
} from '../lds/lds-security-object.ts';
import { PaError } from './pa-error.ts';

export type { LdsSecurityObject };

/** OID of the LDSSecurityObject content type (id-icao-mrtd-security-ldsSecurityObject). */
export const OID_LDS_SECURITY_OBJECT: typeof LDS_SECURITY_OBJECT_OID = LDS_SECURITY_OBJECT_OID;

/** Parses the LDSSecurityObject (the eContent of EF.SOD). Throws `PaError`. */
export function parseLdsSecurityObject(eContent: Uint8Array): LdsSecurityObject {
  let lds: LdsSecurityObject;
  try {
    lds = parseLds(eContent, { encoding: 'der' });
  } catch (cause) {
    throw new PaError('LDS_SECURITY_OBJECT_MALFORMED', 'expected a DER LDSSecurityObject', {
      context: { input: 'sod' },
      cause,
    });
  }
  const seen = new Set<number>();
  for (const { dataGroup } of lds.dataGroupHashes) {
    if (!Number.isInteger(dataGroup) || dataGroup < 1 || dataGroup > 16 || seen.has(dataGroup)) {
      throw new PaError('LDS_SECURITY_OBJECT_MALFORMED', 'data group number out of range 1–16 or repeated', {
        context: { input: 'sod', dataGroup },
      });
    }
    seen.add(dataGroup);
  }
  return lds;
}
