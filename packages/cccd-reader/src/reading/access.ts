/**
 * @module
 * Opening the chip (ICAO Doc 9303 Part 11 §4.2: PACE first when EF.CardAccess offers it, BAC
 * otherwise). For Vietnamese cards: PACE with the CAN (last 6 ID digits), then PACE with the
 * MRZ key in the 12-digit and the 9-digit document-number forms, then BAC with the same keys
 * (SPEC-NOTES §4). One method's failure moves on to the next; every attempt is recorded
 * without secrets.
 */
import { canFromIdNumber, type MrzKey, mrzKeyFromId } from '@vneid/core/mrz';
import { ReaderError, type ReaderErrorCode } from '../errors.ts';
import type { PaceInfo } from '../lds/security-infos.ts';
import { performBac } from '../protocols/bac.ts';
import { type PaceResult, performPace } from '../protocols/pace/perform-pace.ts';
import type { SecureChannel } from '../sm/secure-channel.ts';
import { completeResponse } from '../transport/get-response.ts';
import type { ApduTransport } from '../transport/index.ts';
import { createFileReader } from './file-reader.ts';
import { selectApplication } from './select.ts';

/** How the chip was opened. */
export type AccessMethod = 'PACE-CAN' | 'PACE-MRZ' | 'BAC';

/** Which key: the CAN, or the MRZ key with the 12-digit ID, the 9-digit MRZ number or a given number. */
export type AccessKeyForm = 'CAN' | '12-digit' | '9-digit' | 'document-number';

/** One access attempt (no keys, no passwords). */
export interface AccessAttempt {
  method: AccessMethod;
  keyForm: AccessKeyForm;
  ok: boolean;
  /**
   * How many times the method ran with this key (each run costs the chip one password check):
   * 1, more only when the connection was lost mid-run and `reconnect` restored it.
   */
  runs?: number;
  /** Why it failed: the error code, protocol step and status word. */
  error?: { code: ReaderErrorCode | string; step?: string; sw?: number };
}

/** The key inputs readCard got from its caller (secret: never logged). */
export interface AccessInputs {
  idNumber: string;
  dateOfBirth?: string | undefined;
  /** `null`: the card does not expire (`991231`). */
  dateOfExpiry?: string | null | undefined;
  documentNumber?: string | undefined;
}

/** A candidate method with its key (secret). */
export interface AccessCandidate {
  method: AccessMethod;
  keyForm: AccessKeyForm;
  can?: string;
  mrzKey?: MrzKey;
}

/** An open session. */
export interface OpenSession {
  channel: SecureChannel;
  candidate: AccessCandidate;
  /** PACE: what the run established (for PACE-CAM, the data to verify the mapping). */
  pace?: PaceResult;
  /**
   * PACE-CAM: EF.CardSecurity (FID 011D in the master file, ICAO Doc 9303 Part 11 §9.2.9), read
   * over the new channel before the application is selected; absent when the chip has none.
   */
  cardSecurity?: Uint8Array;
  /** Why EF.CardSecurity could not be read (a chip refusal; link errors are thrown). */
  cardSecurityError?: unknown;
}

/** FID of EF.CardSecurity (master file). */
const FID_CARD_SECURITY = 0x011d;

/** Error thrown when no access method opened the chip; `attempts` lists what was tried. */
export class AccessDeniedError extends ReaderError {
  readonly attempts: readonly AccessAttempt[];
  constructor(attempts: readonly AccessAttempt[], cause?: unknown) {
    const list = attempts
      .map(
        (a) =>
          `${a.method} ${a.keyForm}: ${a.error?.code ?? 'failed'}${a.error?.sw === undefined ? '' : ` ${a.error.sw.toString(16).toUpperCase().padStart(4, '0')}`}`,
      )
      .join('; ');
    super('ACCESS_DENIED', `no access method opened the chip (${list || 'nothing to try'})`, {
      context: { step: 'ACCESS' },
      ...(cause === undefined ? {} : { cause }),
    });
    this.attempts = attempts;
  }
}

/**
 * The candidates in order: PACE-CAN; then, with both dates, PACE-MRZ for each document-number
 * form (a given one first, then 12-digit, then 9-digit), then BAC for each.
 */
