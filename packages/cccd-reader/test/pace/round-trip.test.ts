import { toHex } from '@vneid/core/bytes';
import { decodeOid, decodeTlv, encodeTlv, findTlv, type Tlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seeded } from '../../../../test/support/random.ts';
import { paceProtocolOid, STANDARDIZED_DOMAIN_PARAMETER_IDS } from '../../src/lds/oids.ts';
import { encryptChipAuthenticationData, encryptNonce } from '../../src/protocols/card/pace-card.ts';
import {
  baseGenerator,
  type CipherSuite,
  cipherSuite,
  computeAuthenticationToken,
  domainForParameterId,
  drawPrivateKey,
  encodePoint,
  encryptBlocks,
  genericMapping,
  integratedMapping,
  kdf,
  type PaceGenerator,
  type PacePassword,
  type PaceSessionKeys,
  passwordKey,
  performPace,
  publicKeyFor,
  sharedSecret,
  verifyAuthenticationToken,
  verifyChipAuthenticationMapping,
} from '../../src/protocols/pace/index.ts';
import { tripleDesPrimitives } from '../../src/protocols/pace/triple-des.ts';
import type { ApduTransport } from '../../src/transport/index.ts';

/**
 * A minimal PACE card made only of the exported chip-side building blocks (nonce encryption,
 * mappings, key agreement, tokens, CAM data), so that performPace is checked against an
 * independent run of the protocol on every parameter ID, mapping and cipher.
 */
type TestCard = ApduTransport & { parameterId: number; keys?: { kEnc: Uint8Array; kMac: Uint8Array } };

function paceCard(
  password: PacePassword,
  random: (n: number) => Uint8Array,
  staticKey: bigint,
  parameterId: number,
): TestCard {
  let oid = '';
  let suite: CipherSuite | undefined;
  let domain: ReturnType<typeof domainForParameterId> | undefined;
  let s: Uint8Array = new Uint8Array(0);
  let mapping: 'GM' | 'IM' | 'CAM' = 'GM';
  let chipMapKey = 0n;
  let generator: PaceGenerator | undefined;
  let chipEphPublic: Uint8Array = new Uint8Array(0);
  let kEnc: Uint8Array = new Uint8Array(0);
  let kMac: Uint8Array = new Uint8Array(0);
  let termEph: Uint8Array = new Uint8Array(0);
  const card: TestCard = {
    parameterId,
    async transceive(apdu: Uint8Array): Promise<Uint8Array> {
      const extended = apdu[4] === 0 && apdu.length > 7;
      const lc = extended ? ((apdu[5] as number) << 8) | (apdu[6] as number) : (apdu[4] as number);
      const data = apdu.subarray(extended ? 7 : 5, (extended ? 7 : 5) + lc);
      const ok = (objects: Uint8Array[]): Uint8Array =>
        Uint8Array.of(...encodeTlv(0x7c, objects), 0x90, 0x00);
      if (apdu[1] === 0x22) {
        const objs = decodeTlvs(data);
        oid = decodeOid(findTlv(objs, 0x80)?.value as Uint8Array);
        const id = findTlv(objs, 0x84)?.value[0];
        const parts = oid.split('.');
        mapping =
          ({ '1': 'GM', '2': 'GM', '3': 'IM', '4': 'IM', '6': 'CAM' } as const)[parts[9] as '1'] ?? 'GM';
        const c = parts[10] === '1' ? '3DES' : 'AES';
        suite = cipherSuite(c, ({ '2': 128, '3': 192, '4': 256 } as const)[parts[10] as '2'] ?? 128);
        domain = domainForParameterId(id ?? card.parameterId);
        return Uint8Array.of(0x90, 0x00);
      }
      const st = suite as CipherSuite;
      const dom = domain as ReturnType<typeof domainForParameterId>;
      const objs = decodeTlv(data).children ?? [];
      if (objs.length === 0) {
        s = random(16);
        return ok([encodeTlv(0x80, encryptNonce(st, passwordKey(st, password), s))]);
      }
      const m = findTlv(objs, 0x81);
      if (m !== undefined) {
        if (mapping === 'IM') {
          generator = integratedMapping(dom, s, m.value, st.keyLength, (k, d) => encryptBlocks(st, k, d));
          return ok([]);
        }
        chipMapKey = drawPrivateKey(dom, random);
        generator = genericMapping(dom, s, chipMapKey, m.value);
        return ok([encodeTlv(0x82, publicKeyFor(dom, baseGenerator(dom), chipMapKey))]);
      }
      const e = findTlv(objs, 0x83);
      if (e !== undefined) {
        termEph = e.value;
        const eph = drawPrivateKey(dom, random);
        chipEphPublic = publicKeyFor(dom, generator as PaceGenerator, eph);
        const k = sharedSecret(dom, eph, termEph);
        kEnc = kdf(st, k, 1);
        kMac = kdf(st, k, 2);
        card.keys = { kEnc, kMac };
        return ok([encodeTlv(0x84, chipEphPublic)]);
      }
      const t = findTlv(objs, 0x85) as Tlv;
      const ka = dom.kind === 'ec' ? 'ECDH' : 'DH';
      if (!verifyAuthenticationToken(computeAuthenticationToken(st, kMac, oid, ka, chipEphPublic), t.value)) {
        return Uint8Array.of(0x63, 0x00);
      }
      const out = [encodeTlv(0x86, computeAuthenticationToken(st, kMac, oid, ka, termEph))];
      if (mapping === 'CAM' && dom.kind === 'ec') {
        out.push(encodeTlv(0x8a, encryptChipAuthenticationData(dom, st, kEnc, staticKey, chipMapKey)));
      }
      return ok(out);
    },
  };
  return card;
}

