/**
 * Chip Authentication end to end: the terminal (performChipAuthentication) against an in-test
 * chip built from the card-side functions and the sm layer's card-side secure messaging, over
 * ECDH (explicit/named/standardized brainpoolP256r1, NIST P-256, a curve with a non-standard
 * generator) and DH, AES-128/192/256 and 3DES (Set AT and Set KAT), key IDs, and cloned chips.
 */
import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { type EcCurveParameters, MODP_GROUPS, NAMED_CURVES } from '../../src/lds/oids.ts';
import {
  performChipAuthentication,
  selectChipAuthentication,
  selectFileProbe,
} from '../../src/protocols/ca.ts';
import { dhDomain, ecDomain, encodePoint } from '../../src/protocols/pace/domain-parameters.ts';
import { buildCommandApdu, parseResponseApdu } from '../../src/transport/index.ts';
import { CA_OID, type ChipKey, chipKey, chipSpki, dg14, FILE_DATA, testCard } from './card.ts';

const brainpool = ecDomain(NAMED_CURVES.brainpoolP256r1 as never);
const p256 = ecDomain(NAMED_CURVES.secp256r1 as never);
const readBinary = buildCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });

async function readAfter(channel: { transceive(c: Uint8Array): Promise<Uint8Array> }): Promise<string> {
  const r = parseResponseApdu(await channel.transceive(readBinary));
  expect(r.sw).toBe(0x9000);
  return toHex(r.data);
}

describe('ECDH round trips (probe and a protected read under the new keys)', () => {
  const cases: Array<
    [string, string, 'explicit' | 'named' | { standardized: number }, ChipKey, 'aes' | '3des', number]
  > = [
    [
      'brainpoolP256r1 explicit, AES-128 (as the CCCD)',
      CA_OID.ecdhAes128,
      'explicit',
      chipKey(brainpool),
      'aes',
      128,
    ],
    ['brainpoolP256r1 named, AES-192', CA_OID.ecdhAes192, 'named', chipKey(brainpool), 'aes', 192],
    [
      'brainpoolP256r1 standardized ID 13, AES-256',
      CA_OID.ecdhAes256,
      { standardized: 13 },
      chipKey(brainpool),
      'aes',
      256,
    ],
    ['P-256 standardized ID 12, AES-128', CA_OID.ecdhAes128, { standardized: 12 }, chipKey(p256), 'aes', 128],
    [
      'brainpoolP256r1 explicit, 3DES via MSE:Set AT',
      CA_OID.ecdh3des,
      'explicit',
      chipKey(brainpool),
      '3des',
      128,
    ],
  ];
  for (const [name, oid, form, key, cipher, keyBits] of cases) {
    it(name, async () => {
      const card = testCard({ keys: new Map([[-1, key]]) }, cipher === '3des' ? '3des' : 'aes');
      const result = await performChipAuthentication(card.channel, {
        dg14: dg14([{ oid }], [{ spki: chipSpki(key, form) }]),
        probe: selectFileProbe(0x011e),
      });
      expect(result).toMatchObject({
        ok: true,
        proven: true,
        oid,
        cipher,
        keyBits,
        commands: 'AT',
        keyAgreement: 'ECDH',
      });
      expect(card.cardKeys?.cipher).toBe(cipher);
      expect(card.cardKeys?.keyBits).toBe(keyBits);
      expect(await readAfter(card.channel)).toBe(toHex(FILE_DATA));
      // MSE:Set AT carries only the OID (no key ID), GA carries 7C { 80 pk }.
      expect(toHex(card.received[0] as Uint8Array).startsWith('002241a4')).toBe(true);
      expect(toHex(card.received[1] as Uint8Array).startsWith('00860000')).toBe(true);
    });
  }

  it('explicit parameters that are no named curve (brainpoolP256r1 with generator 2G) are built as their own curve', async () => {
    const g2 = brainpool.Point.BASE.double().toAffine();
    const custom = ecDomain({ ...(NAMED_CURVES.brainpoolP256r1 as EcCurveParameters), gx: g2.x, gy: g2.y });
    expect(custom.name).toBeUndefined();
    const key = chipKey(custom);
    const card = testCard({ keys: new Map([[-1, key]]) });
    const doc = dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(key, 'explicit') }]);
    expect(selectChipAuthentication(doc).domain.name).toBeUndefined();
    const result = await performChipAuthentication(card.channel, {
      dg14: doc,
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: true, proven: true, domainName: undefined });
  });

  it('the terminal key comes from random(): a scalar ≥ n is drawn again', async () => {
    const key = chipKey(brainpool);
    const card = testCard({ keys: new Map([[-1, key]]) });
    const draws: number[] = [];
    const n = brainpool.curve.n;
    const tooBig = Uint8Array.from(Buffer.from(n.toString(16), 'hex'));
    let first = true;
    const result = await performChipAuthentication(card.channel, {
      dg14: dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(key) }]),
      random: (len) => {
        draws.push(len);
        if (first) {
          first = false;
          return tooBig;
        }
        return new Uint8Array(len).fill(0x11);
      },
      probe: selectFileProbe(0x011e),
    });
    expect(draws).toEqual([32, 32]);
    expect(result.ok).toBe(true);
    expect(toHex(result.terminalEphemeralPublicKey)).toBe(
      toHex(encodePoint(brainpool.Point.BASE.multiply(BigInt(`0x${'11'.repeat(32)}`)))),
    );
  });
});

