/**
 * @module
 * Strict BER-TLV: ISO/IEC 7816-4 §5.2 data objects with the ITU-T X.690 §8.1 identifier and
 * length rules. Tags are handled as their encoded bytes read big-endian (`0x5F1F`, `0x7F61`,
 * `0x30`), up to 4 bytes, always in minimal form. By default only definite, minimal lengths of
 * at most 4 bytes are accepted (DER-like); `{ ber: true }` also accepts indefinite lengths
 * closed by end-of-contents `00 00` and non-minimal long forms, as real CMS structures use.
 *
 * Decoding is a single left-to-right pass with an explicit stack (no recursion): every input
 * byte is read at most once, values are `subarray` views (never copies), and depth and node
 * count are bounded, so time and memory are linear in the input and hostile input cannot
 * exhaust the call stack.
 */
import { concatBytes } from '../bytes/index.ts';
import { TlvError, type TlvErrorCode, type TlvErrorContext } from './tlv-error.ts';

/** One decoded TLV. Byte fields are views into the decoded buffer. */
export interface Tlv {
  /** Tag as its encoded bytes read big-endian (`0x30`, `0x5F1F`, `0x7F61`). */
  readonly tag: number;
  /** Bit 6 of the first tag byte: the value is itself a sequence of TLVs. */
  readonly constructed: boolean;
  /** The value (contents) bytes; for indefinite lengths, without the end-of-contents marker. */
  readonly value: Uint8Array;
  /** Decoded children of a constructed TLV (absent for primitives and with `shallow`). */
  readonly children?: Tlv[];
  /** Offset of the first tag byte within the decoded buffer. */
  readonly offset: number;
  /** Number of tag + length bytes. */
  readonly headerLength: number;
  /** The exact bytes of the whole TLV (tag, length, value and any end-of-contents marker). */
  readonly raw: Uint8Array;
  /** True when the length was indefinite (`{ ber: true }` only). */
  readonly indefinite?: boolean;
}

/** Work counters filled in by the decoder (for tests and benchmarks). */
export interface TlvDecodeStats {
  /** TLV headers decoded. */
  nodes: number;
  /** Tag and length bytes read. */
  headerBytes: number;
  /** Iterations of the decoding loop (headers + frame closings). */
  steps: number;
}

/** Options of {@link decodeTlv} and {@link decodeTlvSequence}. */
export interface DecodeTlvOptions {
  /** Accept indefinite lengths and non-minimal length forms (X.690 BER). Default false. */
  ber?: boolean;
  /** Maximum nesting depth; top-level TLVs are at depth 1. Default {@link DEFAULT_MAX_DEPTH}. */
  maxDepth?: number;
  /** Maximum number of TLVs decoded in total. Default {@link DEFAULT_MAX_NODES}. */
  maxNodes?: number;
  /** Do not decode the contents of constructed TLVs with definite lengths (no `children`). */
  shallow?: boolean;
  /** Work counters to increment (created by the caller). */
  stats?: TlvDecodeStats;
}

/** Default `maxDepth`. */
export const DEFAULT_MAX_DEPTH = 32;
/** Default `maxNodes`: far above any eMRTD file, far below memory trouble. */
export const DEFAULT_MAX_NODES = 262_144;

interface MutableTlv {
  tag: number;
  constructed: boolean;
  value: Uint8Array;
  children?: Tlv[];
  offset: number;
  headerLength: number;
  raw: Uint8Array;
  indefinite?: boolean;
}

interface Frame {
  list: Tlv[];
  /** End of the contents, or -1 for an indefinite length. */
  end: number;
  /** Where an indefinite frame must find its end-of-contents at the latest. */
  limit: number;
  node: MutableTlv | null;
  depth: number;
}

const fail = (code: TlvErrorCode, message: string, ctx: TlvErrorContext): TlvError =>
  new TlvError(code, message, { context: ctx });

