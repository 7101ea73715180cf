/**
 * @module
 * The `{data,key}` envelopes of the legacy VNeID SSO (IDENTITY-NOTES §3): `key` is an AES key
 * encrypted to the client's RSA public key with RSAES-PKCS1-v1_5, `data` the JSON encrypted
 * with AES-ECB (PKCS#7 padding, no IV). Neither primitive is in WebCrypto, and Node 20 refuses
 * PKCS#1 v1.5 decryption, so this uses micro-rsa-dsa-dh and @noble/ciphers (pure JS). PKCS#1
 * v1.5 decryption is the Bleichenbacher/Marvin-vulnerable scheme: every failure, whatever its
 * cause, is the same `decryption_failed` error with the same message, so that a caller cannot
 * become a padding oracle through this module.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { PKCS1_KEM } from 'micro-rsa-dsa-dh/rsa.js';
import { fromBase64, fromUtf8, toHex } from '../encoding.ts';
import { IdentityError } from '../errors.ts';

/** The client's RSA private key: a JWK (`n`, `d`) or an extractable `CryptoKey`. */
export type RsaPrivateKeyInput = JsonWebKey | CryptoKey;

/** `{ n, d }` as the RSA library takes them. */
export interface RsaPrivateNumbers {
  n: bigint;
  d: bigint;
}

/** A legacy envelope as answered by the token and userinfo endpoints. */
export interface LegacyEnvelope {
  data: string;
  key: string;
}

// No `cause`: the inner error would tell padding failures from others.
const failure = (_cause?: unknown) =>
  new IdentityError('decryption_failed', 'the legacy envelope could not be decrypted');

function bigintOf(b64url: string | undefined): bigint {
  const bytes = b64url === undefined ? undefined : fromBase64(b64url);
  if (!bytes || bytes.length === 0) throw new IdentityError('invalid_argument', 'the RSA key needs n and d');
  return BigInt(`0x${toHex(bytes)}`);
}

/** Reads `n` and `d` of an RSA private key (JWK, or a `CryptoKey` exported as JWK). */
export async function rsaPrivateNumbers(key: RsaPrivateKeyInput): Promise<RsaPrivateNumbers> {
  let jwk: JsonWebKey;
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    if (!key.extractable)
      throw new IdentityError('invalid_argument', 'the RSA CryptoKey must be extractable');
    jwk = await crypto.subtle.exportKey('jwk', key);
  } else {
    jwk = key as JsonWebKey;
  }
  if (jwk.kty !== 'RSA')
    throw new IdentityError('invalid_argument', 'the legacy SSO key must be an RSA private key');
  return { n: bigintOf(jwk.n), d: bigintOf(jwk.d) };
}

/**
 * The AES key inside `key`: those bytes as base64 text (what integrators observed), or raw
 * 16/24/32 bytes. Base64 text is tried first: a raw random key that is also valid base64 of a
 * key length is vanishingly unlikely.
 */
function aesKeyOf(plain: Uint8Array): Uint8Array {
  const sizes = [16, 24, 32];
  if (plain.every((b) => b < 0x80)) {
    const decoded = fromBase64(String.fromCharCode(...plain).trim());
    if (decoded && sizes.includes(decoded.length)) return decoded;
  }
  if (sizes.includes(plain.length)) return plain;
  throw failure();
}

/** Decrypts the RSA-wrapped AES key (`key` or `encrypt_key`, base64). */
export function unwrapLegacyKey(wrapped: string, rsa: RsaPrivateNumbers): Uint8Array {
  try {
    const ct = fromBase64(wrapped);
    if (!ct) throw failure();
    return aesKeyOf(PKCS1_KEM.decrypt(rsa, ct));
  } catch (cause) {
    throw failure(cause);
  }
}

/** AES-ECB decryption of base64 `data` under `aesKey` (PKCS#7 padding). */
export function decryptLegacyData(data: string, aesKey: Uint8Array): Uint8Array {
  try {
    const ct = fromBase64(data);
    if (!ct || ct.length === 0 || ct.length % 16 !== 0) throw failure();
    return ecb(aesKey).decrypt(ct);
  } catch (cause) {
    throw failure(cause);
  }
}

export function isLegacyEnvelope(value: unknown): value is LegacyEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LegacyEnvelope).data === 'string' &&
    typeof (value as LegacyEnvelope).key === 'string'
  );
}

/** Decrypts an envelope to its JSON value; `decryption_failed` for every kind of failure. */
export async function decryptLegacyEnvelope(envelope: unknown, key: RsaPrivateKeyInput): Promise<unknown> {
  if (!isLegacyEnvelope(envelope)) throw failure();
  const rsa = await rsaPrivateNumbers(key);
  const aesKey = unwrapLegacyKey(envelope.key, rsa);
  const plain = decryptLegacyData(envelope.data, aesKey);
  try {
    return JSON.parse(fromUtf8(plain));
  } catch (cause) {
    throw failure(cause);
  }
}
