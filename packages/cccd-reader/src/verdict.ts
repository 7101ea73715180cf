/**
 * @module
 * The one verdict of `readCard` (ICAO Doc 9303 Part 11 §5.1 passive authentication, §6.1 Active
 * Authentication, §6.2 Chip Authentication, §4.4 PACE-CAM): a chip read is `ok` only when
 * passive authentication proved the data as issued AND a chip-genuineness protocol proved the
 * chip holds a key the issuer signed — Chip Authentication (DG14's key, proven by an answer
 * under the new keys), PACE-CAM (EF.CardSecurity verified by passive authentication, its key
 * matching the mapping) or Active Authentication (DG15's key) — and nothing that ran failed.
 * Otherwise the verdict lists what was not checked and, with a stable code, what failed; an
 * algorithm the verifier cannot check is `UNSUPPORTED`, never a signature failure. Also the PACE-CAM
 * check itself.
 */
import type { SecurityInfos } from './lds/security-infos.ts';
import type { IssuingCountry, PassiveReport, SecurityObjectReport, TrustStore } from './pa/index.ts';
import type { ActiveAuthenticationResult } from './protocols/aa.ts';
import type { ChipAuthenticationResult } from './protocols/ca.ts';
import type { PaceResult } from './protocols/pace/perform-pace.ts';

/** A verification that could not run to a report. */
export interface VerificationError {
  ok: false;
  error: { code: string; message: string };
}

/** A protocol that can prove the chip genuine (not a clone). */
export type GenuinenessProtocol = 'CA' | 'CAM' | 'AA';

/** A check the verdict needs. */
export type VerificationCheck = 'passive' | 'chip-genuineness';

/** Stable codes of a failed check (or the `error.code` of a check that could not run). */
export type VerificationFailureCode =
  /** A signature, key or hash algorithm the verifier does not implement: nothing was proven either way. */
  | 'UNSUPPORTED'
  | 'SIGNATURE_INVALID'
  | 'MESSAGE_DIGEST_MISMATCH'
  | 'CHAIN_FAILED'
  | 'COUNTRY_MISMATCH'
  | 'VALIDITY_FAILED'
  | 'REVOKED'
  | 'CRL_FAILED'
  | 'DATA_GROUP_MISMATCH'
  /** CA: the chip could not answer under the keys agreed with DG14's key. */
  | 'CLONED_CHIP'
  /** CA / AA ran but their key's data group is not authenticated by passive authentication. */
  | 'KEY_NOT_AUTHENTICATED'
  /** AA: the signature over the challenge does not verify. */
  | 'AA_SIGNATURE_INVALID'
  /** CAM: EF.CardSecurity was not readable. */
  | 'NO_CARD_SECURITY'
  /** CAM: EF.CardSecurity failed passive authentication. */
  | 'CARD_SECURITY_INVALID'
  /** CAM: no key of EF.CardSecurity matches the mapping (a clone, or a card without its key). */
  | 'CAM_MISMATCH'
  /** A check that could not run (`NO_SOD`, `NO_DG14`, `NO_DG15`, `SOD_MALFORMED`, `CA_FAILED`, …). */
  | (string & {});

/** One failed check. */
export interface VerificationFailure {
  check: 'passive' | 'chip' | 'active' | 'cam';
  code: VerificationFailureCode;
  /** The report's reason (e.g. `dsc-expired`, `signature-invalid`, `DG13 mismatch`). */
  reason?: string;
}

/** PACE-CAM verification (ICAO Doc 9303 Part 11 §4.4.3.5.2, BSI TR-03110-3 §A.1.1). */
export interface CamVerification {
  ok: boolean;
  /** Passive authentication of EF.CardSecurity (absent when it was not readable). */
  cardSecurity?: SecurityObjectReport;
  /** keyId of the ChipAuthenticationPublicKeyInfo that matched. */
  keyId?: number;
  reason?: 'NO_CARD_SECURITY' | 'CARD_SECURITY_INVALID' | 'CAM_MISMATCH' | 'UNSUPPORTED';
}

