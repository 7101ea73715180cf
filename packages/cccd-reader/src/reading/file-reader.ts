/**
 * @module
 * Reading an elementary file (ICAO Doc 9303 Part 10 §3.11, ISO/IEC 7816-4 §11.3.3): READ BINARY
 * its first 6 bytes to learn the length from its TLV header — addressing an LDS file by its short
 * EF identifier (P1 = 80|SFI, P2 = 0; Part 10 §3.6.2), which selects it implicitly, otherwise
 * after a SELECT by file ID — then read the rest in the largest chunk the chip accepts — extended length when it supports it,
 * otherwise the biggest short Le that fits (secure messaging included, see `chunk-size.ts`).
 * Refusals teach the reader: 6700 (wrong length) drops extended length or shrinks the chunk,
 * 6Cxx gives the exact length, a short answer with 9000 marks the chip's limit. A
 * {@link FileReader} keeps what it learned across files, so the chip is probed once — a chip
 * that refuses the short EF identifier (6A81, 6A86, 6B00, 6986, 6D00, 6E00, or data that does not
 * start with the file's tag) gets a SELECT instead, for that file and every later one.
 * Offsets above 32767 use odd-INS READ BINARY (B1) with the offset in DO'54 and the data in
 * DO'53. A lost connection throws `TRANSPORT_FAILED` with the file and offset; the caller's
 * {@link ReadProgress} keeps the bytes, and passing it again resumes at that offset.
 */
import { assertTransport, ReaderError } from '../errors.ts';
import {
  type ApduTransport,
  buildCommandApdu,
  parseResponseApdu,
  statusWordName,
} from '../transport/index.ts';
import {
  DEFAULT_EXTENDED_RESPONSE_LIMIT,
  leFor,
  MAX_EXTENDED_RESPONSE_LIMIT,
  maxPlainChunk,
  type SecureMessagingKind,
  SHORT_RESPONSE_LIMIT,
  shrinkChunk,
} from './chunk-size.ts';
import { exchange } from './exchange.ts';
import { ReadProgress } from './read-progress.ts';
import { expectedFirstBytes, selectFile, shortFileIdOf } from './select.ts';

/** Bytes read first: enough for a 2-byte tag and a 4-byte length field. */
export const HEADER_READ_LENGTH = 6;
/** Largest offset READ BINARY B0 can address (15 bits). */
export const MAX_EVEN_INS_OFFSET = 0x7fff;

/** How a {@link FileReader} sizes its reads. */
export interface FileReaderOptions {
  /**
   * Secure messaging of the session, for the response overhead: `'aes'` (PACE, CA; default —
   * also right when unknown, it is the larger overhead), `'3des'` (BAC) or `'none'` (plain).
   */
  secureMessaging?: SecureMessagingKind;
  /**
   * Extended-length READ BINARY: `'auto'` (default) tries it once when a read needs more than
   * a short response and falls back for good when refused; `true` prefers it (still falling
   * back on 6700); `false` never uses it.
   */
  extendedLength?: 'auto' | boolean;
  /** Upper bound on plain bytes per READ BINARY (e.g. 223 or 160 to mimic fixed-chunk readers). */
  maxChunk?: number;
  /** Response-data budget of one extended READ BINARY (default 4096, at most 65536). */
  extendedResponseLimit?: number;
  /**
   * Bytes of the first READ BINARY (default 6: a 2-byte tag and a 4-byte length field). 4 is
   * enough for the one-byte tags and lengths below 65536 of the LDS (the ICAO worked example
   * reads 4); more is read when the header turns out longer.
   */
  headerLength?: number;
  /**
   * Address LDS files by their short EF identifier in the first READ BINARY instead of a
   * SELECT (one APDU less per file): `'auto'` (default) falls back to SELECT, for the rest of
   * the session, when the chip refuses it; `true` never falls back (a refusal is `READ_FAILED`);
   * `false` always SELECTs. Files without an SFI in the LDS table and resumed reads are
   * always SELECTed.
   */
  shortFileId?: 'auto' | boolean;
}

/** A progress event: one per READ BINARY that returned data. */
export interface FileReadProgressEvent {
  fileId: number;
  bytesRead: number;
  totalBytes: number;
}

/** Options of {@link FileReader.readFile}. */
export interface ReadFileOptions {
  signal?: AbortSignal;
  onProgress?: (event: FileReadProgressEvent) => void;
  /**
   * The file's accumulator. Pass a fresh `new ReadProgress(fid)` to keep the bytes should the
   * connection drop; pass the same object again (over a new session) to resume at its offset.
   */
  progress?: ReadProgress;
  /** Select the file first (default true), by SELECT or by its short EF identifier. */
  select?: boolean;
}

