import { describe, expect, it } from 'vitest';
import { isIdentityError, parseShareCallback } from '../src/index.ts';

describe('parseShareCallback', () => {
  it('reads the path form, raw and percent-encoded', () => {
    expect(parseShareCallback('https://rp.example/vneid/callback/TX123|1')).toEqual({
      transactionCode: 'TX123',
      result: 'agreed',
      resultCode: 1,
      form: 'path',
    });
    expect(parseShareCallback('https://rp.example/vneid/callback/TX-9%7C2').result).toBe('refused');
    expect(parseShareCallback('/vneid/callback/abc_1|3').result).toBe('expired');
  });

  it('reads the query form', () => {
    expect(parseShareCallback('https://rp.example/vneid/callback?transactionCode=TX5&result=2')).toEqual({
      transactionCode: 'TX5',
      result: 'refused',
      resultCode: 2,
      form: 'query',
    });
  });

  it('refuses malformed callbacks with invalid_argument', () => {
    for (const url of [
      'https://rp.example/vneid/callback/TX123',
      'https://rp.example/vneid/callback/TX123|4',
      'https://rp.example/vneid/callback/|1',
      'https://rp.example/cb?transactionCode=TX1',
      'https://rp.example/cb?transactionCode=a%20b&result=1',
      'https://rp.example/cb/%E0%A4%A|1',
    ]) {
      let caught: unknown;
      try {
        parseShareCallback(url);
      } catch (e) {
        caught = e;
      }
      expect(isIdentityError(caught, 'invalid_argument'), url).toBe(true);
    }
  });
});
