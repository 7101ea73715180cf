import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OtpauthUri, OtpauthUriOptions } from '../../src/index.ts';
import { buildOtpauthUri, encodeBase32, generateTotp, parseOtpauthUri } from '../../src/index.ts';
import { ascii } from '../support.ts';

const secret = ascii('12345678901234567890');
const S = encodeBase32(secret); // GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ

describe('otpauth:// URIs', () => {
  it('builds the Key URI Format with only non-default parameters', () => {
    expect(buildOtpauthUri({ type: 'totp', secret, account: 'alice@example.com', issuer: 'VNeID' })).toBe(
      `otpauth://totp/VNeID:alice%40example.com?secret=${S}&issuer=VNeID`,
    );
    expect(
      buildOtpauthUri({
        type: 'totp',
        secret,
        account: 'Nguyễn Văn A',
        issuer: 'Ngân hàng X',
        algorithm: 'SHA256',
        digits: 8,
        period: 180,
      }),
    ).toBe(
      `otpauth://totp/Ng%C3%A2n%20h%C3%A0ng%20X:Nguy%E1%BB%85n%20V%C4%83n%20A?secret=${S}&issuer=Ng%C3%A2n%20h%C3%A0ng%20X&algorithm=SHA256&digits=8&period=180`,
    );
    expect(buildOtpauthUri({ type: 'hotp', secret, account: 'bob' })).toBe(
      `otpauth://hotp/bob?secret=${S}&counter=0`,
    );
  });

  it('parses what authenticator enrolment pages publish', () => {
    expect(
      parseOtpauthUri(
        `otpauth://totp/ACME%20Co:john.doe@email.com?secret=${S}&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30`,
      ),
    ).toEqual({
      type: 'totp',
      secret,
      account: 'john.doe@email.com',
      issuer: 'ACME Co',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    // Encoded colon, spaces after it, `+` as a space in the query, upper-case scheme and type.
    expect(parseOtpauthUri(`OTPAUTH://TOTP/Example%3A%20%20alice?issuer=Example&secret=${S}`)).toMatchObject({
      type: 'totp',
      account: 'alice',
      issuer: 'Example',
    });
    expect(parseOtpauthUri(`otpauth://totp/alice?secret=${S}&issuer=ACME+Co`)).toMatchObject({
      issuer: 'ACME Co',
    });
    expect(
      parseOtpauthUri(`otpauth://hotp/Bank:bob?secret=${S}&counter=42&digits=8&algorithm=SHA512`),
    ).toEqual({
      type: 'hotp',
      secret,
      account: 'bob',
      issuer: 'Bank',
      algorithm: 'SHA512',
      digits: 8,
      counter: 42,
    });
    expect(
      parseOtpauthUri(`otpauth://totp/x?secret=${S}&image=https%3A%2F%2Fa.b%2Fi.png`, {
        allowUnknownParameters: true,
      }),
    ).toMatchObject({
      account: 'x',
    });
  });

  it('round-trips every valid input (parse ∘ build = identity with defaults)', () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
      .filter((s) => !s.includes(':') && !/[\u0000-\u001f\u007f]/.test(s) && !s.startsWith(' '));
    const common = {
      secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
      account: name,
      issuer: fc.option(name, { nil: undefined }),
      algorithm: fc.constantFrom('SHA1', 'SHA256', 'SHA512' as const),
      digits: fc.constantFrom(6, 7, 8),
    };
    const totp = fc.record({
      ...common,
      type: fc.constant('totp' as const),
      period: fc.integer({ min: 1, max: 3600 }),
    });
    const hotp = fc.record({
      ...common,
      type: fc.constant('hotp' as const),
      counter: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(
      fc.property(fc.oneof(totp, hotp), (input) => {
        const options = Object.fromEntries(
          Object.entries(input).filter(([, v]) => v !== undefined),
        ) as unknown as OtpauthUriOptions;
        const uri = buildOtpauthUri(options);
        expect(uri).toMatch(/^otpauth:\/\/(totp|hotp)\/[\x21-\x7e]+$/);
        const parsed: OtpauthUri = parseOtpauthUri(uri);
        expect(parsed).toEqual(options);
      }),
      { numRuns: 300 },
    );
  });

  it('a parsed URI drives the same codes as the secret it was built from', () => {
    const parsed = parseOtpauthUri(
      buildOtpauthUri({ type: 'totp', secret, account: 'a', period: 180, digits: 8 }),
    );
    if (parsed.type !== 'totp') throw new Error('type');
    const now = () => 1_700_000_000_000;
    expect(generateTotp({ ...parsed, now })).toBe(generateTotp({ secret, period: 180, digits: 8, now }));
  });

  const T = 'otpauth://totp/a';
  const H = 'otpauth://hotp/a';
  const invalid: [string, string, string][] = [
    ['another scheme', `https://totp/a?secret=${S}`, 'URI_SCHEME'],
    ['no scheme separator', `otpauth:totp/a?secret=${S}`, 'URI_SCHEME'],
    ['not a string', 42 as unknown as string, 'URI_SCHEME'],
    ['unknown type', `otpauth://motp/a?secret=${S}`, 'URI_TYPE'],
    ['type only', 'otpauth://totp', 'URI_LABEL'],
    ['empty label', `otpauth://totp/?secret=${S}`, 'URI_LABEL'],
    ['two colons', `otpauth://totp/a:b:c?secret=${S}`, 'URI_LABEL'],
    ['empty issuer prefix', `otpauth://totp/:bob?secret=${S}`, 'URI_LABEL'],
    ['empty account', `otpauth://totp/Bank:?secret=${S}`, 'URI_LABEL'],
    ['bad percent-encoding in label', `otpauth://totp/a%E0%A4?secret=${S}`, 'URI_LABEL'],
    ['raw space in label', `otpauth://totp/a b?secret=${S}`, 'URI_LABEL'],
    ['raw non-ASCII in label', `otpauth://totp/Đức?secret=${S}`, 'URI_LABEL'],
    ['encoded control character in label', `otpauth://totp/a%0Ab?secret=${S}`, 'URI_LABEL'],
    ['repeated parameter', `${T}?secret=${S}&secret=${S}`, 'URI_PARAMETER'],
    ['empty pair', `${T}?secret=${S}&&digits=6`, 'URI_PARAMETER'],
    ['pair without =', `${T}?secret=${S}&digits`, 'URI_PARAMETER'],
    ['empty name', `${T}?secret=${S}&=6`, 'URI_PARAMETER'],
    ['unknown parameter', `${T}?secret=${S}&image=x`, 'URI_PARAMETER'],
    ['fragment', `${T}?secret=${S}#x`, 'URI_PARAMETER'],
    ['bad percent-encoding in query', `${T}?secret=${S}&issuer=%zz`, 'URI_PARAMETER'],
    ['no query', T, 'URI_SECRET'],
    ['no secret', `${T}?issuer=X`, 'URI_SECRET'],
    ['empty secret', `${T}?secret=`, 'URI_SECRET'],
    ['secret of 9 bytes', `${T}?secret=${encodeBase32(new Uint8Array(9))}`, 'URI_SECRET'],
    ['mixed-alphabet secret', `${T}?secret=JBSWY3DPEHPK3PX1`, 'URI_SECRET'],
    ['secret of 65 bytes', `${T}?secret=${encodeBase32(new Uint8Array(65))}`, 'URI_SECRET'],
    ['secret with bad padding', `${T}?secret=${S}=`, 'URI_SECRET'],
    ['lower-case algorithm', `${T}?secret=${S}&algorithm=sha1`, 'URI_ALGORITHM'],
    ['MD5', `${T}?secret=${S}&algorithm=MD5`, 'URI_ALGORITHM'],
    ['empty algorithm', `${T}?secret=${S}&algorithm=`, 'URI_ALGORITHM'],
    ['5 digits', `${T}?secret=${S}&digits=5`, 'URI_DIGITS'],
    ['9 digits', `${T}?secret=${S}&digits=9`, 'URI_DIGITS'],
    ['06 digits', `${T}?secret=${S}&digits=06`, 'URI_DIGITS'],
    ['period 0', `${T}?secret=${S}&period=0`, 'URI_PERIOD'],
    ['period 3601', `${T}?secret=${S}&period=3601`, 'URI_PERIOD'],
    ['period 030', `${T}?secret=${S}&period=030`, 'URI_PERIOD'],
    ['period 1.5', `${T}?secret=${S}&period=1.5`, 'URI_PERIOD'],
    ['period in HOTP', `${H}?secret=${S}&counter=0&period=30`, 'URI_PERIOD'],
    ['HOTP without counter', `${H}?secret=${S}`, 'URI_COUNTER'],
    ['negative counter', `${H}?secret=${S}&counter=-1`, 'URI_COUNTER'],
    ['counter 01', `${H}?secret=${S}&counter=01`, 'URI_COUNTER'],
    ['counter beyond 2^53', `${H}?secret=${S}&counter=9007199254740993`, 'URI_COUNTER'],
    ['counter in TOTP', `${T}?secret=${S}&counter=1`, 'URI_COUNTER'],
    ['issuer differs from label', `otpauth://totp/A:bob?secret=${S}&issuer=B`, 'URI_ISSUER'],
    ['empty issuer', `${T}?secret=${S}&issuer=`, 'URI_ISSUER'],
    ['issuer with colon', `${T}?secret=${S}&issuer=a%3Ab`, 'URI_ISSUER'],
  ];
  it.each(invalid)('rejects %s', (_name, uri, code) => {
    expect(() => parseOtpauthUri(uri)).toThrow(expect.objectContaining({ code }));
  });

  const badBuild: [string, Partial<OtpauthUriOptions>, string][] = [
    ['account with colon', { account: 'a:b' }, 'INVALID_ARGUMENT'],
    ['empty account', { account: '' }, 'INVALID_ARGUMENT'],
    ['account with leading space', { account: ' a' }, 'INVALID_ARGUMENT'],
    ['account with newline', { account: 'a\nb' }, 'INVALID_ARGUMENT'],
    ['issuer with colon', { issuer: 'A:B' }, 'INVALID_ARGUMENT'],
    ['lone surrogate', { account: 'a\ud800' }, 'INVALID_ARGUMENT'],
    ['period 0', { period: 0 }, 'INVALID_ARGUMENT'],
    ['unknown type', { type: 'motp' as 'totp' }, 'INVALID_ARGUMENT'],
    ['short secret', { secret: new Uint8Array(8) }, 'INVALID_SECRET'],
  ];
  it.each(badBuild)('refuses to build with %s', (_name, override, code) => {
    const options = { type: 'totp', secret, account: 'a', ...override } as OtpauthUriOptions;
    expect(() => buildOtpauthUri(options)).toThrow(expect.objectContaining({ code }));
  });

  it('never echoes the secret in error messages', () => {
    try {
      parseOtpauthUri(`${T}?secret=${S.slice(0, 20)}`);
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(S.slice(0, 20));
    }
  });
});
