/**
 * @module
 * A reading session with a CCCD chip: EF.CardAccess, access (see `access.ts`), optional Chip
 * Authentication, and whole-file reads through one learning {@link FileReader}. When the
 * connection drops (`TRANSPORT_FAILED`), the session calls the caller's `reconnect`, opens
 * the chip again with the method that worked (and Chip Authentication when it was on), and the
 * interrupted operation continues — a file read at the offset it had reached. A chip that was
 * reset behind our back (another PC/SC client) answers our next protected command with a bare
 * 6987/6988 (`SM_REJECTED`): once the session is open, that is handled the same way. Such a
 * chip may also answer a file's SELECT or READ BINARY with a bare 6982 (it has no session, so
 * no access rights): a file read re-opens the session once for that and tries again; a 6982
 * that comes back protected is the chip's real refusal and skips the file at once.
 *
 * A chip that dropped secure messaging but still answers (a bare 6987/6988 or bare 6982) needs
 * no new connection: the session is opened again (PACE/BAC, Chip Authentication when it was on)
 * on the same transport and the read continues at its offset — `reconnect` is for a lost tag.
 * So is an extended-length READ BINARY the link could not carry (a phone NFC stack refusing
 * the length): the reader keeps to short reads from then on and the session is re-opened on
 * the same transport; only when that fails too is `reconnect` called (or `TRANSPORT_FAILED`).
 */
import { assertTransport, ReaderError } from '../errors.ts';
import { ldsFile } from '../lds/file-ids.ts';
import { type PaceInfo, paceInfos, parseSecurityInfos, type SecurityInfos } from '../lds/security-infos.ts';
import {
  type ChipAuthenticationResult,
  performChipAuthentication,
  selectFileProbe,
} from '../protocols/ca.ts';
import { selectPaceInfo } from '../protocols/pace/select-pace-info.ts';
import type { SecureChannel } from '../sm/secure-channel.ts';
import type { ApduTransport } from '../transport/index.ts';
import {
  type AccessAttempt,
  type AccessCandidate,
  AccessDeniedError,
  type AccessInputs,
  accessCandidates,
  describeFailure,
  guardTransport,
  isLinkError,
  type OpenSession,
  openWith,
} from './access.ts';
import { createFileReader, type FileReader, type FileReaderOptions } from './file-reader.ts';
import { ReadProgress } from './read-progress.ts';

/** Options of {@link openCardSession}. */
export interface CardSessionOptions extends AccessInputs {
  random?: (n: number) => Uint8Array;
  signal?: AbortSignal;
  // biome-ignore lint/suspicious/noConfusingVoidType: async callbacks that return nothing are Promise<void>
  reconnect?: () => Promise<ApduTransport | undefined | void>;
  maxReconnects?: number;
  reading?: Omit<FileReaderOptions, 'secureMessaging'>;
}

/** Why a file was not read. */
export type SkipReason = 'SECURITY_STATUS_NOT_SATISFIED' | 'FILE_NOT_FOUND';

/** A file that was not read: why, and whether the refusal came without secure messaging. */
export interface SkippedRead {
  skipped: SkipReason;
  /**
   * The 6982 came back bare (no DO'99'/DO'8E'), which a chip that lost its session (a silent
   * reset) also answers; set when no reconnection was possible or the retry was refused too.
   * Absent for a protected refusal.
   */
  unprotectedStatus?: true;
}

