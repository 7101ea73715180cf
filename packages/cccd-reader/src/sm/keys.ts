/**
 * @module
 * Session keys of a secure-messaging channel (ICAO Doc 9303 Part 11 §9.8) and the
 * send-sequence counter, with their checks.
 */
import { ReaderError } from '../errors.ts';

/** Keys and counter of a secure-messaging session (secret: never log them). */
export interface SecureMessagingKeys {
  cipher: '3des' | 'aes';
  /** 128 for two-key 3DES; 128, 192 or 256 for AES. */
  keyBits: 128 | 192 | 256;
  /** KS_Enc. */
  kEnc: Uint8Array;
  /** KS_MAC. */
  kMac: Uint8Array;
  /** Initial send-sequence counter: 8 bytes for 3DES, 16 for AES. */
  ssc: Uint8Array;
}

/** Validated, copied keys. */
export function checkKeys(keys: SecureMessagingKeys): SecureMessagingKeys {
  const bad = (message: string): never => {
    throw new ReaderError('INVALID_ARGUMENT', message);
  };
  if (keys === null || typeof keys !== 'object') bad('secure-messaging keys are required');
  const { cipher, keyBits, kEnc, kMac, ssc } = keys;
  if (cipher !== '3des' && cipher !== 'aes') bad("the secure-messaging cipher is '3des' or 'aes'");
  if (keyBits !== 128 && keyBits !== 192 && keyBits !== 256) bad('the key length is 128, 192 or 256 bits');
  if (cipher === '3des' && keyBits !== 128) bad('two-key 3DES session keys are 128 bits');
  const keyLength = keyBits / 8;
  const blockLength = cipher === 'aes' ? 16 : 8;
  if (!(kEnc instanceof Uint8Array) || kEnc.length !== keyLength) bad(`KS_Enc must be ${keyLength} bytes`);
  if (!(kMac instanceof Uint8Array) || kMac.length !== keyLength) bad(`KS_MAC must be ${keyLength} bytes`);
  if (!(ssc instanceof Uint8Array) || ssc.length !== blockLength) bad(`the SSC must be ${blockLength} bytes`);
  return { cipher, keyBits, kEnc: kEnc.slice(), kMac: kMac.slice(), ssc: ssc.slice() };
}

/** Increments a big-endian counter in place (wrapping to zero). */
export function incrementSsc(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    const v = ((ssc[i] as number) + 1) & 0xff;
    ssc[i] = v;
    if (v !== 0) return;
  }
}