/** What a {@link FileReader} has learned about the chip. */
export interface FileReaderState {
  /** Whether the chip accepted an extended-length READ BINARY. */
  extendedLength: 'untested' | 'supported' | 'unsupported';
  /** Largest plain chunk accepted with a short Le, when a refusal or short answer showed it. */
  maxShortChunk: number | undefined;
  /** Largest plain chunk accepted with an extended Le, when a refusal or short answer showed it. */
  maxExtendedChunk: number | undefined;
  /** Whether the chip accepted a READ BINARY with a short EF identifier. */
  shortFileId: 'untested' | 'supported' | 'unsupported';
  /** READ BINARY commands sent so far. */
  readCommands: number;
}

/** A file-reading session over one transport; remembers the chip's limits across files. */
export interface FileReader {
  /** The transport in use (a secure channel, normally). */
  readonly transport: ApduTransport;
  /** Continue over another transport (after re-establishing the session); keeps the learned limits. */
  setTransport(transport: ApduTransport, secureMessaging?: SecureMessagingKind): void;
  /** What the reader learned about the chip (a snapshot). */
  readonly state: FileReaderState;
  selectFile(fileId: number, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Selects (unless told not to) and reads a whole file.
   * @throws {ReaderError} `FILE_NOT_FOUND`, `SECURITY_STATUS_NOT_SATISFIED`, `READ_FAILED`,
   * `TRANSPORT_FAILED` (context `{ fileId, offset }`; resume with the same `progress`),
   * `ABORTED`, or the channel's secure-messaging errors
   */
  readFile(fileId: number, options?: ReadFileOptions): Promise<Uint8Array>;
}

/** Status words with which a chip may refuse extended length (besides 6700). */
const EXTENDED_REFUSALS: ReadonlySet<number> = new Set([0x6a86, 0x6a87, 0x6d00, 0x6e00, 0x6f00, 0x6881]);

/**
 * Status words with which a chip may refuse a short EF identifier: function not supported,
 * incorrect P1-P2, wrong parameters (P1 taken as an offset), no current EF (the SFI bit
 * ignored), INS or CLA not supported. Not 6982 (the file is protected, e.g. DG3) nor 6A82 (no
 * such file; checked by SELECT while the chip's SFI support is untested).
 */
const SFI_REFUSALS: ReadonlySet<number> = new Set([0x6a81, 0x6a86, 0x6b00, 0x6986, 0x6d00, 0x6e00]);

/** Total length of a BER-TLV from its first bytes; 'incomplete' when more bytes are needed. */
export function tlvTotalLength(bytes: Uint8Array): number | 'incomplete' | 'invalid' {
  if (!(bytes instanceof Uint8Array))
    throw new ReaderError('INVALID_ARGUMENT', 'tlvTotalLength expects a Uint8Array');
  let i = 0;
  if (bytes.length < 1) return 'incomplete';
  const first = bytes[i++] as number;
  if (first === 0x00 || first === 0xff) return 'invalid';
  if ((first & 0x1f) === 0x1f) {
    for (;;) {
      if (i >= bytes.length) return 'incomplete';
      const b = bytes[i++] as number;
      if ((b & 0x80) === 0) break;
      if (i > 3) return 'invalid';
    }
  }
  if (i >= bytes.length) return 'incomplete';
  const l = bytes[i++] as number;
  if (l < 0x80) return i + l;
  const n = l & 0x7f;
  if (n === 0 || n > 3) return 'invalid';
  if (i + n > bytes.length) return 'incomplete';
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + (bytes[i + k] as number);
  return i + n + len;
}

function readBinaryCommand(offset: number, le: number, sfi: number | undefined): Uint8Array {
  if (sfi !== undefined) {
    // Short EF identifier: P1 = 1 0 0 SFI, P2 = the offset (0–255).
    return buildCommandApdu({ cla: 0x00, ins: 0xb0, p1: 0x80 | sfi, p2: offset, le });
  }
  if (offset <= MAX_EVEN_INS_OFFSET) {
    return buildCommandApdu({ cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le });
  }
  // Odd INS: P1-P2 = 0000 (current EF), offset in DO'54, minimal big-endian bytes.
  const off: number[] = [];
  for (let v = offset; v > 0; v = Math.floor(v / 256)) off.unshift(v % 256);
  return buildCommandApdu({
    cla: 0x00,
    ins: 0xb1,
    p1: 0,
    p2: 0,
    data: Uint8Array.of(0x54, off.length, ...off),
    le,
  });
}

function unwrapDo53(data: Uint8Array, fileId: number, offset: number): Uint8Array {
  const fail = (): never => {
    throw new ReaderError('READ_FAILED', "an odd-INS READ BINARY response is not a DO'53", {
      context: { fileId, offset },
    });
  };
  if (data.length === 0) return data;
  if (data[0] !== 0x53 || data.length < 2) fail();
  const l = data[1] as number;
  let start = 2;
  let len = l;
  if (l >= 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 3 || data.length < 2 + n) fail();
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (data[2 + k] as number);
    start = 2 + n;
  }
  if (start + len !== data.length) fail();
  return data.subarray(start);
}

