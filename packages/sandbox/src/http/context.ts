/**
 * @module
 * What every route handler receives: the services of the process (database, secrets, policy,
 * options) and the request's own context (its clock reading, request id, client address).
 */
import type { Context } from 'hono';
import type { Policy } from '../policy.ts';
import type { Secrets } from '../secrets.ts';
import type { Db } from '../store/db.ts';

export type SandboxProfile = 'fapi2' | 'vneid-legacy';

export interface SandboxConfig {
  /** The public base URL, `http://127.0.0.1:4010` (also the OpenID issuer). */
  baseUrl: string;
  profile: SandboxProfile;
  autoApprove: boolean;
  /** `/__sandbox/*` mounted. */
  controls: boolean;
}

/** One line per request; never bodies, codes, tokens or full personal IDs. */
export type LogSink = (entry: Record<string, unknown>) => void;

export interface Services {
  db: Db;
  secrets: Secrets;
  policy: Policy;
  config: SandboxConfig;
  log: LogSink;
  /** The application clock: real time plus the offset set by `POST /__sandbox/clock` (read from the database). */
  now(): Promise<Date>;
}

export interface RequestContext extends Services {
  /** The application clock, read once at the start of the request. */
  at: Date;
  requestId: string;
  /** The client address (for per-IP limits). */
  ip: string;
  /** Set by an authenticated handler for the log line: the masked subject. */
  subject?: string;
}

export interface RouteInput<Body = unknown> {
  body: Body;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-case header lookup. */
  header(name: string): string | undefined;
  /** The Hono context, for what the above does not cover (raw body, cookies). */
  c: Context;
}

export type RouteResult = Response | { status?: number; body?: unknown; headers?: Record<string, string> };

export type RouteHandler<Body = unknown> = (
  input: RouteInput<Body>,
  rc: RequestContext,
) => Promise<RouteResult>;

/** What a direct answer receives: the services and the request's id and address, no clock reading. */
export interface DirectContext extends Services {
  requestId: string;
  ip: string;
  /** Set by an authenticated direct answer for the log line: the masked subject. */
  subject?: string;
}

/**
 * A direct answer to a valid request without an `Idempotency-Key`, tried before the request's
 * clock is read: one statement that reads the application clock and the armed faults itself.
 * It answers undefined when the full path must run (a fault armed, or any answer but the
 * common one), and must leave the database unchanged then.
 */
export type DirectHandler<Body = unknown> = (
  input: RouteInput<Body>,
  context: DirectContext,
) => Promise<RouteResult | undefined>;

export interface RouteOptions<Body = unknown> {
  direct?: DirectHandler<Body>;
}

/** Registers handlers by the `operationId` of openapi.yaml; the method and path come from the document. */
export interface RouteRegistrar {
  route<Body = unknown>(operationId: string, handler: RouteHandler<Body>, options?: RouteOptions<Body>): void;
  services: Services;
}
