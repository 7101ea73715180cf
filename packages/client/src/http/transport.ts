/**
 * @module
 * The request layer under every namespace: JSON over an injected `fetch`, an `X-Request-Id` on
 * every request, partner signing and bearer tokens, RFC 9457 problems turned into
 * {@link IdentityError}, and retries with exponential backoff and full jitter for idempotent
 * requests only (GET/HEAD, or any request carrying an `Idempotency-Key`), honouring
 * `Retry-After` and stopping at once when the signal aborts.
 */
import { utf8 } from '../encoding.ts';
import { errorFromResponse, IdentityError } from '../errors.ts';
import { maskText } from '../mask.ts';
import { type PartnerCredentials, signPartnerRequest } from './partner-signing.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

export interface RetryOptions {
  /** Retries after the first attempt (default 2; 0 disables). */
  retries?: number;
  /** Base of the exponential backoff in ms (default 200): attempt n waits random(0, base·2ⁿ). */
  baseDelayMs?: number;
  /** Cap of one backoff wait in ms (default 5 000). */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (ms, default 30 000) is not waited for: the error is thrown. */
  maxRetryAfterMs?: number;
}

/** One structured log line; never carries bodies, tokens or a full personal ID. */
export interface LogEvent {
  level: 'debug' | 'warn';
  message: string;
  method: string;
  path: string;
  requestId: string;
  attempt: number;
  status?: number;
  code?: string;
  delayMs?: number;
}

export type Logger = (event: LogEvent) => void;

export interface TransportOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  signal?: AbortSignal;
  retry?: RetryOptions;
  logger?: Logger;
  partner?: PartnerCredentials;
  /** Uniform random in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
  /** Default: a timer that stops when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * `auto` (default): every POST without its own key carries a fresh random `Idempotency-Key`,
   * kept across its retries, so that a POST whose answer was lost is retried without running
   * twice (the server replays the first answer). `off`: only POSTs given a key are retried.
   */
  idempotencyKeys?: 'auto' | 'off';
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path (with its path parameters filled) under the base URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Bearer access token of a session. */
  bearer?: string;
  /** The session's device, sent as `X-Device-Id`. */
  deviceId?: string;
  /** Sign with the partner credentials. */
  partner?: boolean;
  /** Makes a POST retryable: the server answers a retried request once. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  requestId?: string;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  requestId: string;
}

export interface Transport {
  readonly baseUrl: string;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger | undefined;
  request<T = unknown>(spec: RequestSpec): Promise<Answer<T>>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One signal that aborts when any of the given ones does (no `AbortSignal.any` needed). */
export function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  if (list.length <= 1) return list[0];
  const controller = new AbortController();
  for (const s of list) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The wait before retry number `attempt` (0-based): full jitter, random(0, min(cap, base·2ⁿ)). */
