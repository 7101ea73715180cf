/**
 * Chip Authentication replayed byte for byte against sessions recorded from real passports
 * (gmrtd's test suite): the terminal key pair, the shared secret and session keys, and the
 * protected APDUs through the real secure channel, including the SELECT that proves the chip.
 */
import { fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import {
  performChipAuthentication,
  selectChipAuthentication,
  selectFileProbe,
} from '../../src/protocols/ca.ts';
import { kdf } from '../../src/protocols/pace/cipher-suite.ts';
import {
  baseGenerator,
  bytesToBigInt,
  publicKeyFor,
  sharedSecret,
} from '../../src/protocols/pace/domain-parameters.ts';
import { createSecureChannel } from '../../src/sm/index.ts';
import { type ApduTransport, createScriptedTransport } from '../../src/transport/index.ts';

interface Trace {
  name: string;
  dg14: string;
  oid: string;
  keyId: number | null;
  smBefore: { cipher: '3des' | 'aes'; keyBits: 128; kEnc: string; kMac: string; ssc: string };
  terminalPrivateKey: string;
  terminalPublicKey: string;
  exchanges: Array<{ step: string; command: string; response: string }>;
  smAfter: { cipher: '3des' | 'aes'; keyBits: 128; kEnc: string; kMac: string; sscAfterProbe: string };
}

const file = loadVectors<Trace>(import.meta.url, 'ca-traces');

describe(`recorded Chip Authentication sessions (${file.source.slice(0, 48)}…)`, () => {
  for (const v of file.vectors) {
    const dg14 = fromHex(v.dg14);
    /**
     * Chip Authentication over `card` inside the recorded session's secure channel (its keys and
     * SSC before CA), with the recorded terminal key and the SELECT of EF.DG14 (010E) as probe.
     */
    const replayCa = (card: ApduTransport): ReturnType<typeof performChipAuthentication> =>
      performChipAuthentication(
        createSecureChannel(card, {
          cipher: v.smBefore.cipher,
          keyBits: 128,
          kEnc: fromHex(v.smBefore.kEnc),
          kMac: fromHex(v.smBefore.kMac),
          ssc: fromHex(v.smBefore.ssc),
        }),
        { dg14, random: () => fromHex(v.terminalPrivateKey), probe: selectFileProbe(0x010e) },
      );

    it(`${v.name}: DG14 selection (explicit brainpoolP256r1 recognised)`, () => {
      const s = selectChipAuthentication(dg14);
      expect(s.oid).toBe(v.oid);
      expect(s.keyId).toBe(v.keyId ?? undefined);
      expect(s.domain.name).toBe('brainpoolP256r1');
      expect(s.suite.cipher).toBe(v.smBefore.cipher);
    });

    it(`${v.name}: terminal public key and the session keys after CA`, () => {
      const s = selectChipAuthentication(dg14);
      const sk = bytesToBigInt(fromHex(v.terminalPrivateKey));
      expect(toHex(publicKeyFor(s.domain, baseGenerator(s.domain), sk))).toBe(
        v.terminalPublicKey.toLowerCase(),
      );
      const k = sharedSecret(s.domain, sk, s.chipPublicKey);
      expect(toHex(kdf(s.suite, k, 1))).toBe(v.smAfter.kEnc.toLowerCase());
      expect(toHex(kdf(s.suite, k, 2))).toBe(v.smAfter.kMac.toLowerCase());
    });

    it(`${v.name}: full APDU replay through the secure channel, proven by the SELECT`, async () => {
      const card = createScriptedTransport(v.exchanges);
      const result = await replayCa(card);
      expect(card.remaining).toBe(0);
      expect(result).toMatchObject({
        ok: true,
        proven: true,
        oid: v.oid,
        keyId: v.keyId ?? undefined,
        keyAgreement: 'ECDH',
        cipher: v.smBefore.cipher,
        keyBits: 128,
        commands: 'AT',
        domainName: 'brainpoolP256r1',
      });
      expect(toHex(result.terminalEphemeralPublicKey)).toBe(v.terminalPublicKey.toLowerCase());
    });

    it(`${v.name}: a chip answering the probe under other keys is a clone`, async () => {
      // Same exchanges, but the SELECT's response MAC byte altered: not verifiable under the new keys.
      const exchanges = v.exchanges.map((e, i) =>
        i === 2
          ? {
              ...e,
              response: e.response.replace(
                /(..)9000$/i,
                (_m, b: string) =>
                  `${((Number.parseInt(b, 16) ^ 1) & 0xff).toString(16).padStart(2, '0')}9000`,
              ),
            }
          : e,
      );
      const result = await replayCa(createScriptedTransport(exchanges));
      expect(result).toMatchObject({ ok: false, proven: false, reason: 'CLONED_CHIP' });
    });
  }
});
