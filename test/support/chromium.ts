/**
 * @module
 * Debian's Chromium driven by playwright-core for the browser tests, started the way this
 * machine's closed network needs: headless, no sandbox (CI runs as root), and without the
 * background connections (component updates, sync, QUIC) that would be refused here.
 */
import { type Browser, chromium } from 'playwright-core';

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
