import { inspect } from 'node:util';
import { IdentityClaims } from '@vneid/client/sso';
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/errors.ts';
import {
  IdentityError,
  isIdentityError,
  maskPersonalId,
  maskPhone,
  maskText,
  SERVER_PROBLEM_CODES,
} from '../src/index.ts';

describe('IdentityError', () => {
  it('maps a problem to its typed fields and keeps the raw code', () => {
    const e = errorFromResponse(
      400,
      {
        type: 'x',
        title: 'The one-time code is wrong',
        status: 400,
        code: 'otp_invalid',
        requestId: 'r1',
        attemptsRemaining: 3,
      },
      'fallback',
      undefined,
    );
    expect(e.code).toBe('otp_invalid');
    expect(e.serverCode).toBe('otp_invalid');
    expect(e.status).toBe(400);
    expect(e.requestId).toBe('r1');
    expect(e.attemptsRemaining).toBe(3);
    expect(e.retryAfter).toBeUndefined();
    expect(isIdentityError(e, 'otp_invalid')).toBe(true);
    expect(isIdentityError(e, 'otp_expired')).toBe(false);
  });

  it('answers unknown for a code a newer server adds, and unexpected_response without a code', () => {
    const e = errorFromResponse(409, { code: 'brand_new_code', title: 'New' }, 'r2', 5);
    expect(e.code).toBe('unknown');
    expect(e.serverCode).toBe('brand_new_code');
    expect(e.retryAfter).toBe(5);
    expect(e.requestId).toBe('r2');
    const plain = errorFromResponse(502, '<html>bad gateway</html>', 'r3', undefined);
    expect(plain.code).toBe('unexpected_response');
    expect(plain.status).toBe(502);
  });

  it('is recognised across copies by its Symbol.for brand, not by instanceof', () => {
    const e = new IdentityError('network_error', 'x');
    const copy = Object.create(null) as Record<symbol | string, unknown>;
    copy[Symbol.for('@vneid/client.IdentityError')] = true;
    copy['code'] = 'otp_expired';
    expect(isIdentityError(copy, 'otp_expired')).toBe(true);
    expect(isIdentityError(e)).toBe(true);
    expect(isIdentityError(new Error('x'))).toBe(false);
    expect(isIdentityError({ code: 'otp_expired' })).toBe(false);
    expect(isIdentityError(null)).toBe(false);
  });

  it('masks a personal ID in its message, problem members and JSON form', () => {
    const e = errorFromResponse(
      422,
      { code: 'invalid_personal_id', title: 't', detail: 'ID 001099012123 bad', extra: 'see 001099012123' },
      'r',
      undefined,
    );
    expect(e.message).not.toContain('001099012123');
    expect(e.message).toContain('001******123');
    expect(JSON.stringify(e)).not.toContain('001099012123');
    expect(String(e.problem?.['extra'])).toBe('see 001******123');
    expect(new IdentityError('unknown', 'for 012157268548').message).toBe('for 012******548');
  });

  it('knows every server code of the contract', () => {
    expect(SERVER_PROBLEM_CODES).toContain('otp_expired');
    expect(new Set(SERVER_PROBLEM_CODES).size).toBe(SERVER_PROBLEM_CODES.length);
  });
});

describe('masking', () => {
  it('masks IDs, texts and phones', () => {
    expect(maskPersonalId('001099012123')).toBe('001******123');
    expect(maskPersonalId('12345')).toBe('************');
    expect(maskText('a 001099012123 b 0010990121234 c')).toBe('a 001******123 b 0010990121234 c');
    expect(maskPhone('0351234535')).toBe('035****535');
  });

  it('a claims object prints, inspects and serialises with the ID masked', () => {
    const claims = new IdentityClaims({
      personalId: '012157268548',
      fullName: 'DƯƠNG THU D',
      accountLevel: 2,
      raw: { personal_id: '012157268548', nested: { sub: 'x 012157268548' } },
    });
    expect(claims.personalId).toBe('012157268548');
    for (const text of [
      String(claims),
      `${claims}`,
      JSON.stringify(claims),
      inspect(claims),
      inspect({ claims }),
    ]) {
      expect(text).not.toContain('012157268548');
    }
    expect(JSON.stringify(claims)).toContain('012******548');
  });
});

describe('hostile arguments', () => {
  it('answer IdentityError invalid_argument, never a TypeError', async () => {
    const { createIdentityClient } = await import('../src/index.ts');
    for (const bad of [undefined, null, {}, { issuer: 'ftp://x' }, { issuer: 42 }]) {
      let caught: unknown;
      try {
        createIdentityClient(bad as never);
      } catch (e) {
        caught = e;
      }
      expect(isIdentityError(caught, 'invalid_argument')).toBe(true);
    }
    const client = createIdentityClient({
      issuer: 'http://127.0.0.1:9',
      fetch: (() => Promise.reject(new Error('no'))) as never,
    });
    for (const session of [undefined, null, '', {}, { accessToken: 1 }]) {
      await expect(client.account.devices(session as never)).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
    await expect(client.eid.getActivation(undefined as never)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(client.verify.chip({ personalId: '1', chipFiles: {} } as never)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      client.eid.apply('t', {
        evidence: { kind: 'nfc', chipFiles: null as never },
        portrait: new Uint8Array(1),
      }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
