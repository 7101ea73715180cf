/**
 * @module
 * EF.COM (ICAO Doc 9303 Part 10 §4.6.1): tag `60` holding the LDS version `5F01` (4 digits,
 * `0107` = LDS 1.7), the Unicode version `5F36` (6 digits, `040000` = 4.0.0) and the tag list
 * `5C` naming the data groups present by their tags.
 */
import { encodeUtf8 } from '@vneid/core/bytes';
import { encodeTlv, findTlv } from '@vneid/core/tlv';
import { dataGroupOfTag, tagOfDataGroup } from './file-ids.ts';
import { LdsError } from './lds-error.ts';
import { assertInput, childrenOf, decodeFile, guard, primitiveOf, structure, utf8Text } from './lds-tlv.ts';

const FILE = 'COM';
/** EF.COM's outer tag. */
export const COM_TAG = 0x60;

/** Parsed EF.COM. */
export interface Com {
  /** The file exactly as read. */
  raw: Uint8Array;
  /** LDS version digits as stored (`0107`). */
  ldsVersion: string;
  /** Unicode version digits as stored (`040000`). */
  unicodeVersion: string;
  /** The tag list as stored (one tag per byte). */
  tags: number[];
  /** Data-group numbers of the listed tags that name a data group, in list order. */
  dataGroups: number[];
}

/** Input of {@link buildCom}. */
export interface ComValues {
  /** Four digits (default `0107`). */
  ldsVersion?: string;
  /** Six digits (default `040000`). */
  unicodeVersion?: string;
  /** Data groups present (1–16). */
  dataGroups: readonly number[];
}

/**
 * Parses EF.COM.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`, `LDS_INVALID_TEXT`
 */
export function parseCom(bytes: Uint8Array): Com {
  const root = decodeFile(bytes, FILE, COM_TAG);
  const children = childrenOf(root, COM_TAG, FILE, 'EF.COM');
  const lds = utf8Text(primitiveOf(findTlv(children, 0x5f01), 0x5f01, FILE, 'the LDS version (5F01)'), FILE);
  const uni = utf8Text(
    primitiveOf(findTlv(children, 0x5f36), 0x5f36, FILE, 'the Unicode version (5F36)'),
    FILE,
  );
  structure(/^\d{4}$/.test(lds), FILE, 'the LDS version is not 4 digits', { tag: 0x5f01 });
  structure(/^\d{6}$/.test(uni), FILE, 'the Unicode version is not 6 digits', { tag: 0x5f36 });
  const list = primitiveOf(findTlv(children, 0x5c), 0x5c, FILE, 'the tag list (5C)');
  const tags = [...list];
  const dataGroups = tags.map(dataGroupOfTag).filter((n): n is number => n !== undefined);
  return { raw: bytes, ldsVersion: lds, unicodeVersion: uni, tags, dataGroups };
}

/**
 * Builds EF.COM.
 * @throws {LdsError} `LDS_INVALID_INPUT` for bad version digits or a data group outside 1–16
 */
export function buildCom(values: ComValues): Uint8Array {
  assertInput(
    typeof values === 'object' && values !== null && Array.isArray(values.dataGroups),
    FILE,
    'an object with a dataGroups array',
  );
  const lds = values.ldsVersion ?? '0107';
  const uni = values.unicodeVersion ?? '040000';
  if (typeof lds !== 'string' || typeof uni !== 'string' || !/^\d{4}$/.test(lds) || !/^\d{6}$/.test(uni)) {
    throw new LdsError('LDS_INVALID_INPUT', 'EF.COM: versions must be 4 and 6 digits', {
      context: { file: FILE },
    });
  }
  const tags = values.dataGroups.map((dg) => {
    const tag = tagOfDataGroup(dg);
    if (tag === undefined) {
      throw new LdsError('LDS_INVALID_INPUT', 'EF.COM: data groups are numbered 1 to 16', {
        context: { file: FILE },
      });
    }
    return tag;
  });
  return guard(FILE, () =>
    encodeTlv(COM_TAG, [
      encodeTlv(0x5f01, encodeUtf8(lds)),
      encodeTlv(0x5f36, encodeUtf8(uni)),
      encodeTlv(0x5c, Uint8Array.from(tags)),
    ]),
  );
}
