import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, verifyWebhook } from '../src/index.ts';

const secret = 'demo-bank-sandbox-secret';
const now = 1_800_000_000_000;
function signed(body: string, id = 'wh_1', ts = Math.floor(now / 1000)) {
  const mac = createHmac('sha256', secret).update(`${id}.${ts}.${body}`).digest('hex');
  return { 'X-Webhook-Id': id, 'X-Webhook-Timestamp': String(ts), 'X-Webhook-Signature': `sha256=${mac}` };
}

describe('verifyWebhook', () => {
  const body = JSON.stringify({
    type: 'share_request.decided',
    data: { id: 's1', result: 1 },
    unknownField: true,
  });

  it('accepts a correctly signed, fresh webhook and returns its payload', async () => {
    const res = await verifyWebhook<{ type: string }>({
      secret,
      headers: signed(body),
      body,
      now: () => now,
    });
    expect(res).toMatchObject({ ok: true, id: 'wh_1', payload: { type: 'share_request.decided' } });
    const headers = new Headers(signed(body));
    expect(
      (await verifyWebhook({ secret, headers, body: new TextEncoder().encode(body), now: () => now })).ok,
    ).toBe(true);
  });

  it('refuses a bad signature: another secret, a changed body, a malformed header', async () => {
    const h = signed(body);
    expect(await verifyWebhook({ secret: 'other', headers: h, body, now: () => now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyWebhook({ secret, headers: h, body: `${body} `, now: () => now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    for (const sig of ['sha256=zz', 'md5=00', '', h['X-Webhook-Signature'].slice(0, -1)]) {
      const res = await verifyWebhook({
        secret,
        headers: { ...h, 'X-Webhook-Signature': sig },
        body,
        now: () => now,
      });
      expect(res.ok).toBe(false);
    }
    const { 'X-Webhook-Id': _, ...noId } = h;
    expect(await verifyWebhook({ secret, headers: noId, body, now: () => now })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });

  it('refuses a timestamp outside the tolerance, at the boundary second', async () => {
    const ts = Math.floor(now / 1000) - 300;
    expect((await verifyWebhook({ secret, headers: signed(body, 'a', ts), body, now: () => now })).ok).toBe(
      true,
    );
    expect(await verifyWebhook({ secret, headers: signed(body, 'b', ts - 1), body, now: () => now })).toEqual(
      {
        ok: false,
        reason: 'stale_timestamp',
      },
    );
    expect(
      await verifyWebhook({ secret, headers: signed(body, 'c', ts + 601), body, now: () => now }),
    ).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('refuses a replay through the store, and records only valid webhooks', async () => {
    const store = createMemoryReplayStore(() => now);
    const h = signed(body, 'wh_r');
    expect(
      (
        await verifyWebhook({
          secret,
          headers: { ...h, 'X-Webhook-Signature': 'sha256=' + '0'.repeat(64) },
          body,
          store,
          now: () => now,
        })
      ).ok,
    ).toBe(false);
    expect((await verifyWebhook({ secret, headers: h, body, store, now: () => now })).ok).toBe(true);
    expect(await verifyWebhook({ secret, headers: h, body, store, now: () => now })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });
});
