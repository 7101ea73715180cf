/**
 * Safe POST retries against the real sandbox: by default every POST carries an
 * `Idempotency-Key`, so when the answer of a registration is lost on the way back (the server
 * did the work) the client's retry gets the first answer, and the citizen gets one SMS and one
 * registration. With `idempotencyKeys: 'off'` the lost answer is not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIdentityError } from '../src/index.ts';
import {
  clientFor,
  identity,
  registrationInput,
  startTestSandbox,
  type TestSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

/** A fetch whose first answer to a POST is lost after the server handled it. */
function losingFirstAnswer(seen: Headers[]): typeof fetch {
  let lost = false;
  return async (input, init) => {
    const res = await fetch(input, init);
    if (init?.method === 'POST') {
      seen.push(new Headers(init.headers));
      if (!lost) {
        lost = true;
        await res.arrayBuffer();
        throw new TypeError('fetch failed: socket hang up');
      }
    }
    return res;
  };
}

async function registrations(personalId: string): Promise<number> {
  const rows = await sandbox.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM registrations WHERE personal_id = $1',
    [personalId],
  );
  return rows.rows[0]!.n;
}

describe('POST retries with Idempotency-Key', () => {
  it('retries a registration whose answer was lost and gets the first answer', async () => {
    const who = await identity(sandbox, 'unregistered', 1);
    const seen: Headers[] = [];
    const client = clientFor(sandbox, { fetch: losingFirstAnswer(seen) });
    const started = await client.account.register(registrationInput(who));
    expect(started.registrationId).toMatch(/.+/);
    expect(seen).toHaveLength(2);
    const key = seen[0]!.get('idempotency-key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.get('idempotency-key')).toBe(key);
    expect(await registrations(who.personalId)).toBe(1);
    const sms = await sandbox.call('GET', `/__sandbox/outbox/sms?phone=${who.phone}`);
    expect(sms.body.messages).toHaveLength(1);
  });

  it("does not retry a POST with idempotencyKeys: 'off'", async () => {
    const who = await identity(sandbox, 'unregistered', 2);
    const seen: Headers[] = [];
    const client = clientFor(sandbox, { fetch: losingFirstAnswer(seen), idempotencyKeys: 'off' });
    const failed = await client.account.register(registrationInput(who)).catch((e: unknown) => e);
    expect(isIdentityError(failed, 'network_error')).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.get('idempotency-key')).toBeNull();
  });
});
