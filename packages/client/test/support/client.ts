/**
 * Helpers of the client tests: the real sandbox (PGlite, over real HTTP) via the sandbox's own
 * test support, a client pointed at it, the seeded identities, the SMS outbox and the clock
 * (sandbox controls, not part of the client).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Identity, identities } from '../../../sandbox/test/account/support.ts';
import { startTestSandbox, type TestSandbox } from '../../../sandbox/test/support/sandbox.ts';
import {
  createIdentityClient,
  type IdentityClient,
  type IdentityClientOptions,
  type IdentityError,
  type IdentityErrorCode,
  isIdentityError,
  type RegistrationInput,
} from '../../src/index.ts';

// The seeded citizens as the sandbox's own account tests read them.
export { type Identity, identities } from '../../../sandbox/test/account/support.ts';
export { startTestSandbox, type TestSandbox };

export const PARTNER = { code: 'demo-bank', secret: 'demo-bank-sandbox-secret' };
export const SEEDED_PASSCODE = '246813';
/** A 1×1 JPEG. */
export const PORTRAIT: Uint8Array = Uint8Array.from(
  atob(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
  ),
  (c) => c.charCodeAt(0),
);

export function clientFor(
  sandbox: TestSandbox,
  options: Partial<IdentityClientOptions> = {},
): IdentityClient {
  return createIdentityClient({
    issuer: sandbox.url,
    partner: PARTNER,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/**
 * Starts the sandbox before the file's tests and stops it after them; `started` gets the sandbox
 * and a {@link clientFor} client pointed at it once it is up.
 */
export function withSandbox(started: (up: { sandbox: TestSandbox; client: IdentityClient }) => void): void {
  let sandbox: TestSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    started({ sandbox, client: clientFor(sandbox) });
  });
  afterAll(() => sandbox?.stop());
}

/** A seeded identity's registration form as its citizen fills it in. */
export const registrationInput = (who: Identity, acceptTerms = true): RegistrationInput => ({
  personalId: who.personalId,
  phone: who.phone,
  fullName: who.fullName,
  sex: who.sex,
  birthDate: who.birthDate,
  address: who.address,
  acceptTerms,
});

export async function identity(
  sandbox: TestSandbox,
  state: string,
  skip = 0,
  level?: number,
): Promise<Identity> {
  // active ones without a documented password were activated by an earlier test
  const all = (await identities(sandbox)).filter(
    (i) =>
      i.state === state &&
      (level === undefined || i.level === level) &&
      (state !== 'active' || i.password !== null),
  );
  const found = all[skip];
  if (!found) throw new Error(`no seeded identity in state ${state}`);
  return found;
}

/** The code of the newest SMS to `phone` (optionally of a purpose). */
export async function lastCode(sandbox: TestSandbox, phone: string, purpose?: string): Promise<string> {
  const res = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${phone}`);
  const found = (res.body.messages as { code?: string; purpose: string }[]).find(
    (m) => (purpose === undefined || m.purpose === purpose) && m.code !== undefined,
  );
  if (!found?.code) throw new Error(`no SMS code to ${phone}`);
  return found.code;
}

export async function advance(sandbox: TestSandbox, seconds: number): Promise<void> {
  const res = await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: seconds });
  expect(res.status).toBe(200);
}

/** The rejection of `p`, asserted to be an IdentityError with `code`. */
export async function rejects(p: Promise<unknown>, code: IdentityErrorCode): Promise<IdentityError> {
  try {
    await p;
  } catch (e) {
    if (!isIdentityError(e)) throw e;
    expect(e.code, e.message).toBe(code);
    return e;
  }
  throw new Error(`expected ${code}`);
}

/** Any wrong 6-digit code. */
export const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');

/** A seeded identity's chip files in the shape `readCard(...).raw` has (bytes by data-group number, `com`, `sod`). */
export async function chipRaw(
  sandbox: TestSandbox,
  personalId: string,
): Promise<Partial<Record<number | 'com' | 'sod', Uint8Array>>> {
  const res = await sandbox.call('GET', `/__sandbox/chips/${personalId}`);
  expect(res.status).toBe(200);
  const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const out: Partial<Record<number | 'com' | 'sod', Uint8Array>> = {};
  for (const [name, value] of Object.entries(res.body.files as Record<string, string>)) {
    const key = name === 'com' || name === 'sod' ? name : Number(name.slice(2));
    out[key] = bytes(value);
  }
  return out;
}

/** Registers an unregistered identity as an app account through the client and logs it in. */
export async function registerAndLogin(
  sandbox: TestSandbox,
  client: IdentityClient,
  who: Identity,
  deviceId: string,
  password = 'Sandbox@2026x',
): Promise<string> {
  const reg = await client.account.register(registrationInput(who));
  await client.account.verifyOtp(reg.otp.challengeId, await lastCode(sandbox, who.phone));
  await client.account.setRegistrationPassword(reg.registrationId, password);
  const login = await client.account.login({
    personalId: who.personalId,
    password,
    device: { id: deviceId, name: 'Phone' },
  });
  if (login.kind !== 'session') throw new Error('expected a session');
  return login.session.accessToken;
}
