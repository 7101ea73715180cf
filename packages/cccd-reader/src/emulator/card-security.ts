/**
 * @module
 * EF.CardSecurity of the software chip (ICAO Doc 9303 Part 11 §9.2.9, BSI TR-03110-3 §A.1.2):
 * in the master file (FID 011D, SFI 1D), readable after PACE, a CMS SignedData of type
 * id-SecurityObject (0.4.0.127.0.7.3.2.1) over the chip's SecurityInfos — the PACEInfo, the
 * ChipAuthenticationInfo and the ChipAuthenticationPublicKeyInfo with the chip's static key —
 * signed by the Document Signer. A reader that ran PACE-CAM verifies its signature and that
 * the key in it is the one the CAM mapping proved. Served when the chip has a CA key and PACE.
 */
import { ID_CA } from '../lds/oids.ts';
import { signCms } from '../pki-test/index.ts';
import type { CardFiles } from './files.ts';
import {
  chipAuthenticationInfoDer,
  chipAuthenticationPublicKeyInfoDer,
  ecSpkiExplicitDer,
  paceInfoDer,
  securityInfosDer,
} from './infos.ts';

/** `id-SecurityObject` (BSI TR-03110-3 §A.1.2.5): the eContentType of EF.CardSecurity. */
export const SECURITY_OBJECT_OID = '0.4.0.127.0.7.3.2.1';
/** id-CA-ECDH-AES-CBC-CMAC-128 (BSI TR-03110-3 §A.1.1.2). */
const CA_ECDH_AES_128 = `${ID_CA}.2.2`;

/** EF.CardSecurity bytes for `files` (absent without PACE or a Chip Authentication key). */
export function cardSecurityOf(files: CardFiles): Uint8Array | undefined {
  const ca = files.keys.ca;
  if (files.pace === undefined || ca === undefined) return undefined;
  const infos = [
    paceInfoDer(files.pace.oid, files.pace.parameterId),
    chipAuthenticationInfoDer(CA_ECDH_AES_128),
    chipAuthenticationPublicKeyInfoDer(ecSpkiExplicitDer(ca.domain.curve, ca.publicKey)),
  ];
  return signCms({
    contentType: SECURITY_OBJECT_OID,
    content: securityInfosDer(infos),
    pki: files.trust.pki,
    signingTime: null,
  });
}
