/**
 * Active Authentication with RSA, ISO/IEC 9796-2 scheme 1 (ICAO 9303-11 §6.1): a published
 * signature (Bouncy Castle's INTERNAL AUTHENTICATE example), gmrtd's recovered representatives,
 * our card-side signer checked independently through OpenSSL's raw RSA, and tampering tables.
 */
import { createHash } from 'node:crypto';
import { concatBytes, fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import {
  type AaHash,
  checkIso9796Representative,
  verifyActiveAuthentication,
} from '../../src/protocols/aa.ts';
import { signActiveAuthentication } from '../../src/protocols/card/aa-card.ts';
import { bigIntToBytes, bytesToBigInt, modPow } from '../../src/protocols/pace/domain-parameters.ts';
import { dg15FromSpki, flip, nodeRsaKey, opensslRsaPublic, rsaSpki } from './helpers.ts';

interface SignatureVector {
  name: string;
  modulus: string;
  publicExponent: string;
  privateExponent: string;
  challenge: string;
  signature: string;
  hash: AaHash;
}
interface RepresentativeVector {
  name: string;
  challenge: string;
  representative: string;
  valid: boolean;
  hash?: AaHash;
  reason?: string;
}

const signatures = loadVectors<SignatureVector>(import.meta.url, 'iso9796-2-signatures');
const representatives = loadVectors<RepresentativeVector>(import.meta.url, 'iso9796-2-representatives');

const NODE_HASH: Record<AaHash, string> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const HASH_LENGTH: Record<AaHash, number> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};
const HASH_IDS: Record<AaHash, number> = {
  'SHA-1': 0x33,
  'SHA-256': 0x34,
  'SHA-512': 0x35,
  'SHA-384': 0x36,
  'SHA-224': 0x38,
};

describe(`published ISO/IEC 9796-2 AA signature (${signatures.source.slice(0, 60)}…)`, () => {
  for (const v of signatures.vectors) {
    const dg15 = dg15FromSpki(rsaSpki(v.modulus, v.publicExponent));
    const challenge = fromHex(v.challenge);
    const signature = fromHex(v.signature);

    it(`${v.name}: verifies`, () => {
      expect(verifyActiveAuthentication({ dg15, challenge, response: signature })).toEqual({
        ok: true,
        algorithm: 'RSA-ISO9796-2',
        hash: v.hash,
        keyBits: 1024,
      });
    });

    it(`${v.name}: a different challenge or a flipped signature bit fails`, () => {
      expect(
        verifyActiveAuthentication({ dg15, challenge: fromHex('0000000000000001'), response: signature }),
      ).toMatchObject({
        ok: false,
        reason: 'DIGEST_MISMATCH',
      });
      for (const i of [0, 17, 64, 127]) {
        expect(verifyActiveAuthentication({ dg15, challenge, response: flip(signature, i) }).ok).toBe(false);
      }
    });

    it(`${v.name}: our signer reproduces the published signature from its M1`, () => {
      // M1 recovered with OpenSSL's raw RSA, not with our code.
      const rep = opensslRsaPublic(rsaSpki(v.modulus, v.publicExponent), signature);
      expect(rep[0]).toBe(0x6a);
      const m1 = rep.subarray(1, rep.length - 21);
      const key = {
        kind: 'rsa' as const,
        n: bytesToBigInt(fromHex(v.modulus)),
        d: bytesToBigInt(fromHex(v.privateExponent)),
      };
      const ours = signActiveAuthentication(key, challenge, { hash: 'SHA-1', random: () => m1 });
      expect(toHex(ours)).toBe(toHex(signature));
    });
  }
});

