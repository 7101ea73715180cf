import { type RunningSandbox, startSandbox } from '@vneid/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/support/chromium.ts';
import { type RelyingParty, startRelyingParty } from './index.ts';

interface Seeded {
  personalId: string;
  fullName: string;
  state: string;
  level: number;
  password: string | null;
}

let sandbox: RunningSandbox;
let rp: RelyingParty;
let browser: Browser;
let citizens: Seeded[];
/** Every URL the app's back end asked the provider for. */
const backChannel: string[] = [];
/** Every URL the browser requested (pages, redirect hops, form posts). */
let frontChannel: string[] = [];
/** Chromium's console (CSP violations are reported there). */
let consoleLines: string[] = [];
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  // the legacy profile keeps the FAPI 2.0 provider mounted, so one sandbox serves both buttons
  sandbox = await startSandbox({ port: 0, profile: 'vneid-legacy' });
  rp = await startRelyingParty({
    issuer: sandbox.url,
    legacy: true,
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      backChannel.push(String(url instanceof Request ? url.url : url));
      return fetch(url, init);
    }) as typeof fetch,
  });
  browser = await launchChromium();
  const all = (await (await fetch(`${sandbox.url}/__sandbox/identities`)).json()) as { identities: Seeded[] };
  citizens = all.identities.filter((i) => i.state === 'active' && i.password !== null);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rp?.stop();
  await sandbox?.stop();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  frontChannel = [];
  consoleLines = [];
  context.on('request', (request) => frontChannel.push(request.url()));
  // nothing may leave the machine: a request to anything but 127.0.0.1 is refused
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  page = await context.newPage();
  page.on('console', (m) => consoleLines.push(m.text()));
});

const masked = (id: string) => `${id.slice(0, 3)}******${id.slice(9)}`;

function assertLoopbackOnly(): void {
  expect(frontChannel.length).toBeGreaterThan(0);
  expect(backChannel.length).toBeGreaterThan(0);
  for (const url of [...frontChannel, ...backChannel]) expect(new URL(url).hostname).toBe('127.0.0.1');
}

/** Presses the app's button and logs in on the sandbox's page; stops on the approval page. */
async function logIn(button: string, who: Seeded): Promise<void> {
  await page.goto(rp.url);
  await page.click(button);
  await page.waitForURL((u) => u.href.startsWith(`${sandbox.url}/`));
  await page.fill('#personalId', who.personalId);
  await page.fill('#password', who.password!);
  await page.click('button[type=submit]');
  await page.locator('button[value=approve]').waitFor();
}

