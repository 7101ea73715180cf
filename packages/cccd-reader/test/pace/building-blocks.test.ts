import { fromHex, toHex } from '@vneid/core/bytes';
import type { MrzKey } from '@vneid/core/mrz';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { describeProtocolOid } from '../../src/lds/oids.ts';
import { encryptNonce } from '../../src/protocols/card/pace-card.ts';
import {
  computeAuthenticationToken,
  encodePublicKeyDataObject,
} from '../../src/protocols/pace/authentication-token.ts';
import { cipherSuite, encryptBlocks, kdf } from '../../src/protocols/pace/cipher-suite.ts';
import {
  baseGenerator,
  bytesToBigInt,
  domainForParameterId,
  encodePoint,
  publicKeyFor,
  sharedSecret,
} from '../../src/protocols/pace/domain-parameters.ts';
import { genericMapping } from '../../src/protocols/pace/generic-mapping.ts';
import { integratedMapping, pseudoRandomNumber } from '../../src/protocols/pace/integrated-mapping.ts';
import { decryptNonce, passwordBytes, passwordKey } from '../../src/protocols/pace/password.ts';

interface PaceVector {
  name: string;
  protocolOid: string;
  parameterId: number;
  password: MrzKey | { can: string };
  pi?: string;
  kPi: string;
  encryptedNonce: string;
  nonce: string;
  terminalNonce?: string;
  pseudoRandom?: string;
  pseudoRandomModP?: string;
  terminalMappingPrivateKey?: string;
  terminalMappingPublicKey?: string;
  chipMappingPrivateKey?: string;
  chipMappingPublicKey?: string;
  mappedGenerator: string;
  terminalEphemeralPrivateKey: string;
  terminalEphemeralPublicKey: string;
  chipEphemeralPrivateKey?: string;
  chipEphemeralPublicKey: string;
  sharedSecret: string;
  kEnc: string;
  kMac: string;
  terminalToken: string;
  chipToken: string;
}

const H = (b: Uint8Array): string => toHex(b).toUpperCase();

const files = ['pace-ecdh-gm', 'pace-ecdh-im', 'pace-dh-gm', 'pace-dh-im'] as const;

for (const file of files) {
  const { source, vectors } = loadVectors<PaceVector>(import.meta.url, file);
  describe(`${file}: ${source.slice(0, 80)}…`, () => {
    for (const v of vectors) {
      const desc = describeProtocolOid(v.protocolOid);
      if (desc?.protocol !== 'PACE' || desc.cipher === undefined || desc.keyLength === undefined) {
        throw new Error('bad vector OID');
      }
      const suite = cipherSuite(desc.cipher, desc.keyLength);
      const domain = domainForParameterId(v.parameterId);

      it(`${v.name}: password, K_π and nonce`, () => {
        if (v.pi !== undefined) expect(H(passwordBytes(v.password))).toBe(v.pi);
        const kPi = passwordKey(suite, v.password);
        expect(H(kPi)).toBe(v.kPi);
        expect(H(decryptNonce(suite, kPi, fromHex(v.encryptedNonce)))).toBe(v.nonce);
        expect(H(encryptNonce(suite, kPi, fromHex(v.nonce)))).toBe(v.encryptedNonce);
      });

      it(`${v.name}: mapping gives the example's generator`, () => {
        const s = fromHex(v.nonce);
        let generator: ReturnType<typeof genericMapping>;
        if (desc.mapping === 'IM') {
          const t = fromHex(v.terminalNonce as string);
          const encrypt = (k: Uint8Array, d: Uint8Array): Uint8Array => encryptBlocks(suite, k, d);
          const pBits = (domain.kind === 'ec' ? domain.curve.p : domain.group.p).toString(2).length;
          expect(H(pseudoRandomNumber(s, t, pBits, suite.keyLength, encrypt))).toBe(v.pseudoRandom);
          generator = integratedMapping(domain, s, t, suite.keyLength, encrypt);
        } else {
          const tKey = bytesToBigInt(fromHex(v.terminalMappingPrivateKey as string));
          expect(H(publicKeyFor(domain, baseGenerator(domain), tKey))).toBe(v.terminalMappingPublicKey);
          generator = genericMapping(domain, s, tKey, fromHex(v.chipMappingPublicKey as string));
          if (v.chipMappingPrivateKey !== undefined) {
            // The chip's view of the same mapping gives the same generator.
            const cKey = bytesToBigInt(fromHex(v.chipMappingPrivateKey));
            expect(H(publicKeyFor(domain, baseGenerator(domain), cKey))).toBe(v.chipMappingPublicKey);
            const chipSide = genericMapping(domain, s, cKey, fromHex(v.terminalMappingPublicKey as string));
            expect(chipSide).toEqual(generator);
          }
        }
        const encoded =
          generator.kind === 'ec'
            ? encodePoint(generator.point)
            : fromHex(generator.g.toString(16).padStart(domain.byteLength * 2, '0'));
        expect(H(encoded)).toBe(v.mappedGenerator);
      });

      it(`${v.name}: key agreement, session keys and tokens`, () => {
        const generator =
          domain.kind === 'ec'
            ? { kind: 'ec' as const, point: domain.Point.fromBytes(fromHex(v.mappedGenerator)) }
            : { kind: 'dh' as const, g: bytesToBigInt(fromHex(v.mappedGenerator)) };
        const tKey = bytesToBigInt(fromHex(v.terminalEphemeralPrivateKey));
        expect(H(publicKeyFor(domain, generator, tKey))).toBe(v.terminalEphemeralPublicKey);
        if (v.chipEphemeralPrivateKey !== undefined) {
          const cKey = bytesToBigInt(fromHex(v.chipEphemeralPrivateKey));
          expect(H(publicKeyFor(domain, generator, cKey))).toBe(v.chipEphemeralPublicKey);
          expect(H(sharedSecret(domain, cKey, fromHex(v.terminalEphemeralPublicKey)))).toBe(v.sharedSecret);
        }
        const k = sharedSecret(domain, tKey, fromHex(v.chipEphemeralPublicKey));
        expect(H(k)).toBe(v.sharedSecret);
        const kEnc = kdf(suite, k, 1);
        const kMac = kdf(suite, k, 2);
        expect(H(kEnc)).toBe(v.kEnc);
        expect(H(kMac)).toBe(v.kMac);
        const ka = desc.keyAgreement as 'DH' | 'ECDH';
        expect(
          H(computeAuthenticationToken(suite, kMac, v.protocolOid, ka, fromHex(v.chipEphemeralPublicKey))),
        ).toBe(v.terminalToken);
        expect(
          H(
            computeAuthenticationToken(suite, kMac, v.protocolOid, ka, fromHex(v.terminalEphemeralPublicKey)),
          ),
        ).toBe(v.chipToken);
      });
    }
  });
}

describe('public key data object', () => {
  it('encodes 7F49 { 06 OID, 86 point } as in the ICAO example (TR-03110-3 D.3.3)', () => {
    const point = fromHex(
      '049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094',
    );
    expect(H(encodePublicKeyDataObject('0.4.0.127.0.7.2.2.4.2.2', 'ECDH', point))).toBe(
      `7F494F060A04007F000702020402028641${H(point)}`,
    );
  });
  it('encodes a DH value as an unsigned integer without leading zeros (tag 84)', () => {
    expect(H(encodePublicKeyDataObject('0.4.0.127.0.7.2.2.4.1.2', 'DH', fromHex('0000ABCD')))).toBe(
      '7F4910060A04007F00070202040102' + '8402ABCD',
    );
  });
});
