#!/usr/bin/env node
/**
 * @module
 * `vneid-sandbox [--port 4010] [--host 127.0.0.1] [--database memory|<dir>|postgres://…]
 * [--profile fapi2|vneid-legacy] [--auto-approve] [--password-rule vneid|nist-800-63b] [--hash-concurrency N] [--quiet]`.
 * `PORT` and `DATABASE_URL` also work. Prints `listening on http://HOST:PORT` once ready.
 */
import { parseArgs } from 'node:util';

const USAGE =
  'usage: vneid-sandbox [--port 4010] [--host 127.0.0.1] [--database memory|<dir>|postgres://…] [--profile fapi2|vneid-legacy] [--auto-approve] [--password-rule vneid|nist-800-63b] [--hash-concurrency N] [--quiet]';

function fail(message: string): never {
  process.stderr.write(`vneid-sandbox: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      database: { type: 'string' },
      profile: { type: 'string' },
      'auto-approve': { type: 'boolean' },
      'password-rule': { type: 'string' },
      'hash-concurrency': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : 'bad arguments');
}
if (values['help']) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const portText = (values['port'] as string | undefined) ?? process.env['PORT'] ?? '4010';
const port = Number(portText);
if (!/^\d{1,5}$/.test(portText) || port > 65535) fail('--port must be 0..65535');
const profile = (values['profile'] as string | undefined) ?? 'fapi2';
if (profile !== 'fapi2' && profile !== 'vneid-legacy') fail('--profile must be fapi2 or vneid-legacy');
const rule = (values['password-rule'] as string | undefined) ?? 'vneid';
if (rule !== 'vneid' && rule !== 'nist-800-63b') fail('--password-rule must be vneid or nist-800-63b');
const hashText = values['hash-concurrency'] as string | undefined;
if (hashText !== undefined && (!/^\d{1,3}$/.test(hashText) || Number(hashText) < 1))
  fail('--hash-concurrency must be a positive integer');

try {
  // Imported after the arguments are checked: bad flags answer at once, without loading the server.
  const { startSandbox } = await import('./server.ts');
  const sandbox = await startSandbox({
    port,
    host: (values['host'] as string | undefined) ?? '127.0.0.1',
    database: (values['database'] as string | undefined) ?? process.env['DATABASE_URL'] ?? 'memory',
    profile,
    autoApprove: values['auto-approve'] === true,
    passwordRule: rule,
    ...(hashText !== undefined ? { hashConcurrency: Number(hashText) } : {}),
    log: values['quiet'] ? 'silent' : 'stdout',
  });
  process.stdout.write(`listening on ${sandbox.url}\n`);
  const shutdown = () => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(
    `vneid-sandbox: could not start: ${error instanceof Error ? error.message : 'unknown error'}\n`,
  );
  process.exit(1);
}
