/**
 * @module
 * Identity-server load: two `@vneid/sandbox` processes (the built package) on one real PostgreSQL
 * (a throw-away Debian cluster), driven by 200 concurrent clients over keep-alive HTTP from this
 * process. Phases: registration (no hash), OTP verify (no hash), password set and login (one
 * argon2id each), discovery (no hash). Logins/s is compared with the password-hash bound
 * measured in the same run: cores ÷ time of one argon2id hash with the server's parameters.
 * Afterwards the database is checked: every registered account exists exactly once.
 * Each client connects from its own loopback address, so every policy (the per-address login
 * throttle too) is the default.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { centurySexDigit } from '../packages/core/src/id-number/index.ts';
import { createSecrets } from '../packages/sandbox/src/secrets.ts';
import { startPgCluster } from '../test/support/postgres.ts';
import { type LoadAnswer as Answer, createLoadClient } from './http-load-client.ts';
import type { BenchSuite } from './suites.ts';

const CLIENTS = 200;
const VERIFY_POOL = 2000;
const LOGINS_PER_CLIENT = 10;
const DISCOVERY_REQUESTS = 20_000;
/** Hashes in each sample of the password-hash bound (one before the logins, one after). */
const HASHES_PER_SAMPLE = 15;

// Cores ÷ processes (2 ÷ 2 here): side by side in one process, hashes contend for its memory map.
const HASHES_PER_PROCESS = Math.max(1, Math.floor(cpus().length / 2));

const dist = new URL('../packages/sandbox/dist/index.js', import.meta.url).pathname;

const client = createLoadClient();
const call = client.call;

