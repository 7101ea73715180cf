/**
 * @module
 * The software CCCD chip as an `ApduTransport`: the card side of SELECT, READ BINARY (B0 with
 * the offset in P1-P2 or a short EF identifier, B1 with DO'54), GET CHALLENGE, MUTUAL
 * AUTHENTICATE (BAC), MSE:Set AT + GENERAL AUTHENTICATE (PACE; Chip Authentication), INTERNAL
 * AUTHENTICATE (Active Authentication), with secure messaging once a session is open, short
 * and extended length limits, the status words of a real chip, and fault injection. Secrets
 * stay inside; nothing is logged.
 */
import { encodeTlv } from '@vneid/core/tlv';
import { ReaderError } from '../errors.ts';
import type { AaHash } from '../protocols/aa.ts';
import { bacKeySeed } from '../protocols/bac.ts';
import { signActiveAuthentication } from '../protocols/card/aa-card.ts';
import { bacCardRespond } from '../protocols/card/bac-card.ts';
import { type CardSecureMessaging, createCardSecureMessaging } from '../sm/card.ts';
import type { SecureMessagingKeys } from '../sm/index.ts';
import {
  type ApduTransport,
  buildResponseApdu,
  type CommandApdu,
  parseCommandApdu,
  type TransceiveOptions,
  throwIfAborted,
} from '../transport/index.ts';
import { chipAuthenticationStep } from './ca-card.ts';
import { type CardFaults, faultFileId, tamperBytes } from './faults.ts';
import {
  applicationFci,
  type ChipFile,
  type CurrentDf,
  chipFilesOf,
  fcp,
  findFile,
  findFileBySfi,
  isEmrtdAid,
} from './file-system.ts';
import type { CardFiles } from './files.ts';
import { delay, largestProtectedRead, oddInsLength } from './limits.ts';
import { createPaceCard, type PaceCard } from './pace-card.ts';
import { platformRandom } from './random.ts';

/** Which access protocols the chip runs. */
export type CardAccessMode = 'pace-only' | 'bac-only' | 'both';

/** Options of {@link createEmulatedCard}. */
export interface EmulatedCardOptions {
  /** Access protocols (default: what the files were made for; a CCCD runs both). */
  access?: CardAccessMode;
  /** Accept extended-length APDUs (default false: they are answered 6700). */
  extendedLength?: boolean;
  /**
   * Largest number of file bytes one READ BINARY may ask for (the plain Le); more is answered
   * 6700 or 6Cxx. Default 65536 with extended length, else 256. Under secure messaging a short
   * response must also fit 256 bytes once protected (223 plain bytes with AES, 231 with 3DES).
   */
  maxLe?: number;
  /** How a too-large Le is refused: `'wrong-length'` 6700 (default) or `'exact-length'` 6Cxx. */
  leErrorStyle?: 'wrong-length' | 'exact-length';
  /** Status word when a read stops at the end of the file before Le bytes: 9000 (default) or 6282. */
  endOfFileSw?: 0x9000 | 0x6282;
  /** SELECT of the MF answers 6D00, as CCCDs seen through iOS Core NFC do. */
  iosQuirk?: boolean;
  /** Whether MSE:Set AT for PACE may (default), must or must not carry the parameter ID `84`. */
  parameterIdReference?: 'optional' | 'required' | 'rejected';
  /** SELECT and MSE:Set AT with an Le field are answered 6700 (some cards do). */
  rejectLe?: boolean;
  /** Hash of the Active Authentication signature (default SHA-1 for RSA, by key size for ECDSA). */
  aaHash?: AaHash;
  /**
   * A response longer than the command's Le (e.g. INTERNAL AUTHENTICATE with an RSA-2048 key
   * under secure messaging: ~291 bytes for a short Le 00): `'get-response'` (default, as real
   * chips do) sends the first Le bytes with 61xx and the rest on GET RESPONSE `00 C0 00 00 xx`
   * (ISO/IEC 7816-4; Finnish passports answer so, NFCPassportReader issue #174), plain even
   * inside a secure-messaging session; `'send-whole'` (lenient) sends it whole anyway.
   */
  longResponses?: 'get-response' | 'send-whole';
  /**
   * Serve EF.CardAccess also once the eMRTD application is selected (lenient). By default it is
   * found only in the master file, where ICAO Doc 9303 Part 10 §3.11 puts it.
   */
  cardAccessInApplication?: boolean;
  /** Initial faults (the object stays mutable as `card.faults`). */
  faults?: CardFaults;
  /** Random bytes (challenges, nonces, ephemeral keys); default the platform CSPRNG. */
  random?: (n: number) => Uint8Array;
  /** Aborts every exchange (`ReaderError('ABORTED')`), like a reader being switched off. */
  signal?: AbortSignal;
  /** Simulated time per APDU in milliseconds (default 0: answers at once). */
  latencyMs?: number;
}

