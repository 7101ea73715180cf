/**
 * @module
 * The encryption of the legacy VNeID SSO as integrators observed it (IDENTITY-NOTES §3): a
 * fresh AES-128 key per message, the JSON (or the code) encrypted with AES-128-ECB and PKCS#7
 * padding, no IV; the AES key encrypted to the client's RSA public key with RSAES-PKCS1-v1_5;
 * both base64 (standard alphabet, with `+`, `/` and `=`). Encrypting with PKCS#1 v1.5 still
 * works in Node 20 (only decryption is refused, CVE-2023-46809); ECB and PKCS#1 v1.5 are weak
 * schemes reproduced here only so that integrators can test their decryption path offline.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';

export interface Envelope {
  data: string;
  key: string;
}

export function encryptAesKey(publicKeyPem: string, aesKey: Buffer): string {
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, aesKey).toString(
    'base64',
  );
}

export function aesEcbEncrypt(aesKey: Buffer, plaintext: Buffer): string {
  const cipher = createCipheriv('aes-128-ecb', aesKey, null);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** `{data, key}`: `value` as JSON under a fresh AES-128 key, the key encrypted to the client. */
export function sealEnvelope(publicKeyPem: string, value: unknown): Envelope {
  const aesKey = randomBytes(16);
  return {
    data: aesEcbEncrypt(aesKey, Buffer.from(JSON.stringify(value), 'utf8')),
    key: encryptAesKey(publicKeyPem, aesKey),
  };
}

/** An encrypted authorization code and its `encrypt_key`. */
export function encryptCode(publicKeyPem: string, code: string): { code: string; encryptKey: string } {
  const aesKey = randomBytes(16);
  return {
    code: aesEcbEncrypt(aesKey, Buffer.from(code, 'utf8')),
    encryptKey: encryptAesKey(publicKeyPem, aesKey),
  };
}
