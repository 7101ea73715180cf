/**
 * Helpers of the partner tests: requests signed as a partner (the documented demo partner by
 * default) and the seeded identities the tests use.
 */
import { randomBytes } from 'node:crypto';
import { SEEDED_IDENTITIES } from '../../src/fixtures/identities.ts';
import { DEMO_PARTNER, signPartnerRequest } from '../../src/http/partner-auth.ts';
import type { TestAnswer, TestSandbox } from '../support/sandbox.ts';

export interface SignOptions {
  code?: string;
  secret?: string;
  /** Unix seconds; default: the sandbox clock now. */
  timestamp?: number;
  nonce?: string;
  /** Sign this instead of the body sent (a tampered signature). */
  signedBody?: string;
  /** More headers to send (not signed). */
  extraHeaders?: Record<string, string>;
}

export const newNonce = (): string => randomBytes(18).toString('base64url');

/** The sandbox's application clock, in Unix seconds. */
export async function sandboxSeconds(sandbox: TestSandbox): Promise<number> {
  const clock = await sandbox.call('GET', '/__sandbox/clock');
  return Math.floor(Date.parse(clock.body.now) / 1000);
}

export interface SignedCall {
  answer: TestAnswer;
  headers: Record<string, string>;
  body: string;
}

/** A partner-signed request; answers the response and the headers that were sent (to replay them). */
export async function signedCall(
  sandbox: TestSandbox,
  method: string,
  path: string,
  body?: unknown,
  options: SignOptions = {},
): Promise<SignedCall> {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? (await sandboxSeconds(sandbox)));
  const nonce = options.nonce ?? newNonce();
  const headers: Record<string, string> = {
    'x-partner-code': options.code ?? DEMO_PARTNER.code,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signPartnerRequest(
      options.secret ?? DEMO_PARTNER.secret,
      method,
      path,
      timestamp,
      nonce,
      options.signedBody ?? text,
    ),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.extraHeaders,
  };
  return { answer: await send(sandbox, method, path, headers, text), headers, body: text };
}

/** Sends exactly these headers and body (a replay). */
export async function send(
  sandbox: Pick<TestSandbox, 'url'>,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<TestAnswer> {
  const res = await fetch(sandbox.url + path, {
    method,
    headers,
    ...(body !== '' ? { body } : {}),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

const bySeed = (seed: number) => {
  const identity = SEEDED_IDENTITIES.find((i) => i.chipSeed === seed);
  if (identity === undefined) throw new Error(`no seeded identity with chip seed ${seed}`);
  return identity;
};

/** The software chip's holder (createSyntheticPerson(7)). */
export const chipHolder = () => bySeed(7);
/** The identity whose chip's EF.SOD signature does not verify. */
export const badChip = () => {
  const identity = SEEDED_IDENTITIES.find((i) => i.chipFault === 'bad_signature');
  if (identity === undefined) throw new Error('no bad_signature identity');
  return identity;
};
export const activeLevel1 = () => {
  const identity = SEEDED_IDENTITIES.find((i) => i.state === 'active' && i.level === 1);
  if (identity === undefined) throw new Error('no active level-1 identity');
  return identity;
};
export const activeLevel2 = () => {
  const identity = SEEDED_IDENTITIES.find((i) => i.state === 'active' && i.level === 2);
  if (identity === undefined) throw new Error('no active level-2 identity');
  return identity;
};
export const approvedIdentity = () => {
  const identity = SEEDED_IDENTITIES.find((i) => i.state === 'approved' && i.password !== null);
  if (identity === undefined) throw new Error('no approved identity with a password');
  return identity;
};