export function accessCandidates(inputs: AccessInputs, pace: boolean): AccessCandidate[] {
  const out: AccessCandidate[] = [];
  if (pace) out.push({ method: 'PACE-CAN', keyForm: 'CAN', can: canFromIdNumber(inputs.idNumber) });
  if (inputs.dateOfBirth === undefined || inputs.dateOfExpiry === undefined) return out;
  const base = {
    idNumber: inputs.idNumber,
    dateOfBirth: inputs.dateOfBirth,
    dateOfExpiry: inputs.dateOfExpiry,
  };
  const keys: Array<{ form: AccessKeyForm; key: MrzKey }> = [];
  if (inputs.documentNumber !== undefined) {
    const k = mrzKeyFromId(base, '12-digit');
    keys.push({ form: 'document-number', key: { ...k, documentNumber: inputs.documentNumber } });
  }
  keys.push({ form: '12-digit', key: mrzKeyFromId(base, '12-digit') });
  keys.push({ form: '9-digit', key: mrzKeyFromId(base, '9-digit') });
  const unique = keys.filter(
    (k, i) => keys.findIndex((o) => o.key.documentNumber === k.key.documentNumber) === i,
  );
  if (pace) for (const k of unique) out.push({ method: 'PACE-MRZ', keyForm: k.form, mrzKey: k.key });
  for (const k of unique) out.push({ method: 'BAC', keyForm: k.form, mrzKey: k.key });
  return out;
}

/** True when `e` or an error in its cause chain is a lost connection or an abort, not a refusal. */
export function isLinkError(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 6; depth++) {
    if (x instanceof ReaderError && (x.code === 'TRANSPORT_FAILED' || x.code === 'ABORTED')) return true;
    x = x.cause;
  }
  return false;
}

/**
 * Wraps a caller's transport so that whatever it throws becomes `ReaderError('TRANSPORT_FAILED')`
 * (typed errors pass through): protocol errors then carry it as their cause. A response the chip
 * sends in parts (61xx) is joined with GET RESPONSE here, for plain commands too.
 */
export function guardTransport(transport: ApduTransport): ApduTransport {
  return {
    async transceive(command, options) {
      try {
        return await completeResponse(transport, await transport.transceive(command, options), options);
      } catch (cause) {
        if (cause instanceof ReaderError) throw cause;
        if (options?.signal?.aborted)
          throw new ReaderError('ABORTED', 'the operation was aborted', { cause });
        throw new ReaderError('TRANSPORT_FAILED', 'the transport failed', { cause });
      }
    },
  };
}

/** Runs one candidate: PACE then SELECT the application over SM, or SELECT then BAC. */
export async function openWith(
  transport: ApduTransport,
  candidate: AccessCandidate,
  paceInfo: PaceInfo | undefined,
  options: { random?: (n: number) => Uint8Array; signal?: AbortSignal },
): Promise<OpenSession> {
  const opts = {
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const sel = options.signal === undefined ? {} : { signal: options.signal };
  if (candidate.method === 'BAC') {
    await selectApplication(transport, undefined, sel);
    const { channel } = await performBac(transport, candidate.mrzKey as MrzKey, opts);
    return { channel, candidate };
  }
  const password =
    candidate.method === 'PACE-CAN' ? { can: candidate.can as string } : (candidate.mrzKey as MrzKey);
  const pace = await performPace(transport, password, paceInfo as PaceInfo, opts);
  const { channel } = pace;
  const out: OpenSession = { channel, candidate, pace };
  if (pace.mapping === 'CAM') {
    // The master file is still the current DF: read EF.CardSecurity now (it holds the chip's
    // static key that the CAM mapping proves), then select the application.
    try {
      out.cardSecurity = await createFileReader(channel, { secureMessaging: channel.cipher }).readFile(
        FID_CARD_SECURITY,
        sel,
      );
    } catch (e) {
      if (isLinkError(e) || options.signal?.aborted) throw e;
      out.cardSecurityError = e;
    }
  }
  await selectApplication(channel, undefined, sel);
  return out;
}

/** Describes a failed attempt without secrets. */
export function describeFailure(e: unknown): NonNullable<AccessAttempt['error']> {
  if (e instanceof ReaderError) {
    const out: NonNullable<AccessAttempt['error']> = { code: e.code };
    if (e.context.step !== undefined) out.step = e.context.step;
    if (e.context.sw !== undefined) out.sw = e.context.sw;
    return out;
  }
  return {
    code:
      e instanceof Error && typeof (e as { code?: unknown }).code === 'string'
        ? String((e as unknown as { code: string }).code)
        : 'UNKNOWN',
  };
}
