/**
 * @module
 * `readCard`: read a CCCD / Căn cước chip end to end over any {@link ApduTransport}.
 *
 * 1. EF.CardAccess (FID 011C, read without secure messaging; absent → no PACE).
 * 2. Access: PACE-CAN (last 6 ID digits), then PACE-MRZ and BAC with the MRZ key in its
 *    document-number forms when the dates are given; the method that worked is reported.
 * 3. Chip Authentication before reading when asked (DG14 first; the next protected read proves
 *    the chip knows the private key).
 * 4. The files (default EF.COM, EF.SOD, DG1, DG2, DG13, DG14, DG15) in the largest chunks the
 *    chip accepts, with progress events per chunk; DG3 behind EAC (6982) and absent files are
 *    skipped, not fatal. A chip that lost its secure-messaging session (bare 6987/6988, or a
 *    bare 6982 to a file's SELECT or READ BINARY, retried once) or an extended-length read the
 *    link could not carry re-opens the session on the same transport (short reads from then
 *    on); a lost connection re-opens it through `reconnect`; the read continues at its offset.
 * 5. Active Authentication after DG15, passive authentication at the end — `./pa` (pkijs) is
 *    loaded only then, by dynamic import, so bundles that never verify stay small. Trust is
 *    scoped to Viet Nam by default (`authenticate.country`).
 * 6. After PACE-CAM, EF.CardSecurity (read by the session right after PACE) is verified by
 *    passive authentication and its chip key checked against the mapping (`verdict.ts`).
 * 7. One verdict: `verification.ok` only when passive authentication passed and CA, CAM or AA
 *    proved the chip genuine; `notChecked` and `failed` say what is missing or wrong.
 */

import { ReaderError } from './errors.ts';
import type { Com } from './lds/com.ts';
import type { Dg1 } from './lds/dg1.ts';
import type { Dg2 } from './lds/dg2.ts';
import type { Dg13 } from './lds/dg13.ts';
import type { Dg14 } from './lds/dg14.ts';
import type { Dg15 } from './lds/dg15.ts';
import { type LdsFileName, ldsFile } from './lds/file-ids.ts';
import { type OpaqueLdsFile, parseLdsFile } from './lds/parse-lds-file.ts';
import type { Dg11, Dg12 } from './lds/personal-details.ts';
import type { SecurityInfos } from './lds/security-infos.ts';
import type { Sod } from './lds/sod.ts';
import type { IssuingCountry, TrustStore } from './pa/index.ts';
import { performActiveAuthentication } from './protocols/aa.ts';
import type { AccessAttempt, AccessKeyForm, AccessMethod } from './reading/access.ts';
import { type CardSession, type CardSessionOptions, openCardSession } from './reading/card-session.ts';
import type { FileReaderOptions } from './reading/file-reader.ts';
import type { ApduTransport } from './transport/index.ts';
import { type ReadCardVerification, type VerdictInputs, verdictOf, verifyCam } from './verdict.ts';

export {
  type AccessAttempt,
  AccessDeniedError,
  type AccessKeyForm,
  type AccessMethod,
} from './reading/access.ts';
export type {
  CamVerification,
  GenuinenessProtocol,
  ReadCardVerification,
  VerificationCheck,
  VerificationError,
  VerificationFailure,
  VerificationFailureCode,
} from './verdict.ts';

/** Files `readCard` can read: EF.COM, EF.SOD and the data groups. */
export type CardFileName = Exclude<LdsFileName, 'CardAccess' | 'CardSecurity'>;

/** The default file list. */
export const DEFAULT_CARD_FILES: readonly CardFileName[] = [
  'COM',
  'SOD',
  'DG1',
  'DG2',
  'DG13',
  'DG14',
  'DG15',
];

/** A progress event: one per READ BINARY. */
export interface ReadCardProgressEvent {
  file: CardFileName;
  bytesRead: number;
  totalBytes: number;
}

/** Which verifications to run. */
export interface ReadCardAuthenticate {
  /** Active Authentication with DG15's key (INTERNAL AUTHENTICATE). */
  active?: boolean;
  /** Chip Authentication with DG14's key, before reading the other files. */
  chip?: boolean;
  /**
   * Passive authentication of EF.SOD and the data groups against this trust store (and, after
   * PACE-CAM, of EF.CardSecurity, to verify the CAM proof).
   */
  passive?: TrustStore;
  /**
   * The issuing country trust is scoped to (default Viet Nam, `{ alpha2: 'VN', alpha3: 'VNM' }`):
   * the DSC, its CSCA and DG1 must belong to it. `null` accepts any country of the trust store.
   */
  country?: IssuingCountry | null;
}

