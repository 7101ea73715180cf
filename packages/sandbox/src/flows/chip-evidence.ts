/**
 * @module
 * Chip evidence: the raw files of a CCCD chip (EF.COM, EF.SOD, DG1, DG2, DG13, DG14, DG15, base64)
 * checked by passive authentication (ICAO Doc 9303 Part 11 §5.1) with `@vneid/cccd-reader/pa`
 * against the sandbox CSCA, and DG1 (MRZ) / DG13 parsed with `@vneid/cccd-reader/lds` for the
 * holder's personal ID, name, birth date and sex. One report with a status per check and a
 * strict `ok`; hostile input (bad base64, oversized files, garbage ASN.1) gives `ok: false` with
 * a failure reason, never an exception. Used by chip verification for banks, the level-1 eID
 * application and the new-device chip proof.
 */
import { type Dg1, type Dg13, parseCom, parseDg1, parseDg13 } from '@vneid/cccd-reader/lds';
import { type PassiveReport, verifyPassive } from '@vneid/cccd-reader/pa';
import { loadSandboxPki } from '../fixtures/chip-pki.ts';
import type { RequestContext } from '../http/context.ts';
import type { Queryable } from '../store/db.ts';

/** The chip files, base64 (standard alphabet, padded): openapi `ChipFiles`. */
export interface ChipFiles {
  com?: string;
  sod: string;
  dg1: string;
  dg2?: string;
  dg13?: string;
  dg14?: string;
  dg15?: string;
}

export type ChipFileName = keyof ChipFiles;
export type CheckStatus = 'ok' | 'failed' | 'absent';

/**
 * Check names, in the order they are evaluated: `encoding` (every file strict base64 within its
 * size bound), `sodSignature` (the CMS signature and messageDigest of EF.SOD), `certificateChain`
 * (the Document Signer certificate issued by the sandbox CSCA), `certificateValidity` (both
 * valid at the application clock), `dg1` … `dg15` (the file's hash equals EF.SOD's; `absent`
 * when not given), `com` (EF.COM parses and lists every given data group), `dataConsistency`
 * (DG1 is a Vietnamese TD1 MRZ, DG13 parses, and their ID number, birth date and sex agree).
 */
export const CHIP_CHECKS = [
  'encoding',
  'sodSignature',
  'certificateChain',
  'certificateValidity',
  'dg1',
  'dg2',
  'dg13',
  'dg14',
  'dg15',
  'com',
  'dataConsistency',
] as const;
export type ChipCheck = (typeof CHIP_CHECKS)[number];

/** Why the evidence failed: the first failing check. */
export type ChipEvidenceFailure =
  | 'invalid_input'
  | 'invalid_encoding'
  | 'file_too_large'
  | 'sod_malformed'
  | 'signature_invalid'
  | 'certificate_chain_invalid'
  | 'certificate_not_valid'
  | 'data_group_mismatch'
  | 'com_mismatch'
  | 'dg1_malformed'
  | 'dg13_malformed'
  | 'data_inconsistent';

export interface ChipEvidence {
  ok: boolean;
  /** The holder's 12-digit personal ID (DG13, else the MRZ); null unless `ok`. */
  personalId: string | null;
  fullName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  sex?: 'male' | 'female';
  checks: Record<ChipCheck, CheckStatus>;
  failure?: ChipEvidenceFailure;
}

/** Largest decoded size of each file, in bytes (real CCCD files are far smaller). */
export const CHIP_FILE_LIMITS: Readonly<Record<ChipFileName, number>> = {
  com: 256,
  sod: 16_384,
  dg1: 256,
  dg2: 65_536,
  dg13: 4_096,
  dg14: 4_096,
  dg15: 2_048,
};

