/**
 * @module
 * The `share` namespace (a partner's back end; requests are partner-signed): create a share
 * request, its universal link and QR payload, poll its status (`PENDING` → `SUCCESS` | `FAILED`
 * | `EXPIRED` | `CANCELLED`), cancel it, and parse the callback in both observed forms.
 */
import { IdentityError } from '../errors.ts';
import type { components } from '../generated/api.ts';
import { call } from '../http/typed.ts';
import type { ClientContext } from '../options.ts';
import type { CallOptions } from '../session.ts';
import { parseShareCallback, type ShareCallback } from './callback.ts';

export type { ShareCallback, ShareResult } from './callback.ts';
export type ShareRequest = components['schemas']['ShareRequest'];
export type ShareClaim = components['schemas']['ShareClaim'];
export type ShareRequestStatus = components['schemas']['ShareRequestStatus'];

export interface CreateShareRequestInput {
  claims: ShareClaim[];
  purpose: string;
  /** The citizen comes back to `callbackUrl/<transactionCode>|<result>`. */
  callbackUrl: string;
  webhookUrl?: string;
  /** 10–300 s (default 300). */
  ttlSeconds?: number;
}

export interface PollOptions extends CallOptions {
  /** Between polls, ms (default 2 000). */
  intervalMs?: number;
  /** Give up after this long, ms (default: the request's expiry + 5 s). */
  timeoutMs?: number;
}

export interface ShareNamespace {
  create(input: CreateShareRequestInput, options?: CallOptions): Promise<ShareRequest>;
  get(id: string, options?: CallOptions): Promise<ShareRequest>;
  cancel(id: string, options?: CallOptions): Promise<ShareRequest>;
  /** Polls until the request is no longer `PENDING`. */
  poll(id: string, options?: PollOptions): Promise<ShareRequest>;
  /** The link to open on the phone and the text of the QR code to show on a desktop. */
  link(request: ShareRequest): { universalLink: string; qrPayload: string };
  /** Parses the callback URL (`…/<code>|<result>` or `?transactionCode=&result=`). */
  parseCallback(url: string | URL): ShareCallback;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export function createShareNamespace(ctx: ClientContext): ShareNamespace {
  const t = ctx.transport;
  const get = async (id: string, o: CallOptions = {}) =>
    (await call(t, 'get', '/v1/share-requests/{id}', { ...o, partner: true, params: { id } })).body;
  return {
    async create(input, o = {}) {
      return (await call(t, 'post', '/v1/share-requests', { ...o, partner: true, body: input })).body;
    },
    get,
    async cancel(id, o = {}) {
      return (
        await call(t, 'post', '/v1/share-requests/{id}/cancel', { ...o, partner: true, params: { id } })
      ).body;
    },
    async poll(id, o = {}) {
      const interval = o.intervalMs ?? 2000;
      let deadline: number | undefined = o.timeoutMs === undefined ? undefined : t.now() + o.timeoutMs;
      const signal = o.signal ?? t.signal;
      for (;;) {
        const request = await get(id, o);
        if (request.status !== 'PENDING') return request;
        deadline ??= Date.parse(request.expiresAt) + 5000;
        if (t.now() >= deadline)
          throw new IdentityError(
            'share_request_expired',
            'the share request is still pending at the polling deadline',
          );
        try {
          await wait(interval, signal);
        } catch (cause) {
          throw new IdentityError('aborted', 'polling the share request was aborted', { cause });
        }
      }
    },
    link(request) {
      return { universalLink: request.universalLink, qrPayload: request.qrPayload };
    },
    parseCallback: parseShareCallback,
  };
}
