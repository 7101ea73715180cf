/**
 * @module
 * Terminal side of secure messaging (ICAO Doc 9303 Part 11 §9.8.5–9.8.6): protecting a plain
 * command APDU and unprotecting the card's response. The SSC is incremented before each
 * command and before each response.
 */
import { concatBytes } from '@vneid/core/bytes';
import { ReaderError } from '../errors.ts';
import {
  buildCommandApdu,
  buildResponseApdu,
  parseCommandApdu,
  parseResponseApdu,
} from '../transport/index.ts';
import { encodeDo, parseDos, type SmDataObject } from './data-objects.ts';
import { computeMac, decryptData, encryptData, nextSsc, type SmSession, verifyMac } from './session.ts';

/** `97` value for Le: one byte (`00` = 256) or two bytes (`0000` = 65536) when extended. */
function encodeLe(le: number, extended: boolean): Uint8Array {
  if (extended) return Uint8Array.of((le >> 8) & 0xff, le & 0xff);
  return Uint8Array.of(le & 0xff);
}

/** The data objects and MAC input of a command (shared by both ends). */
export function commandMacInput(header: Uint8Array, blockLength: number, dos: Uint8Array): Uint8Array {
  const paddedHeader = new Uint8Array(blockLength);
  paddedHeader.set(header);
  paddedHeader[4] = 0x80;
  return concatBytes(paddedHeader, dos);
}

/**
 * Protects a plain command APDU: CLA | 0C, data in `87` (`85` for an odd INS), Le in `97`,
 * MAC in `8E`; protected Le `00` (or `0000` in extended length).
 * @throws {ReaderError} `INVALID_ARGUMENT` for a malformed plain APDU
 */
export function protectCommand(session: SmSession, plain: Uint8Array): Uint8Array {
  const cmd = parseCommandApdu(plain);
  const cla = cmd.cla | 0x0c;
  const oddIns = (cmd.ins & 1) === 1;
  nextSsc(session);
  const parts: Uint8Array[] = [];
  if (cmd.data !== undefined && cmd.data.length > 0) {
    const enc = encryptData(session, cmd.data);
    parts.push(oddIns ? encodeDo(0x85, enc) : encodeDo(0x87, concatBytes(Uint8Array.of(0x01), enc)));
  }
  const extended = cmd.extended === true;
  if (cmd.le !== undefined) parts.push(encodeDo(0x97, encodeLe(cmd.le, extended)));
  const dos = concatBytes(...parts);
  const header = Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2);
  const mac = computeMac(session, commandMacInput(header, session.blockLength, dos));
  const body = concatBytes(dos, encodeDo(0x8e, mac));
  const ext = extended || body.length > 255;
  return buildCommandApdu({
    cla,
    ins: cmd.ins,
    p1: cmd.p1,
    p2: cmd.p2,
    data: body,
    le: ext ? 65536 : 256,
    extended: ext,
  });
}

const invalid = (message: string, sw: number): never => {
  throw new ReaderError('SM_INVALID_RESPONSE', message, { context: { sw } });
};

/**
 * Unprotects a response APDU: requires `99` and `8E` (last), checks the MAC in constant time,
 * decrypts `87`/`85` and returns plain data ‖ SW (the SW from `99`). A bare 6987/6988 throws
 * `SM_REJECTED`; other bare error status words are returned as they are.
 * @throws {ReaderError} `SM_INVALID_RESPONSE`, `SM_MAC_MISMATCH`, `SM_REJECTED`
 */
export function unprotectResponse(session: SmSession, response: Uint8Array): Uint8Array {
  if (!(response instanceof Uint8Array) || response.length < 2) {
    throw new ReaderError('SM_INVALID_RESPONSE', 'a response APDU has at least the two status bytes', {
      context: { length: response instanceof Uint8Array ? response.length : 0 },
    });
  }
  const { data, sw } = parseResponseApdu(response);
  nextSsc(session);
  if (data.length === 0) {
    if (sw === 0x6987 || sw === 0x6988) {
      throw new ReaderError('SM_REJECTED', 'the card rejected the secure-messaging objects', {
        context: { sw },
      });
    }
    if (sw === 0x9000 || sw >> 8 === 0x61) invalid('the response lacks its secure-messaging objects', sw);
    return response.slice();
  }
  const dos = parseDos(data) ?? invalid('the response data objects are malformed', sw);
  const last = dos[dos.length - 1] as SmDataObject;
  if (last.tag !== 0x8e) invalid('the response lacks its MAC object (8E)', sw);
  if (last.value.length !== 8) invalid('the response MAC object (8E) is not 8 bytes', sw);
  let status: SmDataObject | undefined;
  let cryptogram: SmDataObject | undefined;
  for (const d of dos.slice(0, -1)) {
    if (d.tag === 0x99) {
      if (status !== undefined) invalid('the response has two status objects (99)', sw);
      status = d;
    } else if (d.tag === 0x87 || d.tag === 0x85) {
      if (cryptogram !== undefined) invalid('the response has two cryptograms (85/87)', sw);
      cryptogram = d;
    } else {
      invalid('the response has an unexpected data object', sw);
    }
  }
  if (status === undefined) return invalid('the response lacks its status object (99)', sw);
  if (status.value.length !== 2) invalid('the response status object (99) is not 2 bytes', sw);
  if (!verifyMac(session, data.subarray(0, last.offset), last.value)) {
    throw new ReaderError('SM_MAC_MISMATCH', 'the response MAC does not verify', { context: { sw } });
  }
  const sw99 = ((status.value[0] as number) << 8) | (status.value[1] as number);
  let plain: Uint8Array = new Uint8Array(0);
  if (cryptogram !== undefined) {
    let enc = cryptogram.value;
    if (cryptogram.tag === 0x87) {
      if (enc[0] !== 0x01) invalid('the response cryptogram (87) has an unknown padding indicator', sw);
      enc = enc.subarray(1);
    }
    plain = decryptData(session, enc) ?? invalid('the response cryptogram has a wrong length or padding', sw);
  }
  return buildResponseApdu(plain, sw99);
}