/** The reader's options, checked once (see {@link FileReaderOptions}). */
interface ReaderSettings {
  readonly extendedLength: 'auto' | boolean;
  readonly shortFileId: 'auto' | boolean;
  /** Upper bound on plain bytes per READ BINARY. */
  readonly maxChunk: number;
  readonly headerLength: number;
  /** Response-data budget of one extended READ BINARY. */
  readonly extendedResponseLimit: number;
}

/** One reader's state: its settings, the link it reads over and what it learned about the chip. */
interface ReaderContext {
  readonly settings: ReaderSettings;
  readonly state: FileReaderState;
  transport: ApduTransport;
  sm: SecureMessagingKind;
}

/** Where one READ BINARY reads: the file, the offset, and its SFI when it addresses the file by it. */
interface ChunkAt {
  readonly fileId: number;
  readonly offset: number;
  readonly signal: AbortSignal | undefined;
  readonly sfi: number | undefined;
}

/** A READ BINARY's answer: data (and whether the chip said end of file), or a refused SFI. */
type ChunkAnswer = { data: Uint8Array; eof: boolean } | { sfiRefused: number };

/** One whole-file read in progress. */
interface FileRead {
  readonly fileId: number;
  readonly progress: ReadProgress;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: FileReadProgressEvent) => void) | undefined;
  /** The short EF identifier the next READ BINARY addresses the file by (until it is settled). */
  sfi: number | undefined;
}

const signalOption = (signal: AbortSignal | undefined): { signal?: AbortSignal } =>
  signal === undefined ? {} : { signal };

/** Checks the options of {@link createFileReader} and fills in the defaults. */
function settingsOf(options: FileReaderOptions): ReaderSettings {
  const extendedLength = options.extendedLength ?? 'auto';
  const shortFileId = options.shortFileId ?? 'auto';
  if (shortFileId !== 'auto' && shortFileId !== true && shortFileId !== false) {
    throw new ReaderError('INVALID_ARGUMENT', "shortFileId must be 'auto', true or false");
  }
  const maxChunk = options.maxChunk ?? Number.POSITIVE_INFINITY;
  if (!(maxChunk >= 1)) throw new ReaderError('INVALID_ARGUMENT', 'maxChunk must be at least 1');
  const headerLength = options.headerLength ?? HEADER_READ_LENGTH;
  if (!Number.isInteger(headerLength) || headerLength < 2 || headerLength > 16) {
    throw new ReaderError('INVALID_ARGUMENT', 'headerLength must be 2–16');
  }
  const extendedResponseLimit = Math.min(
    options.extendedResponseLimit ?? DEFAULT_EXTENDED_RESPONSE_LIMIT,
    MAX_EXTENDED_RESPONSE_LIMIT,
  );
  if (!(extendedResponseLimit > SHORT_RESPONSE_LIMIT)) {
    throw new ReaderError('INVALID_ARGUMENT', 'extendedResponseLimit must exceed 256');
  }
  return { extendedLength, shortFileId, maxChunk, headerLength, extendedResponseLimit };
}

/** Largest plain chunk of a short-Le READ BINARY (secure messaging and learned limits included). */
function shortLimit(ctx: ReaderContext, odd: boolean): number {
  return Math.min(
    maxPlainChunk(SHORT_RESPONSE_LIMIT, ctx.sm, odd),
    ctx.state.maxShortChunk ?? Number.POSITIVE_INFINITY,
    ctx.settings.maxChunk,
  );
}

