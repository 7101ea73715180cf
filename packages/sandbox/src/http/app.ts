/**
 * @module
 * The HTTP layer: Hono routes registered from openapi.yaml's operations, each request parsed
 * (JSON or form), size-limited, validated with Ajv and answered with JSON or RFC 9457
 * problem+json. One structured log line per request. Faults injected through the sandbox
 * controls are applied here, before the handler.
 */
import { type Context, Hono } from 'hono';
import { loadOpenApi, type OpenApiOperation, operationsOf } from '../contract/openapi.ts';
import { createValidators, firstFailure } from '../contract/validate.ts';
import { requireSession } from '../flows/sessions.ts';
import { randomId } from '../secrets.ts';
import type {
  DirectContext,
  RequestContext,
  RouteHandler,
  RouteInput,
  RouteOptions,
  RouteRegistrar,
  Services,
} from './context.ts';
import { claimIdempotencyKey, replayResponse, settleIdempotencyKey } from './idempotency.ts';
import { requirePartner } from './partner-auth.ts';
import { isProblemError, ProblemError, problemResponse } from './problem.ts';

const DEFAULT_BODY_LIMIT = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export type RouteModule = (registrar: RouteRegistrar) => void;

const rawBodies = new WeakMap<Request, Uint8Array>();
// Stateless between calls (no `stream` option), so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The exact bytes of the request body as received (empty when none): for request signatures. */
export function rawBodyOf(input: { c: { req: { raw: Request } } }): Uint8Array {
  return rawBodies.get(input.c.req.raw) ?? new Uint8Array(0);
}

export interface BuiltApp {
  app: Hono;
  /** Operations of openapi.yaml that no module registered (reported by tests). */
  unregistered: string[];
}

