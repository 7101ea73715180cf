/**
 * @module
 * A lenient BER-TLV reader used only inside DG2's biometric templates (ICAO Doc 9303 Part 10
 * §4.7.2, ISO/IEC 7816-11 biometric information templates). Real documents write some lengths
 * there in a non-minimal long form (`82 00 7F`, `81 05`, which X.690 §8.1.3.5 allows in BER but
 * DER forbids): this reader accepts them and reports each one as a warning with its offset. It
 * still rejects everything else the strict `@vneid/core/tlv` decoder rejects (tag `00`, tags
 * over 4 bytes, indefinite lengths, lengths over 4 bytes, lengths past their container). The
 * shared strict decoder is unchanged, so secure messaging (DO'87/'8E) and EF.SOD never accept
 * these forms. It reads one header at a time and returns views, so memory stays bounded by the
 * input whatever lengths a hostile file declares.
 */
import { decodeTlv, type Tlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import { tlvFailure } from './lds-tlv.ts';

/** A warning of the lenient DG2 reading (no file content, only where and what). */
export interface Dg2Warning {
  /**
   * `LDS_NON_MINIMAL_LENGTH`: a length in a longer form than needed (accepted);
   * `LDS_BIOMETRIC_SLACK`: up to {@link DG2_MAX_SLACK} bytes after a biometric data block or
   * after the face record inside it (ignored).
   */
  code: 'LDS_NON_MINIMAL_LENGTH' | 'LDS_BIOMETRIC_SLACK';
  /** Offset in the file of the TLV with the long length, or of the first slack byte. */
  offset: number;
  /** Number of slack bytes (`LDS_BIOMETRIC_SLACK` only). */
  length?: number;
}

/**
 * The most bytes of slack accepted after a biometric data block (`5F2E`/`7F2E`) inside its
 * template, or after an ISO/IEC 19794-5 record inside its `5F2E`. More is an error.
 */
export const DG2_MAX_SLACK = 8;

/** One TLV header read by {@link readTemplateTlv}; offsets are absolute in the file. */
export interface TemplateTlv {
  tag: number;
  constructed: boolean;
  /** Offset of the first tag byte. */
  offset: number;
  /** Offset of the first value byte. */
  valueStart: number;
  /** Offset just past the value. */
  end: number;
  /** The value (a view). */
  value: Uint8Array;
  /** Tag, length and value (a view). */
  raw: Uint8Array;
}

function invalid(file: string, offset: number, message: string): LdsError {
  return new LdsError('LDS_INVALID_TLV', `${file}: ${message} at offset ${offset}`, {
    context: { file, offset },
  });
}

/** Number of length octets the minimal (DER) form of `length` needs. */
function minimalLengthOctets(length: number): number {
  if (length < 0x80) return 1;
  let n = 1;
  for (let l = length; l > 0; l = Math.floor(l / 256)) n++;
  return n;
}

/**
 * Reads the TLV starting at `pos` that must end by `limit`. Non-minimal lengths are accepted
 * and pushed to `warnings`.
 * @throws {LdsError} `LDS_INVALID_TLV`
 */
export function readTemplateTlv(
  bytes: Uint8Array,
  pos: number,
  limit: number,
  file: string,
  warnings: Dg2Warning[],
): TemplateTlv {
  const start = pos;
  if (pos >= limit) throw invalid(file, start, 'expected a TLV');
  const first = bytes[pos++] as number;
  if (first === 0) throw invalid(file, start, 'tag 00');
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    for (let i = 0; ; i++) {
      if (i === 3) throw invalid(file, start, 'a tag longer than 4 bytes');
      if (pos >= limit) throw invalid(file, start, 'a cut-off tag');
      const c = bytes[pos++] as number;
      if (i === 0 && c === 0x80) throw invalid(file, start, 'a tag with a leading 80 byte');
      tag = tag * 256 + c;
      if ((c & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw invalid(file, start, 'a missing length');
  const lb = bytes[pos++] as number;
  let length = lb;
  if (lb === 0x80) throw invalid(file, start, 'an indefinite length');
  if (lb > 0x80) {
    const k = lb & 0x7f;
    if (k > 4) throw invalid(file, start, 'a length of more than 4 bytes');
    if (limit - pos < k) throw invalid(file, start, 'a cut-off length');
    length = 0;
    for (let i = 0; i < k; i++) length = length * 256 + (bytes[pos++] as number);
    if (1 + k > minimalLengthOctets(length)) warnings.push({ code: 'LDS_NON_MINIMAL_LENGTH', offset: start });
  }
  if (length > limit - pos)
    throw invalid(file, start, `a length running ${length - (limit - pos)} byte(s) past its container`);
  const end = pos + length;
  return {
    tag,
    constructed: (first & 0x20) !== 0,
    offset: start,
    valueStart: pos,
    end,
    value: bytes.subarray(pos, end),
    raw: bytes.subarray(start, end),
  };
}

/**
 * Reads the TLVs filling `[start, end)`. With `slackAfter`, once a TLV with one of those tags has
 * been read, up to {@link DG2_MAX_SLACK} bytes that do not form a TLV may follow: they end the
 * list and are reported as `LDS_BIOMETRIC_SLACK`.
 * @throws {LdsError} `LDS_INVALID_TLV`
 */
export function readTemplateChildren(
  bytes: Uint8Array,
  start: number,
  end: number,
  file: string,
  warnings: Dg2Warning[],
  slackAfter: readonly number[] = [],
): TemplateTlv[] {
  const list: TemplateTlv[] = [];
  let pos = start;
  let slackAllowed = false;
  while (pos < end) {
    const mark = warnings.length;
    let tlv: TemplateTlv;
    try {
      tlv = readTemplateTlv(bytes, pos, end, file, warnings);
    } catch (cause) {
      if (slackAllowed && end - pos <= DG2_MAX_SLACK && cause instanceof LdsError) {
        warnings.length = mark;
        warnings.push({ code: 'LDS_BIOMETRIC_SLACK', offset: pos, length: end - pos });
        break;
      }
      throw cause;
    }
    list.push(tlv);
    if (slackAfter.includes(tlv.tag)) slackAllowed = true;
    pos = tlv.end;
  }
  return list;
}

/** Bytes of the encoded tag (`0x5F2E` → 2). */
function tagOctets(tag: number): number {
  let n = 1;
  for (let t = tag; t > 0xff; t = Math.floor(t / 256)) n++;
  return n;
}

/**
 * Decodes a DER structure found inside a biometric template (the ISO/IEC 39794-5 block of a
 * `7F2E`) with the core decoder in BER mode, then rejects indefinite lengths (never valid in
 * DER) and reports every non-minimal length, offset by `base` (where `raw` starts in the file).
 * @throws {LdsError} `LDS_INVALID_TLV`
 */
export function decodeTemplateDer(raw: Uint8Array, base: number, file: string, warnings: Dg2Warning[]): Tlv {
  let root: Tlv;
  try {
    root = decodeTlv(raw, { ber: true });
  } catch (cause) {
    throw tlvFailure(cause, file);
  }
  const stack: Tlv[] = [root];
  const found: Dg2Warning[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as Tlv;
    if (node.indefinite === true) throw invalid(file, base + node.offset, 'an indefinite length');
    if (node.headerLength > tagOctets(node.tag) + minimalLengthOctets(node.value.length)) {
      found.push({ code: 'LDS_NON_MINIMAL_LENGTH', offset: base + node.offset });
    }
    if (node.children !== undefined)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Tlv);
  }
  found.sort((a, b) => a.offset - b.offset);
  warnings.push(...found);
  return root;
}
