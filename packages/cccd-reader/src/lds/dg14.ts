/**
 * @module
 * DG14, the security options (ICAO Doc 9303 Part 10 §4.7.14, Part 11 §9.2): tag `6E`
 * wrapping SecurityInfos (Chip Authentication, PACE, Active Authentication infos), parsed by
 * `parseSecurityInfos` of security-infos.ts. Its errors are re-thrown as {@link LdsError}s with
 * the original as `cause`.
 */
import { LdsError } from './lds-error.ts';
import { decodeFile } from './lds-tlv.ts';
import { parseSecurityInfos, type SecurityInfos, SecurityInfosError } from './security-infos.ts';

const FILE = 'DG14';
/** DG14's outer tag. */
export const DG14_TAG = 0x6e;

/** Parsed DG14. */
export interface Dg14 {
  /** The file exactly as read. */
  raw: Uint8Array;
  securityInfos: SecurityInfos;
}

/**
 * Parses DG14.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`
 */
export function parseDg14(bytes: Uint8Array): Dg14 {
  const root = decodeFile(bytes, FILE, DG14_TAG);
  try {
    return { raw: bytes, securityInfos: parseSecurityInfos(root.raw) };
  } catch (cause) {
    if (!(cause instanceof SecurityInfosError)) throw cause;
    throw new LdsError(
      cause.code === 'INVALID_TLV' ? 'LDS_INVALID_TLV' : 'LDS_INVALID_STRUCTURE',
      'DG14: the SecurityInfos are malformed',
      { context: { file: FILE }, cause },
    );
  }
}
