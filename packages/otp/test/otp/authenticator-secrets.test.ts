import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildOtpauthUri,
  decodeBase32,
  generateTotp,
  parseOtpauthUri,
  verifyHotp,
  verifyTotp,
} from '../../src/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createTotpVerifier } from '../../src/verifier/index.ts';

/**
 * RFC 4226 §5.3 / RFC 6238 §4 computed independently with node:crypto's HMAC-SHA-1, to check
 * the codes of secrets otplib's default limits would refuse.
 */
function referenceTotp(secret: Uint8Array, unixSeconds: number, digits = 6, period = 30): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / period)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[19]! & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

// The Key URI Format's example secret (google-authenticator wiki): 16 Base32 characters, 80 bits.
const EXAMPLE = 'JBSWY3DPEHPK3PXP';
const now = 1_700_000_000;

describe('otpauth URIs as authenticator apps write them', () => {
  it('accepts a lower-case secret, as the same bytes', () => {
    const upper = parseOtpauthUri(`otpauth://totp/Example:alice@google.com?secret=${EXAMPLE}&issuer=Example`);
    const lower = parseOtpauthUri(
      `otpauth://totp/Example:alice@google.com?secret=${EXAMPLE.toLowerCase()}&issuer=Example`,
    );
    expect(lower).toEqual(upper);
    const long = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(parseOtpauthUri(`otpauth://hotp/a?secret=${long.toLowerCase()}&counter=0`).secret).toEqual(
      decodeBase32(long),
    );
  });

  it('accepts an 80-bit secret (16 Base32 characters) and verifies its codes like the reference HMAC', () => {
    const parsed = parseOtpauthUri(
      `otpauth://totp/Example:alice?secret=${EXAMPLE.toLowerCase()}&issuer=Example`,
    );
    if (parsed.type !== 'totp') throw new Error('type');
    expect(parsed.secret).toHaveLength(10);
    expect(parsed.allowShortSecret).toBe(true);
    const at = () => now * 1000;
    const token = referenceTotp(parsed.secret, now);
    // The parsed result goes into verifyTotp as it is.
    expect(verifyTotp({ ...parsed, token, now: at })).toMatchObject({ ok: true, delta: 0 });
    expect(generateTotp({ ...parsed, now: at })).toBe(token);
    expect(verifyHotp({ ...parsed, counter: Math.floor(now / 30), token })).toMatchObject({ ok: true });
  });

  it('keeps short secrets opt-in outside URIs, and the stateful verifier follows the option', async () => {
    const secret = decodeBase32(EXAMPLE);
    const token = referenceTotp(secret, now);
    expect(() => verifyTotp({ secret, token, now: () => now * 1000 })).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET' }),
    );
    expect(() => createTotpVerifier({ store: createMemoryStore(), secret })).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET' }),
    );
    const verifier = createTotpVerifier({
      store: createMemoryStore(),
      secret: () => secret,
      allowShortSecret: true,
      now: () => now * 1000,
    });
    expect(await verifier.verify({ account: 'a', token })).toMatchObject({ ok: true });
    expect(() =>
      verifyTotp({ secret: new Uint8Array(9), allowShortSecret: true, token, now: () => 0 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
  });

  it('builds a URI for an 80-bit secret only with allowShortSecret, and it parses back', () => {
    const secret = decodeBase32(EXAMPLE);
    expect(() => buildOtpauthUri({ type: 'totp', secret, account: 'alice' })).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET' }),
    );
    const uri = buildOtpauthUri({
      type: 'totp',
      secret,
      account: 'alice',
      issuer: 'Example',
      allowShortSecret: true,
    });
    expect(uri).toContain(`secret=${EXAMPLE}`);
    expect(parseOtpauthUri(uri)).toMatchObject({ secret, allowShortSecret: true, issuer: 'Example' });
  });
});
