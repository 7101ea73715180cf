/**
 * @module
 * Debian's Chromium driven by playwright-core for the browser tests, started the way this
 * machine's closed network needs: headless, no sandbox (CI runs as root), and without the
 * background connections (component updates, sync, QUIC) that would be refused here.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where scripts/system-deps.sh installs Chromium (Debian's `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches headless Chromium from {@link CHROMIUM}; `extraArgs` are added to the flags (e.g. a
 * fake camera: `--use-fake-device-for-media-stream`).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A page opened by {@link localPage}, with what it did that a test checks. */
export interface LocalPage {
  context: BrowserContext;
  page: Page;
  /** Every address off 127.0.0.1 that the page asked for (each request was aborted). */
  offSite: string[];
  /** The page's uncaught errors. */
  errors: string[];
}

/**
 * A new page in a fresh context of `browser` that reaches only 127.0.0.1: any other request is
 * aborted and recorded in `offSite`, and the page's uncaught errors are collected in `errors`.
 */
export async function localPage(browser: Browser): Promise<LocalPage> {
  const context = await browser.newContext();
  const offSite: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    offSite.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, offSite, errors };
}