/** Traffic counters. */
export interface CardStats {
  /** Command APDUs received. */
  apdus: number;
  /** Bytes of the command APDUs. */
  bytesIn: number;
  /** Bytes of the response APDUs (data and status words). */
  bytesOut: number;
  /** Secure-messaging protected responses sent. */
  smResponses: number;
  /** Times the chip lost its session (reset, reconnect, lost connection). */
  resets: number;
}

/** The chip's non-secret state. */
export interface CardState {
  df: CurrentDf;
  /** FID of the selected EF, or null. */
  selected: number | null;
  /** The access protocol of the open session. */
  access: 'none' | 'bac' | 'pace';
  chipAuthenticated: boolean;
}

/** The software chip: an `ApduTransport` with controls for tests. */
export interface EmulatedCard extends ApduTransport {
  /** Faults to inject; change them between commands. */
  faults: CardFaults;
  readonly stats: CardStats;
  readonly state: CardState;
  readonly files: CardFiles;
  /** The field drops and comes back: selection and session are lost (re-authenticate). */
  reset(): void;
  /** Same as {@link EmulatedCard.reset}. */
  reconnect(): void;
}

interface Answer {
  data: Uint8Array;
  sw: number;
  /** Runs after the answer was protected (e.g. switch keys after Chip Authentication). */
  after?: () => void;
}

interface Context {
  protectedCommand: boolean;
  outerExtended: boolean;
}

const EMPTY = new Uint8Array(0);
const sw = (status: number): Answer => ({ data: EMPTY, sw: status });
/**
 * A software CCCD chip over `files`.
 * @throws {ReaderError} `INVALID_ARGUMENT` for options out of range
 */
