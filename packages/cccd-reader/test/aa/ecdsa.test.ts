/**
 * Active Authentication with ECDSA (ICAO 9303-11 §6.1, BSI TR-03111): signatures made by
 * OpenSSL (node:crypto) and by the test PKI's noble signer, plain r‖s and DER, NIST and
 * brainpool curves (named and explicit parameters), the hash named in DG14, high S, and our
 * card-side signer checked by OpenSSL.
 */
import { createPrivateKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { concatBytes, fromHex } from '@vneid/core/bytes';
import { decodeTlv, encodeOid, encodeTlv, type Tlv } from '@vneid/core/tlv';
import { describe, expect, it } from 'vitest';
import { NAMED_CURVES } from '../../src/lds/oids.ts';
import { generateEcKey } from '../../src/pki-test/keys.ts';
import { type AaHash, verifyActiveAuthentication } from '../../src/protocols/aa.ts';
import { signActiveAuthentication } from '../../src/protocols/card/aa-card.ts';
import { bigIntToBytes, bytesToBigInt, ecDomain } from '../../src/protocols/pace/domain-parameters.ts';
import { dg15FromSpki, flip } from './helpers.ts';

const NODE_CURVES = {
  'P-256': { node: 'prime256v1', ours: 'secp256r1', bits: 256, hash: 'SHA-256' },
  'P-384': { node: 'secp384r1', ours: 'secp384r1', bits: 384, hash: 'SHA-384' },
  'P-521': { node: 'secp521r1', ours: 'secp521r1', bits: 521, hash: 'SHA-512' },
  brainpoolP256r1: { node: 'brainpoolP256r1', ours: 'brainpoolP256r1', bits: 256, hash: 'SHA-256' },
  brainpoolP384r1: { node: 'brainpoolP384r1', ours: 'brainpoolP384r1', bits: 384, hash: 'SHA-384' },
} as const;
type CurveName = keyof typeof NODE_CURVES;

const nodeHash = (h: AaHash): string => h.replace('-', '').toLowerCase();

function nodeEcKey(curve: CurveName) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: NODE_CURVES[curve].node });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  // SEC 1 ECPrivateKey { version, privateKey OCTET STRING, … }
  const sec1 = decodeTlv(new Uint8Array(privateKey.export({ format: 'der', type: 'sec1' })));
  const d = bytesToBigInt((sec1.children as Tlv[])[1]?.value as Uint8Array);
  const domain = ecDomain(NAMED_CURVES[NODE_CURVES[curve].ours] as never);
  return { publicKey, privateKey, dg15: dg15FromSpki(spki), card: { kind: 'ec' as const, domain, d } };
}

/** DG14 holding one ActiveAuthenticationInfo { id-AA, version 1, signatureAlgorithm }. */
const dg14With = (signatureOid: string): Uint8Array =>
  encodeTlv(0x6e, [
    encodeTlv(0x31, [
      encodeTlv(0x30, [
        encodeTlv(0x06, encodeOid('2.23.136.1.1.5')),
        fromHex('020101'),
        encodeTlv(0x06, encodeOid(signatureOid)),
      ]),
    ]),
  ]);

const challenge = fromHex('f173589974bf40c6');

describe('OpenSSL signatures (independent signer)', () => {
  for (const curve of Object.keys(NODE_CURVES) as CurveName[]) {
    const key = nodeEcKey(curve);
    const hash = NODE_CURVES[curve].hash as AaHash;
    for (const encoding of ['ieee-p1363', 'der'] as const) {
      it(`${curve} ${hash} ${encoding === 'der' ? 'DER' : 'plain r‖s'}`, () => {
        const sig = new Uint8Array(
          nodeSign(nodeHash(hash), challenge, { key: key.privateKey, dsaEncoding: encoding }),
        );
        const report = verifyActiveAuthentication({ dg15: key.dg15, challenge, response: sig });
        expect(report).toEqual({
          ok: true,
          algorithm: 'ECDSA',
          hash,
          keyBits: NODE_CURVES[curve].bits,
          signatureFormat: encoding === 'der' ? 'der' : 'plain',
        });
        expect(
          verifyActiveAuthentication({ dg15: key.dg15, challenge: flip(challenge, 7), response: sig }),
        ).toMatchObject({
          ok: false,
          reason: 'SIGNATURE_INVALID',
        });
      });
    }
  }
});