function decode(bytes: Uint8Array, options: DecodeTlvOptions, single: boolean): Tlv[] {
  if (!(bytes instanceof Uint8Array)) {
    throw new TlvError('TLV_INVALID_INPUT', 'Expected a Uint8Array');
  }
  if (typeof options !== 'object' || options === null) {
    throw new TlvError('TLV_INVALID_INPUT', 'Expected options to be an object');
  }
  const ber = options.ber === true;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const shallow = options.shallow === true;
  const stats = options.stats;
  const root: Tlv[] = [];
  const stack: Frame[] = [{ list: root, end: bytes.length, limit: bytes.length, node: null, depth: 0 }];
  let pos = 0;
  let nodes = 0;
  if (single && bytes.length === 0)
    throw fail('TLV_TRUNCATED', 'Expected a TLV, got no bytes', { offset: 0 });

  for (;;) {
    if (stats) stats.steps++;
    const frame = stack[stack.length - 1]!;
    let limit: number;
    if (frame.end < 0) {
      limit = frame.limit;
      if (pos < limit && bytes[pos] === 0) {
        if (pos + 1 >= limit || bytes[pos + 1] !== 0) {
          throw fail(
            pos + 1 >= limit ? 'TLV_TRUNCATED' : 'TLV_INVALID_TAG',
            `Expected end-of-contents 00 00 at offset ${pos}`,
            { offset: pos, depth: frame.depth },
          );
        }
        const node = frame.node!;
        node.value = bytes.subarray(node.offset + node.headerLength, pos);
        node.raw = bytes.subarray(node.offset, pos + 2);
        pos += 2;
        stack.pop();
        continue;
      }
      if (pos >= limit) {
        throw fail(
          'TLV_TRUNCATED',
          `Missing end-of-contents for the indefinite length at offset ${frame.node!.offset}`,
          {
            offset: frame.node!.offset,
            tag: frame.node!.tag,
            depth: frame.depth,
          },
        );
      }
    } else {
      if (pos === frame.end) {
        if (stack.length === 1) break;
        stack.pop();
        continue;
      }
      limit = frame.end;
    }
    if (single && stack.length === 1 && root.length === 1) {
      throw fail('TLV_TRAILING_BYTES', `${bytes.length - pos} byte(s) after the TLV at offset ${pos}`, {
        offset: pos,
      });
    }

    // Identifier octets (X.690 §8.1.2).
    const start = pos;
    const depth = frame.depth + 1;
    const first = bytes[pos++]!;
    if (first === 0) {
      throw fail('TLV_INVALID_TAG', `Tag 00 at offset ${start}`, { offset: start, depth });
    }
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      let number = 0;
      for (let i = 0; ; i++) {
        if (pos >= limit)
          throw fail('TLV_TRUNCATED', `Tag at offset ${start} is cut off`, { offset: start, depth });
        if (i === 3) {
          throw fail('TLV_INVALID_TAG', `Tag at offset ${start} is longer than 4 bytes`, {
            offset: start,
            depth,
          });
        }
        const c = bytes[pos++]!;
        if (i === 0 && c === 0x80) {
          throw fail('TLV_NON_MINIMAL_TAG', `Tag at offset ${start} has a leading 80 byte`, {
            offset: start,
            depth,
          });
        }
        tag = tag * 256 + c;
        number = number * 128 + (c & 0x7f);
        if ((c & 0x80) === 0) break;
      }
      // X.690 DER would require the short form for numbers below 31, but ISO/IEC 7816-4 §5.2.2.1
      // and ICAO Doc 9303 Part 10 define two-byte tags such as 5F01 (LDS version), 5F0E and 5F0F:
      // they are accepted here (a leading 80 continuation byte stays rejected above).
      void number;
    }
    const constructed = (first & 0x20) !== 0;

    // Length octets (X.690 §8.1.3).
    if (pos >= limit)
      throw fail('TLV_TRUNCATED', `Length at offset ${pos} is missing`, { offset: start, tag, depth });
    const lb = bytes[pos++]!;
    let length = 0;
    let indefinite = false;
    if (lb < 0x80) {
      length = lb;
    } else if (lb === 0x80) {
      if (!ber || !constructed) {
        throw fail(
          'TLV_INDEFINITE_LENGTH',
          ber
            ? `Indefinite length on a primitive tag at offset ${start}`
            : `Indefinite length at offset ${start}`,
          { offset: start, tag, depth },
        );
      }
      indefinite = true;
    } else {
      const k = lb & 0x7f;
      if (k > 4) {
        throw fail('TLV_LENGTH_TOO_LARGE', `Length of ${k} bytes at offset ${start}`, {
          offset: start,
          tag,
          depth,
        });
      }
      if (limit - pos < k) {
        throw fail('TLV_TRUNCATED', `Length at offset ${start} is cut off`, { offset: start, tag, depth });
      }
      const lead = bytes[pos]!;
      for (let i = 0; i < k; i++) length = length * 256 + bytes[pos++]!;
      if (!ber && (lead === 0 || length < 0x80)) {
        throw fail('TLV_NON_MINIMAL_LENGTH', `Length at offset ${start} is not in its shortest form`, {
          offset: start,
          tag,
          depth,
        });
      }
    }
    const headerLength = pos - start;
    if (stats) {
      stats.nodes++;
      stats.headerBytes += headerLength;
    }
    if (!indefinite && length > limit - pos) {
      throw fail(
        'TLV_LENGTH_OVERRUN',
        `Length ${length} at offset ${start} runs ${length - (limit - pos)} byte(s) past its end`,
        {
          offset: start,
          tag,
          depth,
        },
      );
    }
    if (depth > maxDepth) {
      throw fail('TLV_TOO_DEEP', `Nesting deeper than ${maxDepth} at offset ${start}`, {
        offset: start,
        tag,
        depth,
      });
    }
    if (++nodes > maxNodes) {
      throw fail('TLV_TOO_MANY_NODES', `More than ${maxNodes} TLVs`, { offset: start, tag, depth });
    }

    const node: MutableTlv = {
      tag,
      constructed,
      value: indefinite ? bytes.subarray(pos, pos) : bytes.subarray(pos, pos + length),
      offset: start,
      headerLength,
      raw: indefinite ? bytes.subarray(start, pos) : bytes.subarray(start, pos + length),
    };
    if (indefinite) node.indefinite = true;
    frame.list.push(node);
    if (constructed && (indefinite || !shallow)) {
      const children: Tlv[] = [];
      node.children = children;
      stack.push(
        indefinite
          ? { list: children, end: -1, limit, node, depth }
          : { list: children, end: pos + length, limit: pos + length, node, depth },
      );
    } else {
      pos += length;
    }
  }
  return root;
}

