/**
 * @module
 * DG1 (ICAO Doc 9303 Part 10 §4.7.1): tag `61` holding the MRZ `5F1F` as one string without
 * line breaks (90 characters for TD1, 88 for TD3), parsed with `@vneid/core/mrz`.
 */
import { encodeUtf8 } from '@vneid/core/bytes';
import { isVneidError } from '@vneid/core/errors';
import { type MrzResult, type ParseMrzOptions, parseMrz } from '@vneid/core/mrz';
import { encodeTlv, findTlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import { assertInput, childrenOf, decodeFile, guard, primitiveOf, structure, utf8Text } from './lds-tlv.ts';

const FILE = 'DG1';
/** DG1's outer tag. */
export const DG1_TAG = 0x61;

/** Parsed DG1. */
export interface Dg1 {
  /** The file exactly as read. */
  raw: Uint8Array;
  /** The MRZ text as stored (no line breaks). */
  mrzText: string;
  /** The parsed, check-digit-verified MRZ. */
  mrz: MrzResult;
}

/**
 * Parses DG1.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`, `LDS_INVALID_TEXT`, `LDS_INVALID_MRZ`
 *   (the `MrzError` is the cause)
 */
export function parseDg1(bytes: Uint8Array, options: ParseMrzOptions = {}): Dg1 {
  const root = decodeFile(bytes, FILE, DG1_TAG);
  const children = childrenOf(root, DG1_TAG, FILE, 'DG1');
  structure(children.length === 1, FILE, `expected only the MRZ (5F1F), got ${children.length} element(s)`);
  const mrzText = utf8Text(primitiveOf(findTlv(children, 0x5f1f), 0x5f1f, FILE, 'the MRZ (5F1F)'), FILE);
  try {
    return { raw: bytes, mrzText, mrz: parseMrz(mrzText, options) };
  } catch (cause) {
    if (!isVneidError(cause)) throw cause;
    throw new LdsError('LDS_INVALID_MRZ', `DG1: the MRZ does not parse (${cause.code})`, {
      context: { file: FILE, tag: 0x5f1f },
      cause,
    });
  }
}

/**
 * Builds DG1 from MRZ text (lines joined; line breaks are removed).
 * @throws {LdsError} `LDS_INVALID_INPUT` when the text is not 90 (TD1), 72 (TD2) or 88 (TD3) characters
 */
export function buildDg1(mrzText: string | readonly string[]): Uint8Array {
  assertInput(
    typeof mrzText === 'string' || (Array.isArray(mrzText) && mrzText.every((l) => typeof l === 'string')),
    FILE,
    'the MRZ as a string or an array of line strings',
  );
  const text = (typeof mrzText === 'string' ? mrzText : mrzText.join('')).replace(/\r?\n/g, '');
  if (![72, 88, 90].includes(text.length)) {
    throw new LdsError('LDS_INVALID_INPUT', `DG1: expected 90, 72 or 88 MRZ characters, got ${text.length}`, {
      context: { file: FILE, actual: text.length },
    });
  }
  return guard(FILE, () => encodeTlv(DG1_TAG, [encodeTlv(0x5f1f, encodeUtf8(text))]));
}