/** Options of {@link readCard}. */
export interface ReadCardOptions {
  /** The 12-digit personal ID number (its last 6 digits are the CAN). */
  idNumber: string;
  /** Date of birth (`YYYY-MM-DD` or `YYMMDD`): with the expiry, enables PACE-MRZ and BAC. */
  dateOfBirth?: string;
  /** Date of expiry (`YYYY-MM-DD`, `YYMMDD`; `null` = no expiry). */
  dateOfExpiry?: string | null;
  /** A document number to try first for the MRZ key (otherwise the 12- and 9-digit forms). */
  documentNumber?: string;
  /** Files to read, in order (default {@link DEFAULT_CARD_FILES}); DG numbers are accepted. */
  files?: ReadonlyArray<CardFileName | number>;
  signal?: AbortSignal;
  onProgress?: (event: ReadCardProgressEvent) => void;
  /** Randomness for the protocols (default: the platform CSPRNG). */
  random?: (n: number) => Uint8Array;
  /**
   * Called after a lost connection (while reading EF.CardAccess, during access, a file read,
   * Chip or Active Authentication): reconnect to the card and return the new transport (or
   * nothing when the same object reconnected). The session is re-opened with the method that
   * worked (Chip Authentication again when it was on) and a file read continues at its offset.
   * Not needed when the chip still answers but lost its session (a bare 6987/6988, e.g. reset by
   * another PC/SC client without our transport seeing it, or once per file and offset a bare
   * 6982 to its SELECT or READ BINARY), nor after an extended-length read the link could not
   * carry: the session is then re-opened on the same transport (`sessionRestarts`). A protected
   * 6982 (a real refusal, e.g. DG3 behind EAC) skips the file. A response with a wrong MAC is
   * never retried.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: async callbacks that return nothing are Promise<void>
  reconnect?: () => Promise<ApduTransport | undefined | void>;
  /** How many reconnections one read may use (default 3). */
  maxReconnects?: number;
  authenticate?: ReadCardAuthenticate;
  /** Chunk sizing (extended length, caps); secure messaging is set from the session. */
  reading?: Omit<FileReaderOptions, 'secureMessaging'>;
}

/** Parsed files (absent: not read, skipped or unparsable). */
export interface ReadCardFiles {
  com?: Com;
  sod?: Sod;
  dg1?: Dg1;
  dg2?: Dg2;
  dg11?: Dg11;
  dg12?: Dg12;
  dg13?: Dg13;
  dg14?: Dg14;
  dg15?: Dg15;
  /** Data groups without a content parser here (DG3–DG10, DG16): their outer TLV. */
  other: Partial<Record<number, OpaqueLdsFile>>;
}

/** The bytes exactly as read: data groups by number, `com`, `sod`, `cardAccess`. */
export type ReadCardRaw = Partial<Record<number | 'com' | 'sod' | 'cardAccess', Uint8Array>>;

/** A file that was not read. */
export interface SkippedFile {
  file: CardFileName;
  /** 6982 (e.g. DG3 behind EAC) or 6A82. */
  reason: 'SECURITY_STATUS_NOT_SATISFIED' | 'FILE_NOT_FOUND';
  /**
   * The 6982 came back bare, without secure messaging — what a chip reset behind our back also
   * answers — and no reconnection could retry it (no `reconnect`, none left) or the retry was
   * refused too. Absent when the chip refused under secure messaging (e.g. DG3 behind EAC).
   */
  unprotectedStatus?: true;
}

/** A file that was read but did not parse (its raw bytes are still returned). */
export interface ParseFailure {
  file: CardFileName | 'CardAccess';
  code: string;
  message: string;
}

