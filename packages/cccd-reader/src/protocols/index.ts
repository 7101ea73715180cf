/**
 * @module
 * Access protocols (`@vneid/cccd-reader/protocols`): PACE (ICAO Doc 9303 Part 11 §4.4) and
 * Basic Access Control (§4.3), each with the card-side building blocks the software chip uses.
 */
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
export * from './pace/index.ts';