/** An open session. */
export interface CardSession {
  /** The method and key that opened the chip. */
  readonly access: Pick<AccessCandidate, 'method' | 'keyForm'>;
  readonly attempts: readonly AccessAttempt[];
  /** EF.CardAccess as read (absent: none on the chip) and parsed (absent: unparsable). */
  readonly cardAccessBytes: Uint8Array | undefined;
  readonly cardAccess: SecurityInfos | undefined;
  readonly cardAccessError: unknown;
  /**
   * How the session was first opened: the PACE result (PACE-CAM: the mapping data to verify)
   * and EF.CardSecurity as read after PACE-CAM (see `OpenSession` in `reading/access.ts`).
   */
  readonly opened: Pick<OpenSession, 'pace' | 'cardSecurity' | 'cardSecurityError'>;
  readonly reconnects: number;
  /**
   * Times the session was opened again on the same transport, without `reconnect`: after the
   * chip dropped secure messaging (a bare 6987/6988, or a bare 6982 to a file's SELECT or READ
   * BINARY) or after an extended-length READ BINARY the link could not carry.
   */
  readonly sessionRestarts: number;
  /** The file reader (its transport is the current secure channel). */
  readonly reader: FileReader;
  /**
   * Reads a whole file; a 6982/6A82 answer gives `{ skipped }`. Resumes after a lost
   * connection through `reconnect`; a bare (unprotected) 6982 re-opens the session through
   * `reconnect` once and tries again (see {@link SkippedRead.unprotectedStatus}).
   */
  readFile(
    fileId: number,
    onProgress?: (bytesRead: number, totalBytes: number) => void,
  ): Promise<{ bytes: Uint8Array } | SkippedRead>;
  /**
   * Chip Authentication with DG14's key; the session stays on the new keys when it succeeds
   * (and after a reconnection runs it again). A failed run re-opens the chip without it.
   */
  chipAuthenticate(dg14: Uint8Array): Promise<ChipAuthenticationResult>;
  /** Runs `fn` over the current channel, re-opening the session after a lost connection. */
  run<T>(fn: (channel: SecureChannel) => Promise<T>): Promise<T>;
}

const transportFailure = (e: unknown, signal: AbortSignal | undefined): boolean =>
  !signal?.aborted && !(e instanceof ReaderError && e.code === 'ABORTED') && isLinkError(e);

/**
 * A bare 6987/6988 answer to a protected command of an open session. A chip answers so when it
 * has no secure-messaging session any more — typically because another PC/SC client reset it
 * while our command was queued, so no reset reached our transport — and the session can be
 * opened again like after a lost connection.
 *
 * `SM_MAC_MISMATCH` (and `SM_INVALID_RESPONSE`) deliberately do not count: a chip that lost its
 * session cannot produce secure-messaging objects at all, it answers a bare status word. A
 * protected answer whose MAC does not verify was therefore made or altered by someone without
 * our session keys (a relay, an injected or tampered answer) or comes from a broken or cloned
 * chip; re-opening the session and carrying on would hide exactly that, so it stays fatal.
 */
const sessionLost = (e: unknown, signal: AbortSignal | undefined): boolean =>
  !signal?.aborted && e instanceof ReaderError && e.code === 'SM_REJECTED';

/** How many times one session may be re-opened on the same transport (see `sessionRestarts`). */
export const MAX_SESSION_RESTARTS: number = 3;

/** A lost connection on an extended-length READ BINARY (see `file-reader.ts`): the link, maybe. */
const probeFailure = (e: unknown): boolean =>
  e instanceof ReaderError && e.code === 'TRANSPORT_FAILED' && e.context.step === 'EXTENDED_LENGTH_PROBE';

/** The lost connection under a protocol error (e.g. PACE_FAILED caused by it), as TRANSPORT_FAILED. */
function asTransportFailure(e: unknown): unknown {
  if (!(e instanceof ReaderError) || e.code === 'TRANSPORT_FAILED') return e;
  return new ReaderError('TRANSPORT_FAILED', `the connection to the chip was lost (${e.code})`, {
    context: e.context,
    cause: e,
  });
}

/** The protocols' options: the abort signal and the random source, when given. */
interface ProtocolOptions {
  signal?: AbortSignal;
  random?: (n: number) => Uint8Array;
}

/** The connection to the chip: the current (guarded) transport and the reconnections used. */
interface Link {
  readonly options: CardSessionOptions;
  readonly signal: AbortSignal | undefined;
  readonly protocol: ProtocolOptions;
  readonly maxReconnects: number;
  transport: ApduTransport;
  reconnects: number;
}

/** EF.CardAccess as read (absent: none on the chip) and parsed (absent: unparsable, see `error`). */
interface CardAccessRead {
  bytes: Uint8Array | undefined;
  parsed: SecurityInfos | undefined;
  error: unknown;
}

/** What access established: the method that worked, the PACE run's result, every attempt. */
interface Access {
  readonly candidate: AccessCandidate;
  readonly opened: OpenSession;
  readonly attempts: AccessAttempt[];
}