/** Largest plain chunk to ask for `remaining` bytes: extended length unless known unsupported. */
function chunkLimit(ctx: ReaderContext, odd: boolean, remaining: number): number {
  const short = shortLimit(ctx, odd);
  if (remaining <= short || ctx.state.extendedLength === 'unsupported') return short;
  const ext = Math.min(
    maxPlainChunk(ctx.settings.extendedResponseLimit, ctx.sm, odd),
    ctx.state.maxExtendedChunk ?? Number.POSITIVE_INFINITY,
    ctx.settings.maxChunk,
  );
  return Math.max(short, ext);
}

/**
 * Sends one READ BINARY (ISO/IEC 7816-4 §11.3.3) and returns the raw answer. A link lost on the
 * first extended-length one (`probing`) marks extended length unsupported and is thrown with the
 * step `EXTENDED_LENGTH_PROBE`, so the session may try the same transport again with short ones.
 */
async function sendReadBinary(
  ctx: ReaderContext,
  at: ChunkAt,
  le: number,
  probing: boolean,
): Promise<Uint8Array> {
  ctx.state.readCommands++;
  try {
    return await exchange(ctx.transport, readBinaryCommand(at.offset, le, at.sfi), at.signal, {
      fileId: at.fileId,
      offset: at.offset,
    });
  } catch (e) {
    if (probing && e instanceof ReaderError && e.code === 'TRANSPORT_FAILED') {
      ctx.state.extendedLength = 'unsupported';
      throw new ReaderError('TRANSPORT_FAILED', 'the link failed on an extended-length READ BINARY', {
        context: { ...e.context, step: 'EXTENDED_LENGTH_PROBE' },
        cause: e,
      });
    }
    throw e;
  }
}

/** Whether `sw` refuses the short EF identifier of `at` (see {@link SFI_REFUSALS}), in `'auto'` mode. */
function refusesSfi(ctx: ReaderContext, at: ChunkAt, sw: number): boolean {
  return (
    at.sfi !== undefined &&
    ctx.settings.shortFileId === 'auto' &&
    (SFI_REFUSALS.has(sw) || (sw === 0x6a82 && ctx.state.shortFileId === 'untested'))
  );
}

/**
 * A length refusal — 6700, or while probing extended length one of {@link EXTENDED_REFUSALS} —
 * teaches the reader: the next number of bytes to ask for, `'exhausted'` when no shorter chunk is
 * left, `undefined` when `sw` refuses something else.
 */
function lengthAfterRefusal(
  ctx: ReaderContext,
  sw: number,
  n: number,
  odd: boolean,
  extended: boolean,
  probing: boolean,
): number | 'exhausted' | undefined {
  const { state } = ctx;
  if (extended && (sw === 0x6700 || (probing && EXTENDED_REFUSALS.has(sw)))) {
    if (state.extendedLength === 'supported' && n > 2 * SHORT_RESPONSE_LIMIT) {
      // The chip takes extended length, just not this much: halve.
      const half = Math.floor(n / 2);
      state.maxExtendedChunk = half;
      return half;
    }
    state.extendedLength = 'unsupported';
    return Math.min(n, shortLimit(ctx, odd));
  }
  if (sw === 0x6700) {
    const next = shrinkChunk(n);
    if (next === undefined) return 'exhausted';
    state.maxShortChunk = next;
    return next;
  }
  return undefined;
}

/** The error of a READ BINARY refused with `sw` (no length to retry with). */
function readRefusal(sw: number, at: ChunkAt, odd: boolean): ReaderError {
  const { fileId, offset } = at;
  if (sw === 0x6a82) {
    return new ReaderError('FILE_NOT_FOUND', 'the file was not found on the chip', {
      context: { fileId, sw },
    });
  }
  if (sw === 0x6982) {
    return new ReaderError(
      'SECURITY_STATUS_NOT_SATISFIED',
      'reading the file needs access rights the session lacks',
      {
        context: { fileId, sw },
      },
    );
  }
  const what = odd && sw === 0x6d00 ? ' (odd-INS READ BINARY unsupported)' : '';
  return new ReaderError('READ_FAILED', `READ BINARY: the card answered ${statusWordName(sw)}${what}`, {
    context: { fileId, offset, sw },
  });
}

/**
 * One READ BINARY at `at` for up to `want` bytes, with the status-word fallbacks: 6Cxx gives the
 * exact Le, 6700 (and refusals of extended length) a shorter one. With an SFI, a refusal (see
 * {@link SFI_REFUSALS}) in `'auto'` mode is returned as `{ sfiRefused }` for the caller to
 * SELECT instead.
 */