/** The verification part of a `readCard` result. */
export interface ReadCardVerification {
  passive?: PassiveReport | VerificationError;
  active?: ActiveAuthenticationResult | VerificationError;
  /** `ok: false, reason: 'CLONED_CHIP'` when the chip could not answer under the new keys. */
  chip?: ChipAuthenticationResult | VerificationError;
  /** Present when the chip ran PACE-CAM and a trust store was given. */
  cam?: CamVerification | VerificationError;
  /** The protocols that proved the chip genuine (empty: none did). */
  genuineBy: GenuinenessProtocol[];
  /** Checks `ok` needs that did not run (`passive`: no trust store; `chip-genuineness`: no CA, CAM or AA). */
  notChecked: VerificationCheck[];
  /** Every check that ran and failed, or could not run. */
  failed: VerificationFailure[];
  /**
   * True only when passive authentication passed, at least one of CA, CAM or AA proved the chip
   * genuine, and no check that ran failed.
   */
  ok: boolean;
}

const isError = (v: object): v is VerificationError => 'error' in v;

const UNSUPPORTED_REASONS: ReadonlySet<string> = new Set([
  'unsupported-algorithm',
  'unsupported-key',
  'unsupported-issuer-key',
  'unsupported-digest',
]);

/** The failures of a signed-object report (EF.SOD or EF.CardSecurity). */
function signedObjectFailures(
  r: Omit<SecurityObjectReport, 'contentType' | 'content'> | PassiveReport,
  check: VerificationFailure['check'],
): VerificationFailure[] {
  const out: VerificationFailure[] = [];
  const add = (code: VerificationFailureCode, reason?: string): void => {
    out.push(reason === undefined ? { check, code } : { check, code, reason });
  };
  for (const part of [r, ...(r.signerInfos ?? []).slice(1)]) {
    const unsupported = [part.signature.reason, part.messageDigest.reason, part.chain.reason].find(
      (x) => x !== undefined && UNSUPPORTED_REASONS.has(x),
    );
    if (unsupported !== undefined) add('UNSUPPORTED', unsupported);
    else if (!part.signature.ok) add('SIGNATURE_INVALID', part.signature.reason);
    else if (!part.messageDigest.ok) add('MESSAGE_DIGEST_MISMATCH', part.messageDigest.reason);
    if (unsupported === undefined && part.signature.ok && !part.chain.ok)
      add('CHAIN_FAILED', part.chain.reason);
    if (part.country && !part.country.ok) add('COUNTRY_MISMATCH', part.country.reason);
    if (!part.validity.ok) add('VALIDITY_FAILED', part.validity.reason);
    if (!part.crl.ok) add(part.crl.status === 'revoked' ? 'REVOKED' : 'CRL_FAILED', part.crl.reason);
  }
  if ('dataGroups' in r) {
    const bad = r.dataGroups.filter((d) => d.status === 'mismatch' || d.status === 'not-in-sod');
    for (const d of bad) add('DATA_GROUP_MISMATCH', `DG${d.dataGroup} ${d.status}`);
    for (const n of r.missingRequired) add('DATA_GROUP_MISMATCH', `DG${n} required but unread`);
  }
  return out;
}

/** Inputs of {@link verdictOf}: what ran (undefined = not asked / did not happen). */
export interface VerdictInputs {
  passive?: PassiveReport | VerificationError;
  active?: ActiveAuthenticationResult | VerificationError;
  chip?: ChipAuthenticationResult | VerificationError;
  cam?: CamVerification | VerificationError;
}

