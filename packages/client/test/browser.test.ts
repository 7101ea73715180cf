import {
  constants,
  createCipheriv,
  createHmac,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/chromium.ts';
import {
  identity,
  lastCode,
  registrationInput,
  startTestSandbox,
  type TestSandbox,
} from './support/client.ts';

let sandbox: TestSandbox;
let browser: Browser;
let page: Page;
let bundle: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  // The client's ESM bundle as a browser gets it (minified, every dependency inlined).
  const out = await build({
    stdin: {
      contents: "export * from './src/index.ts'; export { decryptLegacyEnvelope } from './src/sso/index.ts';",
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
  expect(bundle).not.toMatch(/from\s*["']node:/);
  browser = await launchChromium();
  page = await browser.newPage();
  // the page is on the sandbox's origin, as a portal served by the service would be
  await page.goto(`${sandbox.url}/health`);
  // a string, so that vitest does not rewrite the page's dynamic import()
  await page.evaluate(
    `(async () => { const url = URL.createObjectURL(new Blob([${JSON.stringify(bundle)}], { type: 'text/javascript' })); globalThis.vneid = await import(url); })()`,
  );
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('the client ESM bundle in headless Chromium', () => {
  it('registers a citizen against the sandbox: request ids, typed errors, OTP verify', async () => {
    const who = await identity(sandbox, 'unregistered', 1);
    const input = registrationInput(who);
    const started = await page.evaluate(
      async ({ issuer, input }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's exports on the page
        const v = (globalThis as any).vneid;
        const client = v.createIdentityClient({ issuer });
        const policies = await client.policies();
        let mismatch: unknown;
        try {
          await client.account.register({ ...input, fullName: 'SOMEONE ELSE' });
        } catch (error) {
          // biome-ignore lint/suspicious/noExplicitAny: an IdentityError from the bundle
          const e = error as any;
          mismatch = {
            branded: v.isIdentityError(e, 'registry_mismatch'),
            requestId: e.requestId,
            fields: e.problem.fields,
          };
        }
        const reg = await client.account.register(input);
        return { otpLength: policies.otp.length, mismatch, challengeId: reg.otp.challengeId };
      },
      { issuer: sandbox.url, input },
    );
    expect(started.otpLength).toBe(6);
    expect(started.mismatch).toMatchObject({
      branded: true,
      fields: ['fullName'],
      requestId: expect.any(String),
    });
    const code = await lastCode(sandbox, who.phone);
    const verified = await page.evaluate(
      async ({ issuer, challengeId, code }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's exports on the page
        const client = (globalThis as any).vneid.createIdentityClient({ issuer });
        return JSON.parse(JSON.stringify(await client.account.verifyOtp(challengeId, code)));
      },
      { issuer: sandbox.url, challengeId: started.challengeId, code },
    );
    expect(verified).toMatchObject({ status: 'otp_verified' });
  });

  it('verifies a webhook and decrypts a legacy envelope with the browser’s WebCrypto and pure-JS RSA/AES', async () => {
    const secret = 'demo-bank-sandbox-secret';
    const body = '{"type":"share_request.decided"}';
    const ts = Math.floor(Date.now() / 1000);
    const sig = createHmac('sha256', secret).update(`wh_9.${ts}.${body}`).digest('hex');
    const headers = {
      'x-webhook-id': 'wh_9',
      'x-webhook-timestamp': String(ts),
      'x-webhook-signature': `sha256=${sig}`,
    };
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const aes = randomBytes(16);
    const cipher = createCipheriv('aes-128-ecb', aes, null);
    const envelope = {
      data: Buffer.concat([cipher.update('{"citizenPid":"012157268548"}'), cipher.final()]).toString(
        'base64',
      ),
      key: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, aes).toString('base64'),
    };
    const result = await page.evaluate(
      async ({ secret, body, headers, envelope, jwk }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's exports on the page
        const v = (globalThis as any).vneid;
        const store = v.createMemoryReplayStore();
        const first = await v.verifyWebhook({ secret, headers, body, store });
        const second = await v.verifyWebhook({ secret, headers, body, store });
        const claims = await v.decryptLegacyEnvelope(envelope, jwk);
        return { first: first.ok, second: second.reason, claims };
      },
      { secret, body, headers, envelope, jwk: privateKey.export({ format: 'jwk' }) },
    );
    expect(result).toEqual({ first: true, second: 'replayed', claims: { citizenPid: '012157268548' } });
  });
});