/** What {@link readCard} returns. */
export interface ReadCardResult {
  accessMethod: AccessMethod;
  /** The key that worked: the CAN or an MRZ key form. */
  accessKey: AccessKeyForm;
  /** Every access attempt in order (no secrets). */
  attempts: AccessAttempt[];
  /** EF.CardAccess parsed (absent: the chip has none, so no PACE). */
  cardAccess?: SecurityInfos;
  files: ReadCardFiles;
  raw: ReadCardRaw;
  skipped: SkippedFile[];
  parseErrors: ParseFailure[];
  /** Reconnections used after lost connections. */
  reconnects: number;
  /**
   * Sessions re-opened on the same transport, without `reconnect`: after the chip dropped
   * secure messaging (bare 6987/6988/6982) or an extended-length read the link could not carry.
   */
  sessionRestarts: number;
  verification?: ReadCardVerification;
}

function fileName(f: CardFileName | number): CardFileName {
  if (typeof f === 'number') {
    if (!Number.isInteger(f) || f < 1 || f > 16)
      throw new ReaderError('INVALID_ARGUMENT', 'a data-group number is 1–16');
    return `DG${f}` as CardFileName;
  }
  if (f === ('CardAccess' as string) || f === ('CardSecurity' as string)) {
    throw new ReaderError(
      'INVALID_ARGUMENT',
      'readCard reads EF.CardAccess itself; CardSecurity is not an application file',
    );
  }
  ldsFile(f);
  return f;
}

function rawKey(file: CardFileName): number | 'com' | 'sod' {
  if (file === 'COM') return 'com';
  if (file === 'SOD') return 'sod';
  return Number(file.slice(2));
}

const errorSummary = (e: unknown): { code: string; message: string } => ({
  code:
    e instanceof Error && typeof (e as { code?: unknown }).code === 'string'
      ? (e as unknown as { code: string }).code
      : 'UNKNOWN',
  message: e instanceof Error ? e.message : 'unknown error',
});

/** The protocols' options: the abort signal and the random source, when given. */
interface ProtocolOptions {
  signal?: AbortSignal;
  random?: (n: number) => Uint8Array;
}

/** The files of one read: the bytes as read, the files skipped and the files that did not parse. */
interface CardReads {
  readonly session: CardSession;
  readonly options: ReadCardOptions;
  readonly raw: ReadCardRaw;
  readonly skipped: SkippedFile[];
  readonly parseErrors: ParseFailure[];
}

/** Without a random source PACE/BAC cannot run: say so instead of a misleading ACCESS_DENIED. */
function requireRandomSource(random: ReadCardOptions['random']): void {
  if (random === undefined && typeof globalThis.crypto?.getRandomValues !== 'function') {
    throw new ReaderError(
      'UNSUPPORTED',
      'no WebCrypto crypto.getRandomValues in this runtime: pass options.random (a CSPRNG)',
    );
  }
}

/** The country trust is scoped to: Viet Nam unless told otherwise, none for `null`. */
function trustCountry(auth: ReadCardAuthenticate): IssuingCountry | undefined {
  return auth.country === null ? undefined : (auth.country ?? { alpha2: 'VN', alpha3: 'VNM' });
}

/** The options of the session: access keys, protocol options, recovery and chunk sizing. */
function sessionOptionsOf(options: ReadCardOptions, protocol: ProtocolOptions): CardSessionOptions {
  return {
    idNumber: options.idNumber,
    dateOfBirth: options.dateOfBirth,
    dateOfExpiry: options.dateOfExpiry,
    documentNumber: options.documentNumber,
    ...protocol,
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.maxReconnects === undefined ? {} : { maxReconnects: options.maxReconnects }),
    ...(options.reading === undefined ? {} : { reading: options.reading }),
  };
}

/** The reads of a session, starting with EF.CardAccess as the session read it. */
function cardReadsOf(session: CardSession, options: ReadCardOptions): CardReads {
  const reads: CardReads = { session, options, raw: {}, skipped: [], parseErrors: [] };
  if (session.cardAccessBytes !== undefined) {
    reads.raw.cardAccess = session.cardAccessBytes;
    if (session.cardAccess === undefined)
      reads.parseErrors.push({ file: 'CardAccess', ...errorSummary(session.cardAccessError) });
  }
  return reads;
}