const DATA_GROUPS: ReadonlyArray<readonly [ChipFileName & `dg${number}`, number]> = [
  ['dg1', 1],
  ['dg2', 2],
  ['dg13', 13],
  ['dg14', 14],
  ['dg15', 15],
];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64: standard alphabet, padded, canonical (no stray bits), non-empty. */
function decodeStrict(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The base64 length of `bytes` bytes. */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

function emptyChecks(): Record<ChipCheck, CheckStatus> {
  return Object.fromEntries(CHIP_CHECKS.map((c) => [c, 'absent'])) as Record<ChipCheck, CheckStatus>;
}

function fail(checks: Record<ChipCheck, CheckStatus>, failure: ChipEvidenceFailure): ChipEvidence {
  return { ok: false, personalId: null, checks, failure };
}

const UNUSABLE_DG13: ReadonlySet<string> = new Set([
  'LDS_INVALID_FIELD',
  'LDS_INVALID_TEXT',
  'LDS_DUPLICATE_FIELD',
]);

const sexOfDg13 = (text: string | undefined): 'male' | 'female' | undefined => {
  const t = text?.normalize('NFC').trim().toLowerCase();
  return t === 'nam' ? 'male' : t === 'nữ' ? 'female' : undefined;
};

/**
 * Verifies chip evidence. `q` runs SQL when this process has not loaded the sandbox PKI yet
 * (default `rc.db`; pass your transaction client when calling inside a transaction). Never throws
 * for any input.
 */
export async function verifyChipEvidence(
  rc: Pick<RequestContext, 'db' | 'at'>,
  files: ChipFiles,
  q: Queryable = rc.db,
): Promise<ChipEvidence> {
  const checks = emptyChecks();
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    checks.encoding = 'failed';
    return fail(checks, 'invalid_input');
  }

  // 1. Strict decoding with size bounds, before any parser sees a byte.
  const bytes: Partial<Record<ChipFileName, Uint8Array>> = {};
  for (const name of Object.keys(CHIP_FILE_LIMITS) as ChipFileName[]) {
    const value: unknown = (files as unknown as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      checks.encoding = 'failed';
      return fail(checks, 'invalid_input');
    }
    if (value.length > base64Length(CHIP_FILE_LIMITS[name])) {
      checks.encoding = 'failed';
      return fail(checks, 'file_too_large');
    }
    const decoded = decodeStrict(value);
    if (decoded === null) {
      checks.encoding = 'failed';
      return fail(checks, 'invalid_encoding');
    }
    bytes[name] = decoded;
  }
  if (bytes.sod === undefined || bytes.dg1 === undefined) {
    checks.encoding = 'failed';
    return fail(checks, 'invalid_input');
  }
  checks.encoding = 'ok';

  // 2. Passive authentication against the sandbox CSCA, at the application clock. (A database
  // failure while loading the PKI is the server's, not the input's: it propagates.)
  const { trustStore } = await loadSandboxPki(rc.db, q, rc.at);
  let report: PassiveReport;
  try {
    const given = new Map<number, Uint8Array>();
    for (const [name, number] of DATA_GROUPS) {
      const file = bytes[name];
      if (file !== undefined) given.set(number, file);
    }
    report = await verifyPassive(
      { sod: bytes.sod, files: given },
      { trustStore, now: rc.at, requiredDataGroups: [1] },
    );
  } catch {
    checks.sodSignature = 'failed';
    return fail(checks, 'sod_malformed');
  }
  checks.sodSignature = report.signature.ok && report.messageDigest.ok ? 'ok' : 'failed';
  checks.certificateChain = report.chain.ok ? 'ok' : 'failed';
  checks.certificateValidity = report.validity.ok ? 'ok' : 'failed';
  let groupsOk = true;
  for (const [name, number] of DATA_GROUPS) {
    if (bytes[name] === undefined) continue;
    const status = report.dataGroups.find((d) => d.dataGroup === number)?.status;
    checks[name] = status === 'match' ? 'ok' : 'failed';
    if (status !== 'match') groupsOk = false;
  }

  // 3. EF.COM (not signed: only its consistency with what was given).
  let comOk = true;
  if (bytes.com !== undefined) {
    try {
      const com = parseCom(bytes.com);
      comOk = DATA_GROUPS.every(([name, n]) => bytes[name] === undefined || com.dataGroups.includes(n));
    } catch {
      comOk = false;
    }
    checks.com = comOk ? 'ok' : 'failed';
  }

  // 4. The holder's data: DG1's MRZ and DG13, which must agree.
  let dg1: Dg1 | undefined;
  let dg13: Dg13 | undefined;
  let parsedFailure: ChipEvidenceFailure | undefined;
  try {
    dg1 = parseDg1(bytes.dg1, { now: () => rc.at.getTime() });
  } catch {
    parsedFailure = 'dg1_malformed';
  }
  if (parsedFailure === undefined && bytes.dg13 !== undefined) {
    try {
      dg13 = parseDg13(bytes.dg13);
      // The reader keeps the readable fields of a damaged DG13 and warns; as evidence, a field
      // that is unreadable or given twice makes the group malformed (unknown extra fields do not).
      if (dg13.warnings.some((w) => UNUSABLE_DG13.has(w.code))) parsedFailure = 'dg13_malformed';
    } catch {
      parsedFailure = 'dg13_malformed';
    }
  }
  const vietnam = dg1?.mrz.vietnam ?? null;
  if (parsedFailure === undefined && vietnam === null) parsedFailure = 'dg1_malformed';
  let consistent = parsedFailure === undefined && vietnam !== null && vietnam.consistent;
  if (consistent && dg13 !== undefined && dg1 !== undefined && vietnam !== null) {
    const dg13Sex = sexOfDg13(dg13.sex);
    const mrzSex = dg1.mrz.sex === 'unspecified' ? undefined : dg1.mrz.sex;
    consistent =
      dg13.idNumber === vietnam.idNumber &&
      (dg13.dateOfBirthIso == null ||
        dg1.mrz.dateOfBirthIso === null ||
        dg13.dateOfBirthIso === dg1.mrz.dateOfBirthIso) &&
      (dg13Sex === undefined || mrzSex === undefined || dg13Sex === mrzSex);
  }
  checks.dataConsistency = consistent ? 'ok' : 'failed';

  const failure: ChipEvidenceFailure | undefined =
    checks.sodSignature !== 'ok'
      ? 'signature_invalid'
      : checks.certificateChain !== 'ok'
        ? 'certificate_chain_invalid'
        : checks.certificateValidity !== 'ok' || !report.crl.ok
          ? 'certificate_not_valid'
          : !groupsOk || report.missingRequired.length > 0
            ? 'data_group_mismatch'
            : !comOk
              ? 'com_mismatch'
              : (parsedFailure ?? (consistent ? undefined : 'data_inconsistent'));
  if (failure !== undefined || !report.ok || dg1 === undefined || vietnam === null) {
    return fail(checks, failure ?? 'signature_invalid');
  }

  const evidence: ChipEvidence = { ok: true, personalId: dg13?.idNumber ?? vietnam.idNumber, checks };
  const fullName = dg13?.fullName ?? `${dg1.mrz.surname} ${dg1.mrz.givenNames}`.trim();
  if (fullName !== '') evidence.fullName = fullName.normalize('NFC');
  const birthDate = dg13?.dateOfBirthIso ?? dg1.mrz.dateOfBirthIso;
  if (birthDate) evidence.birthDate = birthDate;
  const sex = sexOfDg13(dg13?.sex) ?? (dg1.mrz.sex === 'unspecified' ? undefined : dg1.mrz.sex);
  if (sex !== undefined) evidence.sex = sex;
  return evidence;
}
