/**
 * @module
 * Shared plumbing of the LDS parsers (ICAO Doc 9303 Part 10 §4.6, §4.7: every EF is one BER-TLV
 * whose tag names the file): decoding a whole file with `@vneid/core/tlv` while tolerating
 * `00`/`FF` padding after it, turning `TlvError`s into {@link LdsError}s, and ASN.1 string
 * values as NFC text, each decoded by its own type (ITU-T X.680 §41): UTF8String as UTF-8;
 * PrintableString, VisibleString and IA5String as the ASCII subsets they are; T61String
 * (TeletexString) as ISO/IEC 8859-1 Latin-1, byte for byte, as OpenSSL and Bouncy Castle
 * read it (the T.61 non-spacing diacritics and escape sequences are not interpreted: a string
 * using escapes or control characters is rejected). Bytes outside the type are never
 * reinterpreted as UTF-8.
 */
import { decodeUtf8, encodeUtf8 } from '@vneid/core/bytes';
import { decodeInteger, decodeOid, decodeTlv, encodeTlv, type Tlv, TlvError } from '@vneid/core/tlv';
import { LdsError, type LdsErrorContext } from './lds-error.ts';

/** ASN.1 universal tags used by the parsers. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const STRING_TAGS: ReadonlySet<number> = new Set([
  TAG.UTF8_STRING,
  TAG.PRINTABLE_STRING,
  TAG.T61_STRING,
  TAG.IA5_STRING,
  TAG.VISIBLE_STRING,
]);

/** True when `tag` is one of the ASN.1 string types accepted as text. */
export function isStringTag(tag: number): boolean {
  return STRING_TAGS.has(tag);
}

/** Throws `LDS_INVALID_INPUT` unless `bytes` is a `Uint8Array`. */
export function assertBytes(bytes: unknown, file: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new LdsError('LDS_INVALID_INPUT', `${file}: expected a Uint8Array`, { context: { file } });
  }
}

/** Throws `LDS_INVALID_INPUT` unless `value` looks like a decoded {@link Tlv} (from `decodeTlv`). */
export function assertTlv(value: unknown, file: string): asserts value is Tlv {
  const t = value as Partial<Tlv> | null;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.tag !== 'number' ||
    !(t.value instanceof Uint8Array) ||
    (t.children !== undefined && !Array.isArray(t.children))
  ) {
    throw new LdsError('LDS_INVALID_INPUT', `${file}: expected a decoded TLV (from decodeTlv)`, {
      context: { file },
    });
  }
}

/** Throws `LDS_INVALID_INPUT` naming `what` unless `condition` holds (argument checks of builders). */
export function assertInput(condition: unknown, file: string, what: string): asserts condition {
  if (!condition) throw new LdsError('LDS_INVALID_INPUT', `${file}: expected ${what}`, { context: { file } });
}

/** Wraps a TLV decoding failure as `LDS_INVALID_TLV`. */
export function tlvFailure(cause: unknown, file: string): LdsError {
  if (cause instanceof LdsError) return cause;
  const ctx: LdsErrorContext = { file };
  if (cause instanceof TlvError && cause.context.offset !== undefined) ctx.offset = cause.context.offset;
  return new LdsError('LDS_INVALID_TLV', `${file} is not valid BER-TLV`, { context: ctx, cause });
}

/** Options of {@link decodeFile}. */
export interface DecodeFileOptions {
  /** Accept BER indefinite lengths (EF.SOD). */
  ber?: boolean;
}

/**
 * Decodes an EF as one TLV with tag `expectedTag`. Bytes after the TLV are accepted only when
 * they are all `00` or all `FF` (padding some chips return past the end of a file).
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_TRAILING_BYTES`, `LDS_UNEXPECTED_TAG`
 */