/**
 * Decodes exactly one TLV (with its children) filling all of `bytes`.
 * @throws {TlvError} any TLV code; `TLV_TRAILING_BYTES` when bytes follow the TLV.
 */
export function decodeTlv(bytes: Uint8Array, options: DecodeTlvOptions = {}): Tlv {
  return decode(bytes, options, true)[0]!;
}

/**
 * Decodes concatenated TLVs filling all of `bytes` (empty input → empty list).
 * @throws {TlvError}
 */
export function decodeTlvSequence(bytes: Uint8Array, options: DecodeTlvOptions = {}): Tlv[] {
  return decode(bytes, options, false);
}

/** Throws unless `tag` could be a tag read big-endian (an integer from 0 to 0xFFFFFFFF). */
function tagArg(tag: unknown): void {
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) {
    throw new TlvError('TLV_INVALID_TAG', 'A tag is an integer from 0x01 to 0xFFFFFFFF');
  }
}

/** The TLVs to search: `list` itself, or the children of the single TLV `list`. */
function itemsOf(list: unknown): readonly Tlv[] {
  if (Array.isArray(list)) return list as readonly Tlv[];
  if (typeof list === 'object' && list !== null && typeof (list as Tlv).tag === 'number') {
    return (list as Tlv).children ?? [];
  }
  throw new TlvError('TLV_INVALID_INPUT', 'Expected a list of decoded TLVs or one decoded TLV');
}

function hasTag(t: unknown, tag: number): boolean {
  if (typeof t !== 'object' || t === null) {
    throw new TlvError('TLV_INVALID_INPUT', 'Expected a list of decoded TLVs or one decoded TLV');
  }
  return (t as Tlv).tag === tag;
}

/** Number of bytes in the encoded tag (`0x5F1F` → 2). */
function tagByteLength(tag: number): number {
  let n = 1;
  while (tag >= 256 ** n) n++;
  return n;
}

/**
 * Encoded bytes of a tag given as its big-endian value, validated as an ISO/IEC 7816-4 BER tag
 * (X.690 shape; two-byte forms of tag numbers below 31, such as ICAO's 5F01, are allowed).
 * @throws {TlvError} `TLV_INVALID_TAG`, `TLV_NON_MINIMAL_TAG`
 */
export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffffff) {
    throw new TlvError('TLV_INVALID_TAG', 'A tag is an integer from 0x01 to 0xFFFFFFFF', {});
  }
  const n = tagByteLength(tag);
  const out = new Uint8Array(n);
  for (let i = n - 1, t = tag; i >= 0; i--, t = Math.floor(t / 256)) out[i] = t % 256;
  const first = out[0]!;
  if (n === 1) {
    if ((first & 0x1f) === 0x1f)
      throw new TlvError('TLV_INVALID_TAG', 'A long-form tag needs subsequent bytes', { context: { tag } });
    return out;
  }
  if ((first & 0x1f) !== 0x1f) {
    throw new TlvError('TLV_INVALID_TAG', 'A multi-byte tag must start with a long-form byte (xxx11111)', {
      context: { tag },
    });
  }
  let number = 0;
  for (let i = 1; i < n; i++) {
    const c = out[i]!;
    const last = i === n - 1;
    if (((c & 0x80) === 0) !== last) {
      throw new TlvError('TLV_INVALID_TAG', 'Tag continuation bits are inconsistent', { context: { tag } });
    }
    if (i === 1 && c === 0x80)
      throw new TlvError('TLV_NON_MINIMAL_TAG', 'Tag has a leading 80 byte', { context: { tag } });
    number = number * 128 + (c & 0x7f);
  }
  // Tag numbers below 31 in the two-byte form (5F01, 5F0E…) are valid per ISO/IEC 7816-4 and ICAO.
  void number;
  return out;
}

