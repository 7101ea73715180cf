/**
 * @module
 * The `eid` namespace: activation of an approved account (ID + phone → OTP → password if none →
 * passcode → two security questions), the level-1 application with the chip files read by
 * `@vneid/cccd-reader` (or the card's QR payload), the level-2 appointment, integrated documents.
 */
import { toBase64 } from '../encoding.ts';
import type { components } from '../generated/api.ts';
import { call } from '../http/typed.ts';
import type { ClientContext } from '../options.ts';
import { authOf, type CallOptions, type SessionLike } from '../session.ts';
import { type ChipFilesInput, encodeChipFiles } from './chip-files.ts';

type S = components['schemas'];
export type EidActivation = S['EidActivation'];
export type EidApplication = S['EidApplication'];
export type EidAppointment = S['EidAppointment'];
export type IntegratedDocument = S['IntegratedDocument'];
export type IntegratedDocumentType = S['IntegratedDocumentType'];
export type SecurityQuestion = S['SecurityQuestion'];

export interface DeviceInfo {
  /** A stable id of the phone or browser ([A-Za-z0-9._:-], ≤ 128). */
  id: string;
  name: string;
}

export interface EidApplicationInput {
  /** NFC: `readCard(...).raw` (or the files by name); QR: the card's QR payload. */
  evidence: { kind: 'nfc'; chipFiles: ChipFilesInput } | { kind: 'qr'; qrPayload: string };
  /** The portrait photo (JPEG bytes, ≤ 512 KiB). */
  portrait: Uint8Array;
  email?: string;
}

export interface EidNamespace {
  /** The catalogue of security questions (two are answered during activation). */
  securityQuestions(options?: CallOptions): Promise<{ questions: SecurityQuestion[]; required: number }>;
  /** Starts activation; the answer carries the OTP challenge (verify it with `account.verifyOtp`). */
  startActivation(
    input: { personalId: string; phone: string; device: DeviceInfo },
    options?: CallOptions,
  ): Promise<EidActivation>;
  getActivation(activationId: string, options?: CallOptions): Promise<EidActivation>;
  setActivationPassword(
    activationId: string,
    password: string,
    options?: CallOptions,
  ): Promise<EidActivation>;
  setActivationPasscode(
    activationId: string,
    passcode: string,
    options?: CallOptions,
  ): Promise<EidActivation>;
  answerSecurityQuestions(
    activationId: string,
    answers: { questionId: string; answer: string }[],
    options?: CallOptions,
  ): Promise<EidActivation>;
  /** Level-1 application; chip files and portrait are base64-encoded for you. */
  apply(session: SessionLike, input: EidApplicationInput, options?: CallOptions): Promise<EidApplication>;
  applications(session: SessionLike, options?: CallOptions): Promise<EidApplication[]>;
  /** The processing status of one application. */
  application(session: SessionLike, applicationId: string, options?: CallOptions): Promise<EidApplication>;
  bookAppointment(
    session: SessionLike,
    input: { policeOffice: string; date: string },
    options?: CallOptions,
  ): Promise<EidAppointment>;
  appointments(session: SessionLike, options?: CallOptions): Promise<EidAppointment[]>;
  requestDocument(
    session: SessionLike,
    input: { type: IntegratedDocumentType; number: string },
    options?: CallOptions,
  ): Promise<IntegratedDocument>;
  documents(session: SessionLike, options?: CallOptions): Promise<IntegratedDocument[]>;
}

export function createEidNamespace(ctx: ClientContext): EidNamespace {
  const t = ctx.transport;
  return {
    async securityQuestions(o = {}) {
      return (await call(t, 'get', '/v1/eid/security-questions', o)).body;
    },
    async startActivation(input, o = {}) {
      return (await call(t, 'post', '/v1/eid/activations', { ...o, body: input })).body;
    },
    async getActivation(activationId, o = {}) {
      return (await call(t, 'get', '/v1/eid/activations/{activationId}', { ...o, params: { activationId } }))
        .body;
    },
    async setActivationPassword(activationId, password, o = {}) {
      return (
        await call(t, 'post', '/v1/eid/activations/{activationId}/password', {
          ...o,
          params: { activationId },
          body: { password },
        })
      ).body;
    },
    async setActivationPasscode(activationId, passcode, o = {}) {
      return (
        await call(t, 'post', '/v1/eid/activations/{activationId}/passcode', {
          ...o,
          params: { activationId },
          body: { passcode },
        })
      ).body;
    },
    async answerSecurityQuestions(activationId, answers, o = {}) {
      return (
        await call(t, 'post', '/v1/eid/activations/{activationId}/security-questions', {
          ...o,
          params: { activationId },
          body: { answers },
        })
      ).body;
    },
    async apply(session, input, o = {}) {
      const evidence =
        input.evidence.kind === 'nfc'
          ? { kind: 'nfc' as const, chipFiles: encodeChipFiles(input.evidence.chipFiles) }
          : { kind: 'qr' as const, qrPayload: input.evidence.qrPayload };
      const body = {
        evidence,
        portrait: toBase64(input.portrait),
        ...(input.email !== undefined ? { email: input.email } : {}),
      };
      return (await call(t, 'post', '/v1/eid/applications', { ...o, ...authOf(session), body })).body;
    },
    async applications(session, o = {}) {
      return (await call(t, 'get', '/v1/eid/applications', { ...o, ...authOf(session) })).body.applications;
    },
    async application(session, applicationId, o = {}) {
      return (
        await call(t, 'get', '/v1/eid/applications/{applicationId}', {
          ...o,
          ...authOf(session),
          params: { applicationId },
        })
      ).body;
    },
    async bookAppointment(session, input, o = {}) {
      return (await call(t, 'post', '/v1/eid/appointments', { ...o, ...authOf(session), body: input })).body;
    },
    async appointments(session, o = {}) {
      return (await call(t, 'get', '/v1/eid/appointments', { ...o, ...authOf(session) })).body.appointments;
    },
    async requestDocument(session, input, o = {}) {
      return (await call(t, 'post', '/v1/documents', { ...o, ...authOf(session), body: input })).body;
    },
    async documents(session, o = {}) {
      return (await call(t, 'get', '/v1/documents', { ...o, ...authOf(session) })).body.documents;
    },
  };
}
