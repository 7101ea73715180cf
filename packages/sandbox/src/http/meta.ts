/**
 * @module
 * `GET /health`, `GET /openapi.json` and `GET /v1/policies`.
 */
import { loadOpenApi } from '../contract/openapi.ts';
import type { RouteRegistrar } from './context.ts';

export function metaRoutes(r: RouteRegistrar): void {
  r.route('getHealth', async (_input, rc) => {
    await rc.db.query('SELECT 1');
    return { body: { status: 'ok', store: rc.db.kind, profile: rc.config.profile } };
  });
  const doc = loadOpenApi();
  const servers = (baseUrl: string) => ({ ...doc, servers: [{ url: baseUrl }] });
  r.route('getOpenApi', async (_input, rc) => ({
    body: servers(rc.config.baseUrl),
    headers: { 'cache-control': 'public, max-age=60' },
  }));
  r.route('getPolicies', async (_input, rc) => ({ body: rc.policy }));
}