/** Reads an LDS file once (Part 10 §3.11): again it gives the bytes read or skipped before. */
async function readOnce(reads: CardReads, file: CardFileName): Promise<Uint8Array | undefined> {
  const key = rawKey(file);
  const have = reads.raw[key];
  if (have !== undefined || reads.skipped.some((x) => x.file === file)) return have;
  const r = await reads.session.readFile(ldsFile(file).fid, (bytesRead, totalBytes) =>
    reads.options.onProgress?.({ file, bytesRead, totalBytes }),
  );
  if ('skipped' in r) {
    reads.skipped.push({
      file,
      reason: r.skipped,
      ...(r.unprotectedStatus ? { unprotectedStatus: true } : {}),
    });
    return undefined;
  }
  reads.raw[key] = r.bytes;
  return r.bytes;
}

/** Chip Authentication (Part 11 §6.2) with DG14's key, before the other files are read. */
async function authenticateChip(reads: CardReads): Promise<NonNullable<VerdictInputs['chip']>> {
  const dg14 = await readOnce(reads, 'DG14');
  if (dg14 === undefined) {
    return { ok: false, error: { code: 'NO_DG14', message: 'the chip has no readable DG14' } };
  }
  try {
    return await reads.session.chipAuthenticate(dg14);
  } catch (e) {
    if (!(e instanceof ReaderError) || e.code !== 'CA_FAILED') throw e;
    return { ok: false, error: errorSummary(e) };
  }
}

/** Active Authentication (Part 11 §6.1) with DG15's key (and DG14's AA info), once DG15 is in. */
async function authenticateActively(
  reads: CardReads,
  protocol: ProtocolOptions,
): Promise<NonNullable<VerdictInputs['active']>> {
  const dg15 = await readOnce(reads, 'DG15');
  if (dg15 === undefined) {
    return { ok: false, error: { code: 'NO_DG15', message: 'the chip has no readable DG15' } };
  }
  const { session } = reads;
  try {
    return await session.run((channel) =>
      performActiveAuthentication(channel, {
        dg15,
        dg14: reads.raw[14],
        // An RSA-2048 signature does not fit a short response once protected: an extended
        // Le when the reads showed the chip takes it, else short and the chip's 61xx parts.
        extendedLength: session.reader.state.extendedLength === 'supported',
        ...protocol,
      }),
    );
  } catch (e) {
    if (!(e instanceof ReaderError) || e.code !== 'AA_FAILED') throw e;
    return { ok: false, error: errorSummary(e) };
  }
}

/** Puts one parsed file in its place. */
function place(files: ReadCardFiles, parsed: ReturnType<typeof parseLdsFile>): void {
  switch (parsed.file) {
    case 'COM':
      files.com = parsed.value;
      break;
    case 'SOD':
      files.sod = parsed.value;
      break;
    case 'DG1':
      files.dg1 = parsed.value;
      break;
    case 'DG2':
      files.dg2 = parsed.value;
      break;
    case 'DG11':
      files.dg11 = parsed.value;
      break;
    case 'DG12':
      files.dg12 = parsed.value;
      break;
    case 'DG13':
      files.dg13 = parsed.value;
      break;
    case 'DG14':
      files.dg14 = parsed.value;
      break;
    case 'DG15':
      files.dg15 = parsed.value;
      break;
    case 'CardAccess':
    case 'CardSecurity':
      break;
    default:
      files.other[Number(parsed.file.slice(2))] = parsed.value;
  }
}

/** Parses the files of the plan that were read; a file that does not parse is a parse error. */
function parseFiles(plan: readonly CardFileName[], reads: CardReads): ReadCardFiles {
  const files: ReadCardFiles = { other: {} };
  for (const file of plan) {
    const bytes = reads.raw[rawKey(file)];
    if (bytes === undefined) continue;
    try {
      place(files, parseLdsFile(file, bytes));
    } catch (e) {
      reads.parseErrors.push({ file, ...errorSummary(e) });
    }
  }
  return files;
}

/**
 * Passive authentication (Part 11 §5.1) of EF.SOD and the data groups read; `./pa` (pkijs) is
 * loaded only here, by dynamic import.
 */
async function authenticatePassively(
  raw: ReadCardRaw,
  trustStore: TrustStore,
  country: IssuingCountry | undefined,
): Promise<NonNullable<VerdictInputs['passive']>> {
  const sod = raw.sod;
  if (sod === undefined) return { ok: false, error: { code: 'NO_SOD', message: 'EF.SOD was not read' } };
  const dataGroups: Record<number, Uint8Array> = {};
  for (const [k, v] of Object.entries(raw)) if (/^\d+$/.test(k) && v !== undefined) dataGroups[Number(k)] = v;
  try {
    const pa = await import('./pa/index.ts');
    return await pa.verifyPassive(
      { sod, files: dataGroups },
      { trustStore, ...(country === undefined ? {} : { country }) },
    );
  } catch (e) {
    return { ok: false, error: errorSummary(e) };
  }
}

