/**
 * @module
 * The secure-messaging data objects of ISO/IEC 7816-4 §10 as ICAO Doc 9303 Part 11 §9.8.5
 * uses them: `85` (cryptogram, odd INS), `87` (padding indicator ‖ cryptogram), `97` (Le),
 * `99` (status word), `8E` (MAC). A small strict parser: one-byte tags, lengths in short form
 * or `81 xx` / `82 xx xx`, every object's raw bytes kept because the MAC covers them as sent.
 */

/** One parsed SM data object. */
export interface SmDataObject {
  tag: number;
  value: Uint8Array;
  /** Offset of its tag byte in the parsed buffer. */
  offset: number;
}

/** Encodes one data object (definite minimal length). */
export function encodeDo(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(value, head.length);
  return out;
}

/** Splits `bytes` into data objects; `undefined` when the encoding is malformed. */
export function parseDos(bytes: Uint8Array): SmDataObject[] | undefined {
  const out: SmDataObject[] = [];
  let i = 0;
  while (i < bytes.length) {
    const offset = i;
    const tag = bytes[i++] as number;
    // Multi-byte tags and padding bytes (00 / FF) are not SM data objects.
    if ((tag & 0x1f) === 0x1f || tag === 0x00 || tag === 0xff) return undefined;
    if (i >= bytes.length) return undefined;
    let len = bytes[i++] as number;
    if (len === 0x81) {
      if (i + 1 > bytes.length) return undefined;
      len = bytes[i++] as number;
    } else if (len === 0x82) {
      if (i + 2 > bytes.length) return undefined;
      len = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
      i += 2;
    } else if (len >= 0x80) {
      return undefined;
    }
    if (i + len > bytes.length) return undefined;
    out.push({ tag, value: bytes.subarray(i, i + len), offset });
    i += len;
  }
  return out;
}