async function readChunk(ctx: ReaderContext, at: ChunkAt, want: number): Promise<ChunkAnswer> {
  const odd = at.offset > MAX_EVEN_INS_OFFSET;
  let n = want;
  let exactLe: number | undefined;
  for (let attempt = 0; attempt < 16; attempt++) {
    const le = exactLe ?? leFor(n, odd);
    const extended = le > SHORT_RESPONSE_LIMIT;
    const probing = extended && ctx.state.extendedLength === 'untested';
    const { data, sw } = parseResponseApdu(await sendReadBinary(ctx, at, le, probing));
    if (sw === 0x9000 || sw === 0x6282) {
      if (extended) ctx.state.extendedLength = 'supported';
      return { data: odd ? unwrapDo53(data, at.fileId, at.offset) : data, eof: sw === 0x6282 };
    }
    // 6Cxx: retry with Le = xx; again only while xx keeps shrinking (an extended Le may be
    // answered with a length that in turn needs a smaller short Le under SM).
    const xx = sw & 0xff || 256;
    if (sw >> 8 === 0x6c && (exactLe === undefined || xx < exactLe)) {
      exactLe = xx;
      continue;
    }
    exactLe = undefined;
    if (refusesSfi(ctx, at, sw)) return { sfiRefused: sw };
    const next = lengthAfterRefusal(ctx, sw, n, odd, extended, probing);
    if (next === 'exhausted') break;
    if (next === undefined) throw readRefusal(sw, at, odd);
    n = next;
  }
  throw new ReaderError('READ_FAILED', 'READ BINARY: the card refused every length', {
    context: { fileId: at.fileId, offset: at.offset, sw: 0x6700 },
  });
}

/** Reports the bytes read so far. */
function report(read: FileRead): void {
  read.onProgress?.({
    fileId: read.fileId,
    bytesRead: read.progress.offset,
    totalBytes: read.progress.totalBytes ?? read.progress.offset,
  });
}

/**
 * Selects the EF (Part 10 §3.6.2): a fresh read of a file with a short EF identifier leaves it
 * to the first READ BINARY (P1 = 80|SFI); otherwise SELECT by file ID, unless told not to select.
 */
async function beginRead(
  ctx: ReaderContext,
  fileId: number,
  progress: ReadProgress,
  opts: ReadFileOptions,
): Promise<FileRead> {
  const sfi =
    opts.select !== false && ctx.state.shortFileId !== 'unsupported' && progress.offset === 0
      ? shortFileIdOf(fileId)
      : undefined;
  if (opts.select !== false && sfi === undefined)
    await selectFile(ctx.transport, fileId, signalOption(opts.signal));
  return { fileId, progress, signal: opts.signal, onProgress: opts.onProgress, sfi };
}

/**
 * Settles the short EF identifier after the first READ BINARY by it: the chip supports it, or —
 * refused, or data that does not start with the file's tag — SELECT instead (6A82 / 6982 there
 * keep their meaning) and read the header again (`false`). A chip that proved SFI on another file
 * keeps it.
 */
async function settleShortFileId(ctx: ReaderContext, read: FileRead, answer: ChunkAnswer): Promise<boolean> {
  const refused = 'sfiRefused' in answer;
  const foreign =
    !refused &&
    ctx.settings.shortFileId === 'auto' &&
    !expectedFirstBytes(read.fileId).includes(answer.data[0] ?? -1);
  read.sfi = undefined;
  if (refused || foreign) {
    await selectFile(ctx.transport, read.fileId, signalOption(read.signal));
    if (ctx.state.shortFileId === 'untested') ctx.state.shortFileId = 'unsupported';
    return false;
  }
  ctx.state.shortFileId = 'supported';
  return true;
}

/** Reads the file's BER-TLV header (its first bytes) until its total length is known. */
async function readHeader(ctx: ReaderContext, read: FileRead): Promise<void> {
  const { fileId, progress } = read;
  while (progress.totalBytes === undefined) {
    const known = tlvTotalLength(progress.bytes);
    if (typeof known === 'number') {
      progress.setTotal(known);
      break;
    }
    if (known === 'invalid') {
      throw new ReaderError('READ_FAILED', 'the file does not start with a BER-TLV header', {
        context: { fileId, offset: 0 },
      });
    }
    const offset = progress.offset;
    const headerLength = ctx.settings.headerLength;
    const want = offset < headerLength ? headerLength - offset : 4;
    const answer = await readChunk(ctx, { fileId, offset, signal: read.signal, sfi: read.sfi }, want);
    if (read.sfi !== undefined && !(await settleShortFileId(ctx, read, answer))) continue;
    const { data, eof } = plain(answer);
    if (data.length === 0 || (eof && typeof tlvTotalLength(concat(progress.bytes, data)) !== 'number')) {
      throw new ReaderError('READ_FAILED', 'the file ended inside its TLV header', {
        context: { fileId, offset },
      });
    }
    progress.append(data);
    const total = tlvTotalLength(progress.bytes);
    if (typeof total === 'number') progress.setTotal(total);
    report(read);
  }
}