export function decodeFile(
  bytes: Uint8Array,
  file: string,
  expectedTag: number,
  options: DecodeFileOptions = {},
): Tlv {
  assertBytes(bytes, file);
  const ber = options.ber === true;
  let tlv: Tlv;
  try {
    tlv = decodeTlv(bytes, { ber });
  } catch (cause) {
    const end =
      cause instanceof TlvError && cause.code === 'TLV_TRAILING_BYTES' ? cause.context.offset : undefined;
    if (end === undefined) throw tlvFailure(cause, file);
    const pad = bytes[end];
    for (let i = end; i < bytes.length; i++) {
      if (bytes[i] !== pad || (pad !== 0x00 && pad !== 0xff)) {
        throw new LdsError(
          'LDS_TRAILING_BYTES',
          `${file}: ${bytes.length - end} unexpected byte(s) after the file's TLV`,
          {
            context: { file, offset: end },
          },
        );
      }
    }
    try {
      tlv = decodeTlv(bytes.subarray(0, end), { ber });
    } catch (again) {
      throw tlvFailure(again, file);
    }
  }
  if (tlv.tag !== expectedTag) {
    throw new LdsError(
      'LDS_UNEXPECTED_TAG',
      `${file}: expected tag ${hexTag(expectedTag)}, got ${hexTag(tlv.tag)}`,
      {
        context: { file, tag: tlv.tag },
      },
    );
  }
  return tlv;
}