describe('test-PKI (noble) signatures with explicit brainpool parameters', () => {
  for (const curve of ['brainpoolP256r1', 'brainpoolP384r1', 'P-256'] as const) {
    for (const explicit of [false, true]) {
      it(`${curve}${explicit ? ' explicit parameters' : ''}`, () => {
        const key = generateEcKey(curve, explicit, (n) =>
          globalThis.crypto.getRandomValues(new Uint8Array(n)),
        );
        const hash: AaHash = curve === 'brainpoolP384r1' ? 'SHA-384' : 'SHA-256';
        const sig = key.sign(challenge, hash);
        const dg15 = dg15FromSpki(key.publicKeyInfo);
        expect(verifyActiveAuthentication({ dg15, challenge, response: sig })).toMatchObject({
          ok: true,
          hash,
          signatureFormat: 'der',
        });
      });
    }
  }
});

describe('hash from DG14 ActiveAuthenticationInfo', () => {
  const key = nodeEcKey('P-256');
  const sig384 = new Uint8Array(
    nodeSign('sha384', challenge, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  it('ecdsa-plain-SHA384 in DG14 → SHA-384 (the key-size default SHA-256 would fail)', () => {
    expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: sig384 })).toMatchObject({
      ok: false,
      hash: 'SHA-256',
    });
    expect(
      verifyActiveAuthentication({
        dg15: key.dg15,
        dg14: dg14With('0.4.0.127.0.7.1.1.4.1.4'),
        challenge,
        response: sig384,
      }),
    ).toMatchObject({ ok: true, hash: 'SHA-384' });
  });
  it('ecdsa-with-SHA384 (X9.62 OID) works too, and the hash option overrides', () => {
    expect(
      verifyActiveAuthentication({
        dg15: key.dg15,
        dg14: dg14With('1.2.840.10045.4.3.3'),
        challenge,
        response: sig384,
      }).ok,
    ).toBe(true);
    expect(
      verifyActiveAuthentication({ dg15: key.dg15, hash: 'SHA-384', challenge, response: sig384 }).ok,
    ).toBe(true);
  });
  it('SHA-1 (ecdsa-plain-SHA1) and SHA-512 truncated to a 256-bit order', () => {
    for (const [oid, h] of [
      ['0.4.0.127.0.7.1.1.4.1.1', 'sha1'],
      ['0.4.0.127.0.7.1.1.4.1.5', 'sha512'],
    ] as const) {
      const sig = new Uint8Array(nodeSign(h, challenge, { key: key.privateKey, dsaEncoding: 'der' }));
      expect(
        verifyActiveAuthentication({ dg15: key.dg15, dg14: dg14With(oid), challenge, response: sig }).ok,
      ).toBe(true);
    }
  });
  it('DG14 without ActiveAuthenticationInfo → key-size default', () => {
    const dg14 = encodeTlv(0x6e, [
      encodeTlv(0x31, [
        encodeTlv(0x30, [encodeTlv(0x06, encodeOid('0.4.0.127.0.7.2.2.2')), fromHex('020101')]),
      ]),
    ]);
    const sig = new Uint8Array(nodeSign('sha256', challenge, { key: key.privateKey, dsaEncoding: 'der' }));
    expect(verifyActiveAuthentication({ dg15: key.dg15, dg14, challenge, response: sig }).ok).toBe(true);
  });
  it('an unsupported signature algorithm in DG14 throws AA_FAILED (malformed input)', () => {
    expect(() =>
      verifyActiveAuthentication({
        dg15: key.dg15,
        dg14: dg14With('1.2.840.113549.1.1.11'),
        challenge,
        response: sig384,
      }),
    ).toThrow(expect.objectContaining({ code: 'AA_FAILED' }));
  });
});