/** Builds the verdict from the checks that ran. */
export function verdictOf(inputs: VerdictInputs): ReadCardVerification {
  const failed: VerificationFailure[] = [];
  const genuineBy: GenuinenessProtocol[] = [];
  const { passive, active, chip, cam } = inputs;
  const fromError = (check: VerificationFailure['check'], e: VerificationError): void => {
    failed.push({ check, code: e.error.code });
  };
  // The key of CA (DG14) and AA (DG15) counts only when passive authentication matched its file.
  const authenticated = (dg: number): boolean =>
    passive !== undefined &&
    !isError(passive) &&
    passive.ok &&
    passive.dataGroups.some((d) => d.dataGroup === dg && d.status === 'match');
  if (passive !== undefined) {
    if (isError(passive)) fromError('passive', passive);
    else if (!passive.ok) {
      const found = signedObjectFailures(passive, 'passive');
      failed.push(...(found.length > 0 ? found : [{ check: 'passive' as const, code: 'SIGNATURE_INVALID' }]));
    }
  }
  if (chip !== undefined) {
    if (isError(chip)) fromError('chip', chip);
    else if (!chip.ok || !chip.proven) failed.push({ check: 'chip', code: 'CLONED_CHIP' });
    else if (passive !== undefined && !authenticated(14)) {
      if (!isError(passive) && passive.ok)
        failed.push({ check: 'chip', code: 'KEY_NOT_AUTHENTICATED', reason: 'DG14' });
    } else if (passive !== undefined) genuineBy.push('CA');
  }
  if (cam !== undefined) {
    if (isError(cam)) fromError('cam', cam);
    else if (cam.ok) genuineBy.push('CAM');
    else {
      const detail = cam.cardSecurity ? signedObjectFailures(cam.cardSecurity, 'cam')[0] : undefined;
      failed.push({
        check: 'cam',
        code: cam.reason ?? 'CAM_MISMATCH',
        ...(detail?.reason === undefined ? {} : { reason: detail.reason }),
      });
    }
  }
  if (active !== undefined) {
    if (isError(active)) fromError('active', active);
    else if (!active.ok)
      failed.push({
        check: 'active',
        code: 'AA_SIGNATURE_INVALID',
        ...(active.reason ? { reason: active.reason } : {}),
      });
    else if (passive !== undefined && !authenticated(15)) {
      if (!isError(passive) && passive.ok)
        failed.push({ check: 'active', code: 'KEY_NOT_AUTHENTICATED', reason: 'DG15' });
    } else if (passive !== undefined) genuineBy.push('AA');
  }
  const notChecked: VerificationCheck[] = [];
  if (passive === undefined) notChecked.push('passive');
  if (chip === undefined && cam === undefined && active === undefined) notChecked.push('chip-genuineness');
  const passiveOk = passive !== undefined && !isError(passive) && passive.ok;
  return {
    ...inputs,
    genuineBy,
    notChecked,
    failed,
    ok: passiveOk && genuineBy.length > 0 && failed.length === 0,
  };
}

/** `id-SecurityObject` (BSI TR-03110-3 §A.1.2.5): the eContentType of EF.CardSecurity. */
const SECURITY_OBJECT_OID = '0.4.0.127.0.7.3.2.1';

/**
 * Verifies PACE-CAM: EF.CardSecurity by passive authentication (signature, chain, validity,
 * country) and that one of its ChipAuthenticationPublicKeyInfos is the key the mapping proved
 * (PK_Map,IC = CA_IC · PK_IC). Loads `./pa` (pkijs) on demand.
 */
export async function verifyCam(
  pace: PaceResult,
  cardSecurity: Uint8Array | undefined,
  options: { trustStore: TrustStore; country?: IssuingCountry },
): Promise<CamVerification> {
  if (cardSecurity === undefined) return { ok: false, reason: 'NO_CARD_SECURITY' };
  const [pa, infos, cam] = await Promise.all([
    import('./pa/index.ts'),
    import('./lds/security-infos.ts'),
    import('./protocols/pace/select-pace-info.ts'),
  ]);
  const report = await pa.verifySecurityObject(cardSecurity, {
    trustStore: options.trustStore,
    contentType: SECURITY_OBJECT_OID,
    ...(options.country === undefined ? {} : { country: options.country }),
  });
  if (!report.ok) {
    const unsupported = signedObjectFailures(report, 'cam').some((f) => f.code === 'UNSUPPORTED');
    return { ok: false, cardSecurity: report, reason: unsupported ? 'UNSUPPORTED' : 'CARD_SECURITY_INVALID' };
  }
  const parsed: SecurityInfos = infos.parseSecurityInfos(report.content);
  const check = cam.verifyPaceCam(pace, parsed);
  if (!check.ok) return { ok: false, cardSecurity: report, reason: 'CAM_MISMATCH' };
  return { ok: true, cardSecurity: report, ...(check.keyId === undefined ? {} : { keyId: check.keyId }) };
}