describe(`recovered representatives (${representatives.source.slice(0, 50)}…)`, () => {
  for (const v of representatives.vectors) {
    it(v.name, () => {
      const r = checkIso9796Representative(fromHex(v.representative), fromHex(v.challenge));
      if (v.valid) expect(r).toEqual({ hash: v.hash, reason: undefined });
      else expect(r.reason).toBe(v.reason);
    });
  }
  it('a valid representative with another challenge fails with DIGEST_MISMATCH', () => {
    const v = representatives.vectors[0] as RepresentativeVector;
    expect(checkIso9796Representative(fromHex(v.representative), fromHex('0102030405060709')).reason).toBe(
      'DIGEST_MISMATCH',
    );
  });
});

describe('card-side signer, checked with OpenSSL raw RSA (independent)', () => {
  const cases: Array<[number, AaHash, boolean]> = [
    [1024, 'SHA-1', false],
    [1024, 'SHA-1', true],
    [2048, 'SHA-1', false],
    [2048, 'SHA-224', false],
    [2048, 'SHA-256', false],
    [2048, 'SHA-384', false],
    [2048, 'SHA-512', false],
    [1536, 'SHA-256', false],
    [3072, 'SHA-256', false],
  ];
  for (const [bits, hash, explicit] of cases) {
    it(`RSA-${bits} ${hash}${explicit ? ' explicit 33CC' : ''}: structure and digest as OpenSSL recovers them`, () => {
      const key = nodeRsaKey(bits);
      const challenge = fromHex('0123456789abcdef');
      const sig = signActiveAuthentication(key.privateKey, challenge, { hash, explicitTrailer: explicit });
      expect(sig.length).toBe(key.bytes);
      const rep = opensslRsaPublic(key.publicKey, sig);
      expect(rep.length).toBe(key.bytes);
      const implicit = hash === 'SHA-1' && !explicit;
      const t = implicit ? 1 : 2;
      // The representative is one bit shorter than the modulus: it starts with 6A right away.
      expect(rep[0]).toBe(0x6a);
      if (implicit) expect(rep[rep.length - 1]).toBe(0xbc);
      else expect([...rep.subarray(rep.length - 2)]).toEqual([HASH_IDS[hash], 0xcc]);
      const hl = HASH_LENGTH[hash];
      const m1 = rep.subarray(1, rep.length - t - hl);
      const d = rep.subarray(rep.length - t - hl, rep.length - t);
      const expected = createHash(NODE_HASH[hash]).update(concatBytes(m1, challenge)).digest();
      expect(toHex(d)).toBe(toHex(new Uint8Array(expected)));
      expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: sig })).toEqual({
        ok: true,
        algorithm: 'RSA-ISO9796-2',
        hash,
        keyBits: bits,
      });
    });
  }

  it('the alternative representative n − J (ISO/IEC 9796-2 signature production min(J, n−J)) verifies', () => {
    const key = nodeRsaKey(2048);
    const { n } = key.privateKey;
    const challenge = fromHex('1122334455667788');
    const sig = signActiveAuthentication(key.privateKey, challenge);
    // s' = n − s gives s'^e = −J = n − J (e odd).
    const alt = bigIntToBytes(n - bytesToBigInt(sig), 256);
    expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: alt }).ok).toBe(true);
  });
});

