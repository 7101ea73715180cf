/**
 * @module
 * The areas of the service, composed by `startSandbox()`. Each area owns its routes (by
 * `operationId`), its tables (its own migration files), its seed data and, for the OpenID
 * Provider, a Node request listener mounted in front of Hono.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import { createAccountsArea } from './http/account-routes.ts';
import type { RouteModule } from './http/app.ts';
import type { Services } from './http/context.ts';
import { createEidArea } from './http/eid-routes.ts';
import { createPartnerArea } from './http/partner-routes.ts';
import type { ServerKeys } from './keys/server-keys.ts';
import { oidcArea } from './oidc/index.ts';

export interface AreaContext {
  services: Services;
  keys: ServerKeys;
}

export interface Area {
  name: string;
  routes?: RouteModule;
  /** Idempotent seed data: run at start (when missing) and after `POST /__sandbox/reset`. */
  seed?(): Promise<void>;
  /** Plain Hono routes outside openapi.yaml (HTML pages such as a consent page), added after the operations. */
  mount?(app: Hono): void;
  /** A Node listener tried before Hono; returns true when it took the request. */
  handle?(req: IncomingMessage, res: ServerResponse): boolean;
  close?(): Promise<void>;
}

export type AreaFactory = (ctx: AreaContext) => Promise<Area> | Area;

/** The areas in start-up order. Each area adds itself here. */
export const areaFactories: AreaFactory[] = [
  createAccountsArea,
  // eid seeds passcodes of seeded accounts: keep it after the accounts area.
  createEidArea,
  oidcArea,
  createPartnerArea,
];
