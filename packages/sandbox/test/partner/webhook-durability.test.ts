import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { activeLevel1, signedCall } from './support.ts';

// A webhook owed when a process stops is not lost: the next process on the same database sends it.
let hooks: Server;
let hookUrl: string;
const received: Array<{ id: string; body: string }> = [];
let refuse = true;

beforeAll(async () => {
  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        id: String(req.headers['x-webhook-id']),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = refuse ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise((resolve) => hooks?.close(resolve)));

describe(`webhook outbox durability (${store})`, () => {
  it('a delivery that failed before the process stopped is retried by the next process with the same id', async () => {
    let database: string;
    let cleanup: () => Promise<void>;
    if (store === 'postgres') {
      const db = await createTestDatabase();
      database = db.url;
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'vneid-partner-'));
      database = dir;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    let first: TestSandbox | undefined;
    let second: TestSandbox | undefined;
    try {
      first = await startTestSandbox({ database });
      const { answer } = await signedCall(first, 'POST', '/v1/share-requests', {
        claims: ['personal_id'],
        purpose: 'durability',
        callbackUrl: 'https://rp.example/cb',
        webhookUrl: hookUrl,
      });
      expect(answer.status).toBe(201);
      const decided = await first.call('POST', `/__sandbox/share-requests/${answer.body.id}/decision`, {
        personalId: activeLevel1().personalId,
        decision: 'refuse',
      });
      expect(decided.status).toBe(200);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(received).toHaveLength(1);
      const id = received[0]!.id;
      await first.stop();
      first = undefined;

      refuse = false;
      second = await startTestSandbox({ database });
      // The retry is due 2 s after the failure on the sandbox clock (the clock is in the database).
      await second.call('POST', '/__sandbox/clock', { advanceSeconds: 5 });
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(received.map((r) => r.id)).toEqual([id, id]);
      expect(JSON.parse(received[1]!.body).data).toMatchObject({
        shareRequestId: answer.body.id,
        status: 'FAILED',
        result: 2,
      });
      let delivered = false;
      for (let i = 0; i < 50 && !delivered; i++) {
        const { rows } = await second.db.query<{ ok: boolean }>(
          'SELECT delivered_at IS NOT NULL AS ok FROM webhook_deliveries WHERE id = $1',
          [id],
        );
        delivered = rows[0]?.ok === true;
        if (!delivered) await new Promise((r) => setTimeout(r, 100));
      }
      expect(delivered).toBe(true);
    } finally {
      await first?.stop();
      await second?.stop();
      await cleanup();
    }
  }, 120_000);
});
