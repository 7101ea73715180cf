/**
 * @module
 * `@vneid/client`: a small, runtime-agnostic typed client for VNeID-style identity services
 * (Node ≥ 20, browsers, React Native: injectable `fetch`, WebCrypto only). The facade:
 * {@link createIdentityClient}, the error type, webhook verification and the helpers a relying
 * party needs without a client (masking, share callbacks, partner signing).
 */

export type {
  AccountNamespace,
  AccountSummary,
  DeviceInput,
  DeviceView,
  LockReason,
  LoginChallenge,
  LoginResult,
  OtpChallenge,
  PasscodeReset,
  RegistrationInput,
  SecurityAnswer,
  Session,
  SessionInfo,
} from './account/index.ts';
export { createIdentityClient, type IdentityClient } from './client.ts';
export { type ChipFilesInput, type EncodedChipFiles, encodeChipFiles } from './eid/chip-files.ts';
export type {
  DeviceInfo,
  EidActivation,
  EidApplication,
  EidApplicationInput,
  EidAppointment,
  EidNamespace,
  IntegratedDocument,
  IntegratedDocumentType,
  SecurityQuestion,
} from './eid/index.ts';
export {
  type ClientErrorCode,
  IdentityError,
  type IdentityErrorCode,
  type IdentityErrorOptions,
  isIdentityError,
  SERVER_PROBLEM_CODES,
  type ServerProblemCode,
} from './errors.ts';
export type { components as ApiComponents, paths as ApiPaths } from './generated/api.ts';
export {
  type PartnerCredentials,
  type PartnerSignatureInput,
  partnerSigningString,
  signPartnerRequest,
} from './http/partner-signing.ts';
export type {
  Answer,
  HttpMethod,
  LogEvent,
  Logger,
  RequestSpec,
  RetryOptions,
  Transport,
} from './http/transport.ts';
export { maskPersonalId, maskPhone, maskText } from './mask.ts';
export type { ClientAuth, DpopOptions, IdentityClientOptions } from './options.ts';
export type { CallOptions, SessionLike } from './session.ts';
export { parseShareCallback, type ShareCallback, type ShareResult } from './share/callback.ts';
export type {
  CreateShareRequestInput,
  PollOptions,
  ShareClaim,
  ShareNamespace,
  ShareRequest,
  ShareRequestStatus,
} from './share/index.ts';
export {
  type AuthorizationRequest,
  type CreateAuthorizationRequestInput,
  IdentityClaims,
  type SsoNamespace,
  type SsoProfile,
  type SsoResult,
  type SsoTokens,
} from './sso/types.ts';
export type { ChipChecks, ChipVerificationResult, VerifyNamespace } from './verify/index.ts';
export {
  createMemoryReplayStore,
  type VerifyWebhookInput,
  verifyWebhook,
  type WebhookFailure,
  type WebhookReplayStore,
  type WebhookVerification,
} from './webhooks.ts';
