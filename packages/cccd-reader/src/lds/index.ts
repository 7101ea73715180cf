/**
 * @module
 * The LDS layer (ICAO Doc 9303 Part 10, Logical Data Structure): parsers that keep each file's
 * exact bytes (EF.COM, EF.SOD, DG1, DG2, DG11–DG15, Vietnamese DG13, SecurityInfos of
 * EF.CardAccess / DG14 / EF.CardSecurity), builders for synthetic cards, the file-ID table and
 * a dispatcher. LDS parsers know nothing of transports.
 */
export * from './com.ts';
export * from './dg1.ts';
export * from './dg2.ts';
export * from './dg13.ts';
export * from './dg14.ts';
export * from './dg15.ts';
export * from './face-image.ts';
export * from './file-ids.ts';
export * from './lds-error.ts';
export * from './lds-security-object.ts';
export * from './oids.ts';
export * from './parse-lds-file.ts';
export * from './partial-date.ts';
export * from './personal-details.ts';
export * from './security-infos.ts';
export * from './sod.ts';
