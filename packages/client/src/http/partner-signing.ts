/**
 * @module
 * Partner request signing (the remote-signing gateway's scheme, IDENTITY-NOTES §4, as the
 * sandbox implements it): `X-Partner-Code`, `X-Timestamp` (Unix seconds), `X-Nonce` (single use,
 * 16–64 characters of `[A-Za-z0-9_-]`) and `X-Signature` = lower-case hex
 * HMAC-SHA-256(secret, `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))`), computed with
 * WebCrypto.
 */
import { buf, randomBase64Url, toHex, utf8 } from '../encoding.ts';

/** A relying party's partner credentials (the secret never leaves your back end). */
export interface PartnerCredentials {
  code: string;
  secret: string;
}

export interface PartnerSignatureInput {
  method: string;
  /** Path with its query string, exactly as sent (`/v1/share-requests?x=1`). */
  pathWithQuery: string;
  /** The raw body bytes (or text); empty for none. */
  body?: Uint8Array | string;
  /** Unix seconds. */
  timestamp: number;
  /** Default: 24 random base64url characters. */
  nonce?: string;
}

/** The canonical string that is signed (exposed for tests and debugging). */
export async function partnerSigningString(input: PartnerSignatureInput): Promise<string> {
  const body = typeof input.body === 'string' ? utf8(input.body) : (input.body ?? new Uint8Array(0));
  const bodyHash = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', buf(body))));
  return `${input.method.toUpperCase()}\n${input.pathWithQuery}\n${Math.floor(input.timestamp)}\n${input.nonce}\n${bodyHash}`;
}

/** The four headers of a signed partner request. */
export async function signPartnerRequest(
  credentials: PartnerCredentials,
  input: PartnerSignatureInput,
): Promise<Record<string, string>> {
  const nonce = input.nonce ?? randomBase64Url(18);
  const timestamp = Math.floor(input.timestamp);
  const key = await crypto.subtle.importKey(
    'raw',
    buf(utf8(credentials.secret)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const text = await partnerSigningString({ ...input, timestamp, nonce });
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, buf(utf8(text))));
  return {
    'x-partner-code': credentials.code,
    'x-timestamp': String(timestamp),
    'x-nonce': nonce,
    'x-signature': toHex(mac),
  };
}
