/**
 * Helpers of the accounts tests: the seeded identities, the SMS outbox, the clock, and the
 * registration and login steps every test repeats.
 */
import { request } from 'node:http';
import { expect } from 'vitest';
import type { TestAnswer, TestSandbox } from '../support/sandbox.ts';

export interface Identity {
  personalId: string;
  fullName: string;
  sex: 'male' | 'female';
  birthDate: string;
  address: string;
  phone: string;
  state: string;
  level: number;
  password: string | null;
  chipSeed: number;
  chipFault: string | null;
}

export async function identities(sandbox: TestSandbox): Promise<Identity[]> {
  const res = await sandbox.call('GET', '/__sandbox/identities');
  expect(res.status).toBe(200);
  return res.body.identities;
}

/** The first identity in `state` (after `skip` others). */
export async function identity(
  sandbox: TestSandbox,
  state: string,
  skip = 0,
  level?: number,
): Promise<Identity> {
  const all = (await identities(sandbox)).filter(
    (i) => i.state === state && (level === undefined || i.level === level),
  );
  const found = all[skip];
  if (found === undefined) throw new Error(`no seeded identity in state ${state}`);
  return found;
}

export interface Sms {
  id: string;
  phone: string;
  body: string;
  code?: string;
  purpose: string;
  sentAt: string;
}

/** The newest SMS to `phone` (optionally of a purpose). */
export async function lastSms(sandbox: TestSandbox, phone: string, purpose?: string): Promise<Sms> {
  const res = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${phone}`);
  const found = (res.body.messages as Sms[]).find((m) => purpose === undefined || m.purpose === purpose);
  if (found === undefined) throw new Error(`no SMS to ${phone}`);
  return found;
}

export async function smsCount(sandbox: TestSandbox, phone: string): Promise<number> {
  const res = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${phone}`);
  return res.body.messages.length;
}

export async function advance(sandbox: TestSandbox, seconds: number): Promise<void> {
  const res = await sandbox.call('POST', '/__sandbox/clock', { advanceSeconds: seconds });
  expect(res.status).toBe(200);
}

/** Sets the application clock to `iso` plus `offsetMs`. */
export async function setClock(sandbox: TestSandbox, iso: string, offsetMs = 0): Promise<void> {
  const res = await sandbox.call('POST', '/__sandbox/clock', {
    set: new Date(Date.parse(iso) + offsetMs).toISOString(),
  });
  expect(res.status).toBe(200);
}

export function registrationBody(
  i: Pick<Identity, 'personalId' | 'phone' | 'fullName' | 'sex' | 'birthDate' | 'address'>,
  phone = i.phone,
): Record<string, unknown> {
  return {
    personalId: i.personalId,
    phone,
    fullName: i.fullName,
    sex: i.sex,
    birthDate: i.birthDate,
    address: i.address,
    acceptTerms: true,
  };
}

export const PASSWORD = 'Registered@2026';

/** Registers an app account for an unregistered identity, end to end. */
export async function register(sandbox: TestSandbox, i: Identity, password = PASSWORD): Promise<TestAnswer> {
  const started = await sandbox.call('POST', '/v1/registrations', registrationBody(i));
  expect(started.status).toBe(201);
  const sms = await lastSms(sandbox, i.phone, 'registration');
  const verified = await sandbox.call('POST', `/v1/otp/${started.body.otp.challengeId}/verify`, {
    code: sms.code,
  });
  expect(verified.status).toBe(200);
  const done = await sandbox.call('POST', `/v1/registrations/${started.body.registrationId}/password`, {
    password,
  });
  expect(done.status).toBe(201);
  return done;
}

let deviceCounter = 0;
export function newDevice(name = 'Test phone'): { id: string; name: string } {
  deviceCounter += 1;
  return { id: `device-${process.pid}-${Date.now()}-${deviceCounter}`, name };
}

export function login(
  sandbox: TestSandbox,
  personalId: string,
  password: string,
  device: { id: string; name: string },
): Promise<TestAnswer> {
  return sandbox.call('POST', '/v1/sessions', { personalId, password, device });
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A JSON request from another loopback source address (`127.0.0.x`), for per-address limits. */
export function callFrom(
  sandbox: TestSandbox,
  localAddress: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<TestAnswer> {
  const url = new URL(sandbox.url + path);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text), headers });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
