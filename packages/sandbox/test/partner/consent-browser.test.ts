import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { activeLevel1, signedCall } from './support.ts';

// The consent page in a real browser: what a citizen can and cannot do with the keyboard and mouse.
let sandbox: TestSandbox;
let browser: Browser;
let rp: Server;
let rpUrl: string;
const callbacks: string[] = [];

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startTestSandbox(), launchChromium()]);
  rp = createServer((req, res) => {
    callbacks.push(req.url ?? '');
    res.setHeader('content-type', 'text/html');
    res.end('<!DOCTYPE html><title>RP</title><p>back at the relying party</p>');
  });
  await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
  rpUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/vneid/callback`;
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await new Promise((resolve) => rp?.close(resolve));
});

async function create() {
  const { answer } = await signedCall(sandbox, 'POST', '/v1/share-requests', {
    claims: ['personal_id', 'full_name'],
    purpose: 'Xác minh khách hàng',
    callbackUrl: rpUrl,
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

const status = async (id: string) =>
  (await signedCall(sandbox, 'GET', `/v1/share-requests/${id}`)).answer.body.status;

describe.runIf(store === 'pglite')('consent page in Chromium', () => {
  it('Enter in the password field submits nothing (no default agree); the agree button shares and returns to the RP', async () => {
    const citizen = activeLevel1();
    const request = await create();
    const page = await browser.newPage();
    try {
      await page.goto(request.universalLink);
      await page.fill('#personalId', citizen.personalId);
      await page.fill('#password', citizen.password!);
      await page.press('#password', 'Enter');
      // Give a submission every chance to happen: it must not.
      await page.waitForTimeout(500);
      expect(page.url()).toBe(request.universalLink);
      expect(await status(request.id)).toBe('PENDING');

      await Promise.all([page.waitForURL(`${rpUrl}/**`), page.click('button[value="agree"]')]);
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(
        `${new URL(rpUrl).pathname}/${request.transactionCode}|1`,
      );
      expect(await page.textContent('p')).toBe('back at the relying party');
      expect(await status(request.id)).toBe('SUCCESS');
    } finally {
      await page.close();
    }
  });

  it('the refuse button returns with result 2; a wrong password stays on the page with an alert', async () => {
    const citizen = activeLevel1();
    const request = await create();
    const page = await browser.newPage();
    try {
      await page.goto(request.universalLink);
      await page.fill('#personalId', citizen.personalId);
      await page.fill('#password', 'Wrong#Pass1');
      await page.click('button[value="refuse"]');
      await page.waitForSelector('[role="alert"]');
      expect(await status(request.id)).toBe('PENDING');
      await page.fill('#password', citizen.password!);
      await Promise.all([page.waitForURL(`${rpUrl}/**`), page.click('button[value="refuse"]')]);
      expect(decodeURIComponent(page.url())).toBe(`${rpUrl}/${request.transactionCode}|2`);
      expect(await status(request.id)).toBe('FAILED');
    } finally {
      await page.close();
    }
  });
});
