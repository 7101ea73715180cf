/**
 * @module
 * {@link createIdentityClient}: one object with the namespaces `account`, `eid`, `sso`, `share`
 * and `verify` over one request layer. The SSO engine (oauth4webapi, the legacy envelope
 * crypto) is loaded on first use, so that a client that never logs anyone in stays small.
 */
import { type AccountNamespace, createAccountNamespace } from './account/index.ts';
import { createEidNamespace, type EidNamespace } from './eid/index.ts';
import { IdentityError } from './errors.ts';
import { createTransport, type Transport } from './http/transport.ts';
import { call } from './http/typed.ts';
import type { ClientContext, IdentityClientOptions } from './options.ts';
import { createShareNamespace, type ShareNamespace } from './share/index.ts';
import type { SsoNamespace } from './sso/types.ts';
import { createVerifyNamespace, type VerifyNamespace } from './verify/index.ts';
import { type VerifyWebhookInput, verifyWebhook, type WebhookVerification } from './webhooks.ts';

export interface IdentityClient {
  readonly issuer: string;
  readonly account: AccountNamespace;
  readonly eid: EidNamespace;
  readonly sso: SsoNamespace;
  readonly share: ShareNamespace;
  readonly verify: VerifyNamespace;
  /** The published policies (password rule, OTP length and TTL, limits): never hard-code them. */
  policies(options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
  /** {@link verifyWebhook} with the `partner` secret and the client's clock. */
  verifyWebhook<T = unknown>(
    input: Omit<VerifyWebhookInput, 'secret' | 'now'> & { secret?: string },
  ): Promise<WebhookVerification<T>>;
  /** The request layer (for calls this client does not wrap yet). */
  readonly transport: Transport;
}

export function createIdentityClient(options: IdentityClientOptions): IdentityClient {
  if (typeof options?.issuer !== 'string' || !/^https?:\/\//.test(options.issuer))
    throw new IdentityError('invalid_argument', 'createIdentityClient: issuer must be an http(s) URL');
  const transport = createTransport({
    baseUrl: options.issuer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.partner ? { partner: options.partner } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.idempotencyKeys ? { idempotencyKeys: options.idempotencyKeys } : {}),
  });
  const ctx: ClientContext = { transport, options };
  let engine: Promise<SsoNamespace> | undefined;
  const loadSso = () => {
    engine ??= import('./sso/engine.ts').then((m) => m.createSsoNamespace(ctx));
    return engine;
  };
  const sso: SsoNamespace = {
    createAuthorizationRequest: async (input) => (await loadSso()).createAuthorizationRequest(input),
    handleCallback: async (url, request, opts) => (await loadSso()).handleCallback(url, request, opts),
  };
  return {
    issuer: transport.baseUrl,
    account: createAccountNamespace(ctx),
    eid: createEidNamespace(ctx),
    sso,
    share: createShareNamespace(ctx),
    verify: createVerifyNamespace(ctx),
    async policies(opts = {}) {
      const res = await call(transport, 'get', '/v1/policies', opts);
      return res.body as Record<string, unknown>;
    },
    verifyWebhook(input) {
      const secret = input.secret ?? options.partner?.secret;
      if (secret === undefined)
        return Promise.reject(
          new IdentityError('invalid_argument', 'verifyWebhook needs the partner option or a secret'),
        );
      return verifyWebhook({ ...input, secret, now: transport.now });
    },
    transport,
  };
}
