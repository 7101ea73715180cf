/**
 * @module
 * Choosing a PACEInfo from EF.CardAccess (ICAO Doc 9303 Part 11 §4.4.1: the terminal may pick
 * any advertised protocol) and checking PACE-CAM afterwards against the chip's static key from
 * EF.CardSecurity (§4.4.3.5.2).
 */
import type { PaceInfo, SecurityInfo, SecurityInfos } from '../../lds/security-infos.ts';
import { requireArgument } from './arguments.ts';
import { verifyChipAuthenticationMapping } from './chip-authentication-mapping.ts';
import { domainForParameterId, type EcDomain } from './domain-parameters.ts';
import type { PaceResult } from './perform-pace.ts';

const MAPPING_RANK = { CAM: 0, GM: 1, IM: 2 } as const;

/**
 * The PACEInfo to use among those a card lists: only standardized parameter IDs this SDK
 * supports; preferring `mappings` in the given order (default CAM, GM, IM), ECDH over DH, then
 * the longer key. Undefined when none is usable.
 */
export function selectPaceInfo(
  infos: readonly PaceInfo[],
  mappings: readonly ('GM' | 'IM' | 'CAM')[] = ['CAM', 'GM', 'IM'],
): PaceInfo | undefined {
  requireArgument(Array.isArray(infos), 'an array of PACEInfo (from paceInfos)');
  requireArgument(Array.isArray(mappings), "an array of mappings ('GM', 'IM', 'CAM') when given");
  const usable = infos.filter((p) => {
    if (typeof p !== 'object' || p === null) return false;
    if (p.parameterId === undefined || !mappings.includes(p.mapping)) return false;
    try {
      domainForParameterId(p.parameterId);
      return true;
    } catch {
      return false;
    }
  });
  const rank = (p: PaceInfo): number[] => [
    mappings.indexOf(p.mapping),
    MAPPING_RANK[p.mapping],
    p.keyAgreement === 'ECDH' ? 0 : 1,
    -p.keyLength,
  ];
  return [...usable].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
    return 0;
  })[0];
}

/** Outcome of checking PACE-CAM against EF.CardSecurity. */
export interface PaceCamReport {
  /** True when CA_IC maps one of the card's static CA keys to its PACE mapping key. */
  ok: boolean;
  /** keyId of the ChipAuthenticationPublicKeyInfo that matched. */
  keyId: number | undefined;
  /** Why it failed: not a CAM run, no usable CA key, or no key matched. */
  reason?: 'NOT_CAM' | 'NO_KEY' | 'MISMATCH';
}

/**
 * Checks a PACE-CAM result: PK_Map,IC = CA_IC · PK_IC for a ChipAuthenticationPublicKeyInfo of
 * EF.CardSecurity (read over the PACE channel, its signature checked by passive authentication).
 */
export function verifyPaceCam(
  result: PaceResult,
  cardSecurity: SecurityInfos | readonly SecurityInfo[],
): PaceCamReport {
  requireArgument(typeof result === 'object' && result !== null, 'a PACE result (from performPace)');
  requireArgument(
    Array.isArray(cardSecurity) || Array.isArray((cardSecurity as SecurityInfos | null)?.infos),
    'parsed SecurityInfos of EF.CardSecurity or an array of SecurityInfo',
  );
  if (
    result.mapping !== 'CAM' ||
    result.chipAuthenticationData === undefined ||
    result.chipMappingPublicKey === undefined ||
    result.parameterId === undefined
  ) {
    return { ok: false, keyId: undefined, reason: 'NOT_CAM' };
  }
  const domain = domainForParameterId(result.parameterId) as EcDomain;
  const list = Array.isArray(cardSecurity) ? cardSecurity : (cardSecurity as SecurityInfos).infos;
  const keys = (list as SecurityInfo[]).filter(
    (i) =>
      typeof i === 'object' &&
      i !== null &&
      i.type === 'ChipAuthenticationPublicKeyInfo' &&
      i.keyAgreement === 'ECDH',
  );
  if (keys.length === 0) return { ok: false, keyId: undefined, reason: 'NO_KEY' };
  for (const k of keys) {
    if (k.type !== 'ChipAuthenticationPublicKeyInfo') continue;
    try {
      if (
        verifyChipAuthenticationMapping(
          domain,
          result.chipAuthenticationData,
          result.chipMappingPublicKey,
          k.publicKey.publicKey,
        )
      ) {
        return { ok: true, keyId: k.keyId };
      }
    } catch {
      // A key on another curve cannot match; try the next one.
    }
  }
  return { ok: false, keyId: undefined, reason: 'MISMATCH' };
}