/**
 * True when the tag's first byte has the constructed bit (0x20).
 * @throws {TlvError} `TLV_INVALID_TAG` when `tag` is not an integer from 0 to 0xFFFFFFFF.
 */
export function isConstructedTag(tag: number): boolean {
  tagArg(tag);
  const first = Math.floor(tag / 256 ** (tagByteLength(tag) - 1));
  return (first & 0x20) !== 0;
}

/**
 * Upper-case hex of a tag (`0x5f1f` → `5F1F`), for messages and logs.
 * @throws {TlvError} `TLV_INVALID_TAG` when `tag` is not an integer from 0 to 0xFFFFFFFF.
 */
export function tagToHex(tag: number): string {
  tagArg(tag);
  return tag
    .toString(16)
    .toUpperCase()
    .padStart(tagByteLength(tag) * 2, '0');
}

/**
 * Minimal definite length octets (X.690 §8.1.3): short form below 128, else `81`–`84`.
 * @throws {TlvError} `TLV_LENGTH_TOO_LARGE` above 0xFFFFFFFF or for a non-integer.
 */
export function encodeLength(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new TlvError('TLV_LENGTH_TOO_LARGE', 'A length is an integer from 0 to 0xFFFFFFFF');
  }
  if (n < 0x80) return Uint8Array.of(n);
  const k = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(k + 1);
  out[0] = 0x80 | k;
  for (let i = k, v = n; i >= 1; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}

/**
 * Encodes one TLV with a minimal definite length. `value` is the contents, or a list of
 * children (decoded `Tlv`s contribute their `raw` bytes; byte arrays are taken as encoded TLVs),
 * which requires a constructed tag.
 * @throws {TlvError} `TLV_INVALID_TAG`, `TLV_NON_MINIMAL_TAG`, `TLV_INVALID_VALUE`, `TLV_LENGTH_TOO_LARGE`
 */
export function encodeTlv(tag: number, value: Uint8Array | readonly (Tlv | Uint8Array)[]): Uint8Array {
  const tagBytes = encodeTag(tag);
  let contents: Uint8Array;
  if (value instanceof Uint8Array) {
    contents = value;
  } else {
    if (!Array.isArray(value)) {
      throw new TlvError(
        'TLV_INVALID_VALUE',
        'Expected the value to be a Uint8Array or an array of children',
        {
          context: { tag },
        },
      );
    }
    if (!isConstructedTag(tag)) {
      throw new TlvError('TLV_INVALID_VALUE', `Children given for primitive tag ${tagToHex(tag)}`, {
        context: { tag },
      });
    }
    const parts = (value as readonly unknown[]).map((v) => {
      const raw = v instanceof Uint8Array ? v : (v as Partial<Tlv> | null)?.raw;
      if (!(raw instanceof Uint8Array)) {
        throw new TlvError('TLV_INVALID_VALUE', 'Expected every child to be a decoded TLV or a Uint8Array', {
          context: { tag },
        });
      }
      return raw;
    });
    contents = concatBytes(...parts);
  }
  return concatBytes(tagBytes, encodeLength(contents.length), contents);
}

/**
 * The first TLV with `tag` among `list` (or among the children of a TLV); not recursive.
 * @throws {TlvError} `TLV_INVALID_INPUT` when `list` is neither; `TLV_INVALID_TAG` for a non-tag.
 */
export function findTlv(list: readonly Tlv[] | Tlv, tag: number): Tlv | undefined {
  const items = itemsOf(list);
  tagArg(tag);
  for (const t of items) if (hasTag(t, tag)) return t;
  return undefined;
}

/**
 * Every TLV with `tag` among `list` (or among the children of a TLV); not recursive.
 * @throws {TlvError} `TLV_INVALID_INPUT` when `list` is neither; `TLV_INVALID_TAG` for a non-tag.
 */
export function findAllTlv(list: readonly Tlv[] | Tlv, tag: number): Tlv[] {
  const items = itemsOf(list);
  tagArg(tag);
  return items.filter((t) => hasTag(t, tag));
}

/**
 * Like {@link findTlv} but throws when the tag is absent.
 * @throws {TlvError} `TLV_NOT_FOUND`; `TLV_INVALID_INPUT`, `TLV_INVALID_TAG` as {@link findTlv}.
 */
export function requireTlv(list: readonly Tlv[] | Tlv, tag: number): Tlv {
  const t = findTlv(list, tag);
  if (t === undefined) {
    throw new TlvError('TLV_NOT_FOUND', `Expected tag ${tagToHex(tag)}`, { context: { tag } });
  }
  return t;
}
