/**
 * Signature primitives checked against an independent implementation (WebCrypto) and edge
 * cases real documents hit: high-S ECDSA, plain r‖s signatures, PSS parameter sets, SHA-224.
 */
import { brainpoolP384r1 } from '@noble/curves/misc.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { type HashName, hashByName, type SignatureScheme } from '../../src/pa/algorithms.ts';
import { bigintToBytes } from '../../src/pa/asn1.ts';
import {
  curveFromParameters,
  namedCurve,
  type PublicKey,
  parsePublicKey,
  UnsupportedKey,
} from '../../src/pa/public-key.ts';
import { ecdsaSignatureValues, verifySignature } from '../../src/pa/verify-signature.ts';
import { defaultRandom, generateEcKey, generateRsaKey } from '../../src/pki-test/keys.ts';

const subtle = globalThis.crypto.subtle;
const keyOf = (spki: Uint8Array): PublicKey =>
  parsePublicKey(new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(spki).result }));
const msg = new TextEncoder().encode('signed attributes stand-in');

describe('RSA against WebCrypto', () => {
  it('WebCrypto PKCS#1 v1.5 and PSS signatures verify here (SHA-1/256/384/512, several salt lengths)', async () => {
    const cases: Array<{ name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS'; hash: HashName; salt?: number }> = [
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
      { name: 'RSA-PSS', hash: 'SHA-256', salt: 32 },
      { name: 'RSA-PSS', hash: 'SHA-384', salt: 48 },
      { name: 'RSA-PSS', hash: 'SHA-1', salt: 20 },
      { name: 'RSA-PSS', hash: 'SHA-256', salt: 0 },
    ];
    for (const c of cases) {
      const pair = (await subtle.generateKey(
        {
          name: c.name,
          modulusLength: 1024 + 8 * 3,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: c.hash,
        },
        true,
        ['sign', 'verify'],
      )) as CryptoKeyPair;
      const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
      const sig = new Uint8Array(
        await subtle.sign(
          c.name === 'RSA-PSS' ? { name: c.name, saltLength: c.salt as number } : c.name,
          pair.privateKey,
          msg,
        ),
      );
      const hash = hashByName(c.hash);
      const scheme: SignatureScheme =
        c.name === 'RSA-PSS'
          ? { kind: 'rsa-pss', hash, mgfHash: hash, saltLength: c.salt as number, trailerField: 1 }
          : { kind: 'rsa-pkcs1', hash };
      expect(verifySignature(scheme, keyOf(spki), msg, sig), `${c.name} ${c.hash}`).toEqual({ ok: true });
      // Wrong message, wrong salt length, wrong hash all fail.
      expect(verifySignature(scheme, keyOf(spki), new Uint8Array([1]), sig).ok).toBe(false);
      if (scheme.kind === 'rsa-pss')
        expect(
          verifySignature({ ...scheme, saltLength: scheme.saltLength + 1 }, keyOf(spki), msg, sig).ok,
        ).toBe(false);
      expect(
        verifySignature(
          { ...scheme, hash: hashByName(c.hash === 'SHA-1' ? 'SHA-256' : 'SHA-1') } as SignatureScheme,
          keyOf(spki),
          msg,
          sig,
        ).ok,
      ).toBe(false);
    }
  });

  it('test-PKI RSA signatures (PKCS#1 v1.5, PSS) verify with WebCrypto', async () => {
    for (const pss of [false, true]) {
      const key = await generateRsaKey(2048, pss, defaultRandom);
      const sig = key.sign(msg, 'SHA-256');
      const algo = pss
        ? { name: 'RSA-PSS', hash: 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
      const pub = await subtle.importKey('spki', key.publicKeyInfo as Uint8Array<ArrayBuffer>, algo, false, [
        'verify',
      ]);
      const ok = await subtle.verify(
        pss ? { name: 'RSA-PSS', saltLength: 32 } : 'RSASSA-PKCS1-v1_5',
        pub,
        sig as Uint8Array<ArrayBuffer>,
        msg,
      );
      expect(ok).toBe(true);
      expect(String(key)).not.toMatch(/[0-9a-f]{32}/i);
    }
  });

  it('SHA-224 (absent from WebCrypto) signs and verifies; a signature of the wrong length is malformed', async () => {
    const key = await generateRsaKey(2048, false, defaultRandom);
    const sig = key.sign(msg, 'SHA-224');
    const scheme: SignatureScheme = { kind: 'rsa-pkcs1', hash: hashByName('SHA-224') };
    expect(verifySignature(scheme, keyOf(key.publicKeyInfo), msg, sig)).toEqual({ ok: true });
    expect(verifySignature(scheme, keyOf(key.publicKeyInfo), msg, sig.subarray(1))).toEqual({
      ok: false,
      reason: 'signature-malformed',
    });
  });
});

describe('ECDSA', () => {
  const scheme = (format: 'der' | 'plain'): SignatureScheme => ({
    kind: 'ecdsa',
    hash: hashByName('SHA-256'),
    format,
  });

  it('accepts high-S and low-S forms of the same signature (brainpoolP384r1)', () => {
    const key = generateEcKey('brainpoolP384r1', false, defaultRandom);
    const der = key.sign(msg, 'SHA-256');
    const rs = ecdsaSignatureValues(der, 'der');
    expect(rs).toBeDefined();
    if (!rs) return;
    const n = brainpoolP384r1.Point.CURVE().n;
    const flipped = n - rs.s;
    const high = rs.s > n / 2n ? rs.s : flipped;
    const low = rs.s > n / 2n ? flipped : rs.s;
    const pub = keyOf(key.publicKeyInfo);
    for (const s of [high, low]) {
      const plain = new Uint8Array([...bigintToBytes(rs.r, 48), ...bigintToBytes(s, 48)]);
      expect(verifySignature(scheme('plain'), pub, msg, plain)).toEqual({ ok: true });
      const derSig = new asn1js.Sequence({
        value: [
          new asn1js.Integer({ valueHex: new Uint8Array([0, ...bigintToBytes(rs.r, 48)]) }),
          new asn1js.Integer({ valueHex: new Uint8Array([0, ...bigintToBytes(s, 48)]) }),
        ],
      });
      // Non-minimal INTEGER encodings (a leading 00 before a small byte) are tolerated.
      expect(verifySignature(scheme('der'), pub, msg, new Uint8Array(derSig.toBER()))).toEqual({ ok: true });
    }
  });

  it('rejects r or s out of range, garbage and a wrong key type', async () => {
    const key = generateEcKey('P-256', false, defaultRandom);
    const pub = keyOf(key.publicKeyInfo);
    const n = namedCurve('P-256').params.n;
    const zero = new Uint8Array(64);
    const big = new Uint8Array([...bigintToBytes(n, 32), ...bigintToBytes(1n, 32)]);
    expect(verifySignature(scheme('plain'), pub, msg, zero)).toEqual({
      ok: false,
      reason: 'signature-malformed',
    });
    expect(verifySignature(scheme('plain'), pub, msg, big)).toEqual({
      ok: false,
      reason: 'signature-malformed',
    });
    expect(verifySignature(scheme('der'), pub, msg, new Uint8Array([0x30, 0x00]))).toEqual({
      ok: false,
      reason: 'signature-malformed',
    });
    expect(verifySignature(scheme('der'), pub, msg, key.sign(new Uint8Array([9]), 'SHA-256'))).toEqual({
      ok: false,
      reason: 'signature-invalid',
    });
    const rsa = await generateRsaKey(2048, false, defaultRandom);
    expect(verifySignature(scheme('der'), keyOf(rsa.publicKeyInfo), msg, key.sign(msg, 'SHA-256'))).toEqual({
      ok: false,
      reason: 'key-algorithm-mismatch',
    });
  });

  it('explicit parameters equal to a named curve resolve to it; invalid ones are refused', () => {
    const bp = namedCurve('brainpoolP256r1');
    expect(curveFromParameters(bp.params).name).toBe('brainpoolP256r1');
    expect(() => curveFromParameters({ ...bp.params, Gy: bp.params.Gy + 1n })).toThrow(UnsupportedKey);
    const key = generateEcKey('brainpoolP256r1', true, defaultRandom);
    const pub = keyOf(key.publicKeyInfo);
    expect(pub.kind === 'ec' && pub.curve.explicit && pub.curve.name).toBe('brainpoolP256r1');
    expect(verifySignature(scheme('der'), pub, msg, key.sign(msg, 'SHA-256'))).toEqual({ ok: true });
  });

  it('verifies on P-521 and brainpoolP512r1 with SHA-512 and truncated hashes (SHA-512 on P-256)', () => {
    for (const c of ['P-521', 'brainpoolP512r1', 'P-256'] as const) {
      const key = generateEcKey(c, false, defaultRandom);
      const s: SignatureScheme = { kind: 'ecdsa', hash: hashByName('SHA-512'), format: 'der' };
      expect(verifySignature(s, keyOf(key.publicKeyInfo), msg, key.sign(msg, 'SHA-512')), c).toEqual({
        ok: true,
      });
    }
  });
});