/** `0x5F1F` → `'5F1F'`. */
export function hexTag(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

/** Throws `LDS_INVALID_STRUCTURE` with `message` unless `condition` holds. */
export function structure(
  condition: unknown,
  file: string,
  message: string,
  context: LdsErrorContext = {},
): asserts condition {
  if (!condition) {
    throw new LdsError('LDS_INVALID_STRUCTURE', `${file}: ${message}`, { context: { file, ...context } });
  }
}

/** The children of a constructed TLV with the given tag. */
export function childrenOf(tlv: Tlv | undefined, tag: number, file: string, what: string): Tlv[] {
  structure(tlv !== undefined, file, `missing ${what}`);
  structure(
    tlv.tag === tag && tlv.children !== undefined,
    file,
    `expected ${what} (tag ${hexTag(tag)}), got tag ${hexTag(tlv.tag)}`,
    {
      tag: tlv.tag,
      offset: tlv.offset,
    },
  );
  return tlv.children;
}

/** The value of a primitive TLV with the given tag. */
export function primitiveOf(tlv: Tlv | undefined, tag: number, file: string, what: string): Uint8Array {
  structure(tlv !== undefined, file, `missing ${what}`);
  structure(
    tlv.tag === tag && tlv.children === undefined,
    file,
    `expected ${what} (tag ${hexTag(tag)}), got tag ${hexTag(tlv.tag)}`,
    {
      tag: tlv.tag,
      offset: tlv.offset,
    },
  );
  return tlv.value;
}

/** A small non-negative INTEGER. */
export function integerOf(tlv: Tlv | undefined, file: string, what: string): number {
  const value = primitiveOf(tlv, TAG.INTEGER, file, what);
  try {
    return decodeInteger(value);
  } catch (cause) {
    throw new LdsError('LDS_INVALID_STRUCTURE', `${file}: ${what} is not a small non-negative INTEGER`, {
      context: { file, offset: tlv?.offset },
      cause,
    });
  }
}

/** A dotted OBJECT IDENTIFIER. */
export function oidOf(tlv: Tlv | undefined, file: string, what: string): string {
  const value = primitiveOf(tlv, TAG.OID, file, what);
  try {
    return decodeOid(value);
  } catch (cause) {
    throw new LdsError('LDS_INVALID_STRUCTURE', `${file}: ${what} is not a valid OBJECT IDENTIFIER`, {
      context: { file, offset: tlv?.offset },
      cause,
    });
  }
}

/** Strict UTF-8 of a byte string, NFC-normalised. */
export function utf8Text(bytes: Uint8Array, file: string, context: LdsErrorContext = {}): string {
  try {
    return decodeUtf8(bytes).normalize('NFC');
  } catch (cause) {
    throw new LdsError('LDS_INVALID_TEXT', `${file}: text is not valid UTF-8`, {
      context: { file, ...context },
      cause,
    });
  }
}

/** A string value decoded by its ASN.1 type. */
export interface Asn1Text {
  /** The text, NFC-normalised. */
  text: string;
  /** A PrintableString holding ASCII characters outside the PrintableString set (kept as read). */
  outsideSet: boolean;
}

const ASN1_STRING_NAMES: Readonly<Record<number, string>> = {
  [TAG.UTF8_STRING]: 'UTF8String',
  [TAG.PRINTABLE_STRING]: 'PrintableString',
  [TAG.T61_STRING]: 'T61String',
  [TAG.IA5_STRING]: 'IA5String',
  [TAG.VISIBLE_STRING]: 'VisibleString',
};

function bytesInRange(bytes: Uint8Array, ok: (b: number) => boolean): string | null {
  let text = '';
  for (const b of bytes) {
    if (!ok(b)) return null;
    text += String.fromCharCode(b);
  }
  return text;
}

/**
 * Decodes the value of a string TLV with tag `tag` by that type's character set; null when the
 * bytes do not belong to it (or `tag` is no string type this module knows).
 */
export function decodeAsn1String(tag: number, bytes: Uint8Array): Asn1Text | null {
  let text: string | null;
  switch (tag) {
    case TAG.UTF8_STRING:
      try {
        text = decodeUtf8(bytes);
      } catch {
        text = null;
      }
      break;
    case TAG.PRINTABLE_STRING:
    case TAG.VISIBLE_STRING:
      text = bytesInRange(bytes, (b) => b >= 0x20 && b <= 0x7e);
      break;
    case TAG.IA5_STRING:
      text = bytesInRange(bytes, (b) => b <= 0x7f);
      break;
    case TAG.T61_STRING:
      // Latin-1, without C0 controls (other than tab, LF, CR), DEL and C1 controls.
      text = bytesInRange(
        bytes,
        (b) => (b >= 0x20 && b < 0x7f) || b >= 0xa0 || b === 0x09 || b === 0x0a || b === 0x0d,
      );
      break;
    default:
      text = null;
  }
  if (text === null) return null;
  return { text: text.normalize('NFC'), outsideSet: tag === TAG.PRINTABLE_STRING && !isPrintable(text) };
}

/**
 * Text of an ASN.1 string TLV (UTF8String, PrintableString, T61String, IA5String,
 * VisibleString), decoded by its type (see {@link decodeAsn1String}).
 * @throws {LdsError} `LDS_INVALID_TEXT`
 */
export function textOf(tlv: Tlv, file: string, context: LdsErrorContext = {}): string {
  if (!isStringTag(tlv.tag) || tlv.children !== undefined) {
    throw new LdsError('LDS_INVALID_TEXT', `${file}: expected a string, got tag ${hexTag(tlv.tag)}`, {
      context: { file, tag: tlv.tag, offset: tlv.offset, ...context },
    });
  }
  const decoded = decodeAsn1String(tlv.tag, tlv.value);
  if (decoded === null) {
    throw new LdsError('LDS_INVALID_TEXT', `${file}: text is not a valid ${ASN1_STRING_NAMES[tlv.tag]}`, {
      context: { file, tag: tlv.tag, offset: tlv.offset, ...context },
    });
  }
  return decoded.text;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** True when `text` fits an ASN.1 PrintableString. */
export function isPrintable(text: string): boolean {
  return PRINTABLE.test(text);
}

/** An ASN.1 string TLV: PrintableString when asked and possible, otherwise UTF8String; NFC. */
export function encodeText(text: string, preferPrintable = false): Uint8Array {
  const nfc = text.normalize('NFC');
  const tag = preferPrintable && isPrintable(nfc) ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING;
  return encodeTlv(tag, encodeUtf8(nfc));
}

/** Runs `fn`, turning a stray `TlvError` (from encode/decode helpers) into an `LdsError`. */
export function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof LdsError) throw cause;
    if (cause instanceof TlvError) throw tlvFailure(cause, file);
    throw cause;
  }
}
