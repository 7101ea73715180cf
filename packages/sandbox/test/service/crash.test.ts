/**
 * SIGKILL loses nothing committed: a sandbox process on a disk database (a PGlite directory, or
 * PostgreSQL) is killed mid-flow; a new process on the same database still has every account,
 * session and pending OTP challenge that had been answered before the kill.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, store } from '../support/sandbox.ts';
import { callAt, registerAccount, spawnSandbox, startRegistration, syntheticPerson } from './processes.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe(`crash recovery (${store})`, () => {
  it('keeps accounts, sessions and pending challenges across a SIGKILL', { timeout: 180_000 }, async () => {
    let database: string;
    if (store === 'postgres') {
      const db = await createTestDatabase();
      database = db.url;
      cleanups.push(db.drop);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'vneid-crash-'));
      database = join(dir, 'db');
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    }
    const first = await spawnSandbox(database);
    const done = syntheticPerson(5);
    await registerAccount(first.url, done, 'Con@Song1lan');
    const login = await callAt(first.url, 'POST', '/v1/sessions', {
      personalId: done.personalId,
      password: 'Con@Song1lan',
      device: { id: 'crash-phone', name: 'crash phone' },
    });
    expect(login.status).toBe(201);
    const pending = syntheticPerson(6);
    const midway = await startRegistration(first.url, pending);
    // Killed while more requests are in flight.
    const inFlight = Array.from({ length: 5 }, () =>
      callAt(first.url, 'GET', '/v1/policies').catch(() => undefined),
    );
    await first.kill();
    await Promise.all(inFlight);

    const second = await spawnSandbox(database);
    cleanups.unshift(() => second.stop());
    const session = await callAt(second.url, 'GET', '/v1/sessions/current', undefined, {
      authorization: `Bearer ${login.body.accessToken}`,
    });
    expect(session.status).toBe(200);
    const again = await callAt(second.url, 'POST', '/v1/sessions', {
      personalId: done.personalId,
      password: 'Con@Song1lan',
      device: { id: 'crash-phone', name: 'crash phone' },
    });
    expect(again.status).toBe(201);
    const verified = await callAt(second.url, 'POST', `/v1/otp/${midway.challengeId}/verify`, {
      code: midway.code,
    });
    expect(verified.status).toBe(200);
  });
});
