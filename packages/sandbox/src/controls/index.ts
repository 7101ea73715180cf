/**
 * @module
 * `/__sandbox/*`: the controls of the sandbox, mounted only in sandbox mode. The clock offset,
 * faults and the SMS outbox live in the database, so every process of one service sees them.
 * Areas add their own controls (identities, decisions, unlock) in their own modules.
 */
import type { RouteRegistrar } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';

/** Called by `POST /__sandbox/reset` after every table is emptied, in registration order. */
export type ResetHook = (registrar: RouteRegistrar) => Promise<void>;

export function controlRoutes(resetAll: () => Promise<void>) {
  return (r: RouteRegistrar): void => {
    r.route<{ advanceSeconds?: number; set?: string }>('advanceClock', async ({ body }, rc) => {
      let offsetMs: number;
      if (body.set !== undefined) {
        const target = Date.parse(body.set);
        if (Number.isNaN(target))
          throw new ProblemError('invalid_request', { detail: 'set must be an ISO date-time' });
        offsetMs = target - Date.now();
        await rc.db.query('UPDATE sandbox_state SET clock_offset_ms = $1 WHERE id = 1', [offsetMs]);
      } else {
        const { rows } = await rc.db.query<{ clock_offset_ms: number }>(
          'UPDATE sandbox_state SET clock_offset_ms = clock_offset_ms + $1 WHERE id = 1 RETURNING clock_offset_ms',
          [(body.advanceSeconds ?? 0) * 1000],
        );
        offsetMs = rows[0]!.clock_offset_ms;
      }
      const now = await rc.now();
      return { body: { now: now.toISOString(), offsetSeconds: offsetMs / 1000 } };
    });
    r.route('getClock', async (_input, rc) => {
      const now = await rc.now();
      return { body: { now: now.toISOString(), offsetSeconds: (now.getTime() - Date.now()) / 1000 } };
    });
    r.route('resetSandbox', async () => {
      await resetAll();
      return { status: 204 };
    });
    r.route<{ method?: string; pathPrefix: string; status?: number; delayMs?: number; times?: number }>(
      'injectFault',
      async ({ body }, rc) => {
        const id = randomId();
        await rc.db.query(
          'INSERT INTO sandbox_faults (id, method, path_prefix, status, delay_ms, remaining, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            id,
            body.method?.toUpperCase() ?? null,
            body.pathPrefix,
            body.status ?? null,
            body.delayMs ?? 0,
            body.times ?? 1,
            new Date(),
          ],
        );
        return { status: 201, body: { id } };
      },
    );
    r.route('clearFaults', async (_input, rc) => {
      await rc.db.query('DELETE FROM sandbox_faults');
      return { status: 204 };
    });
    r.route('listSms', async ({ query }, rc) => {
      const { rows } = await rc.db.query<{
        id: string;
        phone: string;
        body: string;
        code: string | null;
        purpose: string;
        created_at: Date;
      }>(
        `SELECT id, phone, body, code, purpose, created_at FROM sms_outbox
         WHERE ($1::text IS NULL OR phone = $1) ORDER BY seq DESC LIMIT 100`,
        [query['phone'] ?? null],
      );
      return {
        body: {
          messages: rows.map((m) => ({
            id: m.id,
            phone: m.phone,
            body: m.body,
            ...(m.code !== null ? { code: m.code } : {}),
            purpose: m.purpose,
            sentAt: new Date(m.created_at).toISOString(),
          })),
        },
      };
    });
  };
}
