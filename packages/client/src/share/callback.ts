/**
 * @module
 * The callback with which the VNeID app returns to a partner after a share request
 * (IDENTITY-NOTES §4): `…/callback/<transactionCode>|<result>` in the path, or the query
 * parameters `transactionCode` and `result`; result 1 = agreed, 2 = refused, 3 = expired.
 */
import { IdentityError } from '../errors.ts';

export type ShareResult = 'agreed' | 'refused' | 'expired';

export interface ShareCallback {
  transactionCode: string;
  result: ShareResult;
  /** The numeric result as sent (1, 2 or 3). */
  resultCode: 1 | 2 | 3;
  /** Which of the two observed forms the callback used. */
  form: 'path' | 'query';
}

const RESULTS: Record<string, ShareResult> = { '1': 'agreed', '2': 'refused', '3': 'expired' };
const CODE = /^[A-Za-z0-9_-]{1,128}$/;

function build(code: string, result: string, form: ShareCallback['form']): ShareCallback {
  const named = RESULTS[result];
  if (!CODE.test(code) || !named)
    throw new IdentityError(
      'invalid_argument',
      'the share callback carries no valid transaction code and result',
    );
  return { transactionCode: code, result: named, resultCode: Number(result) as 1 | 2 | 3, form };
}

/** Parses a share callback URL (absolute, or a path with its query) in either observed form. */
export function parseShareCallback(url: string | URL): ShareCallback {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url, 'http://callback.invalid') : url;
  } catch {
    throw new IdentityError('invalid_argument', 'the share callback is not a URL');
  }
  const code = parsed.searchParams.get('transactionCode');
  const result = parsed.searchParams.get('result');
  if (code !== null || result !== null) return build(code ?? '', result ?? '', 'query');
  const last = parsed.pathname.split('/').pop() ?? '';
  let segment: string;
  try {
    segment = decodeURIComponent(last);
  } catch {
    throw new IdentityError('invalid_argument', 'the share callback path is not valid percent-encoding');
  }
  const bar = segment.lastIndexOf('|');
  if (bar < 0)
    throw new IdentityError('invalid_argument', 'the share callback carries no transaction code and result');
  return build(segment.slice(0, bar), segment.slice(bar + 1), 'path');
}