/** Client `i`'s own loopback address (127.0.1.1, 127.0.1.2, …), as if each were its own machine. */
function from(i: number): string {
  const n = i % CLIENTS;
  return `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
}

function startNode(database: string): Promise<{ child: ChildProcess; url: string }> {
  const script = `
    const { startSandbox } = await import(${JSON.stringify(dist)});
    const s = await startSandbox({ port: 0, database: process.env.DATABASE_URL, log: 'silent', hashConcurrency: ${HASHES_PER_PROCESS} });
    console.log('listening on ' + s.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, DATABASE_URL: database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c: Buffer) => (err += c));
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${err.slice(-800)}`)));
  });
}

/** The fields of a `/proc/…/stat` line after the command name (proc(5) field 3 onwards). */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) of a process's main thread (JavaScript, HTTP, the database driver). */
function mainThreadCpu(pid: number): number {
  const fields = statFields(`/proc/${pid}/task/${pid}/stat`);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds (user + system) used so far by a process and its live children (Linux /proc). */
function processTreeCpu(pid: number): number {
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const fields = statFields(`/proc/${p}/stat`);
      // utime, stime, cutime, cstime (fields 14–17 of proc(5)).
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/))
        if (child) visit(Number(child));
    } catch {
      // The process ended between the listing and the read.
    }
  };
  visit(pid);
  return ticks / 100;
}

/**
 * Hashes/s of `processes` processes hashing `each` passwords one after another, started together:
 * each child reports when (epoch ms) its first hash began and its last one ended.
 */
async function parallelHashRate(processes: number, each: number): Promise<number> {
  const secretsModule = new URL('../packages/sandbox/src/secrets.ts', import.meta.url).pathname;
  const script = `const { createSecrets } = await import(${JSON.stringify(secretsModule)});
    const s = createSecrets(new Uint8Array(32)); for (let i = 0; i < 3; i++) await s.hashPassword("Warm-up@123");
    const now = () => performance.timeOrigin + performance.now();
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      const began = now();
      for (let i = 0; i < ${each}; i++) await s.hashPassword('Bench@' + i + 'pass');
      process.stdout.write(began + ' ' + now() + '\\n');
      process.exit(0);
    });`;
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c));
    return {
      ready: new Promise<void>((resolve) => child.stdout!.once('data', () => resolve())),
      done: new Promise<number[]>((resolve) =>
        child.once('exit', () => resolve(out.trim().split('\n').pop()!.split(' ').map(Number))),
      ),
    };
  });
  await Promise.all(lines.map((l) => l.ready));
  for (const child of children) child.stdin!.write('go\n');
  const spans = await Promise.all(lines.map((l) => l.done));
  const seconds = (Math.max(...spans.map((s) => s[1]!)) - Math.min(...spans.map((s) => s[0]!))) / 1000;
  return (processes * each) / seconds;
}

/** `HASHES_PER_SAMPLE` argon2id hashes one after another: each one's wall time, and this process's user and system CPU per hash. */
async function hashSample(
  secrets: ReturnType<typeof createSecrets>,
): Promise<{ ms: number[]; userMs: number; systemMs: number }> {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < HASHES_PER_SAMPLE; i++) {
    const t = performance.now();
    await secrets.hashPassword(`Bench@${i}pass`);
    ms.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return {
    ms,
    userMs: used.user / 1000 / HASHES_PER_SAMPLE,
    systemMs: used.system / 1000 / HASHES_PER_SAMPLE,
  };
}

/** A phase's answers and the CPU seconds each part of the machine spent on it. */
interface Measured {
  seconds: number;
  results: Answer[];
  cpu: number;
  /** The servers' main threads. */
  main: number;
  /** The servers' other threads: argon2id on libuv's pool, V8's helpers. */
  pool: number;
  database: number;
  clients: number;
}

/**
 * Where a login's CPU went, against what 0.8 × the bound allows: at that rate a login may cost
 * `hashMs ÷ 0.8` CPU ms in all.
 */
function budget(login: Measured, hashMs: number): string {
  const per = (seconds: number) => (seconds * 1000) / login.results.length;
  const allowed = hashMs / 0.8;
  const hash = per(login.pool);
  const rest = per(login.main) + per(login.database) + per(login.clients);
  return `CPU budget of a login at 0.8 × the bound: ${allowed.toFixed(2)} ms in all. The servers' other threads (the argon2id verify on libuv's pool, V8's helpers) took ${hash.toFixed(2)} ms per login (${((hash / hashMs - 1) * 100).toFixed(0)} % over the hash alone: the verify shares the caches with everything else), which leaves ${(allowed - hash).toFixed(2)} ms for everything else; that took ${rest.toFixed(2)} ms (servers' main threads ${per(login.main).toFixed(2)}, PostgreSQL ${per(login.database).toFixed(2)}, clients ${per(login.clients).toFixed(2)}).`;
}

/** Runs `total` jobs with `concurrency` workers; answers the wall time and each job's latency. */
async function run<T>(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<T>,
): Promise<{ seconds: number; results: T[] }> {
  const results: T[] = new Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await job(i);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, results };
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

function person(i: number) {
  const sex = i % 2 === 0 ? 'male' : 'female';
  const year = 1960 + (i % 40);
  const serial = String(100_000 + i).padStart(6, '0');
  const personalId = `001${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}${serial}`;
  return {
    personalId,
    fullName: `NGUYỄN VĂN TẢI ${i}`,
    sex,
    birthDate: `${year}-0${1 + (i % 9)}-1${i % 9}`,
    address: `Số ${i} Tràng Tiền, Hoàn Kiếm, Hà Nội`,
    phone: `09${String(10_000_000 + i).slice(-8)}`,
  } as const;
}

export const sandboxLoadSuite: BenchSuite = {
  id: 'sandbox-load',
  title: 'Identity server under load (2 processes, one PostgreSQL)',
  async run() {
    if (!existsSync(dist)) throw new Error('build @vneid/sandbox first (pnpm build)');
    const cores = cpus().length;
    const cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE load');
    const database = cluster.url.replace(/\/[^/]*$/, '/load');
    const nodes: { child: ChildProcess; url: string }[] = [];
    try {
      nodes.push(await startNode(database));
      nodes.push(await startNode(database));
      const base = (i: number) => nodes[i % nodes.length]!.url;
      const postmaster = Number(readFileSync(`${cluster.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
      const clientCpu = () => {
        const self = process.cpuUsage();
        return (self.user + self.system) / 1e6;
      };
      const serverCpu = () => nodes.reduce((sum, node) => sum + processTreeCpu(node.child.pid!), 0);
      const serverMainCpu = () => nodes.reduce((sum, node) => sum + mainThreadCpu(node.child.pid!), 0);
      const databaseCpu = () => processTreeCpu(postmaster);
      // A phase with the CPU time that the servers (main threads; other threads: argon2id on
      // libuv's pool, V8's helpers), PostgreSQL and the clients spent on it.
      const phase = async (
        r: Promise<{ seconds: number; results: Answer[] }>,
        s0 = serverCpu(),
        m0 = serverMainCpu(),
        d0 = databaseCpu(),
        k0 = clientCpu(),
      ): Promise<Measured> => {
        const done = await r;
        const servers = serverCpu() - s0;
        const main = serverMainCpu() - m0;
        const database = databaseCpu() - d0;
        const clients = clientCpu() - k0;
        return { ...done, cpu: servers + database + clients, main, pool: servers - main, database, clients };
      };
      const people = Array.from({ length: VERIFY_POOL }, (_, i) => person(i));
      const added = await call(base(0), 'POST', '/__sandbox/registry', { people });
      if (added.status !== 200) throw new Error(`registry: ${added.status}`);
      const errors: string[] = [];
      const expect = (a: Answer, status: number, what: string) => {
        if (a.status !== status) errors.push(`${what}: ${a.status} ${a.body?.code ?? ''}`);
      };

      const reg = await phase(
        run(VERIFY_POOL, CLIENTS, async (i) => {
          const a = await call(
            base(i),
            'POST',
            '/v1/registrations',
            { ...people[i], acceptTerms: true },
            { from: from(i) },
          );
          expect(a, 201, 'registration');
          return a;
        }),
      );
      // The codes, from the outbox (not timed).
      const codes = await run(VERIFY_POOL, 50, async (i) => {
        const a = await call(base(i), 'GET', `/__sandbox/outbox/sms?phone=${people[i]!.phone}`);
        return a.body.messages[0]?.code as string;
      });
      const verify = await phase(
        run(VERIFY_POOL, CLIENTS, async (i) => {
          const challenge = reg.results[i]!.body.otp.challengeId;
          const a = await call(
            base(i + 1),
            'POST',
            `/v1/otp/${challenge}/verify`,
            { code: codes.results[i] },
            { from: from(i) },
          );
          expect(a, 200, 'otp verify');
          return a;
        }),
      );
      const password = await phase(
        run(CLIENTS, CLIENTS, async (i) => {
          const a = await call(
            base(i),
            'POST',
            `/v1/registrations/${reg.results[i]!.body.registrationId}/password`,
            { password: `Tai@${i}Khoan` },
            { from: from(i) },
          );
          expect(a, 201, 'password');
          return a;
        }),
      );
      // The password-hash bound, with the server's own parameters, measured while the servers
      // idle just before the logins and again just after them (the machine's speed drifts over a
      // run); the bound takes the median of both samples.
      const secrets = createSecrets(new Uint8Array(32));
      for (let i = 0; i < 3; i++) await secrets.hashPassword('Warm-up@123');
      const before = await hashSample(secrets);
      // What the cores reach hashing side by side, one process each (they share caches and memory).
      const parallelRate = await parallelHashRate(cores, 40);
      const logIn = (j: number) => {
        const i = j % CLIENTS;
        return call(
          base(j),
          'POST',
          '/v1/sessions',
          {
            personalId: people[i]!.personalId,
            password: `Tai@${i}Khoan`,
            device: { id: `load-device-${i}`, name: 'Load phone' },
          },
          { from: from(i) },
        );
      };
      // The first login of an account binds its device (a transaction of several statements);
      // every later one is a login on the bound device.
      const firstLogin = await phase(
        run(CLIENTS, CLIENTS, async (i) => {
          const a = await logIn(i);
          expect(a, 201, 'first login');
          return a;
        }),
      );
      const login = await phase(
        run(CLIENTS * LOGINS_PER_CLIENT, CLIENTS, async (j) => {
          const a = await logIn(j);
          expect(a, 201, 'login');
          return a;
        }),
      );
      const after = await hashSample(secrets);
      const hashMs = pct([...before.ms, ...after.ms], 50);
      const bound = cores / (hashMs / 1000);
      const discovery = await phase(
        run(DISCOVERY_REQUESTS, CLIENTS, async (i) => {
          const a = await call(base(i), 'GET', '/.well-known/openid-configuration', undefined, {
            from: from(i),
          });
          expect(a, 200, 'discovery');
          return a;
        }),
      );
      const ids = people.slice(0, CLIENTS).map((p) => p.personalId);
      const check = new pg.Client({ connectionString: database });
      await check.connect();
      const count = await check.query(
        'SELECT count(*)::int AS n, count(DISTINCT personal_id)::int AS d FROM accounts WHERE personal_id = ANY($1)',
        [ids],
      );
      await check.end();
      const { n, d } = count.rows[0] as { n: number; d: number };

      const row = (label: string, r: Measured) => {
        const ms = r.results.map((a) => a.ms);
        const perRequest = (seconds: number) => ((seconds * 1000) / r.results.length).toFixed(2);
        return `| ${label} | ${r.results.length} | ${(r.results.length / r.seconds).toFixed(0)} | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 99).toFixed(1)} | ${perRequest(r.cpu)} | ${perRequest(r.main)} | ${perRequest(r.pool)} | ${perRequest(r.database)} | ${perRequest(r.clients)} |`;
      };
      const loginRate = login.results.length / login.seconds;
      return [
        `${CLIENTS} concurrent clients over keep-alive HTTP (\`bench/http-load-client.ts\`, a lean HTTP/1.1 client, so that the clients take little of the cores they share with the servers) against 2 sandbox processes sharing one PostgreSQL 15 (throw-away cluster, fsync off), all on this machine (${cores} cores shared by the clients, both servers and PostgreSQL). Each client connects from its own loopback address (127.0.1.x), so that the per-address throttle sees 200 machines; every policy is the default. Each server computes ${HASHES_PER_PROCESS} password hash${HASHES_PER_PROCESS === 1 ? '' : 'es'} at a time (\`hashConcurrency\` = cores ÷ processes). An account's first login binds its device (a transaction of several statements), so it is its own phase; the ${LOGINS_PER_CLIENT} logins per client after it are on the bound device.`,
        '',
        '| phase | requests | requests/s | p50 ms | p99 ms | CPU ms / request | servers: main threads | servers: other threads | PostgreSQL | clients |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        row('registration (registry check + OTP sent)', reg),
        row('OTP verify', verify),
        row('password set (argon2id hash)', password),
        row('first login, binds the device (argon2id verify)', firstLogin),
        row('login, bound device (argon2id verify)', login),
        row('discovery (`/.well-known/openid-configuration`)', discovery),
        '',
        `Password-hash bound: ${cores} cores ÷ ${hashMs.toFixed(1)} ms per argon2id hash (m = 19 MiB, t = 2, p = 1; median of ${HASHES_PER_SAMPLE} hashes in this process just before the logins and ${HASHES_PER_SAMPLE} just after: ${pct(before.ms, 50).toFixed(1)} and ${pct(after.ms, 50).toFixed(1)} ms) = ${bound.toFixed(0)} hashes/s. Of one hash, ${before.userMs.toFixed(1)} ms is user and ${before.systemMs.toFixed(1)} ms system time. Logins reach ${loginRate.toFixed(0)}/s = **${(loginRate / bound).toFixed(2)} ×** the bound. ${cores} processes hashing side by side reach ${parallelRate.toFixed(0)}/s = ${(parallelRate / bound).toFixed(2)} × the bound (the cores share caches and memory bandwidth); logins reach ${(loginRate / parallelRate).toFixed(2)} × that rate.`,
        '',
        budget(login, hashMs),
        '',
        'CPU ms / request: user + system time of both servers, PostgreSQL (postmaster and backends) and the client process during the phase, divided by its requests (independent of how busy the machine was; ' +
          `${cores} cores ÷ that time is the rate the phase could reach on this machine). The servers' main threads run JavaScript: HTTP, validation, the \`pg\` driver; their other threads are libuv's pool (the argon2id hashes) and V8's helpers (garbage collection, compilation).`,
        '',
        `Errors: ${errors.length}${errors.length ? ` (first: ${errors.slice(0, 3).join('; ')})` : ''}. Accounts in the database for the ${CLIENTS} registered clients: ${n} rows, ${d} distinct personal IDs (lost or duplicated: ${CLIENTS - d + (n - d)}).`,
      ].join('\n');
    } finally {
      for (const node of nodes) node.child.kill('SIGKILL');
      await admin.end().catch(() => {});
      client.close();
      cluster.stop();
    }
  },
};
