/**
 * @module
 * ICAO CSCA master lists (ICAO Doc 9303 Part 12 §9): CMS SignedData whose eContent (type
 * id-icao-cscaMasterList, 2.23.136.1.1.2) is `CscaMasterList ::= SEQUENCE { version INTEGER,
 * certList SET OF Certificate }`, signed by a Master List Signer certified by a CSCA. Accepts
 * the `.ml` files published by BSI and other states (DER, or PEM/Base64 text of the same CMS).
 */

import { fromBase64 } from '@vneid/core/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseBer } from './asn1.ts';
import { type CertificateInfo, describeCertificate, pemBlocks } from './certificate.ts';
import { PaError } from './pa-error.ts';
import { type ParsedSignedData, parseSignedData } from './signed-data.ts';

/** OID id-icao-cscaMasterList. */
export const OID_CSCA_MASTER_LIST: '2.23.136.1.1.2' = '2.23.136.1.1.2';

/** Master lists hold hundreds of certificates: allow far more BER nodes than chip data. */
const LIMITS = { maxNodes: 5_000_000 };

/** A parsed (not yet trusted) master list. */
export interface ParsedMasterList {
  signedData: ParsedSignedData;
  version: number;
  certificates: CertificateInfo[];
}

function masterListBytes(input: string | Uint8Array, name: string): Uint8Array {
  if (typeof input !== 'string') return input;
  const blocks = pemBlocks(input, ['CMS', 'PKCS7', 'PKCS #7 SIGNED DATA']);
  if (blocks[0]) return blocks[0];
  try {
    return fromBase64(input.replace(/\s+/g, ''));
  } catch (cause) {
    throw new PaError('MASTER_LIST_MALFORMED', 'expected DER, PEM or Base64 CMS', {
      context: { input: name },
      cause,
    });
  }
}

/** Parses a CSCA master list. Throws `PaError('MASTER_LIST_MALFORMED')`. */
export function parseMasterList(input: string | Uint8Array, name = 'masterList'): ParsedMasterList {
  const bytes = masterListBytes(input, name);
  // Master lists are read as BER (published files are not all DER); their signature is checked as for the SOD.
  const signedData = parseSignedData(bytes, 'MASTER_LIST_MALFORMED', name, {
    encoding: 'ber',
    contentType: OID_CSCA_MASTER_LIST,
    requireSignedAttributes: false,
    maxNodes: LIMITS.maxNodes,
  });
  const fail = (message: string, cause?: unknown): never => {
    throw new PaError('MASTER_LIST_MALFORMED', message, {
      context: { input: name, oid: signedData.eContentType },
      cause,
    });
  };
  if (signedData.eContentType !== OID_CSCA_MASTER_LIST) fail('eContent is not a CscaMasterList');
  let root: asn1js.AsnType;
  try {
    root = parseBer(signedData.eContent, LIMITS);
  } catch (cause) {
    return fail('CscaMasterList is not BER', cause);
  }
  if (!(root instanceof asn1js.Sequence)) return fail('expected CscaMasterList SEQUENCE');
  const [version, list] = root.valueBlock.value;
  if (!(version instanceof asn1js.Integer) || !(list instanceof asn1js.Set))
    return fail('expected version and certList');
  const certificates = list.valueBlock.value.map((element, i) => {
    try {
      const der = new Uint8Array(element.valueBeforeDecodeView);
      return describeCertificate(new pkijs.Certificate({ schema: element }), der);
    } catch (cause) {
      return fail(`certificate ${i} of the master list is malformed`, cause);
    }
  });
  return { signedData, version: version.valueBlock.valueDec, certificates };
}