/**
 * The PACE-CAM proof (Part 11 §4.4, Chip Authentication Mapping): EF.CardSecurity, read after
 * PACE, verified and its chip key checked against the mapping. Undefined without CAM.
 */
async function verifyCamProof(
  session: CardSession,
  trustStore: TrustStore,
  country: IssuingCountry | undefined,
): Promise<VerdictInputs['cam']> {
  const pace = session.opened.pace;
  if (pace?.mapping !== 'CAM') return undefined;
  try {
    return await verifyCam(pace, session.opened.cardSecurity, {
      trustStore,
      ...(country === undefined ? {} : { country }),
    });
  } catch (e) {
    return { ok: false, error: errorSummary(e) };
  }
}

/** The result, with the one verdict when any verification was asked for. */
function resultOf(
  reads: CardReads,
  files: ReadCardFiles,
  auth: ReadCardAuthenticate,
  verification: VerdictInputs,
): ReadCardResult {
  const { session } = reads;
  const asked = [auth.passive !== undefined, auth.active === true, auth.chip === true].some(Boolean);
  const result: ReadCardResult = {
    accessMethod: session.access.method,
    accessKey: session.access.keyForm,
    attempts: [...session.attempts],
    files,
    raw: reads.raw,
    skipped: reads.skipped,
    parseErrors: reads.parseErrors,
    reconnects: session.reconnects,
    sessionRestarts: session.sessionRestarts,
  };
  if (session.cardAccess !== undefined) result.cardAccess = session.cardAccess;
  if (asked) result.verification = verdictOf(verification);
  return result;
}

/**
 * Reads (and optionally verifies) a CCCD chip.
 * @throws {AccessDeniedError} `ACCESS_DENIED` (with `attempts`) when no method opened the chip
 * @throws {ReaderError} `TRANSPORT_FAILED` (no `reconnect` or too many), `ABORTED`,
 * `SM_MAC_MISMATCH` / `SM_INVALID_RESPONSE`, `SM_REJECTED` (no `reconnect`, too many, or the
 * same command refused again after re-opening), `READ_FAILED`, `INVALID_ARGUMENT`
 */
export async function readCard(transport: ApduTransport, options: ReadCardOptions): Promise<ReadCardResult> {
  // The transport is checked once, by openCardSession below.
  if (typeof options !== 'object' || options === null) {
    throw new ReaderError('INVALID_ARGUMENT', 'readCard needs an options object with at least idNumber');
  }
  const { signal, random } = options;
  if (options.files !== undefined && !Array.isArray(options.files))
    throw new ReaderError('INVALID_ARGUMENT', 'files is a list of file names or data-group numbers');
  const plan = (options.files ?? DEFAULT_CARD_FILES).map(fileName);
  const auth = options.authenticate ?? {};
  requireRandomSource(random);
  const country = trustCountry(auth);
  const protocol: ProtocolOptions = {
    ...(signal === undefined ? {} : { signal }),
    ...(random === undefined ? {} : { random }),
  };

  // 1–2. EF.CardAccess from the master file, then access (PACE, else BAC).
  const session = await openCardSession(transport, sessionOptionsOf(options, protocol));
  const reads = cardReadsOf(session, options);
  const verification: VerdictInputs = {};

  // 3–4. Chip Authentication first (DG14 holds its key), then the LDS files.
  if (auth.chip === true) verification.chip = await authenticateChip(reads);
  for (const file of plan) await readOnce(reads, file);

  // 5. Active Authentication, once DG15 is in; the files parsed.
  if (auth.active) verification.active = await authenticateActively(reads, protocol);
  const files = parseFiles(plan, reads);

  // 5–6. Passive authentication; after PACE-CAM, the chip key EF.CardSecurity proves.
  if (auth.passive !== undefined) {
    verification.passive = await authenticatePassively(reads.raw, auth.passive, country);
    const cam = await verifyCamProof(session, auth.passive, country);
    if (cam !== undefined) verification.cam = cam;
  }

  // 7. One verdict.
  return resultOf(reads, files, auth, verification);
}