async function readBody(op: OpenApiOperation, raw: Request): Promise<unknown> {
  const content = op.requestBody?.content ?? {};
  const limit = Number((op as unknown as Record<string, unknown>)['x-body-limit'] ?? DEFAULT_BODY_LIMIT);
  const declared = Number(raw.headers.get('content-length') ?? '0');
  if (declared > limit) throw new ProblemError('payload_too_large', { detail: `at most ${limit} bytes` });
  const buffer = new Uint8Array(await raw.arrayBuffer());
  if (buffer.length > limit)
    throw new ProblemError('payload_too_large', { detail: `at most ${limit} bytes` });
  rawBodies.set(raw, buffer);
  if (buffer.length === 0) return undefined;
  const type = (raw.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let text: string;
  try {
    text = UTF8.decode(buffer);
  } catch {
    throw new ProblemError('invalid_request', { detail: 'the body is not valid UTF-8' });
  }
  if (type === 'application/json' && content['application/json']) {
    try {
      return JSON.parse(text);
    } catch {
      throw new ProblemError('invalid_request', { detail: 'the body is not valid JSON' });
    }
  }
  if (type === 'application/x-www-form-urlencoded' && content['application/x-www-form-urlencoded']) {
    // Kept as strings; `+` means a space per the form encoding.
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw new ProblemError('unsupported_media_type', {
    detail: `expected ${Object.keys(content).join(' or ')}`,
  });
}

/**
 * What an `Idempotency-Key` is scoped to: the operation, its path and the caller. The caller's
 * credentials are checked first, so that a stored answer is replayed only to whoever may ask.
 */
async function idempotencyScope(
  op: OpenApiOperation,
  input: Parameters<RouteHandler<unknown>>[0],
  rc: RequestContext,
): Promise<string> {
  const schemes = ((op as { security?: Record<string, unknown>[] }).security ?? []).flatMap((s) =>
    Object.keys(s),
  );
  const path = new URL(input.c.req.url).pathname;
  if (schemes.includes('partner'))
    return `${op.operationId} ${path} partner:${(await requirePartner(rc, input)).partnerCode}`;
  const authorization = input.header('authorization');
  if (schemes.includes('session') || authorization !== undefined) {
    if (schemes.includes('session')) await requireSession(rc, input);
    return `${op.operationId} ${path} bearer:${rc.secrets.mac('idempotency-bearer', authorization ?? '')}`;
  }
  return `${op.operationId} ${path}`;
}

export function buildApp(services: Services, modules: RouteModule[]): BuiltApp {
  const doc = loadOpenApi();
  const ops = operationsOf(doc);
  const validators = createValidators(doc, ops);
  const app = new Hono();
  const registered = new Set<string>();

  const requestIdOf = (c: { req: { header(n: string): string | undefined } }): string => {
    const incoming = c.req.header('x-request-id');
    return incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomId(12);
  };
  const contextOf = async (
    ip: string,
    requestId: string,
  ): Promise<RequestContext & { faultsArmed: boolean }> => {
    // One round trip reads the application clock and whether any fault is armed.
    const { rows } = await services.db.query<{ clock_offset_ms: number; faults: boolean }>(
      'SELECT clock_offset_ms, EXISTS (SELECT 1 FROM sandbox_faults WHERE remaining > 0) AS faults FROM sandbox_state WHERE id = 1',
    );
    const state = rows[0];
    return {
      ...services,
      at: new Date(Date.now() + (state?.clock_offset_ms ?? 0)),
      requestId,
      ip,
      faultsArmed: state?.faults === true,
    };
  };

  const registrar: RouteRegistrar = {
    services,
    route<Body>(operationId: string, handler: RouteHandler<Body>, options: RouteOptions<Body> = {}) {
      const op = ops.get(operationId);
      if (op === undefined) throw new Error(`operation ${operationId} is not in openapi.yaml`);
      if (registered.has(operationId)) throw new Error(`operation ${operationId} registered twice`);
      registered.add(operationId);
      const validator = validators.get(operationId)!;
      // Parses and validates the request; a refusal is returned, not thrown, because an armed
      // fault takes precedence over it.
      const parse = async (c: Context): Promise<{ input: RouteInput<Body> } | { refusal: unknown }> => {
        try {
          const params = c.req.param() as Record<string, string>;
          const url = c.req.url;
          const query = url.includes('?') ? Object.fromEntries(new URL(url).searchParams) : {};
          if (validator.path && !validator.path(params)) throw invalid(firstFailure('path', validator.path));
          if (validator.query && !validator.query(query))
            throw invalid(firstFailure('query', validator.query));
          let body: unknown;
          if (op.requestBody) {
            body = await readBody(op, c.req.raw);
            if (body === undefined && validator.bodyRequired)
              throw new ProblemError('invalid_request', { detail: 'a body is required' });
            if (body !== undefined && validator.body && !validator.body(body))
              throw invalid(firstFailure('body', validator.body));
          }
          return { input: { body: body as Body, params, query, header: (name) => c.req.header(name), c } };
        } catch (error) {
          return { refusal: error };
        }
      };
      app.on(op.method.toUpperCase(), op.honoPath, async (c) => {
        const started = performance.now();
        const ip =
          (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket
            ?.remoteAddress ?? 'unknown';
        const requestId = requestIdOf(c);
        const key = op.method === 'post' ? c.req.header('idempotency-key') : undefined;
        let subject: string | undefined;
        let response: Response | undefined;
        try {
          const parsed = await parse(c);
          // The direct answer: one statement that reads the clock and the faults itself.
          if (options.direct !== undefined && key === undefined && 'input' in parsed) {
            const dc: DirectContext = { ...services, requestId, ip };
            try {
              const result = await options.direct(parsed.input, dc);
              if (result !== undefined) response = responseOf(result, requestId);
            } finally {
              subject = dc.subject;
            }
          }
          if (response === undefined) {
            const rc = await contextOf(ip, requestId);
            response = await answerInContext(rc, parsed, key);
            subject = rc.subject;
          }
        } catch (error) {
          response = problemResponse(toProblem(error, { ...services, requestId }), requestId);
        }
        if (!response.headers.has('x-request-id')) response.headers.set('x-request-id', requestId);
        services.log({
          requestId,
          method: op.method.toUpperCase(),
          route: op.path,
          status: response.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(subject !== undefined ? { subject } : {}),
        });
        return response;
      });

      // The full path: faults, then the refusal of a bad request, then the handler (its thrown
      // problem included, as a keyed request stores it).
      const answerInContext = async (
        rc: RequestContext & { faultsArmed: boolean },
        parsed: { input: RouteInput<Body> } | { refusal: unknown },
        key: string | undefined,
      ): Promise<Response> => {
        try {
          await applyFaults(rc, op);
          if ('refusal' in parsed) throw parsed.refusal;
          const { input } = parsed;
          const answer = async (): Promise<Response> => {
            try {
              return responseOf(await handler(input, rc), rc.requestId);
            } catch (error) {
              return problemResponse(toProblem(error, rc), rc.requestId);
            }
          };
          if (key === undefined) return await answer();
          const claim = await claimIdempotencyKey(rc, key, await idempotencyScope(op, input, rc), input.body);
          if (claim.kind === 'replay') return replayResponse(claim.answer, rc.requestId);
          const response = await answer();
          await settleIdempotencyKey(rc, claim.id, response);
          return response;
        } catch (error) {
          return problemResponse(toProblem(error, rc), rc.requestId);
        }
      };
    },
  };

  for (const register of modules) register(registrar);

  app.notFound((c) => problemResponse(new ProblemError('not_found'), requestIdOf(c)));
  app.onError((error, c) => {
    const requestId = requestIdOf(c);
    return problemResponse(toProblem(error, { ...services, requestId }), requestId);
  });

  // Operations marked `x-served-by` are answered by a Node listener of their area (the OpenID
  // Provider), not by this app.
  const servedHere = [...ops.values()].filter(
    (op) => (op as { 'x-served-by'?: unknown })['x-served-by'] === undefined,
  );
  return { app, unregistered: servedHere.map((op) => op.operationId).filter((id) => !registered.has(id)) };
}

function invalid(failure: ReturnType<typeof firstFailure>): ProblemError {
  return new ProblemError('invalid_request', {
    detail: failure.message,
    extra: { pointer: failure.pointer, location: failure.location, keyword: failure.keyword },
  });
}

function toProblem(error: unknown, rc: Pick<RequestContext, 'log' | 'requestId'>): ProblemError {
  if (isProblemError(error)) return error;
  // Log the class and message of an unexpected error, never request data.
  rc.log({
    requestId: rc.requestId,
    level: 'error',
    error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
  });
  return new ProblemError('internal_error');
}

/** A handler's result as the HTTP response: a Response as it is, anything else as JSON. */
function responseOf(result: Awaited<ReturnType<RouteHandler>>, requestId: string): Response {
  return result instanceof Response ? result : jsonResponse(result, requestId);
}

function jsonResponse(
  result: Exclude<Awaited<ReturnType<RouteHandler>>, Response>,
  requestId: string,
): Response {
  const status = result.status ?? 200;
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...(result.headers ?? {}),
  };
  if (result.body === undefined || status === 204) return new Response(null, { status, headers });
  headers['content-type'] ??= 'application/json';
  return new Response(JSON.stringify(result.body), { status, headers });
}

/** A fault set through `POST /__sandbox/faults` whose path prefix and method match, applied once per hit. */
async function applyFaults(
  rc: RequestContext & { faultsArmed: boolean },
  op: OpenApiOperation,
): Promise<void> {
  if (!rc.config.controls || !rc.faultsArmed) return;
  const { rows } = await rc.db.query<{ status: number | null; delay_ms: number }>(
    `UPDATE sandbox_faults SET remaining = remaining - 1
     WHERE id = (SELECT id FROM sandbox_faults
                 WHERE remaining > 0 AND (method IS NULL OR method = $1) AND $2 LIKE path_prefix || '%'
                 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING status, delay_ms`,
    [op.method.toUpperCase(), op.path],
  );
  const fault = rows[0];
  if (fault === undefined) return;
  if (fault.delay_ms > 0) await new Promise((resolve) => setTimeout(resolve, fault.delay_ms));
  if (fault.status !== null)
    throw new ProblemError('fault_injected', {
      status: fault.status,
      ...(fault.status === 429 || fault.status === 503 ? { retryAfter: 1 } : {}),
    });
}
