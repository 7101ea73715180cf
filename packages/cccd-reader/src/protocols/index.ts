/**
 * @module
 * Access protocols (`@vneid/cccd-reader/protocols`): PACE (ICAO Doc 9303 Part 11 §4.4),
 * Basic Access Control (§4.3), Active Authentication (§6.1) and Chip Authentication (§6.2), the
 * terminal's side only. The chip's side of BAC, PACE, AA and CA (responders holding chip keys)
 * lives in `card/` for the test-only software chip and is exported by no public subpath.
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
  type BacKey,
  type BacResult,
  type BacStep,
  bacAccessKeys,
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
