import {
  constants,
  createCipheriv,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { decryptLegacyEnvelope, type LegacyEnvelope } from '@vneid/client/sso';
import { describe, expect, it } from 'vitest';
import { isIdentityError } from '../src/index.ts';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = pair();
const theirs = pair();
const jwk = ours.privateKey.export({ format: 'jwk' }) as JsonWebKey;

/** What the legacy VNeID server does (IDENTITY-NOTES §3), with Node's own crypto. */
function seal(
  value: unknown,
  keyBytes = randomBytes(16),
  wrap: (k: Buffer) => Buffer = (k) => k,
): LegacyEnvelope {
  const cipher = createCipheriv(`aes-${keyBytes.length * 8}-ecb`, keyBytes, null);
  const data = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
  const key = publicEncrypt({ key: ours.publicKey, padding: constants.RSA_PKCS1_PADDING }, wrap(keyBytes));
  return { data: data.toString('base64'), key: key.toString('base64') };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isIdentityError(e, 'decryption_failed')).toBe(true);
    return e as Error;
  }
  throw new Error('expected decryption_failed');
}

describe('legacy envelopes', () => {
  const claims = { citizenPid: '012157268548', fullName: 'DƯƠNG THU D', accountLevel: 2 };

  it('decrypts what RSA PKCS#1 v1.5 + AES-ECB produce (AES-128 and AES-256, raw or base64 key)', async () => {
    expect(await decryptLegacyEnvelope(seal(claims), jwk)).toEqual(claims);
    expect(await decryptLegacyEnvelope(seal(claims, randomBytes(32)), jwk)).toEqual(claims);
    expect(
      await decryptLegacyEnvelope(
        seal(claims, randomBytes(16), (k) => Buffer.from(k.toString('base64'))),
        jwk,
      ),
    ).toEqual(claims);
  });

  it('takes an extractable CryptoKey as well as a JWK', async () => {
    const key = await webcrypto.subtle.importKey('jwk', jwk, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, [
      'decrypt',
    ]);
    expect(await decryptLegacyEnvelope(seal(claims), key as CryptoKey)).toEqual(claims);
  });

  it('answers one and the same error for a tampered envelope, a wrong RSA key and garbage', async () => {
    const env = seal(claims);
    const data = Buffer.from(env.data, 'base64');
    data[data.length - 1]! ^= 0x01;
    const key = Buffer.from(env.key, 'base64');
    key[10]! ^= 0xff;
    const messages = [
      await failure(decryptLegacyEnvelope({ ...env, data: data.toString('base64') }, jwk)),
      await failure(decryptLegacyEnvelope({ ...env, key: key.toString('base64') }, jwk)),
      await failure(decryptLegacyEnvelope(env, theirs.privateKey.export({ format: 'jwk' }) as JsonWebKey)),
      await failure(decryptLegacyEnvelope({ data: '!!', key: env.key }, jwk)),
      await failure(decryptLegacyEnvelope({ data: env.data.slice(4), key: env.key }, jwk)),
      await failure(decryptLegacyEnvelope({ access_token: 'x' }, jwk)),
      await failure(
        decryptLegacyEnvelope(
          seal(claims, randomBytes(16), (k) => Buffer.concat([k, randomBytes(4)])),
          jwk,
        ),
      ),
    ].map((e) => [e.message, (e as { cause?: unknown }).cause]);
    for (const m of messages) expect(m).toEqual(['the legacy envelope could not be decrypted', undefined]);
  });
});