export function createEmulatedCard(files: CardFiles, options: EmulatedCardOptions = {}): EmulatedCard {
  const random = options.random ?? platformRandom;
  const extendedLength = options.extendedLength === true;
  const maxLe = options.maxLe ?? (extendedLength ? 65536 : 256);
  if (!Number.isInteger(maxLe) || maxLe < 1 || maxLe > 65536) {
    throw new ReaderError('INVALID_ARGUMENT', 'maxLe must be 1–65536');
  }
  const access: CardAccessMode =
    options.access ??
    (files.access.bac && files.access.pace ? 'both' : files.access.pace ? 'pace-only' : 'bac-only');
  const bacAllowed = access !== 'pace-only';
  const paceAllowed = access !== 'bac-only' && files.pace !== undefined;
  const list: ChipFile[] = chipFilesOf(files).filter((f) => paceAllowed || f.location !== 'master');
  const lookup = { cardAccessInApplication: options.cardAccessInApplication === true };
  const longResponses = options.longResponses ?? 'get-response';
  if (longResponses !== 'get-response' && longResponses !== 'send-whole') {
    throw new ReaderError('INVALID_ARGUMENT', "longResponses must be 'get-response' or 'send-whole'");
  }
  /** The rest of a response sent in parts (61xx), until GET RESPONSE fetches it. */
  let pending: Uint8Array | undefined;
  const keySeed = bacKeySeed(files.access.mrzKey);
  const stats: CardStats = { apdus: 0, bytesIn: 0, bytesOut: 0, smResponses: 0, resets: 0 };
  let faults: CardFaults = options.faults ?? {};

  let df: CurrentDf = 'mf';
  let current: ChipFile | undefined;
  let sm: CardSecureMessaging | undefined;
  let smBlockLength = 16;
  let session: CardState['access'] = 'none';
  let chipAuthenticated = false;
  let rndIcc: Uint8Array | undefined;
  let caSelected = false;
  const pace: PaceCard | undefined =
    files.pace === undefined
      ? undefined
      : createPaceCard({
          oid: files.pace.oid,
          parameterId: files.pace.parameterId,
          can: files.access.can,
          mrzKey: files.access.mrzKey,
          chipAuthenticationKey: () => (faults.clonedChip ? files.keys.caClone : files.keys.ca)?.d,
          parameterIdReference: options.parameterIdReference ?? 'optional',
          random,
        });

  const dropSession = (): void => {
    sm = undefined;
    session = 'none';
    chipAuthenticated = false;
    caSelected = false;
  };
  const reset = (): void => {
    dropSession();
    df = 'mf';
    current = undefined;
    rndIcc = undefined;
    pace?.reset();
    stats.resets++;
  };
  const openSession = (keys: SecureMessagingKeys, kind: 'bac' | 'pace'): void => {
    sm = createCardSecureMessaging(keys);
    smBlockLength = keys.cipher === 'aes' ? 16 : 8;
    session = kind;
    chipAuthenticated = false;
  };
  const lengthError = (max: number): Answer =>
    sw(options.leErrorStyle === 'exact-length' ? 0x6c00 | (Math.min(max, 256) & 0xff) : 0x6700);

  const served = (file: ChipFile): Uint8Array => {
    const t = faults.tamperedDg;
    const dg = typeof t === 'number' ? t : t?.dg;
    if (dg === undefined || file.dataGroup !== dg) return file.bytes;
    return tamperBytes(file.bytes, typeof t === 'object' ? t.offset : undefined);
  };

  const select = (cmd: CommandApdu): Answer => {
    if (options.rejectLe === true && cmd.le !== undefined) return sw(0x6700);
    const data = cmd.data;
    const wantFci = (cmd.p2 & 0x0c) !== 0x0c;
    if (cmd.p1 === 0x04) {
      if (!isEmrtdAid(data)) return sw(0x6a82);
      df = 'emrtd';
      current = undefined;
      return wantFci ? { data: applicationFci(), sw: 0x9000 } : sw(0x9000);
    }
    if (
      cmd.p1 === 0x00 &&
      (data === undefined || (data.length === 2 && data[0] === 0x3f && data[1] === 0x00))
    ) {
      if (options.iosQuirk === true) return sw(0x6d00);
      df = 'mf';
      current = undefined;
      return sw(0x9000);
    }
    if (cmd.p1 === 0x00 || cmd.p1 === 0x02) {
      if (data === undefined || data.length !== 2) return sw(0x6a87);
      const file = findFile(list, df, lookup, ((data[0] as number) << 8) | (data[1] as number));
      if (file === undefined) return sw(0x6a82);
      current = file;
      return wantFci ? { data: fcp(file, file.bytes.length), sw: 0x9000 } : sw(0x9000);
    }
    return sw(cmd.p1 === 0x01 ? 0x6a82 : 0x6a86);
  };

  const readBinary = (cmd: CommandApdu, ctx: Context): Answer => {
    let file = current;
    let offset: number;
    const odd = cmd.ins === 0xb1;
    if (!odd) {
      if ((cmd.p1 & 0x80) !== 0) {
        file = findFileBySfi(list, df, lookup, cmd.p1 & 0x1f);
        if (file === undefined) return sw(0x6a82);
        current = file;
        offset = cmd.p2;
      } else {
        offset = ((cmd.p1 & 0x7f) << 8) | cmd.p2;
      }
    } else {
      const id = (cmd.p1 << 8) | cmd.p2;
      if (id !== 0) {
        file = findFile(list, df, lookup, id);
        if (file === undefined) return sw(0x6a82);
        current = file;
      }
      const d = cmd.data;
      if (d === undefined || d.length < 3 || d[0] !== 0x54 || d[1] !== d.length - 2 || d.length > 5)
        return sw(0x6a80);
      offset = 0;
      for (const b of d.subarray(2)) offset = offset * 256 + b;
    }
    if (file === undefined) return sw(0x6986);
    if (file.location === 'application' && sm === undefined) return sw(0x6982);
    if (file.eac) return sw(0x6982);
    const le = cmd.le;
    if (le === undefined) return sw(0x6700);
    if (le > maxLe) return lengthError(maxLe);
    const bytes = served(file);
    if (offset >= bytes.length) return sw(0x6b00);
    const lost = faults.lostConnectionAt;
    if (
      lost !== undefined &&
      faultFileId(lost.file) === file.fid &&
      lost.offset >= offset &&
      lost.offset < offset + le
    ) {
      delete faults.lostConnectionAt;
      reset();
      throw new ReaderError('TRANSPORT_FAILED', 'the connection to the chip was lost', {
        context: { fileId: file.fid, offset },
      });
    }
    const remaining = bytes.length - offset;
    let n = Math.min(le, remaining);
    if (odd) while (n > 0 && oddInsLength(n) > le) n--;
    if (n <= 0) return lengthError(le);
    if (ctx.protectedCommand) {
      const capacity = ctx.outerExtended ? 65536 : 256;
      const fit = largestProtectedRead(capacity, smBlockLength, odd);
      if (n > fit) return lengthError(odd ? oddInsLength(fit) : fit);
    }
    const chunk = bytes.subarray(offset, offset + n);
    return {
      data: odd ? encodeTlv(0x53, chunk) : chunk.slice(),
      sw: n < le ? (options.endOfFileSw ?? 0x9000) : 0x9000,
    };
  };

  const getChallenge = (cmd: CommandApdu): Answer => {
    if (cmd.le !== 8) return sw(0x6700);
    rndIcc = random(8);
    return { data: rndIcc.slice(), sw: 0x9000 };
  };

  const mutualAuthenticate = (cmd: CommandApdu, ctx: Context): Answer => {
    if (!bacAllowed) return sw(0x6d00);
    const challenge = rndIcc;
    // BAC starts from plain APDUs; inside a session it is refused.
    if (ctx.protectedCommand) return sw(0x6985);
    rndIcc = undefined;
    if (challenge === undefined) return sw(0x6985);
    if (cmd.data?.length !== 40) return sw(0x6700);
    const r = bacCardRespond(keySeed, challenge, random(16), cmd.data);
    if (r === null) return sw(0x6300);
    openSession(r.sessionKeys, 'bac');
    return { data: r.response, sw: 0x9000 };
  };

  const manageSecurityEnvironment = (cmd: CommandApdu, ctx: Context): Answer => {
    if (options.rejectLe === true && cmd.le !== undefined) return sw(0x6700);
    const p1p2 = (cmd.p1 << 8) | cmd.p2;
    if (p1p2 === 0xc1a4) {
      if (!paceAllowed || pace === undefined || ctx.protectedCommand) return sw(0x6a80);
      return sw(pace.setAuthenticationTemplate(cmd.data ?? EMPTY));
    }
    if (p1p2 === 0x41a4) {
      caSelected = false;
      if (!ctx.protectedCommand || sm === undefined) return sw(0x6982);
      if (files.caProtocol === undefined || files.keys.ca === undefined) return sw(0x6a80);
      const ok = chipAuthenticationStep.checkTemplate(cmd.data ?? EMPTY, files.caProtocol);
      if (!ok) return sw(0x6a80);
      caSelected = true;
      return sw(0x9000);
    }
    return sw(p1p2 === 0x41a6 ? 0x6a80 : 0x6a86);
  };

  const generalAuthenticate = (cmd: CommandApdu, ctx: Context): Answer => {
    if (pace?.active && !ctx.protectedCommand) {
      const a = pace.generalAuthenticate(cmd.data ?? EMPTY);
      if (a.keys !== undefined) openSession(a.keys, 'pace');
      return a;
    }
    if (caSelected && ctx.protectedCommand && sm !== undefined && files.keys.ca !== undefined) {
      caSelected = false;
      const key = faults.clonedChip ? (files.keys.caClone ?? files.keys.ca) : files.keys.ca;
      const r = chipAuthenticationStep.respond(cmd.data ?? EMPTY, key, files.caProtocol);
      if (r === null) return sw(0x6a80);
      const channel = sm;
      return {
        data: r.response,
        sw: 0x9000,
        after: () => {
          channel.rekey(r.keys);
          smBlockLength = r.keys.cipher === 'aes' ? 16 : 8;
          chipAuthenticated = true;
        },
      };
    }
    return sw(0x6985);
  };

  const internalAuthenticate = (cmd: CommandApdu): Answer => {
    if (sm === undefined) return sw(0x6982);
    const key = faults.clonedChip ? (files.keys.aaClone ?? files.keys.aa) : files.keys.aa;
    if (key === undefined) return sw(0x6d00);
    const challenge = cmd.data;
    if (challenge === undefined || challenge.length === 0) return sw(0x6700);
    // Protected, an RSA-2048 signature (~291 bytes) exceeds a short Le: see `longResponses`.
    const signature = signActiveAuthentication(key, challenge, {
      random,
      ...(options.aaHash === undefined ? {} : { hash: options.aaHash }),
    });
    return { data: signature, sw: 0x9000 };
  };

  const dispatch = (cmd: CommandApdu, ctx: Context): Answer => {
    switch (cmd.ins) {
      case 0xa4:
        return select(cmd);
      case 0xb0:
      case 0xb1:
        return readBinary(cmd, ctx);
      case 0x84:
        return getChallenge(cmd);
      case 0x82:
        return mutualAuthenticate(cmd, ctx);
      case 0x22:
        return manageSecurityEnvironment(cmd, ctx);
      case 0x86:
        return generalAuthenticate(cmd, ctx);
      case 0x88:
        return internalAuthenticate(cmd);
      default:
        return sw(0x6d00);
    }
  };

  /** GET RESPONSE `00 C0 00 00 xx`: the next part of a response sent in parts. */
  const getResponse = (cmd: CommandApdu): Uint8Array => {
    const rest = pending;
    if (rest === undefined || cmd.p1 !== 0 || cmd.p2 !== 0 || cmd.data !== undefined)
      return buildResponseApdu(EMPTY, rest === undefined ? 0x6985 : 0x6a86);
    return sendPart(rest, cmd.le ?? 256);
  };
  /** Up to `ne` data bytes of `response` (data ‖ SW); the rest waits for GET RESPONSE (61xx). */
  const sendPart = (response: Uint8Array, ne: number): Uint8Array => {
    if (response.length - 2 <= ne) {
      pending = undefined;
      return response;
    }
    const data = response;
    pending = data.slice(ne);
    const left = pending.length - 2;
    return buildResponseApdu(data.slice(0, ne), 0x6100 | (left >= 256 ? 0 : left));
  };
  /** A response longer than the command's Le is sent in parts (see `longResponses`). */
  const fitToLe = (outer: CommandApdu, bytes: Uint8Array): Uint8Array => {
    pending = undefined;
    if (longResponses === 'send-whole' || outer.le === undefined || bytes.length - 2 <= outer.le)
      return bytes;
    return sendPart(bytes, outer.le);
  };

  const process = (command: Uint8Array): { bytes: Uint8Array; protectedAnswer: boolean } => {
    const plain = (status: number): { bytes: Uint8Array; protectedAnswer: boolean } => ({
      bytes: buildResponseApdu(EMPTY, status),
      protectedAnswer: false,
    });
    let outer: CommandApdu;
    try {
      outer = parseCommandApdu(command);
    } catch {
      pending = undefined;
      return plain(0x6700);
    }
    if (outer.cla === 0x00 && outer.ins === 0xc0 && longResponses === 'get-response') {
      // Transmission-level: neither ends nor counts in a secure-messaging session.
      return { bytes: getResponse(outer), protectedAnswer: false };
    }
    pending = undefined;
    if ((outer.cla & 0xe3) !== 0) return plain(0x6e00);
    const unsupportedLength = outer.extended === true && !extendedLength;
    const protectedCommand = (outer.cla & 0x0c) === 0x0c;
    let cmd: CommandApdu;
    if (protectedCommand) {
      if (sm === undefined) return plain(0x6988);
      try {
        cmd = parseCommandApdu(sm.unwrapCommand(command).command);
      } catch (cause) {
        // An SM error ends the session (ICAO 9303-11 §9.8.6): the terminal must start over.
        dropSession();
        const status = cause instanceof ReaderError ? cause.context.sw : undefined;
        return plain(status ?? 0x6988);
      }
      if (unsupportedLength) {
        // Refused in plain, but the command and the answer still count in the SSC (the
        // terminal advances its counter for a bare status word too).
        sm.wrapResponse(EMPTY, 0x6700);
        return plain(0x6700);
      }
    } else {
      if (unsupportedLength) return plain(0x6700);
      // A plain command ends secure messaging.
      if (sm !== undefined) dropSession();
      cmd = outer;
    }
    const ctx: Context = { protectedCommand, outerExtended: outer.extended === true };
    let answer: Answer;
    const wrong = faults.wrongSw;
    if (
      wrong !== undefined &&
      (wrong.at === undefined ? wrong.ins === undefined || wrong.ins === cmd.ins : wrong.at === stats.apdus)
    ) {
      delete faults.wrongSw;
      answer = sw(wrong.sw);
    } else {
      answer = dispatch(cmd, ctx);
    }
    if (!protectedCommand || sm === undefined) {
      answer.after?.();
      return { bytes: fitToLe(outer, buildResponseApdu(answer.data, answer.sw)), protectedAnswer: false };
    }
    const bytes = sm.wrapResponse(answer.data, answer.sw);
    stats.smResponses++;
    answer.after?.();
    return { bytes: fitToLe(outer, bytes), protectedAnswer: true };
  };

  const applyOutputFaults = (result: { bytes: Uint8Array; protectedAnswer: boolean }): Uint8Array => {
    let bytes = result.bytes;
    const mac = faults.wrongMac;
    if (result.protectedAnswer && (mac === true || mac === stats.smResponses)) {
      delete faults.wrongMac;
      bytes = bytes.slice();
      const i = bytes.length - 3; // the last MAC byte, just before SW1 SW2
      bytes[i] = (bytes[i] as number) ^ 0x5a;
    }
    const cut = faults.truncatedResponse;
    if (cut !== undefined && cut !== false) {
      const at = typeof cut === 'number' ? cut : cut === true ? undefined : cut.at;
      if (at === undefined || at === stats.apdus) {
        delete faults.truncatedResponse;
        const keep =
          typeof cut === 'object' && cut.keep !== undefined ? cut.keep : Math.floor(bytes.length / 2);
        bytes = bytes.slice(0, Math.max(0, Math.min(keep, bytes.length)));
      }
    }
    return bytes;
  };

  return {
    get faults() {
      return faults;
    },
    set faults(value: CardFaults) {
      faults = value;
    },
    stats,
    get state(): CardState {
      return { df, selected: current?.fid ?? null, access: session, chipAuthenticated };
    },
    files,
    reset,
    reconnect: reset,
    async transceive(command: Uint8Array, transceiveOptions?: TransceiveOptions): Promise<Uint8Array> {
      throwIfAborted(options.signal);
      throwIfAborted(transceiveOptions?.signal);
      if (!(command instanceof Uint8Array))
        throw new ReaderError('INVALID_ARGUMENT', 'the command must be bytes');
      if ((options.latencyMs ?? 0) > 0) {
        await delay(
          options.latencyMs as number,
          [options.signal, transceiveOptions?.signal],
          () => new ReaderError('ABORTED', 'the operation was aborted'),
        );
      }
      stats.apdus++;
      stats.bytesIn += command.length;
      const bytes = applyOutputFaults(process(command));
      stats.bytesOut += bytes.length;
      return bytes;
    },
  };
}
