/**
 * Helpers of the eID tests: the seeded identities by state, logging in over HTTP, reading the
 * SMS outbox, and a small valid JPEG portrait.
 */
import { expect } from 'vitest';
import { SEEDED_IDENTITIES, type SeededIdentity } from '../../src/fixtures/identities.ts';
import { registrationBody } from '../account/support.ts';
import type { TestSandbox } from '../support/sandbox.ts';

/** The seeded identity made from `createSyntheticPerson(seed)`. */
export function identity(seed: number): SeededIdentity {
  const found = SEEDED_IDENTITIES.find((i) => i.chipSeed === seed);
  if (found === undefined) throw new Error(`no seeded identity with seed ${seed}`);
  return found;
}

/** A personal ID that is in neither the registry nor the accounts. */
export const UNKNOWN_PERSONAL_ID = '001099999990';

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Logs in on `deviceId` (the account's first device, or its bound one) and answers the session. */
export async function loginSession(
  sandbox: TestSandbox,
  who: { personalId: string; password: string | null },
  deviceId: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect answers freely
): Promise<any> {
  const res = await sandbox.call('POST', '/v1/sessions', {
    personalId: who.personalId,
    password: who.password,
    device: { id: deviceId, name: 'Test phone' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** {@link loginSession}'s access token. */
export async function login(
  sandbox: TestSandbox,
  who: { personalId: string; password: string | null },
  deviceId: string,
): Promise<string> {
  return (await loginSession(sandbox, who, deviceId)).accessToken as string;
}

export interface Sms {
  body: string;
  code?: string;
  purpose: string;
}

/** The newest SMS to `phone` (optionally of a purpose). */
export async function lastSms(sandbox: TestSandbox, phone: string, purpose?: string): Promise<Sms> {
  const res = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${phone}`);
  const messages = (res.body.messages as Sms[]).filter((m) => purpose === undefined || m.purpose === purpose);
  expect(messages.length, `an SMS to ${phone}`).toBeGreaterThan(0);
  return messages[0]!;
}

export async function smsCount(sandbox: TestSandbox, phone: string): Promise<number> {
  const res = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${phone}`);
  return (res.body.messages as unknown[]).length;
}

/** A 1×1 JPEG (a real one: SOI, APP0, … EOI), base64. */
export const PORTRAIT =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';

/** The problem body without its request id (to compare two answers). */
export function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _ignored, ...rest } = body;
  return rest;
}

/** Registers an unregistered seeded identity as an app account (ACCOUNTS' flow) and logs it in. */
export async function registerAppAccount(
  sandbox: TestSandbox,
  who: SeededIdentity,
  deviceId: string,
): Promise<string> {
  const reg = await sandbox.call('POST', '/v1/registrations', registrationBody(who));
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const sms = await lastSms(sandbox, who.phone, 'registration');
  const verified = await sandbox.call('POST', `/v1/otp/${reg.body.otp.challengeId}/verify`, {
    code: sms.code,
  });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const password = 'Dang@ky2026';
  const set = await sandbox.call('POST', `/v1/registrations/${reg.body.registrationId}/password`, {
    password,
  });
  expect(set.status, JSON.stringify(set.body)).toBeLessThan(300);
  return login(sandbox, { personalId: who.personalId, password }, deviceId);
}
