/**
 * @module
 * Command and response APDUs (ISO/IEC 7816-4 §5.1): the four cases in short and extended
 * length. `le` counts the bytes expected: 256 is encoded `00` (short) and 65536 `0000`
 * (extended), as the standard defines.
 */
import { ReaderError } from '../errors.ts';

/** A command APDU as fields. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (absent or empty: no Lc field). */
  data?: Uint8Array;
  /** Expected response length, 1–256 (short) or 1–65536 (extended); absent: no Le field. */
  le?: number;
  /** Use extended length fields (forced when data > 255 bytes or le > 256). */
  extended?: boolean;
}

/** A response APDU: data and status word. */
export interface ResponseApdu {
  data: Uint8Array;
  /** SW1SW2 as one number, e.g. `0x9000`. */
  sw: number;
}

function checkByte(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new ReaderError('INVALID_ARGUMENT', `APDU ${name} must be a byte (0–255)`);
  }
}

/** Encodes a command APDU; picks extended length when the data or Le need it. */
export function buildCommandApdu(command: CommandApdu): Uint8Array {
  if (typeof command !== 'object' || command === null)
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'expected a command APDU object {cla, ins, p1, p2, data?, le?}',
    );
  const { cla, ins, p1, p2 } = command;
  checkByte('CLA', cla);
  checkByte('INS', ins);
  checkByte('P1', p1);
  checkByte('P2', p2);
  const data = command.data ?? new Uint8Array(0);
  if (!(data instanceof Uint8Array))
    throw new ReaderError('INVALID_ARGUMENT', 'APDU data must be a Uint8Array when given');
  const le = command.le;
  if (data.length > 65535)
    throw new ReaderError('INVALID_ARGUMENT', 'APDU data longer than 65535 bytes', {
      context: { length: data.length },
    });
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 65536)) {
    throw new ReaderError('INVALID_ARGUMENT', 'APDU Le must be 1–65536', { context: { length: le } });
  }
  const extended = command.extended === true || data.length > 255 || (le !== undefined && le > 256);
  const parts: number[] = [cla, ins, p1, p2];
  if (data.length > 0) {
    if (extended) parts.push(0x00, data.length >> 8, data.length & 0xff);
    else parts.push(data.length);
  }
  const out = new Uint8Array(
    parts.length + data.length + (le === undefined ? 0 : extended ? (data.length > 0 ? 2 : 3) : 1),
  );
  out.set(parts, 0);
  out.set(data, parts.length);
  if (le !== undefined) {
    let i = parts.length + data.length;
    const v = le === 65536 ? 0 : le;
    if (extended) {
      if (data.length === 0) out[i++] = 0x00;
      out[i++] = (v >> 8) & 0xff;
      out[i] = v & 0xff;
    } else {
      out[i] = le === 256 ? 0 : le;
    }
  }
  return out;
}

/** Decodes a command APDU (cases 1–4, short or extended); strict about lengths. */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (!(bytes instanceof Uint8Array))
    throw new ReaderError('INVALID_ARGUMENT', 'a command APDU must be a Uint8Array');
  if (bytes.length < 4)
    throw new ReaderError('INVALID_ARGUMENT', 'a command APDU has at least 4 bytes', {
      context: { length: bytes.length },
    });
  const head = {
    cla: bytes[0] as number,
    ins: bytes[1] as number,
    p1: bytes[2] as number,
    p2: bytes[3] as number,
  };
  const body = bytes.subarray(4);
  const bad = (): never => {
    throw new ReaderError('INVALID_ARGUMENT', 'the command APDU body has inconsistent length fields', {
      context: { length: bytes.length },
    });
  };
  if (body.length === 0) return head;
  if (body.length === 1) return { ...head, le: body[0] === 0 ? 256 : (body[0] as number) };
  if (body[0] !== 0) {
    // Short case 3 or 4.
    const lc = body[0] as number;
    if (body.length === 1 + lc) return { ...head, data: body.slice(1) };
    if (body.length === 2 + lc)
      return {
        ...head,
        data: body.slice(1, 1 + lc),
        le: body[1 + lc] === 0 ? 256 : (body[1 + lc] as number),
      };
    return bad();
  }
  // Extended: 00 then two bytes.
  if (body.length === 3) {
    const v = ((body[1] as number) << 8) | (body[2] as number);
    return { ...head, le: v === 0 ? 65536 : v, extended: true };
  }
  if (body.length < 3) return bad();
  const lc = ((body[1] as number) << 8) | (body[2] as number);
  if (lc === 0) return bad();
  if (body.length === 3 + lc) return { ...head, data: body.slice(3), extended: true };
  if (body.length === 5 + lc) {
    const v = ((body[3 + lc] as number) << 8) | (body[4 + lc] as number);
    return { ...head, data: body.slice(3, 3 + lc), le: v === 0 ? 65536 : v, extended: true };
  }
  return bad();
}

/** Splits a response APDU into data and status word. */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) {
    throw new ReaderError('INVALID_RESPONSE', 'a response APDU has at least the two status bytes', {
      context: { length: bytes instanceof Uint8Array ? bytes.length : 0 },
    });
  }
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number) };
}

/** Encodes a response APDU (card side). */
export function buildResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  if (!(data instanceof Uint8Array))
    throw new ReaderError('INVALID_ARGUMENT', 'response data must be a Uint8Array');
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff)
    throw new ReaderError('INVALID_ARGUMENT', 'the status word must be an integer 0x0000–0xFFFF');
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}