describe('tampering (each must be reported, not thrown)', () => {
  const key = nodeRsaKey(2048);
  const { n, d } = key.privateKey;
  const challenge = fromHex('a1a2a3a4a5a6a7a8');
  const sign = (rep: Uint8Array): Uint8Array => bigIntToBytes(modPow(bytesToBigInt(rep), d, n), 256);
  const good = (hash: AaHash = 'SHA-256'): Uint8Array =>
    opensslRsaPublic(key.publicKey, signActiveAuthentication(key.privateKey, challenge, { hash }));

  const table: Array<[string, () => Uint8Array, string, Uint8Array?]> = [
    ['header 6B', () => sign(flip(good(), 0, 0x01)), 'HEADER'],
    ['header 4A (total recovery)', () => sign(flip(good(), 0, 0x20)), 'HEADER'],
    ['trailer BD', () => sign(flip(good('SHA-1'), 255, 0x01)), 'TRAILER'],
    [
      // J's last byte is chosen so that n − J ends in CC: the verifier must not report a later
      // field of n − J (which is no representative) instead of the trailer.
      'trailer bad and n − J ending in CC',
      () => {
        const rep = good('SHA-1');
        rep[255] = Number((n - 0xccn) & 0xffn);
        return sign(rep);
      },
      'TRAILER',
    ],
    ['trailer 31CC (RIPEMD-160)', () => sign(flip(good(), 254, 0x05)), 'UNSUPPORTED_HASH'],
    ['trailer 33CC with a SHA-256 digest', () => sign(flip(good(), 254, 0x07)), 'DIGEST_MISMATCH'],
    ['digest byte changed', () => sign(flip(good(), 230)), 'DIGEST_MISMATCH'],
    ['M1 byte changed', () => sign(flip(good(), 5)), 'DIGEST_MISMATCH'],
    [
      'signature one byte short',
      () => signActiveAuthentication(key.privateKey, challenge).subarray(1),
      'SIGNATURE_LENGTH',
    ],
    [
      'signature one byte long',
      () => concatBytes(Uint8Array.of(0), signActiveAuthentication(key.privateKey, challenge)),
      'SIGNATURE_LENGTH',
    ],
    ['signature ≥ n', () => bigIntToBytes(n, 256), 'SIGNATURE_OUT_OF_RANGE'],
    ['signature 0', () => new Uint8Array(256), 'SIGNATURE_OUT_OF_RANGE'],
    [
      'wrong challenge',
      () => signActiveAuthentication(key.privateKey, fromHex('a1a2a3a4a5a6a7a9')),
      'DIGEST_MISMATCH',
    ],
    [
      'signed by another key',
      () => signActiveAuthentication(nodeRsaKey(1024).privateKey, challenge),
      'SIGNATURE_LENGTH',
    ],
  ];
  for (const [name, make, reason] of table) {
    it(name, () => {
      const report = verifyActiveAuthentication({ dg15: key.dg15, challenge, response: make() });
      expect(report.ok).toBe(false);
      expect(report.reason).toBe(reason);
    });
  }
  it('a signature by another 2048-bit key fails', () => {
    const other = nodeRsaKey(2048, true);
    const sig = signActiveAuthentication(other.privateKey, challenge);
    const report = verifyActiveAuthentication({ dg15: key.dg15, challenge, response: sig });
    expect(report.ok).toBe(false);
    expect(['SIGNATURE_OUT_OF_RANGE', 'TRAILER', 'HEADER', 'UNSUPPORTED_HASH', 'DIGEST_MISMATCH']).toContain(
      report.reason,
    );
  });
});

describe('moduli whose bit length is not a multiple of 8', () => {
  it('8k+1 bits (1025): the representative is one byte shorter than the signature; signs and verifies', () => {
    const key = nodeRsaKey(1025);
    const challenge = fromHex('0001020304050607');
    const sig = signActiveAuthentication(key.privateKey, challenge, { hash: 'SHA-256' });
    expect(sig.length).toBe(129);
    const rep = opensslRsaPublic(key.publicKey, sig);
    expect([rep[0], rep[1]]).toEqual([0x00, 0x6a]);
    expect(verifyActiveAuthentication({ dg15: key.dg15, challenge, response: sig })).toMatchObject({
      ok: true,
      keyBits: 1025,
    });
  });
  it('8k+4 bits (1028): the signer refuses (header would exceed n); random responses are reported', () => {
    const key = nodeRsaKey(1028);
    expect(() => signActiveAuthentication(key.privateKey, new Uint8Array(8))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const response = new Uint8Array(129);
    response[1] = 1;
    expect(verifyActiveAuthentication({ dg15: key.dg15, challenge: new Uint8Array(8), response }).ok).toBe(
      false,
    );
  });
});