describe('example: "Log in with VNeID" in Chromium', () => {
  it('the button sends the browser to the sandbox login page by reference (PAR); a wrong password stays there; the right one reaches the approval', async () => {
    const who = citizens.find((c) => c.level === 2)!;
    await page.goto(rp.url);
    await page.click('#login');
    await page.waitForURL((u) => u.href.startsWith(`${sandbox.url}/oidc/interaction/`));
    const auth = frontChannel.find((u) => u.startsWith(`${sandbox.url}/oidc/auth?`))!;
    const params = new URL(auth).searchParams;
    expect([...params.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(params.get('client_id')).toBe(rp.clientId);
    expect(params.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(await page.content()).toContain('Dịch vụ công demo');
    for (const path of ['/oidc/register', '/oidc/par'])
      expect(backChannel).toContain(`${sandbox.url}${path}`);

    await page.fill('#personalId', who.personalId);
    await page.fill('#password', 'Wrong@12345');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]').waitFor();
    expect(await page.locator('button[value=approve]').count()).toBe(0);

    await page.fill('#password', who.password!);
    await page.click('button[type=submit]');
    await page.locator('button[value=approve]').waitFor();
    const approval = await page.content();
    expect(approval).toContain(who.fullName);
    expect(approval).toContain(masked(who.personalId));
    expect(approval).not.toContain(who.personalId);
    // the session cookie is HttpOnly and holds none of the login's state
    const cookie = (await context!.cookies(rp.url)).find((c) => c.name === 'rp_sid')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(frontChannel.join(' ')).not.toMatch(/code_challenge|code_verifier|nonce=/);
    assertLoopbackOnly();
  });

  // The approval's redirect back to the relying party (another origin) after the form post.
  it('FAPI 2.0: approve → back on the app’s page with the citizen’s name', async () => {
    const who = citizens.find((c) => c.level === 2)!;
    await logIn('#login', who);
    await page.locator('button[value=approve]').click();
    await page.waitForURL(`${rp.url}/`, { timeout: 10_000 });
    expect(await page.textContent('#welcome')).toContain(who.fullName);
    expect(await page.textContent('#personal-id')).toBe(masked(who.personalId));
    assertLoopbackOnly();
  });

  it('legacy VNeID SSO: approve → back on the app’s page', async () => {
    const who = citizens.find((c) => c.level === 1)!;
    await logIn('#login-legacy', who);
    await page.locator('button[value=approve]').click();
    await page.waitForURL(`${rp.url}/`, { timeout: 5000 });
    expect(await page.textContent('#welcome')).toContain(who.fullName);
  });
});

/** A browser stand-in over plain HTTP: a cookie jar, manual redirects, the pages' forms. */
class HttpBrowser {
  readonly visited: string[] = [];
  private readonly jar = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    this.visited.push(url);
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0/i.test(line)) this.jar.delete(name!.trim());
      else this.jar.set(name!.trim(), value.join('='));
    }
    return res;
  }

  /** Requests `url` and follows redirects to the first page; answers its URL, status and HTML. */
  async go(url: string, init: RequestInit = {}): Promise<{ url: string; status: number; html: string }> {
    let next = url;
    let res = await this.request(next, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
      await res.arrayBuffer();
      next = new URL(res.headers.get('location')!, next).href;
      res = await this.request(next);
    }
    return { url: next, status: res.status, html: await res.text() };
  }

  /** Submits the page's form number `index` with its hidden fields plus `fields`. */
  submit(pageUrl: string, html: string, fields: Record<string, string>, index = 0) {
    const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)][index]!;
    const body = new URLSearchParams();
    for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      body.set(m[1]!, m[2]!);
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    return this.go(new URL(form[1]!.replace(/&amp;/g, '&'), pageUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

/** The whole trip over HTTP: the app's button, the login page, the approval (or refusal). */
async function httpLogIn(button: 0 | 1, who: Seeded, decision: 'approve' | 'deny' = 'approve') {
  const b = new HttpBrowser();
  const home = await b.go(`${rp.url}/`);
  const login = await b.submit(home.url, home.html, {}, button);
  expect(login.url.startsWith(`${sandbox.url}/`)).toBe(true);
  const approval = await b.submit(login.url, login.html, {
    personalId: who.personalId,
    password: who.password!,
  });
  expect(approval.html).toContain('value="approve"');
  const done = await b.submit(approval.url, approval.html, { decision });
  return { b, done };
}

describe('example: "Log in with VNeID" over HTTP (the app’s callback, session and pages)', () => {
  it('FAPI 2.0: the citizen’s page after the callback; the callback is single use; logout', async () => {
    const who = citizens.find((c) => c.level === 2)!;
    const before = backChannel.length;
    const { b, done } = await httpLogIn(0, who);
    expect(done.url).toBe(`${rp.url}/`);
    expect(done.html).toContain(`Xin chào, <strong>${who.fullName}</strong>`);
    expect(done.html).toContain(`<dd id="personal-id">${masked(who.personalId)}</dd>`);
    expect(done.html).toContain('<dd id="level">2</dd>');
    expect(done.html).toContain('FAPI 2.0');
    expect(done.html).not.toContain(who.personalId);
    const callback = b.visited.find((u) => u.startsWith(`${rp.url}/callback?`))!;
    expect(new URL(callback).searchParams.get('iss')).toBe(sandbox.url);
    for (const path of ['/oidc/par', '/oidc/token', '/oidc/userinfo'])
      expect(backChannel.slice(before)).toContain(`${sandbox.url}${path}`);
    for (const url of [...b.visited, ...backChannel]) expect(new URL(url).hostname).toBe('127.0.0.1');

    const replay = await b.go(callback);
    expect(replay.status).toBe(400);
    const out = await b.submit(done.url, done.html, {});
    expect(out.html).toContain('id="login"');
  });

  it('legacy VNeID SSO (demo-legacy, {data,key} envelopes): the same page, level 1', async () => {
    const who = citizens.find((c) => c.level === 1)!;
    const before = backChannel.length;
    const { b, done } = await httpLogIn(1, who);
    expect(b.visited.some((u) => u.startsWith(`${sandbox.url}/auth?`))).toBe(true);
    expect(done.html).toContain(`Xin chào, <strong>${who.fullName}</strong>`);
    expect(done.html).toContain(`<dd id="personal-id">${masked(who.personalId)}</dd>`);
    expect(done.html).toContain('<dd id="level">1</dd>');
    expect(done.html).toContain('legacy');
    expect(backChannel.slice(before)).toEqual(
      expect.arrayContaining([`${sandbox.url}/token`, `${sandbox.url}/userinfo`]),
    );
  });

  it('refusing on the approval page lands on the app’s error page, not logged in; a callback without a login is refused', async () => {
    const who = citizens.find((c) => c.level === 1)!;
    const { b, done } = await httpLogIn(0, who, 'deny');
    expect(done.status).toBe(400);
    expect(done.html).toContain('<code>authorization_denied</code>');
    expect((await b.go(`${rp.url}/`)).html).toContain('id="login"');
    expect((await new HttpBrowser().go(`${rp.url}/callback?code=x&state=y`)).status).toBe(400);
  });
});