describe('DH', () => {
  it('modp1024-160, AES-128', async () => {
    const key = chipKey(dhDomain(MODP_GROUPS['modp1024-160'] as never));
    const card = testCard({ keys: new Map([[-1, key]]) });
    const result = await performChipAuthentication(card.channel, {
      dg14: dg14([{ oid: CA_OID.dhAes128 }], [{ spki: chipSpki(key), dh: true }]),
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: true, proven: true, keyAgreement: 'DH', domainName: 'modp1024-160' });
    expect(result.terminalEphemeralPublicKey.length).toBe(128);
    expect(await readAfter(card.channel)).toBe(toHex(FILE_DATA));
  });
  it('modp2048-224, 3DES without ChipAuthenticationInfo (CA v1 → MSE:Set KAT)', async () => {
    const key = chipKey(dhDomain(MODP_GROUPS['modp2048-224'] as never));
    const card = testCard({ keys: new Map([[-1, key]]) }, '3des');
    const result = await performChipAuthentication(card.channel, {
      dg14: dg14([], [{ spki: chipSpki(key), dh: true }]),
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({
      ok: true,
      proven: true,
      commands: 'KAT',
      oid: CA_OID.dh3des,
      version: 1,
      cipher: '3des',
    });
    expect(toHex(card.received[0] as Uint8Array).startsWith('002241a6')).toBe(true);
  });
});

describe('3DES command sets', () => {
  it('ECDH without ChipAuthenticationInfo uses MSE:Set KAT (91 ephemeral key)', async () => {
    const key = chipKey(brainpool);
    const card = testCard({ keys: new Map([[-1, key]]) }, '3des');
    const result = await performChipAuthentication(card.channel, {
      dg14: dg14([], [{ spki: chipSpki(key) }]),
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: true, proven: true, commands: 'KAT', oid: CA_OID.ecdh3des });
    expect(toHex(card.received[0] as Uint8Array).slice(0, 14)).toBe('002241a6439141');
  });
  it('a 3DES chip refusing MSE:Set AT (6A80) falls back to MSE:Set KAT', async () => {
    const key = chipKey(brainpool);
    const card = testCard({ keys: new Map([[-1, key]]), mseSetAtSw: 0x6a80 }, '3des');
    const result = await performChipAuthentication(card.channel, {
      dg14: dg14([{ oid: CA_OID.ecdh3des }], [{ spki: chipSpki(key) }]),
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: true, proven: true, commands: 'KAT' });
  });
  it("commands: 'KAT' forces Set KAT; 'AT' does not fall back", async () => {
    const key = chipKey(brainpool);
    const forced = testCard({ keys: new Map([[-1, key]]) }, '3des');
    expect(
      (
        await performChipAuthentication(forced.channel, {
          dg14: dg14([{ oid: CA_OID.ecdh3des }], [{ spki: chipSpki(key) }]),
          commands: 'KAT',
        })
      ).commands,
    ).toBe('KAT');
    const refusing = testCard({ keys: new Map([[-1, key]]), mseSetAtSw: 0x6a80 }, '3des');
    await expect(
      performChipAuthentication(refusing.channel, {
        dg14: dg14([{ oid: CA_OID.ecdh3des }], [{ spki: chipSpki(key) }]),
        commands: 'AT',
      }),
    ).rejects.toMatchObject({ code: 'CA_FAILED', context: { step: 'MSE_SET_AT', sw: 0x6a80 } });
  });
});

describe('key IDs', () => {
  const k1 = chipKey(brainpool);
  const k2 = chipKey(p256);
  const doc = dg14(
    [
      { oid: CA_OID.ecdhAes128, keyId: 1 },
      { oid: CA_OID.ecdhAes256, keyId: 2 },
    ],
    [
      { spki: chipSpki(k1), keyId: 1 },
      { spki: chipSpki(k2, { standardized: 12 }), keyId: 2 },
    ],
  );
  it('MSE:Set AT carries 84 <keyId> and the chosen key is used', async () => {
    for (const keyId of [1, 2]) {
      const card = testCard({
        keys: new Map([
          [1, k1],
          [2, k2],
        ]),
      });
      const result = await performChipAuthentication(card.channel, {
        dg14: doc,
        keyId,
        probe: selectFileProbe(0x011e),
      });
      expect(result).toMatchObject({ ok: true, proven: true, keyId, keyBits: keyId === 1 ? 128 : 256 });
      expect(toHex(card.received[0] as Uint8Array).endsWith(`84010${keyId}`)).toBe(true);
    }
  });
  it("without keyId the first key is chosen; keyReference 'never' omits 84", async () => {
    const card = testCard({
      keys: new Map([
        [1, k1],
        [2, k2],
        [-1, k1],
      ]),
    });
    const result = await performChipAuthentication(card.channel, {
      dg14: doc,
      keyReference: 'never',
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: true, keyId: 1 });
    expect(toHex(card.received[0] as Uint8Array)).toBe('002241a40c800a04007f00070202030202');
  });
  it('an unknown key ID fails at SETUP', async () => {
    const card = testCard({ keys: new Map([[1, k1]]) });
    await expect(performChipAuthentication(card.channel, { dg14: doc, keyId: 9 })).rejects.toMatchObject({
      code: 'CA_FAILED',
      context: { step: 'SETUP' },
    });
    expect(card.received.length).toBe(0);
  });
});

describe('cloned chip (DG14 key copied, private key unknown)', () => {
  const genuine = chipKey(brainpool);
  const clone = chipKey(brainpool);
  const doc = dg14([{ oid: CA_OID.ecdhAes128 }], [{ spki: chipSpki(genuine) }]);

  it('a clone that checks MACs answers 6988 to the probe → ok false, CLONED_CHIP', async () => {
    const card = testCard({ keys: new Map([[-1, clone]]) });
    const result = await performChipAuthentication(card.channel, {
      dg14: doc,
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: false, proven: false, reason: 'CLONED_CHIP' });
  });
  it('a clone answering under its own keys fails the MAC → CLONED_CHIP', async () => {
    const card = testCard({ keys: new Map([[-1, clone]]), reckless: true });
    const result = await performChipAuthentication(card.channel, {
      dg14: doc,
      probe: selectFileProbe(0x011e),
    });
    expect(result).toMatchObject({ ok: false, reason: 'CLONED_CHIP' });
  });
  it('without a probe, the next protected read fails with SM_MAC_MISMATCH (the caller maps it to CA failure)', async () => {
    const card = testCard({ keys: new Map([[-1, clone]]), reckless: true });
    const result = await performChipAuthentication(card.channel, { dg14: doc });
    expect(result).toMatchObject({ ok: true, proven: false });
    await expect(card.channel.transceive(readBinary)).rejects.toMatchObject({ code: 'SM_MAC_MISMATCH' });
  });
  it('the genuine chip passes the same flow', async () => {
    const card = testCard({ keys: new Map([[-1, genuine]]), reckless: true });
    expect(
      (await performChipAuthentication(card.channel, { dg14: doc, probe: selectFileProbe(0x011e) })).ok,
    ).toBe(true);
    expect(await readAfter(card.channel)).toBe(toHex(FILE_DATA));
  });
});