/** An open session's mutable state: the channel in use, CA's key when it ran, restarts used. */
interface Session {
  readonly link: Link;
  readonly method: AccessCandidate;
  readonly paceInfo: PaceInfo | undefined;
  readonly reader: FileReader;
  channel: SecureChannel;
  /** DG14 of a successful Chip Authentication, run again whenever the session is re-opened. */
  caDg14: Uint8Array | undefined;
  sessionRestarts: number;
}

const aborted = (signal: AbortSignal | undefined): ReaderError =>
  new ReaderError('ABORTED', 'the operation was aborted', { cause: signal?.reason });

/** Checks the ID number and dates before talking to the chip; gives the candidates to try. */
function accessCandidatesOf(options: CardSessionOptions): (pace: boolean) => AccessCandidate[] {
  try {
    accessCandidates(options, true);
  } catch (cause) {
    throw new ReaderError('INVALID_ARGUMENT', 'the ID number or a date for the access keys is invalid', {
      cause,
    });
  }
  return (pace) => accessCandidates(options, pace);
}

function linkOf(transport: ApduTransport, options: CardSessionOptions): Link {
  const { signal } = options;
  return {
    options,
    signal,
    protocol: {
      ...(signal === undefined ? {} : { signal }),
      ...(options.random === undefined ? {} : { random: options.random }),
    },
    maxReconnects: options.maxReconnects ?? 3,
    transport: guardTransport(transport),
    reconnects: 0,
  };
}

/** A lost connection: the caller's `reconnect` (while any are left) gives the transport again. */
async function reconnect(link: Link, cause: unknown): Promise<void> {
  if (link.options.reconnect === undefined || link.reconnects >= link.maxReconnects)
    throw asTransportFailure(cause);
  link.reconnects++;
  const next = await link.options.reconnect();
  if (next) link.transport = guardTransport(next);
}

/** Runs `fn`, reconnecting and retrying it after transport failures. */
async function retrying<T>(link: Link, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!transportFailure(e, link.signal)) throw e;
      await reconnect(link, e);
    }
  }
}

/**
 * Reads EF.CardAccess from the master file, without secure messaging (ICAO Doc 9303 Part 10
 * §3.11.3); absent or unparsable → no PACE. Only a lost link or an abort is fatal.
 */
async function readCardAccess(link: Link): Promise<CardAccessRead> {
  const out: CardAccessRead = { bytes: undefined, parsed: undefined, error: undefined };
  try {
    const progress = new ReadProgress(ldsFile('CardAccess').fid);
    const sigOpt = link.signal === undefined ? {} : { signal: link.signal };
    out.bytes = await retrying(link, () =>
      createFileReader(link.transport, { ...link.options.reading, secureMessaging: 'none' }).readFile(
        progress.fileId,
        { ...sigOpt, progress },
      ),
    );
    out.parsed = parseSecurityInfos(out.bytes);
  } catch (e) {
    if (link.signal?.aborted) throw aborted(link.signal);
    if (isLinkError(e)) throw e;
    out.error = e;
  }
  return out;
}

/**
 * Establishes access (ICAO Doc 9303 Part 11 §4.4 PACE, else §4.3 BAC, with the MRZ key forms):
 * the candidates in order, the first that opens the chip wins. A run the link interrupted is run
 * again after reconnecting; a refusal (e.g. a wrong CAN, 6300) is never run again.
 * @throws {AccessDeniedError} when none works
 */
async function establishAccess(
  link: Link,
  candidates: AccessCandidate[],
  paceInfo: PaceInfo | undefined,
): Promise<Access> {
  const attempts: AccessAttempt[] = [];
  let lastError: unknown;
  for (const candidate of candidates) {
    const { method, keyForm } = candidate;
    let runs = 0;
    try {
      const opened = await retrying(link, () => {
        runs++;
        return openWith(link.transport, candidate, paceInfo, link.protocol);
      });
      attempts.push({ method, keyForm, ok: true, runs });
      return { candidate, opened, attempts };
    } catch (e) {
      if (link.signal?.aborted) throw aborted(link.signal);
      if (isLinkError(e)) throw e;
      lastError = e;
      attempts.push({ method, keyForm, ok: false, runs, error: describeFailure(e) });
    }
  }
  throw new AccessDeniedError(attempts, lastError);
}