function decodeTlvs(data: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let rest = data;
  while (rest.length > 0) {
    const len = rest[1] as number;
    const size = len < 0x80 ? 2 + len : 3 + (rest[2] as number);
    out.push(decodeTlv(rest.subarray(0, size)));
    rest = rest.subarray(size);
  }
  return out;
}

const has3des = (() => {
  try {
    tripleDesPrimitives();
    return true;
  } catch {
    return false;
  }
})();

type Case = { id: number; mapping: 'GM' | 'IM' | 'CAM'; cipher: 'AES' | '3DES'; bits: 128 | 192 | 256 };
const cases: Case[] = [];
for (const id of STANDARDIZED_DOMAIN_PARAMETER_IDS) {
  const ec = id >= 8;
  for (const mapping of ec ? (['GM', 'IM', 'CAM'] as const) : (['GM', 'IM'] as const)) {
    for (const [cipher, bits] of [
      ['AES', 128],
      ['AES', 192],
      ['AES', 256],
      ['3DES', 128],
    ] as const) {
      if (mapping === 'CAM' && cipher === '3DES') continue;
      if (mapping === 'IM' && id === 10) continue; // secp224r1: p ≡ 1 (mod 4), no Appendix B encoding
      cases.push({ id, mapping, cipher, bits });
    }
  }
}

describe('performPace against a card built from the chip-side building blocks', () => {
  for (const c of cases) {
    const title = `ID ${c.id} ${c.mapping} ${c.cipher}-${c.bits}`;
    it.skipIf(c.cipher === '3DES' && !has3des)(title, async () => {
      const oid = paceProtocolOid(c.id < 8 ? 'DH' : 'ECDH', c.mapping, c.cipher, c.bits) as string;
      const password: PacePassword =
        c.id % 2 === 0
          ? { can: '123456' }
          : { documentNumber: 'C0123456', dateOfBirth: '900101', dateOfExpiry: '300101' };
      const domain = domainForParameterId(c.id);
      const staticKey = drawPrivateKey(domain, seeded(c.id * 7 + 1));
      const card = paceCard(password, seeded(c.id * 31 + c.bits), staticKey, c.id);
      const captured: PaceSessionKeys[] = [];
      const result = await performPace(
        card,
        password,
        { oid, parameterId: c.id },
        {
          random: seeded(c.id + 1000 * c.bits),
          createChannel: (inner, keys) => {
            captured.push(keys);
            return inner as never;
          },
        },
      );
      const keys = captured[0] as PaceSessionKeys;
      expect(toHex(keys.kEnc)).toBe(toHex(card.keys?.kEnc as Uint8Array));
      expect(toHex(keys.kMac)).toBe(toHex(card.keys?.kMac as Uint8Array));
      expect(keys.kEnc.length).toBe(c.cipher === '3DES' ? 16 : c.bits / 8);
      if (c.mapping === 'CAM' && domain.kind === 'ec') {
        const pkIc = encodePoint(domain.Point.BASE.multiply(staticKey));
        expect(
          verifyChipAuthenticationMapping(
            domain,
            result.chipAuthenticationData as bigint,
            result.chipMappingPublicKey as Uint8Array,
            pkIc,
          ),
        ).toBe(true);
      }
    });
  }

  it('a wrong password is caught at MUTUAL_AUTHENTICATION for random CANs', async () => {
    const oid = paceProtocolOid('ECDH', 'GM', 'AES', 128) as string;
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[0-9]{6}$/),
        fc.stringMatching(/^[0-9]{6}$/),
        fc.integer(),
        async (can, other, seed) => {
          fc.pre(can !== other);
          const card = paceCard({ can }, seeded(seed), 5n, 13);
          await expect(
            performPace(card, { can: other }, { oid, parameterId: 13 }, { random: seeded(seed + 1) }),
          ).rejects.toMatchObject({
            code: 'PACE_FAILED',
            context: { step: 'MUTUAL_AUTHENTICATION', sw: 0x6300 },
          });
        },
      ),
      { numRuns: 20 },
    );
  });
});
