/**
 * @module
 * Chip verification for banks, in the style of the C06 "verification only" service
 * (IDENTITY-NOTES §5, Decision 2345/QĐ-NHNN, Circular 17/2024/TT-NHNN): a partner sends the
 * customer's 12-digit personal ID and the raw chip files; the service runs passive
 * authentication ({@link verifyChipEvidence}), checks that the chip belongs to that ID, records
 * the verification and answers `verified` with a compact JWS (ES256, the service key published in
 * the JWKS) over the result. A chip that fails is `verified: false`, not an error.
 */
import { createHash } from 'node:crypto';
import { CompactSign, importJWK } from 'jose';
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import type { ServerKeys } from '../keys/server-keys.ts';
import { randomId } from '../secrets.ts';
import { type ChipEvidence, type ChipFiles, verifyChipEvidence } from './chip-evidence.ts';

/** The JWS `typ` of chip-verification evidence. */
export const CHIP_EVIDENCE_TYP = 'vneid-chip-verification+jwt';

export interface ChipVerificationResult {
  verified: boolean;
  requestId: string;
  checks: Record<string, 'ok' | 'failed' | 'absent'>;
  failure?: string;
  /** Compact JWS (ES256) over {@link ChipEvidencePayload}. */
  evidence: string;
}

/** What the evidence JWS signs. */
export interface ChipEvidencePayload {
  iss: string;
  /** The partner the answer is for. */
  aud: string;
  requestId: string;
  /** Hex SHA-256 of the 12-digit personal ID the partner asked about. */
  personalIdHash: string;
  verified: boolean;
  checks: Record<string, 'ok' | 'failed' | 'absent'>;
  iat: number;
}

export const personalIdHash = (personalId: string): string =>
  createHash('sha256').update(personalId, 'utf8').digest('hex');

// Failures that mean the input was not chip files at all (bad input, not a failed chip).
const INPUT_FAILURES = new Set<ChipEvidence['failure']>([
  'invalid_input',
  'invalid_encoding',
  'file_too_large',
]);

export async function verifyChipForPartner(
  rc: RequestContext,
  keys: ServerKeys,
  partnerCode: string,
  input: { personalId: string; chipFiles: ChipFiles },
): Promise<ChipVerificationResult> {
  const evidence = await verifyChipEvidence(rc, input.chipFiles);
  if (INPUT_FAILURES.has(evidence.failure))
    throw new ProblemError('invalid_request', {
      detail: 'chipFiles must be strict base64 within the size bounds',
      extra: { failure: evidence.failure, pointer: '/chipFiles' },
    });
  const idMatches = evidence.ok && evidence.personalId === input.personalId;
  const checks: Record<string, 'ok' | 'failed' | 'absent'> = {
    ...evidence.checks,
    personalIdMatch: evidence.ok ? (idMatches ? 'ok' : 'failed') : 'absent',
  };
  const verified = evidence.ok && idMatches;
  const failure = evidence.ok ? (idMatches ? undefined : 'personal_id_mismatch') : evidence.failure;
  const requestId = randomId();
  const idHash = personalIdHash(input.personalId);
  await rc.db.query(
    `INSERT INTO chip_verifications (id, partner_code, personal_id_hash, verified, checks, failure, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [requestId, partnerCode, idHash, verified, JSON.stringify(checks), failure ?? null, rc.at],
  );
  const key = keys.byAlg('ES256');
  const payload: ChipEvidencePayload = {
    iss: rc.config.baseUrl,
    aud: partnerCode,
    requestId,
    personalIdHash: idHash,
    verified,
    checks,
    iat: Math.floor(rc.at.getTime() / 1000),
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: CHIP_EVIDENCE_TYP })
    .sign(await importJWK(key.privateJwk, 'ES256'));
  return { verified, requestId, checks, ...(failure !== undefined ? { failure } : {}), evidence: jws };
}