/** Reads the rest of the file in the largest chunks the chip accepts, learning its limit. */
async function readBody(ctx: ReaderContext, read: FileRead): Promise<void> {
  const { fileId, progress } = read;
  const total = progress.totalBytes as number;
  while (progress.offset < total) {
    const offset = progress.offset;
    const remaining = total - offset;
    const odd = offset > MAX_EVEN_INS_OFFSET;
    const want = Math.min(remaining, chunkLimit(ctx, odd, remaining));
    const { data, eof } = plain(
      await readChunk(ctx, { fileId, offset, signal: read.signal, sfi: undefined }, want),
    );
    if (data.length === 0) {
      throw new ReaderError('READ_FAILED', 'READ BINARY returned no data before the end of the file', {
        context: { fileId, offset, length: total },
      });
    }
    if (data.length < want && !eof) {
      // The chip returns at most this much: remember it.
      if (leFor(want, odd) > SHORT_RESPONSE_LIMIT) ctx.state.maxExtendedChunk = data.length;
      else ctx.state.maxShortChunk = data.length;
    }
    progress.append(data);
    report(read);
    if (eof && progress.offset < total) {
      throw new ReaderError('READ_FAILED', 'the file ended before the length in its header', {
        context: { fileId, offset: progress.offset, length: total },
      });
    }
  }
}

/** Reads a whole EF: select it, read its TLV header for the length, then the rest. */
async function readWholeFile(ctx: ReaderContext, fileId: number, opts: ReadFileOptions): Promise<Uint8Array> {
  const progress = opts.progress ?? new ReadProgress(fileId);
  if (progress.fileId !== fileId) {
    throw new ReaderError('INVALID_ARGUMENT', 'the progress object belongs to another file', {
      context: { fileId },
    });
  }
  if (progress.complete) return progress.bytes;
  const read = await beginRead(ctx, fileId, progress, opts);
  await readHeader(ctx, read);
  await readBody(ctx, read);
  return progress.bytes;
}

/** Creates a {@link FileReader} over `transport`. */
export function createFileReader(transport: ApduTransport, options: FileReaderOptions = {}): FileReader {
  assertTransport(transport);
  if (typeof options !== 'object' || options === null) {
    throw new ReaderError('INVALID_ARGUMENT', 'createFileReader options must be an object');
  }
  const sm: SecureMessagingKind = options.secureMessaging ?? 'aes';
  const settings = settingsOf(options);
  const ctx: ReaderContext = {
    settings,
    state: {
      extendedLength: settings.extendedLength === false ? 'unsupported' : 'untested',
      maxShortChunk: undefined,
      maxExtendedChunk: undefined,
      shortFileId: settings.shortFileId === false ? 'unsupported' : 'untested',
      readCommands: 0,
    },
    transport,
    sm,
  };
  return {
    get transport() {
      return ctx.transport;
    },
    setTransport(next, secureMessaging) {
      ctx.transport = next;
      if (secureMessaging !== undefined) ctx.sm = secureMessaging;
    },
    get state() {
      return { ...ctx.state };
    },
    selectFile(fileId, opts = {}) {
      return selectFile(ctx.transport, fileId, opts);
    },
    readFile(fileId, opts = {}) {
      return readWholeFile(ctx, fileId, opts);
    },
  };
}

/** A READ BINARY answer without a short EF identifier (never a refusal). */
function plain(answer: { data: Uint8Array; eof: boolean } | { sfiRefused: number }): {
  data: Uint8Array;
  eof: boolean;
} {
  if ('sfiRefused' in answer) throw new Error('unreachable: a refusal without a short EF identifier');
  return answer;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Reads one whole file with a one-off {@link FileReader} (use `createFileReader` to read
 * several files and learn the chip's limits once).
 */
export async function readFile(
  transport: ApduTransport,
  fileId: number,
  options: ReadFileOptions & FileReaderOptions = {},
): Promise<Uint8Array> {
  return createFileReader(transport, options).readFile(fileId, options);
}
