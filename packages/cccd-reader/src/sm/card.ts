/**
 * @module
 * Card side of secure messaging, for the software chip (ICAO Doc 9303 Part 11 §9.8.5–9.8.6):
 * checking and unwrapping a protected command, protecting the response. Errors carry the status
 * word the card should answer in `context.sw` (6987 objects missing, 6988 objects incorrect).
 * Card side code: not exported by `@vneid/cccd-reader/sm` or any other public subpath.
 */
import { concatBytes } from '@vneid/core/bytes';
import { ReaderError } from '../errors.ts';
import { buildCommandApdu, type CommandApdu, parseCommandApdu } from '../transport/index.ts';
import { encodeDo, parseDos, type SmDataObject } from './data-objects.ts';
import type { SecureMessagingKeys } from './keys.ts';
import {
  computeMac,
  decryptData,
  encryptData,
  nextSsc,
  openSession,
  type SmSession,
  verifyMac,
} from './session.ts';
import { commandMacInput } from './terminal.ts';

/** The card's half of a secure-messaging session. */
export interface CardSecureMessaging {
  /**
   * Verifies and decrypts a protected command APDU.
   * @throws {ReaderError} `SM_MAC_MISMATCH` (answer 6988), `SM_INVALID_RESPONSE` (answer the
   * `context.sw`: 6987 when SM objects are missing, 6988 when they are malformed)
   */
  unwrapCommand(protectedApdu: Uint8Array): { command: Uint8Array };
  /** Protects response data and status word: `87`/`85`, `99`, `8E`, then the SW. */
  wrapResponse(data: Uint8Array, sw: number): Uint8Array;
  /** Switches to new keys and SSC (after chip authentication). */
  rekey(keys: SecureMessagingKeys): void;
}

const STEP = 'UNWRAP_COMMAND';

function reject(message: string, sw: number): never {
  throw new ReaderError('SM_INVALID_RESPONSE', message, { context: { step: STEP, sw } });
}

function unwrap(session: SmSession, bytes: Uint8Array): { apdu: CommandApdu; oddIns: boolean } {
  let cmd: CommandApdu;
  try {
    cmd = parseCommandApdu(bytes);
  } catch {
    return reject('the protected command APDU is malformed', 0x6988);
  }
  if ((cmd.cla & 0x0c) !== 0x0c) reject('the command is not protected', 0x6987);
  nextSsc(session);
  const data = cmd.data ?? new Uint8Array(0);
  const dos = parseDos(data) ?? reject('the command data objects are malformed', 0x6988);
  const last = dos[dos.length - 1];
  if (last === undefined || last.tag !== 0x8e) return reject('the command lacks its MAC object (8E)', 0x6987);
  if (last.value.length !== 8) reject('the command MAC object (8E) is not 8 bytes', 0x6988);
  let cryptogram: SmDataObject | undefined;
  let le: SmDataObject | undefined;
  for (const d of dos.slice(0, -1)) {
    if ((d.tag === 0x87 || d.tag === 0x85) && cryptogram === undefined) cryptogram = d;
    else if (d.tag === 0x97 && le === undefined) le = d;
    else reject('the command has an unexpected or repeated data object', 0x6988);
  }
  const header = Uint8Array.of(cmd.cla, cmd.ins, cmd.p1, cmd.p2);
  const macInput = commandMacInput(header, session.blockLength, data.subarray(0, last.offset));
  if (!verifyMac(session, macInput, last.value)) {
    throw new ReaderError('SM_MAC_MISMATCH', 'the command MAC does not verify', {
      context: { step: STEP, sw: 0x6988 },
    });
  }
  const plain: CommandApdu = { cla: cmd.cla & ~0x0c & 0xff, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2 };
  let extended = cmd.extended === true;
  if (cryptogram !== undefined) {
    let enc = cryptogram.value;
    if (cryptogram.tag === 0x87) {
      if (enc[0] !== 0x01) reject('the command cryptogram (87) has an unknown padding indicator', 0x6988);
      enc = enc.subarray(1);
    }
    plain.data =
      decryptData(session, enc) ?? reject('the command cryptogram has a wrong length or padding', 0x6988);
  }
  if (le !== undefined) {
    const v = le.value;
    if (v.length === 1) plain.le = v[0] === 0 ? 256 : (v[0] as number);
    else if (v.length === 2) {
      const n = ((v[0] as number) << 8) | (v[1] as number);
      plain.le = n === 0 ? 65536 : n;
      extended = true;
    } else reject('the command Le object (97) is not 1 or 2 bytes', 0x6988);
  }
  if (extended) plain.extended = true;
  return { apdu: plain, oddIns: (cmd.ins & 1) === 1 };
}

/** The card side of a session with the given keys and initial SSC. */
export function createCardSecureMessaging(keys: SecureMessagingKeys): CardSecureMessaging {
  let session = openSession(keys);
  let oddIns = false;
  return {
    unwrapCommand(protectedApdu) {
      const r = unwrap(session, protectedApdu);
      oddIns = r.oddIns;
      return { command: buildCommandApdu(r.apdu) };
    },
    wrapResponse(data, sw) {
      if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff)
        throw new ReaderError('INVALID_ARGUMENT', 'SW must be 0000–FFFF');
      nextSsc(session);
      let dos: Uint8Array = new Uint8Array(0);
      if (data.length > 0) {
        const enc = encryptData(session, data);
        dos = oddIns ? encodeDo(0x85, enc) : encodeDo(0x87, concatBytes(Uint8Array.of(0x01), enc));
      }
      dos = concatBytes(dos, encodeDo(0x99, Uint8Array.of(sw >> 8, sw & 0xff)));
      const mac = computeMac(session, dos);
      return concatBytes(dos, encodeDo(0x8e, mac), Uint8Array.of(sw >> 8, sw & 0xff));
    },
    rekey(next) {
      session = openSession(next);
    },
  };
}
