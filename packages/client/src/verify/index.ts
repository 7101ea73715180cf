/**
 * @module
 * The `verify` namespace: chip verification for banks (C06 style, IDENTITY-NOTES §5): the raw
 * chip files and the personal ID in (a partner-signed request), a result out whose evidence
 * JWS is verified with WebCrypto against the issuer's JWKS (discovery `jwks_uri`, else
 * `/v1/jwks`) and compared member by member with the answer before `verified` is returned.
 */

import { type ChipFilesInput, encodeChipFiles } from '../eid/chip-files.ts';
import { buf, toHex, utf8 } from '../encoding.ts';
import { IdentityError } from '../errors.ts';
import type { components } from '../generated/api.ts';
import { call } from '../http/typed.ts';
import { maskPersonalId } from '../mask.ts';
import type { ClientContext } from '../options.ts';
import type { CallOptions } from '../session.ts';
import { verifyCompactJws } from './jws.ts';

export type ChipChecks = components['schemas']['ChipChecks'];

/** A verified chip verification: every member comes from the signed evidence. */
export interface ChipVerificationResult {
  /** True only when the chip passed passive authentication and holds the personal ID asked about. */
  verified: boolean;
  requestId: string;
  checks: ChipChecks;
  failure?: string;
  /** The compact JWS, to store as proof. */
  evidence: string;
  /** The evidence's verified payload. */
  evidenceClaims: Record<string, unknown>;
  /** The `kid` of the service key that signed it. */
  keyId: string | undefined;
}

export interface VerifyNamespace {
  /** Verifies chip files (e.g. `readCard(...).raw`) for a personal ID; needs the `partner` option. */
  chip(
    input: { personalId: string; chipFiles: ChipFilesInput },
    options?: CallOptions,
  ): Promise<ChipVerificationResult>;
}

const EVIDENCE_TYP = 'vneid-chip-verification+jwt';

function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) => k === kb[i] && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

export function createVerifyNamespace(ctx: ClientContext): VerifyNamespace {
  const t = ctx.transport;
  let jwks: Promise<{ keys: JsonWebKey[] }> | undefined;
  const loadJwks = (signal?: AbortSignal, fresh = false) => {
    if (fresh) jwks = undefined;
    jwks ??= (async () => {
      let uri = `${t.baseUrl}/v1/jwks`;
      try {
        const d = await t.request<{ jwks_uri?: unknown }>({
          method: 'GET',
          path: '/.well-known/openid-configuration',
          ...(signal ? { signal } : {}),
        });
        if (typeof d.body?.jwks_uri === 'string') uri = d.body.jwks_uri;
      } catch (e) {
        if ((e as IdentityError).code === 'aborted') throw e;
      }
      if (!uri.startsWith(`${t.baseUrl}/`))
        throw new IdentityError('unexpected_response', 'the jwks_uri is not on the issuer');
      const res = await t.request<{ keys?: unknown }>({
        method: 'GET',
        path: uri.slice(t.baseUrl.length),
        ...(signal ? { signal } : {}),
      });
      if (!Array.isArray(res.body?.keys))
        throw new IdentityError('unexpected_response', 'the JWKS has no keys');
      return { keys: res.body.keys as JsonWebKey[] };
    })().catch((e) => {
      jwks = undefined;
      throw e;
    });
    return jwks;
  };

  return {
    async chip(input, o = {}) {
      if (typeof input?.personalId !== 'string' || !/^[0-9]{12}$/.test(input.personalId))
        throw new IdentityError('invalid_argument', 'personalId must be 12 digits');
      const res = await call(t, 'post', '/v1/verifications/chip', {
        ...o,
        partner: true,
        body: { personalId: input.personalId, chipFiles: encodeChipFiles(input.chipFiles) },
      });
      const answer = res.body;
      const invalid = (why: string) =>
        new IdentityError('evidence_signature_invalid', `the chip verification evidence ${why}`, {
          requestId: res.requestId,
          status: res.status,
        });
      let parts = await verifyCompactJws(answer.evidence, await loadJwks(o.signal));
      // a key rotated since the JWKS was cached: fetch it once more
      if (!parts) parts = await verifyCompactJws(answer.evidence, await loadJwks(o.signal, true));
      if (!parts) throw invalid('does not verify against the issuer JWKS');
      const { header, payload } = parts;
      if (header['typ'] !== EVIDENCE_TYP) throw invalid(`has typ ${String(header['typ'])}`);
      if (payload['iss'] !== t.baseUrl) throw invalid('is not issued by the issuer');
      const partnerCode = ctx.options.partner?.code;
      const aud = payload['aud'];
      if (
        partnerCode !== undefined &&
        aud !== partnerCode &&
        !(Array.isArray(aud) && aud.includes(partnerCode))
      )
        throw invalid('is for another partner');
      const idHash = toHex(
        new Uint8Array(await crypto.subtle.digest('SHA-256', buf(utf8(input.personalId)))),
      );
      if (payload['personalIdHash'] !== idHash)
        throw invalid(`is about another personal ID than ${maskPersonalId(input.personalId)}`);
      if (payload['requestId'] !== answer.requestId) throw invalid('has another requestId');
      if (payload['verified'] !== answer.verified || typeof payload['verified'] !== 'boolean')
        throw invalid('disagrees with the answer on verified');
      if (!sameJson(payload['checks'], answer.checks)) throw invalid('disagrees with the answer on checks');
      return {
        verified: payload['verified'],
        requestId: answer.requestId,
        checks: payload['checks'] as ChipChecks,
        ...(answer.failure !== undefined ? { failure: answer.failure } : {}),
        evidence: answer.evidence,
        evidenceClaims: payload,
        keyId: typeof header['kid'] === 'string' ? header['kid'] : undefined,
      };
    },
  };
}
