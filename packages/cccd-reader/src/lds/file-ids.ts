/**
 * @module
 * File identifiers of the eMRTD application (ICAO Doc 9303 Part 10 §3.11.2, Tables 38–39,
 * and §4.6–4.7): EF.COM 011E, EF.SOD 011D, DG1–DG16 0101–0110, each with its short EF
 * identifier and its outer tag; EF.CardAccess 011C and EF.CardSecurity 011D live in the master
 * file (same FID as EF.SOD, but outside the eMRTD application; BSI TR-03110-3).
 */
import { LdsError } from './lds-error.ts';

/** Names of the LDS files this layer knows. */
export type LdsFileName =
  | 'COM'
  | 'SOD'
  | 'CardAccess'
  | 'CardSecurity'
  | 'DG1'
  | 'DG2'
  | 'DG3'
  | 'DG4'
  | 'DG5'
  | 'DG6'
  | 'DG7'
  | 'DG8'
  | 'DG9'
  | 'DG10'
  | 'DG11'
  | 'DG12'
  | 'DG13'
  | 'DG14'
  | 'DG15'
  | 'DG16';

/** One row of {@link LDS_FILES}. */
export interface LdsFileInfo {
  name: LdsFileName;
  /** File identifier (`0x0101`). */
  fid: number;
  /** Short EF identifier (`0x01`), for READ BINARY with SFI. */
  sfi: number;
  /** Outer tag of the file's content; null for EF.CardAccess / EF.CardSecurity (no wrapper). */
  tag: number | null;
  /** Data-group number, or null for the other files. */
  dataGroup: number | null;
  /** Where the file lives: the eMRTD application or the master file. */
  location: 'application' | 'master';
}

const DG_TAGS: readonly number[] = [
  0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
];

/** Every LDS file (ICAO Doc 9303 Part 10 Tables 38 and 39). */
export const LDS_FILES: readonly LdsFileInfo[] = [
  { name: 'CardAccess', fid: 0x011c, sfi: 0x1c, tag: null, dataGroup: null, location: 'master' },
  { name: 'CardSecurity', fid: 0x011d, sfi: 0x1d, tag: null, dataGroup: null, location: 'master' },
  { name: 'COM', fid: 0x011e, sfi: 0x1e, tag: 0x60, dataGroup: null, location: 'application' },
  { name: 'SOD', fid: 0x011d, sfi: 0x1d, tag: 0x77, dataGroup: null, location: 'application' },
  ...DG_TAGS.map(
    (tag, i): LdsFileInfo => ({
      name: `DG${i + 1}` as LdsFileName,
      fid: 0x0101 + i,
      sfi: i + 1,
      tag,
      dataGroup: i + 1,
      location: 'application',
    }),
  ),
];

/** The data-group number of a DG tag (`0x75` → 2), or undefined. */
export function dataGroupOfTag(tag: number): number | undefined {
  const i = DG_TAGS.indexOf(tag);
  return i < 0 ? undefined : i + 1;
}

/** The tag of a data group (2 → `0x75`), or undefined. */
export function tagOfDataGroup(dataGroup: number): number | undefined {
  return Number.isInteger(dataGroup) ? DG_TAGS[dataGroup - 1] : undefined;
}

/** The row of a file by name. */
export function ldsFile(name: LdsFileName): LdsFileInfo {
  const row = LDS_FILES.find((f) => f.name === name);
  if (row === undefined)
    throw new LdsError('LDS_UNKNOWN_FILE', 'expected an LDS file name (COM, SOD, DG1 … DG16, …)');
  return row;
}

/** The row of an eMRTD-application file by file identifier (`0x011D` is EF.SOD here). */
export function ldsFileByFid(fid: number): LdsFileInfo | undefined {
  return (
    LDS_FILES.find((f) => f.fid === fid && f.location === 'application') ??
    LDS_FILES.find((f) => f.fid === fid)
  );
}
