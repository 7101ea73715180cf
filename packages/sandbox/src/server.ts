/**
 * @module
 * `startSandbox()`: opens the store (PGlite in memory or in a directory, or PostgreSQL), applies
 * the migrations, loads the shared keys, composes the areas and listens on loopback by default.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type Area, type AreaFactory, areaFactories } from './areas.ts';
import { controlRoutes } from './controls/index.ts';
import { registryControlRoutes } from './controls/registry.ts';
import { buildApp, type RouteModule } from './http/app.ts';
import type { LogSink, SandboxProfile, Services } from './http/context.ts';
import { metaRoutes } from './http/meta.ts';
import { loadServerKeys } from './keys/server-keys.ts';
import { defaultPolicy, type PasswordRule, type Policy } from './policy.ts';
import { createSecrets } from './secrets.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { migrations } from './store/migrations/index.ts';
import { createPgDb } from './store/pg.ts';
import { createPgliteDb } from './store/pglite.ts';

export interface SandboxOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1` (loopback only). */
  host?: string;
  /** `memory` (default), a directory for a persistent PGlite, or a `postgres://` URL. */
  database?: string;
  /** Default `fapi2`. */
  profile?: SandboxProfile;
  /** Authorization requests with `login_hint=<personal ID>` of a seeded citizen complete without a page. */
  autoApprove?: boolean;
  /** Mount `/__sandbox/*` (default true). */
  controls?: boolean;
  /** Default `vneid`. */
  passwordRule?: PasswordRule;
  /** Overrides of the default policy. */
  policy?: (policy: Policy) => Policy;
  /** The public base URL when behind a proxy; default `http://HOST:PORT`. */
  baseUrl?: string;
  /**
   * Password hashes (argon2id, 19 MiB each) this process computes at once; default: its cores.
   * Several processes on one machine do best with cores ÷ processes each: hashes side by side in
   * one process contend for its memory map, in separate processes they do not.
   */
  hashConcurrency?: number;
  /** Where the request log goes: `stdout` (default for the CLI), `silent` (default here) or a function. */
  log?: 'stdout' | 'silent' | LogSink;
  /** Replace the area list (tests). */
  areas?: AreaFactory[];
}

export interface RunningSandbox {
  url: string;
  port: number;
  db: Db;
  services: Services;
  /** Operations of openapi.yaml that no area serves (empty when the contract and the server agree). */
  unregisteredOperations: string[];
  stop(): Promise<void>;
}

async function openDb(database: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    const db = createPgDb(database);
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    return db;
  }
  return createPgliteDb(database, { migrations, migrate });
}

// Kept by a reset: the service's identity (its keys and its chip PKI), not its state.
const UTILITY_TABLES = new Set(['schema_migrations', 'sandbox_state', 'server_keys', 'sandbox_pki']);

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const database = options.database ?? process.env['DATABASE_URL'] ?? 'memory';
  const db = await openDb(database);
  try {
    await db.query('INSERT INTO sandbox_state (id, hmac_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
      randomBytes(32).toString('base64'),
    ]);
    const state = await db.query<{ hmac_key: string }>('SELECT hmac_key FROM sandbox_state WHERE id = 1');
    const secrets = createSecrets(Buffer.from(state.rows[0]!.hmac_key, 'base64'), {
      ...(options.hashConcurrency !== undefined ? { hashConcurrency: options.hashConcurrency } : {}),
    });
    const keys = await loadServerKeys(db);
    const sink = options.log ?? 'silent';
    const log: LogSink =
      typeof sink === 'function'
        ? sink
        : sink === 'stdout'
          ? (e) => process.stdout.write(`${JSON.stringify(e)}\n`)
          : () => {};
    const basePolicy = defaultPolicy(options.passwordRule ?? 'vneid');
    const policy = options.policy ? options.policy(basePolicy) : basePolicy;

    const server: Server = createServer();
    // Longer than the idle timeout of common clients and proxies, so a keep-alive socket is not
    // closed under a request the client is sending.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4010, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const baseUrl = (options.baseUrl ?? `http://${urlHost}:${port}`).replace(/\/$/, '');

    const services: Services = {
      db,
      secrets,
      policy,
      log,
      config: {
        baseUrl,
        profile: options.profile ?? 'fapi2',
        autoApprove: options.autoApprove ?? false,
        controls: options.controls ?? true,
      },
      async now() {
        const { rows } = await db.query<{ clock_offset_ms: number }>(
          'SELECT clock_offset_ms FROM sandbox_state WHERE id = 1',
        );
        return new Date(Date.now() + (rows[0]?.clock_offset_ms ?? 0));
      },
    };

    const areas: Area[] = [];
    for (const factory of options.areas ?? areaFactories) areas.push(await factory({ services, keys }));
    for (const area of areas) await area.seed?.();

    const resetAll = async () => {
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
        );
        const tables = rows.map((r) => r.tablename).filter((t) => !UTILITY_TABLES.has(t));
        if (tables.length > 0)
          await tx.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
        await tx.query('UPDATE sandbox_state SET clock_offset_ms = 0 WHERE id = 1');
      });
      for (const area of areas) await area.seed?.();
    };

    const modules: RouteModule[] = [metaRoutes];
    if (services.config.controls) modules.push(controlRoutes(resetAll), registryControlRoutes);
    for (const area of areas) if (area.routes) modules.push(area.routes);
    const { app, unregistered } = buildApp(services, modules);
    for (const area of areas) area.mount?.(app);
    const honoListener = getRequestListener(app.fetch);
    server.on('request', (req, res) => {
      for (const area of areas) if (area.handle?.(req, res)) return;
      void honoListener(req, res);
    });

    return {
      url: baseUrl,
      port,
      db,
      services,
      unregisteredOperations: unregistered,
      async stop() {
        server.closeAllConnections?.();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        for (const area of areas) await area.close?.();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
