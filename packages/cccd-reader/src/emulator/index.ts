/**
 * `@vneid/cccd-reader/emulator` — **TEST ONLY: never import it in production code or ship it in a
 * production bundle.** A software CCCD chip for tests, demos and benchmarks: the chip's side of
 * ICAO Doc 9303 Part 11 (BAC, PACE, secure messaging, Active and Chip Authentication answered
 * with the chip's private keys) and a generator of test keys and a test PKI (CSCA → DS, EF.SOD
 * signing; Part 12). Build a fictional citizen ({@link createSyntheticPerson}), personalise a
 * chip for them ({@link createCardFiles}: EF.CardAccess, EF.COM, DG1, DG2, DG3, DG13, DG14, DG15
 * and an EF.SOD signed by a generated test CSCA → DS chain), then talk to it through the same
 * `ApduTransport` interface as a real card. Every key here is a test key; a trust store holding
 * its CSCA accepts forged cards. No public reader subpath imports this entry or the card-side
 * modules behind it (checked by `test/card-side-boundary.test.ts`), so an app that does not
 * import `/emulator` does not bundle it.
 *
 * @example
 * ```ts
 * import { createCardFiles, createEmulatedCard, createSyntheticPerson } from '@vneid/cccd-reader/emulator';
 * import { performPace } from '@vneid/cccd-reader/protocols';
 *
 * const person = createSyntheticPerson(7); // fictional: "DƯƠNG THU D", ID 012157268548
 * const files = await createCardFiles(person, { signer: 'brainpool384' });
 * const card = createEmulatedCard(files, { extendedLength: false, iosQuirk: true });
 * const { channel } = await performPace(card, { can: person.can }, files.pace!);
 * // … read files through `channel`; verify EF.SOD against files.trust.csca.
 * card.faults.lostConnectionAt = { file: 'DG2', offset: 5000 }; // the field drops mid-DG2 once
 * ```
 *
 * @module
 */
// The `@module` tag closes the comment so that TypeDoc shows the test-only note on the entry's
// page (TypeDoc does not render text that follows a leading `@module`).

export type { TestPki } from '../pki-test/index.ts';
export { type ChipAuthenticationCard, chipAuthenticationStep } from './ca-card.ts';
export {
  type CardAccessMode,
  type CardState,
  type CardStats,
  createEmulatedCard,
  type EmulatedCard,
  type EmulatedCardOptions,
} from './card.ts';
export { type CardFaults, faultFileId, tamperBytes } from './faults.ts';
export { type ChipFile, type CurrentDf, chipFilesOf, EMRTD_AID, FID_CARD_ACCESS } from './file-system.ts';
export {
  CA_ECDH_AES_128,
  type CardFiles,
  type CardFilesOptions,
  type CardKeys,
  type CardPaceInfo,
  type CardSigner,
  cardPki,
  createCardFiles,
  createCardPki,
  ECDSA_PLAIN_SHA256,
} from './files.ts';
export { createFaceJpeg, type FaceJpegOptions } from './jpeg.ts';
export type { AaEcPrivateKey, AaRsaPrivateKey, EmulatorEcKey, EmulatorRsaKey } from './keys.ts';
export { largestProtectedRead, oddInsLength, protectedLength } from './limits.ts';
export { createPaceCard, type PaceCard, type PaceCardAnswer, type PaceCardConfig } from './pace-card.ts';
export {
  createSyntheticPerson,
  dg13FieldsOf,
  type SyntheticFace,
  type SyntheticPerson,
  type SyntheticPersonOptions,
  toMrzName,
} from './person.ts';
export { type SeededRandom, seededRandom } from './random.ts';
