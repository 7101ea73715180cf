/**
 * @module
 * SELECT (ISO/IEC 7816-4 §11.2.2; ICAO Doc 9303 Part 10 §3.9, Part 11 §9.8): the eMRTD
 * application by its AID and elementary files by their file identifier. Never SELECT MF: on
 * iOS Vietnamese cards answer 6D00 to it (SPEC-NOTES §4); EF.CardAccess is selected directly
 * by its file ID 011C. LDS files may instead be selected implicitly by a READ BINARY with their
 * short EF identifier (Part 10 §3.6.2, ISO/IEC 7816-4 §7.2.2; see `file-reader.ts`).
 */
import { ReaderError } from '../errors.ts';
import { LDS_FILES } from '../lds/file-ids.ts';
import {
  type ApduTransport,
  buildCommandApdu,
  parseResponseApdu,
  statusWordName,
} from '../transport/index.ts';
import { exchange } from './exchange.ts';

/** AID of the eMRTD (LDS1) application, ICAO Doc 9303 Part 10 §3.9.1. */
export const EMRTD_AID: Uint8Array = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

/** Options of {@link selectFile} and {@link selectApplication}. */
export interface SelectOptions {
  signal?: AbortSignal;
}

function statusError(sw: number, fileId: number | undefined, what: string): ReaderError {
  const context = fileId === undefined ? { sw } : { sw, fileId };
  if (sw === 0x6a82)
    return new ReaderError('FILE_NOT_FOUND', `${what} was not found on the chip`, { context });
  if (sw === 0x6982) {
    return new ReaderError('SECURITY_STATUS_NOT_SATISFIED', `${what} needs access rights the session lacks`, {
      context,
    });
  }
  return new ReaderError('UNEXPECTED_STATUS', `SELECT ${what}: the card answered ${statusWordName(sw)}`, {
    context,
  });
}

/**
 * Selects an elementary file by its file identifier under the current DF:
 * `00 A4 02 0C 02 <fid>` (no FCI requested).
 * @throws {ReaderError} `FILE_NOT_FOUND` (6A82), `SECURITY_STATUS_NOT_SATISFIED` (6982),
 * `UNEXPECTED_STATUS`, `TRANSPORT_FAILED`, `ABORTED`
 */
export async function selectFile(
  transport: ApduTransport,
  fileId: number,
  options: SelectOptions = {},
): Promise<void> {
  if (!Number.isInteger(fileId) || fileId < 0 || fileId > 0xffff) {
    throw new ReaderError('INVALID_ARGUMENT', 'a file identifier is two bytes');
  }
  const command = buildCommandApdu({
    cla: 0x00,
    ins: 0xa4,
    p1: 0x02,
    p2: 0x0c,
    data: Uint8Array.of(fileId >> 8, fileId & 0xff),
  });
  const { sw } = parseResponseApdu(await exchange(transport, command, options.signal, { fileId }));
  if (sw !== 0x9000) throw statusError(sw, fileId, 'the file');
}

/**
 * Selects an application by AID: `00 A4 04 0C <Lc> <aid>` (default: the eMRTD application).
 * @throws {ReaderError} `FILE_NOT_FOUND` (6A82), `UNEXPECTED_STATUS`, `TRANSPORT_FAILED`, `ABORTED`
 */
export async function selectApplication(
  transport: ApduTransport,
  aid: Uint8Array = EMRTD_AID,
  options: SelectOptions = {},
): Promise<void> {
  if (!(aid instanceof Uint8Array) || aid.length < 5 || aid.length > 16) {
    throw new ReaderError('INVALID_ARGUMENT', 'an application identifier is 5–16 bytes (Uint8Array)');
  }
  if (aid.length < 1 || aid.length > 16) throw new ReaderError('INVALID_ARGUMENT', 'an AID has 1–16 bytes');
  const command = buildCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
  const { sw } = parseResponseApdu(await exchange(transport, command, options.signal, {}));
  if (sw !== 0x9000) throw statusError(sw, undefined, 'the application');
}

/**
 * The short EF identifier of an LDS file (ICAO Doc 9303 Part 10 Tables 38–39; EF.CardAccess
 * 1C), or undefined for a file ID outside the LDS table.
 */
export function shortFileIdOf(fileId: number): number | undefined {
  return LDS_FILES.find((f) => f.fid === fileId)?.sfi;
}

/**
 * The first bytes an LDS file can start with: its tag (`0x61` for DG1; EF.SOD `0x77`), for
 * EF.CardAccess the SET of SecurityInfos (`0x31`), for EF.CardSecurity a ContentInfo SEQUENCE
 * (`0x30`). 011D is EF.SOD or EF.CardSecurity depending on the DF, so both.
 */
export function expectedFirstBytes(fileId: number): number[] {
  return LDS_FILES.filter((f) => f.fid === fileId).map(
    (f) => f.tag ?? (f.name === 'CardAccess' ? 0x31 : 0x30),
  );
}
