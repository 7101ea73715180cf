/**
 * @module
 * The chip's file system (ICAO Doc 9303 Part 10 §3.11): the master file with EF.CardAccess and
 * EF.CardSecurity (Part 11 §9.2.9), and the eMRTD application (AID `A0000002471001`) with EF.COM, EF.SOD and the data groups; SELECT
 * (ISO/IEC 7816-4 §11.1.1) by file ID (P1 00/02), by DF name (P1 04), and the MF (answering
 * 6D00 when the iOS quirk is on, as CCCDs seen through iOS do); READ BINARY offsets and short
 * EF identifiers.
 */
import { concatBytes, equalBytes } from '@vneid/core/bytes';
import { encodeTlv } from '@vneid/core/tlv';
import { cardSecurityOf } from './card-security.ts';
import type { CardFiles } from './files.ts';

/** The eMRTD application identifier. */
export const EMRTD_AID: Uint8Array = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);
/** File ID of EF.CardAccess (in the master file). */
export const FID_CARD_ACCESS = 0x011c;

/** An elementary file of the chip. */
export interface ChipFile {
  fid: number;
  /** Short EF identifier. */
  sfi: number;
  /** Data-group number, or null for EF.COM, EF.SOD and EF.CardAccess. */
  dataGroup: number | null;
  /** Where it lives. */
  location: 'master' | 'application';
  /** Readable only after Extended Access Control (DG3, DG4). */
  eac: boolean;
  bytes: Uint8Array;
}

/** The chip's files by FID (EF.SOD and EF.CardAccess are told apart by location). */
export function chipFilesOf(files: CardFiles): ChipFile[] {
  const out: ChipFile[] = [];
  if (files.cardAccess !== undefined) {
    out.push({
      fid: FID_CARD_ACCESS,
      sfi: 0x1c,
      dataGroup: null,
      location: 'master',
      eac: false,
      bytes: files.cardAccess,
    });
  }
  // EF.CardSecurity shares FID 011D and SFI 1D with EF.SOD; it lives in the master file.
  const cardSecurity = cardSecurityOf(files);
  if (cardSecurity !== undefined) {
    out.push({
      fid: 0x011d,
      sfi: 0x1d,
      dataGroup: null,
      location: 'master',
      eac: false,
      bytes: cardSecurity,
    });
  }
  out.push({
    fid: 0x011e,
    sfi: 0x1e,
    dataGroup: null,
    location: 'application',
    eac: false,
    bytes: files.com,
  });
  out.push({
    fid: 0x011d,
    sfi: 0x1d,
    dataGroup: null,
    location: 'application',
    eac: false,
    bytes: files.sod,
  });
  for (const [dg, bytes] of files.dataGroups) {
    out.push({
      fid: 0x0100 + dg,
      sfi: dg,
      dataGroup: dg,
      location: 'application',
      eac: dg === 3 || dg === 4,
      bytes,
    });
  }
  return out;
}

/** Where SELECT looks: the MF or the eMRTD application. */
export type CurrentDf = 'mf' | 'emrtd';

/** How lenient file lookup is. */
export interface FileLookup {
  /** Find EF.CardAccess also while the eMRTD application is the current DF (lenient). */
  cardAccessInApplication?: boolean;
}

/**
 * Finds an EF of the current DF: EF.CardAccess only in the master file (ICAO Doc 9303 Part 10
 * §3.11; readers read it first, by FID or short EF identifier, before selecting the application
 * — on iOS SELECT MF is refused, so there is no way back), unless `lookup` is lenient; the
 * application's files only once the eMRTD application is selected.
 */
export function findFile(
  list: readonly ChipFile[],
  df: CurrentDf,
  lookup: FileLookup,
  fid: number,
): ChipFile | undefined {
  if (fid === FID_CARD_ACCESS) {
    if (df !== 'mf' && lookup.cardAccessInApplication !== true) return undefined;
    return list.find((f) => f.location === 'master' && f.fid === fid);
  }
  if (df === 'mf') return list.find((f) => f.location === 'master' && f.fid === fid);
  if (df !== 'emrtd') return undefined;
  return list.find((f) => f.location === 'application' && f.fid === fid);
}

/** Finds an EF of the current DF by short EF identifier (EF.CardAccess as in {@link findFile}). */
export function findFileBySfi(
  list: readonly ChipFile[],
  df: CurrentDf,
  lookup: FileLookup,
  sfi: number,
): ChipFile | undefined {
  if (sfi === 0x1c) {
    if (df !== 'mf' && lookup.cardAccessInApplication !== true) return undefined;
    return list.find((f) => f.location === 'master' && f.sfi === sfi);
  }
  if (df === 'mf') return list.find((f) => f.location === 'master' && f.sfi === sfi);
  if (df !== 'emrtd') return undefined;
  return list.find((f) => f.location === 'application' && f.sfi === sfi);
}

/** True when the data is the eMRTD AID. */
export function isEmrtdAid(data: Uint8Array | undefined): boolean {
  return data !== undefined && equalBytes(data, EMRTD_AID);
}

/** A file control parameters template `62 { 80 size, 82 01, 83 FID }` (ISO/IEC 7816-4 §7.4). */
export function fcp(file: ChipFile, size: number): Uint8Array {
  return encodeTlv(0x62, [
    encodeTlv(0x80, Uint8Array.of(size >> 8, size & 0xff)),
    encodeTlv(0x82, Uint8Array.of(0x01)),
    encodeTlv(0x83, Uint8Array.of(file.fid >> 8, file.fid & 0xff)),
  ]);
}

/** A file control information template for the application `6F { 84 AID }`. */
export function applicationFci(): Uint8Array {
  return encodeTlv(0x6f, [concatBytes(Uint8Array.of(0x84, EMRTD_AID.length), EMRTD_AID)]);
}
