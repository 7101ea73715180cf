/**
 * @module
 * Dispatcher over the LDS parsers (ICAO Doc 9303 Part 10 §3.11 file table): a file named by
 * its identifier (`0x0101`), its data-group number or its name goes to the right parser.
 * Files without a content parser here (DG3–DG10, DG16) are checked for their outer tag and
 * returned as `{ raw, tlv }`.
 */
import type { Tlv } from '@vneid/core/tlv';
import { type Com, parseCom } from './com.ts';
import { type Dg1, parseDg1 } from './dg1.ts';
import { type Dg2, parseDg2 } from './dg2.ts';
import { type Dg13, parseDg13 } from './dg13.ts';
import { type Dg14, parseDg14 } from './dg14.ts';
import { type Dg15, parseDg15 } from './dg15.ts';
import { LDS_FILES, type LdsFileInfo, type LdsFileName, ldsFileByFid } from './file-ids.ts';
import { LdsError } from './lds-error.ts';
import { decodeFile } from './lds-tlv.ts';
import { type Dg11, type Dg12, parseDg11, parseDg12 } from './personal-details.ts';
import {
  type CardSecurity,
  parseCardSecurity,
  parseSecurityInfos,
  type SecurityInfos,
  SecurityInfosError,
} from './security-infos.ts';
import { parseSod, type Sod } from './sod.ts';

/** A file with no content parser: its outer TLV only. */
export interface OpaqueLdsFile {
  raw: Uint8Array;
  tlv: Tlv;
}

/** The result of {@link parseLdsFile}, tagged with the file's name. */
export type ParsedLdsFile =
  | { file: 'COM'; value: Com }
  | { file: 'SOD'; value: Sod }
  | { file: 'CardAccess'; value: SecurityInfos }
  | { file: 'CardSecurity'; value: CardSecurity }
  | { file: 'DG1'; value: Dg1 }
  | { file: 'DG2'; value: Dg2 }
  | { file: 'DG11'; value: Dg11 }
  | { file: 'DG12'; value: Dg12 }
  | { file: 'DG13'; value: Dg13 }
  | { file: 'DG14'; value: Dg14 }
  | { file: 'DG15'; value: Dg15 }
  | { file: 'DG3' | 'DG4' | 'DG5' | 'DG6' | 'DG7' | 'DG8' | 'DG9' | 'DG10' | 'DG16'; value: OpaqueLdsFile };

function resolve(which: number | LdsFileName | `DG${number}`): LdsFileInfo {
  let info: LdsFileInfo | undefined;
  if (typeof which === 'number') {
    info = which >= 1 && which <= 16 ? LDS_FILES.find((f) => f.dataGroup === which) : ldsFileByFid(which);
  } else if (typeof which === 'string') {
    info = LDS_FILES.find((f) => f.name === which);
  }
  if (info === undefined) {
    throw new LdsError('LDS_UNKNOWN_FILE', 'Unknown LDS file identifier or data-group number', {});
  }
  return info;
}

/**
 * Parses any LDS file. `which` is a file identifier (`0x011E`; `0x011D` means EF.SOD — pass
 * `'CardSecurity'` for the master file's EF.CardSecurity), a data-group number (1–16) or a
 * file name.
 * @throws {LdsError} `LDS_UNKNOWN_FILE`, or the error of the file's parser
 */
export function parseLdsFile(which: number | LdsFileName, bytes: Uint8Array): ParsedLdsFile {
  const info = resolve(which);
  switch (info.name) {
    case 'COM':
      return { file: 'COM', value: parseCom(bytes) };
    case 'SOD':
      return { file: 'SOD', value: parseSod(bytes) };
    case 'CardAccess':
    case 'CardSecurity':
      try {
        return info.name === 'CardAccess'
          ? { file: 'CardAccess', value: parseSecurityInfos(bytes) }
          : { file: 'CardSecurity', value: parseCardSecurity(bytes) };
      } catch (cause) {
        if (!(cause instanceof SecurityInfosError)) throw cause;
        throw new LdsError(
          cause.code === 'INVALID_TLV' ? 'LDS_INVALID_TLV' : 'LDS_INVALID_STRUCTURE',
          `${info.name} is malformed`,
          {
            context: { file: info.name },
            cause,
          },
        );
      }
    case 'DG1':
      return { file: 'DG1', value: parseDg1(bytes) };
    case 'DG2':
      return { file: 'DG2', value: parseDg2(bytes) };
    case 'DG11':
      return { file: 'DG11', value: parseDg11(bytes) };
    case 'DG12':
      return { file: 'DG12', value: parseDg12(bytes) };
    case 'DG13':
      return { file: 'DG13', value: parseDg13(bytes) };
    case 'DG14':
      return { file: 'DG14', value: parseDg14(bytes) };
    case 'DG15':
      return { file: 'DG15', value: parseDg15(bytes) };
    default: {
      const tlv = decodeFile(bytes, info.name, info.tag as number);
      return { file: info.name, value: { raw: bytes, tlv } } as ParsedLdsFile;
    }
  }
}