/** Chip Authentication (Part 11 §6.2) over the current channel; the reader moves to its keys. */
async function authenticateChip(s: Session, dg14: Uint8Array): Promise<ChipAuthenticationResult> {
  const r = await performChipAuthentication(s.channel, {
    dg14,
    probe: selectFileProbe(ldsFile('COM').fid),
    ...s.link.protocol,
  });
  if (r.ok) s.reader.setTransport(s.channel, r.cipher);
  return r;
}

/** Opens the chip again with the method that worked (and Chip Authentication when it was on). */
async function reopen(s: Session): Promise<void> {
  s.channel = (await openWith(s.link.transport, s.method, s.paceInfo, s.link.protocol)).channel;
  s.reader.setTransport(s.channel, s.channel.cipher);
  if (s.caDg14 !== undefined) {
    const r = await authenticateChip(s, s.caDg14);
    if (!r.ok)
      throw new ReaderError('CA_FAILED', 'Chip Authentication failed after reconnecting', {
        context: { step: 'PROBE' },
      });
  }
}

/** Opens the session again on the same transport (no `reconnect`): PACE/BAC run again. */
async function restart(s: Session): Promise<void> {
  s.sessionRestarts++;
  await retrying(s.link, () => reopen(s));
}

/** A 6982 the current channel received bare: maybe a chip without a session (see readFile). */
function bareRefusal(s: Session, e: unknown): boolean {
  return (
    !s.link.signal?.aborted &&
    e instanceof ReaderError &&
    e.code === 'SECURITY_STATUS_NOT_SATISFIED' &&
    s.channel.lastResponseProtected === false
  );
}

/**
 * Runs `fn`; after a transport failure or a lost secure-messaging session (see
 * {@link sessionLost}, and `lost` when given) reconnects, re-opens and runs it again. `place`
 * tells where `fn` is (a file read's offset): a second `SM_REJECTED` (or `lost` error) at the
 * place of the last one, with nothing gained since, is the chip refusing that command, not a
 * reset, and is thrown.
 */
async function resilient<T>(
  s: Session,
  fn: () => Promise<T>,
  place: () => number = () => 0,
  lost: (e: unknown) => boolean = () => false,
): Promise<T> {
  const { signal } = s.link;
  let rejectedAt: number | undefined;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (sessionLost(e, signal) || lost(e)) {
        // The chip dropped secure messaging but still answers: the same transport serves;
        // PACE/BAC again and continue. When the retry was refused too, or no restart is left,
        // the chip's refusal itself is the error.
        const at = place();
        if (rejectedAt === at || s.sessionRestarts >= MAX_SESSION_RESTARTS) throw e;
        rejectedAt = at;
        await restart(s);
        continue;
      }
      if (!transportFailure(e, signal)) throw e;
      let failure = e;
      if (probeFailure(e) && s.sessionRestarts < MAX_SESSION_RESTARTS) {
        // The link could not carry an extended APDU (a phone NFC stack refusing its length,
        // say): the reader now keeps to short ones; open the session again on the same
        // transport, and only when that fails too is it a lost connection.
        try {
          await restart(s);
          continue;
        } catch (again) {
          if (!transportFailure(again, signal)) throw again;
          failure = again;
        }
      }
      await reconnect(s.link, failure);
      await retrying(s.link, () => reopen(s));
    }
  }
}

/**
 * Reads a whole LDS file under secure messaging (Part 10 §3.11): 6982/6A82 → skipped. A bare
 * 6982 to the SELECT or a READ BINARY may come from a chip reset behind our back: re-open once
 * (per place) like after SM_REJECTED. A protected 6982 is never retried.
 */