export function backoffDelay(attempt: number, retry: Required<RetryOptions>, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

function buildQuery(query: RequestSpec['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

async function readBody(res: Response): Promise<{ parsed: unknown; ok: boolean }> {
  const text = await res.text();
  if (text === '') return { parsed: undefined, ok: true };
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type)) return { parsed: text, ok: false };
  try {
    return { parsed: JSON.parse(text), ok: true };
  } catch {
    return { parsed: text, ok: false };
  }
}

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const retry: Required<RetryOptions> = {
    retries: options.retry?.retries ?? 2,
    baseDelayMs: options.retry?.baseDelayMs ?? 200,
    maxDelayMs: options.retry?.maxDelayMs ?? 5000,
    maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 30_000,
  };
  const logger = options.logger;
  const log = (event: LogEvent) => {
    if (!logger) return;
    try {
      logger({ ...event, message: maskText(event.message), path: maskText(event.path) });
    } catch {
      // a failing logger never breaks a request
    }
  };

  async function request<T>(spec: RequestSpec): Promise<Answer<T>> {
    const signal = combineSignals(options.signal, spec.signal);
    const requestId = spec.requestId ?? newRequestId();
    const pathWithQuery = spec.path + buildQuery(spec.query);
    if (spec.idempotencyKey === undefined && spec.method === 'POST' && options.idempotencyKeys !== 'off')
      spec = { ...spec, idempotencyKey: crypto.randomUUID() };
    const idempotent = spec.method === 'GET' || spec.method === 'HEAD' || spec.idempotencyKey !== undefined;
    const bodyText = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const aborted = () =>
      new IdentityError('aborted', `${spec.method} ${pathWithQuery} was aborted`, {
        requestId,
        cause: signal?.reason,
      });
    if (spec.partner && !options.partner)
      throw new IdentityError('invalid_argument', 'this call needs the partner option { code, secret }');

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted();
      const headers: Record<string, string> = {
        accept: 'application/json, application/problem+json',
        'x-request-id': requestId,
        ...spec.headers,
      };
      if (bodyText !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
      if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
      if (spec.bearer !== undefined) headers.authorization = `Bearer ${spec.bearer}`;
      if (spec.deviceId !== undefined) headers['x-device-id'] = spec.deviceId;
      if (spec.partner && options.partner) {
        // a fresh nonce and timestamp for every attempt: the nonce is single use
        Object.assign(
          headers,
          await signPartnerRequest(options.partner, {
            method: spec.method,
            pathWithQuery,
            body: bodyText === undefined ? undefined : utf8(bodyText),
            timestamp: Math.floor(now() / 1000),
          }),
        );
      }

      let res: Response;
      try {
        res = await fetchFn(baseUrl + pathWithQuery, {
          method: spec.method,
          headers,
          ...(bodyText !== undefined ? { body: bodyText } : {}),
          ...(signal ? { signal } : {}),
          redirect: 'manual',
        });
      } catch (cause) {
        if (signal?.aborted) throw aborted();
        if (idempotent && attempt < retry.retries) {
          const delayMs = backoffDelay(attempt, retry, random);
          log({
            level: 'warn',
            message: 'network error, retrying',
            method: spec.method,
            path: spec.path,
            requestId,
            attempt,
            delayMs,
          });
          await sleep(delayMs, signal).catch(() => {
            throw aborted();
          });
          continue;
        }
        throw new IdentityError('network_error', `${spec.method} ${spec.path}: no answer from the server`, {
          requestId,
          cause,
        });
      }

      const answeredId = res.headers.get('x-request-id') ?? requestId;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      let body: { parsed: unknown; ok: boolean };
      try {
        body = await readBody(res);
      } catch (cause) {
        if (signal?.aborted) throw aborted();
        throw new IdentityError('network_error', `${spec.method} ${spec.path}: the answer was cut off`, {
          requestId: answeredId,
          status: res.status,
          cause,
        });
      }

      if (res.status >= 200 && res.status < 300) {
        if (!body.ok)
          throw new IdentityError(
            'unexpected_response',
            `${spec.method} ${spec.path}: the answer is not JSON`,
            {
              status: res.status,
              requestId: answeredId,
            },
          );
        log({
          level: 'debug',
          message: 'ok',
          method: spec.method,
          path: spec.path,
          requestId: answeredId,
          attempt,
          status: res.status,
        });
        return { status: res.status, body: body.parsed as T, headers: res.headers, requestId: answeredId };
      }

      const error = errorFromResponse(
        res.status,
        body.parsed,
        answeredId,
        retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      );
      const canRetry =
        idempotent &&
        attempt < retry.retries &&
        RETRYABLE_STATUS.has(res.status) &&
        (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs);
      log({
        level: 'warn',
        message: canRetry ? 'retrying' : 'failed',
        method: spec.method,
        path: spec.path,
        requestId: answeredId,
        attempt,
        status: res.status,
        code: error.serverCode ?? error.code,
      });
      if (!canRetry) throw error;
      const delayMs = retryAfterMs ?? backoffDelay(attempt, retry, random);
      await sleep(delayMs, signal).catch(() => {
        throw aborted();
      });
    }
  }

  return { baseUrl, now, fetch: fetchFn, signal: options.signal, logger, request };
}
