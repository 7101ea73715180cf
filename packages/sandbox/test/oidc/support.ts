/**
 * Helpers of the OpenID Provider tests: a browser stand-in (plain fetch, a cookie jar, manual
 * redirects, the login page's forms), the seeded citizens they log in as, and openid-client set
 * up for the demo relying party.
 */
import * as oidc from 'openid-client';
import { SEEDED_IDENTITIES, type SeededIdentity, seedIdentities } from '../../src/fixtures/identities.ts';
import { DEMO_RP_CLIENT_ID, DEMO_RP_PRIVATE_JWK } from '../../src/oidc/demo-client.ts';
import type { TestSandbox } from '../support/sandbox.ts';

export function identity(state: SeededIdentity['state'], level: number): SeededIdentity {
  const found = SEEDED_IDENTITIES.find((i) => i.state === state && i.level === level && i.password !== null);
  if (found === undefined) throw new Error(`no seeded ${state} level-${level} identity`);
  return found;
}

export function identities(state: SeededIdentity['state'], level: number): SeededIdentity[] {
  return SEEDED_IDENTITIES.filter((i) => i.state === state && i.level === level && i.password !== null);
}

/** The seeded identities exist (seeds them when no area did). */
export async function ensureIdentities(sandbox: TestSandbox): Promise<void> {
  const { rows } = await sandbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  if (rows[0]!.n === 0)
    await seedIdentities(sandbox.db, sandbox.services.secrets, await sandbox.services.now());
}

/** A cookie jar for one browser (paths and domains ignored: one server per test). */
export class Browser {
  readonly cookies = new Map<string, string>();

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k?.toLowerCase() === 'expires') return Date.parse(v ?? '') <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /**
   * Follows redirects from `url` until one leaves for `stopAt` (answered as the URL) or a page
   * answers (answered as the response).
   */
  async follow(url: string, stopAt: string): Promise<{ location?: URL; page?: Response }> {
    let next = url;
    for (let hops = 0; hops < 10; hops++) {
      if (next.startsWith(stopAt)) return { location: new URL(next) };
      const res = await this.fetch(next);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.arrayBuffer();
        next = new URL(location, next).href;
        continue;
      }
      return { page: res };
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's (first matching) form with `fields` added to its hidden inputs. */
  async submit(
    pageUrl: string,
    html: string,
    fields: Record<string, string>,
    stopAt: string,
    formIndex = 0,
  ): Promise<{ location?: URL; page?: Response }> {
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)];
    const form = forms[formIndex];
    if (form === undefined) throw new Error('no form on the page');
    const action = new URL(unescapeHtml(form[1]!), pageUrl).href;
    const body = new URLSearchParams();
    for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      body.set(m[1]!, unescapeHtml(m[2]!));
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    const res = await this.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      await res.arrayBuffer();
      return this.follow(new URL(location, action).href, stopAt);
    }
    return { page: res };
  }
}

function unescapeHtml(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export const DEMO_REDIRECT = 'http://127.0.0.1:4020/callback';

export async function privateKeyOf(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

/** openid-client configured for a private_key_jwt client of the sandbox (plain HTTP allowed). */
export async function rpConfig(
  issuer: string,
  clientId = DEMO_RP_CLIENT_ID,
  jwk: JsonWebKey & { kid?: string } = DEMO_RP_PRIVATE_JWK,
  metadata: Partial<oidc.ClientMetadata> = {},
): Promise<oidc.Configuration> {
  const key = await privateKeyOf(jwk);
  const config = await oidc.discovery(
    new URL(issuer),
    clientId,
    { id_token_signed_response_alg: 'ES256', ...metadata },
    oidc.PrivateKeyJwt({ key, ...(jwk.kid !== undefined ? { kid: jwk.kid } : {}) }),
    { execute: [oidc.allowInsecureRequests] },
  );
  return config;
}
