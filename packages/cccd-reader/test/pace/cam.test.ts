import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '@vneid/core/bytes';
import { decodeTlv, findTlv } from '@vneid/core/tlv';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir, loadVectors } from '../../../../test/support/vectors.ts';
import { type ChipAuthenticationPublicKeyInfo, parseCardSecurity } from '../../src/lds/security-infos.ts';
import { encryptChipAuthenticationData } from '../../src/protocols/card/pace-card.ts';
import {
  decryptChipAuthenticationData,
  verifyChipAuthenticationMapping,
} from '../../src/protocols/pace/chip-authentication-mapping.ts';
import { cipherSuite } from '../../src/protocols/pace/cipher-suite.ts';
import { domainForParameterId, encodePoint } from '../../src/protocols/pace/domain-parameters.ts';

interface CamVector {
  kEnc: string;
  apdus: { step: string; command: string; response: string }[];
}

const { vectors } = loadVectors<CamVector>(import.meta.url, 'pace-ecdh-cam');
const domain = domainForParameterId(13);
if (domain.kind !== 'ec') throw new Error('kind');
const suite = cipherSuite('AES', 128);
const responseObjects = (hex: string) => decodeTlv(fromHex(hex.slice(0, -4)));

describe('PACE-CAM (ICAO 9303-11 §4.4.3.5)', () => {
  const v = vectors[0] as CamVector;
  const chipMapping = findTlv(responseObjects(v.apdus[2]?.response as string), 0x82)?.value as Uint8Array;
  const aIc = findTlv(responseObjects(v.apdus[4]?.response as string), 0x8a)?.value as Uint8Array;

  it('decrypts A_IC of the real-card trace and finds CA_IC in range', () => {
    expect(aIc.length).toBe(48);
    const ca = decryptChipAuthenticationData(suite, fromHex(v.kEnc), aIc);
    expect(ca > 0n && ca < domain.curve.n).toBe(true);
  });

  const dir = interopSamplesDir();
  it.skipIf(dir === null)('verifies PK_Map,IC = CA_IC · PK_IC with the key in EF.CardSecurity', () => {
    const cs = parseCardSecurity(
      new Uint8Array(
        readFileSync(join(dir as string, 'cardsecurity/DE_EF_CardSecurity_from_gmrtd_trace.bin')),
      ),
    );
    const keys = cs.securityInfos.infos.filter(
      (i): i is ChipAuthenticationPublicKeyInfo => i.type === 'ChipAuthenticationPublicKeyInfo',
    );
    const ca = decryptChipAuthenticationData(suite, fromHex(v.kEnc), aIc);
    const verdicts = keys.map((k) => [
      k.keyId,
      verifyChipAuthenticationMapping(domain, ca, chipMapping, k.publicKey.publicKey),
    ]);
    // Exactly one of the card's two CA keys is the PACE-CAM key.
    expect(verdicts.filter(([, ok]) => ok)).toHaveLength(1);
    // A wrong CA_IC (a cloned chip without the static key) fails.
    for (const k of keys) {
      expect(verifyChipAuthenticationMapping(domain, ca + 1n, chipMapping, k.publicKey.publicKey)).toBe(
        false,
      );
    }
  });

  it('round-trips chip side → terminal side', () => {
    const skIc = 0x1234567890abcdefn;
    const skMap = 0xfedcba0987654321n;
    const kEnc = fromHex('000102030405060708090A0B0C0D0E0F');
    const a = encryptChipAuthenticationData(domain, suite, kEnc, skIc, skMap);
    const ca = decryptChipAuthenticationData(suite, kEnc, a);
    const pkIc = encodePoint(domain.Point.BASE.multiply(skIc));
    const pkMap = encodePoint(domain.Point.BASE.multiply(skMap));
    expect(verifyChipAuthenticationMapping(domain, ca, pkMap, pkIc)).toBe(true);
    expect(() => decryptChipAuthenticationData(suite, kEnc, a.subarray(0, 40))).toThrowError(
      expect.objectContaining({ code: 'INVALID_MAPPING' }),
    );
  });
});