async function readSessionFile(
  s: Session,
  fileId: number,
  onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined,
): Promise<{ bytes: Uint8Array } | SkippedRead> {
  const progress = new ReadProgress(fileId);
  const sigOpt = s.link.signal === undefined ? {} : { signal: s.link.signal };
  try {
    const bytes = await resilient(
      s,
      () =>
        s.reader.readFile(fileId, {
          ...sigOpt,
          progress,
          ...(onProgress === undefined ? {} : { onProgress: (e) => onProgress(e.bytesRead, e.totalBytes) }),
        }),
      () => progress.offset,
      (e) => bareRefusal(s, e),
    );
    return { bytes };
  } catch (e) {
    if (e instanceof ReaderError && e.code === 'SECURITY_STATUS_NOT_SATISFIED') {
      // Nothing was exchanged since the refusal: the channel still describes its answer.
      return bareRefusal(s, e) ? { skipped: e.code, unprotectedStatus: true } : { skipped: e.code };
    }
    if (e instanceof ReaderError && e.code === 'FILE_NOT_FOUND') return { skipped: e.code };
    throw e;
  }
}

/**
 * Chip Authentication with DG14's key, kept for re-opened sessions when it succeeds; a run that
 * failed leaves the session spent, so it is opened again without CA.
 */
async function chipAuthenticateSession(s: Session, dg14: Uint8Array): Promise<ChipAuthenticationResult> {
  try {
    const r = await resilient(s, () => authenticateChip(s, dg14));
    if (r.ok) {
      s.caDg14 = dg14;
      return r;
    }
    // The chip could not answer under the new keys: this session is spent; open another.
    await resilient(s, () => reopen(s));
    return r;
  } catch (e) {
    if (!(e instanceof ReaderError) || e.code !== 'CA_FAILED') throw e;
    await resilient(s, () => reopen(s));
    throw e;
  }
}

/** The session's public face over its state. */
function cardSessionOf(s: Session, cardAccess: CardAccessRead, access: Access): CardSession {
  const { opened } = access;
  return {
    access: { method: s.method.method, keyForm: s.method.keyForm },
    attempts: access.attempts,
    cardAccessBytes: cardAccess.bytes,
    cardAccess: cardAccess.parsed,
    cardAccessError: cardAccess.error,
    opened: {
      ...(opened.pace === undefined ? {} : { pace: opened.pace }),
      ...(opened.cardSecurity === undefined ? {} : { cardSecurity: opened.cardSecurity }),
      ...(opened.cardSecurityError === undefined ? {} : { cardSecurityError: opened.cardSecurityError }),
    },
    get reconnects() {
      return s.link.reconnects;
    },
    get sessionRestarts() {
      return s.sessionRestarts;
    },
    reader: s.reader,
    readFile: (fileId, onProgress) => readSessionFile(s, fileId, onProgress),
    chipAuthenticate: (dg14) => chipAuthenticateSession(s, dg14),
    run: (fn) => resilient(s, () => fn(s.channel)),
  };
}

/**
 * Reads EF.CardAccess and opens the chip with the first access method that works.
 * @throws {AccessDeniedError} when none does
 * @throws {ReaderError} `TRANSPORT_FAILED`, `ABORTED`, `INVALID_ARGUMENT` (ID number or dates)
 */
export async function openCardSession(
  transport: ApduTransport,
  options: CardSessionOptions,
): Promise<CardSession> {
  assertTransport(transport);
  if (typeof options !== 'object' || options === null) {
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'openCardSession needs an options object with at least idNumber',
    );
  }
  const candidatesFor = accessCandidatesOf(options);
  if (options.signal?.aborted) throw aborted(options.signal);
  const link = linkOf(transport, options);

  // 1. EF.CardAccess from the master file (absent or unreadable → no PACE).
  const cardAccess = await readCardAccess(link);
  const paceInfo: PaceInfo | undefined =
    cardAccess.parsed === undefined ? undefined : selectPaceInfo(paceInfos(cardAccess.parsed));

  // 2. Access: PACE, else BAC.
  const access = await establishAccess(link, candidatesFor(paceInfo !== undefined), paceInfo);

  // 3. The session: one learning file reader over the channel, re-opened when the chip drops it.
  const channel = access.opened.channel;
  const session: Session = {
    link,
    method: access.candidate,
    paceInfo,
    reader: createFileReader(channel, { ...options.reading, secureMessaging: channel.cipher }),
    channel,
    caDg14: undefined,
    sessionRestarts: 0,
  };
  return cardSessionOf(session, cardAccess, access);
}
