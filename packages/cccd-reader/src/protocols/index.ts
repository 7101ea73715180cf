/**
 * @module
 * Access protocols (`@vneid/cccd-reader/protocols`): PACE (ICAO Doc 9303 Part 11 §4.4),
 * Basic Access Control (§4.3), Active Authentication (§6.1) and Chip Authentication (§6.2);
 * with the card-side building blocks of PACE and BAC (those of AA and CA are in `card/`).
 */

export {
  type AaAlgorithm,
  type AaFailureReason,
  type AaHash,
  type AaReport,
  type ActiveAuthenticationResult,
  checkIso9796Representative,
  type Iso9796Check,
  type PerformActiveAuthenticationOptions,
  performActiveAuthentication,
  type VerifyActiveAuthenticationInput,
  verifyActiveAuthentication,
} from './aa.ts';
export {
  type BacAccessKeys,
  type BacCardResponse,
  type BacKey,
  type BacResult,
  type BacStep,
  bacAccessKeys,
  bacCardRespond,
  bacKeySeed,
  type PerformBacOptions,
  performBac,
} from './bac.ts';
export {
  type ChipAuthenticationCommands,
  type ChipAuthenticationResult,
  type ChipAuthenticationSelection,
  type ChipAuthenticationStep,
  type PerformChipAuthenticationOptions,
  performChipAuthentication,
  type RekeyableChannel,
  selectChipAuthentication,
  selectFileProbe,
  verifyChipAuthentication,
} from './ca.ts';
export * from './pace/index.ts';
