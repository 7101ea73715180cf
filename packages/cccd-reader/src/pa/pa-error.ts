/**
 * @module
 * Errors of passive authentication (ICAO Doc 9303 Part 11 §5.1, Part 12): thrown only when an
 * input cannot be parsed at all (a SOD, certificate, CRL or master list that is not the
 * structure it claims to be). Verification failures of well-formed inputs are never thrown:
 * they are reported, with a reason, in the report of `verifyPassive`.
 */
import { VneidError } from '@vneid/core/errors';

/** Stable codes of {@link PaError}. */
export type PaErrorCode =
  /** EF.SOD is not a (tag 77) ContentInfo with CMS SignedData. */
  | 'SOD_MALFORMED'
  /** The signed content is not an LDSSecurityObject. */
  | 'LDS_SECURITY_OBJECT_MALFORMED'
  /** A certificate is neither DER nor PEM X.509. */
  | 'CERTIFICATE_MALFORMED'
  /** A CRL is neither DER nor PEM X.509 CRL. */
  | 'CRL_MALFORMED'
  /** A master list is not CMS SignedData holding a CscaMasterList. */
  | 'MASTER_LIST_MALFORMED'
  /** A CMS SignedData (EF.CardSecurity, master list) is malformed. */
  | 'SIGNED_DATA_MALFORMED'
  /** A PEM text has no usable block or invalid Base64. */
  | 'PEM_MALFORMED'
  /** An argument has the wrong type or shape. */
  | 'INVALID_ARGUMENT'
  /** The test PKI was asked for something it cannot build. */
  | 'UNSUPPORTED_ALGORITHM';

/** Non-personal details of a {@link PaError}. */
export interface PaErrorContext {
  /** Which input was bad (`sod`, `certificates[2]`, `crls[0]`, `masterLists[1]`, …). */
  input?: string;
  /** Data group number, where relevant. */
  dataGroup?: number;
  /** An OID that was not understood. */
  oid?: string;
  /** The CMS rule a malformed SignedData broke (`der`, `signed-data-version`, `digest-algorithms`, …). */
  rule?: string;
}

/** Error thrown by the `pa` layer. */
export class PaError extends VneidError<PaErrorCode, PaErrorContext> {}