describe('signature encodings and ranges', () => {
  const key = nodeEcKey('brainpoolP256r1');
  const n = key.card.domain.curve.n;
  const plain = new Uint8Array(
    nodeSign('sha256', challenge, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  const r = bytesToBigInt(plain.subarray(0, 32));
  const s = bytesToBigInt(plain.subarray(32));
  const check = (response: Uint8Array) => verifyActiveAuthentication({ dg15: key.dg15, challenge, response });

  it('high S (n − s) is accepted, in plain and DER form', () => {
    const high = concatBytes(bigIntToBytes(r, 32), bigIntToBytes(n - s, 32));
    expect(check(high).ok).toBe(true);
  });
  const table: Array<[string, Uint8Array, string]> = [
    ['r = 0', concatBytes(new Uint8Array(32), plain.subarray(32)), 'SIGNATURE_INVALID'],
    ['s = 0', concatBytes(plain.subarray(0, 32), new Uint8Array(32)), 'SIGNATURE_INVALID'],
    ['r = n', concatBytes(bigIntToBytes(n, 32), plain.subarray(32)), 'SIGNATURE_INVALID'],
    ['s + n', concatBytes(plain.subarray(0, 32), bigIntToBytes(s + n, 33)), 'SIGNATURE_FORMAT'],
    ['63 bytes', plain.subarray(1), 'SIGNATURE_FORMAT'],
    ['empty', new Uint8Array(0), 'SIGNATURE_FORMAT'],
    [
      'DER with trailing byte',
      concatBytes(
        new Uint8Array(nodeSign('sha256', challenge, { key: key.privateKey, dsaEncoding: 'der' })),
        Uint8Array.of(0),
      ),
      'SIGNATURE_FORMAT',
    ],
    [
      'DER non-minimal integer',
      fromHex(`3046022200${'11'.repeat(32)}0220${'22'.repeat(32)}`),
      'SIGNATURE_FORMAT',
    ],
    ['DER negative integer', fromHex(`30440220${'81'.repeat(32)}0220${'22'.repeat(32)}`), 'SIGNATURE_FORMAT'],
    ['bit flipped in r', flip(plain, 3), 'SIGNATURE_INVALID'],
    ['bit flipped in s', flip(plain, 40), 'SIGNATURE_INVALID'],
  ];
  for (const [name, response, reason] of table) {
    it(name, () => expect(check(response)).toMatchObject({ ok: false, reason }));
  }
});

describe('card-side ECDSA signer, verified by OpenSSL', () => {
  for (const curve of ['P-256', 'brainpoolP256r1', 'brainpoolP384r1', 'P-521'] as const) {
    it(`${curve}: plain and DER`, () => {
      const key = nodeEcKey(curve);
      const hash = NODE_CURVES[curve].hash as AaHash;
      const plain = signActiveAuthentication(key.card, challenge);
      const der = signActiveAuthentication(key.card, challenge, { format: 'der' });
      expect(plain.length).toBe(2 * Math.ceil(NODE_CURVES[curve].bits / 8));
      expect(der[0]).toBe(0x30);
      const pub = createPrivateKey(key.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      expect(nodeVerify(nodeHash(hash), challenge, { key: pub, dsaEncoding: 'ieee-p1363' }, plain)).toBe(
        true,
      );
      expect(nodeVerify(nodeHash(hash), challenge, { key: pub, dsaEncoding: 'der' }, der)).toBe(true);
      expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: plain }).ok).toBe(true);
      expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: der }).ok).toBe(true);
    });
  }
  it('a different private key (cloned chip) is rejected', () => {
    const a = nodeEcKey('brainpoolP256r1');
    const b = nodeEcKey('brainpoolP256r1');
    const sig = signActiveAuthentication(b.card, challenge);
    expect(verifyActiveAuthentication({ dg15: a.dg15, challenge, response: sig })).toMatchObject({
      ok: false,
      reason: 'SIGNATURE_INVALID',
    });
  });
});
