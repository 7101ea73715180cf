/**
 * Runs a private pcscd (pcsc-lite) in the foreground with vsmartcard's vpcd driver listening on
 * a free localhost port, for tests that go through real PC/SC. Linux, root (pcscd owns
 * /run/pcscd), Debian packages pcscd + vsmartcard-vpcd and the npm binding built against
 * libpcsclite (scripts/system-deps.sh installs them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { closeReader, type PcscBindingReader, watchReader } from '../../src/pcsc/binding.ts';
import { PCSC_BINDING_MODULE, type PcscBinding } from '../../src/pcsc/index.ts';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const VPCD_DRIVER_DIRS = [
  '/usr/lib/pcsc/drivers/serial',
  '/usr/lib64/pcsc/drivers/serial',
  '/usr/local/lib/pcsc/drivers/serial',
];

function findPcscd(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.map((d) => join(d, 'pcscd')).find((p) => existsSync(p));
}

function findVpcdDriver(): string | undefined {
  return VPCD_DRIVER_DIRS.map((d) => join(d, 'libifdvpcd.so')).find((p) => existsSync(p));
}

function socketListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const LOCK = join(tmpdir(), 'vneid-pcscd-test.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One private pcscd per machine (its socket path is fixed): test runs in parallel processes take
 * this lock, and the ones that don't get it skip. Returns the release function, or undefined.
 */
export function acquirePcscdLock(): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          unlinkSync(LOCK);
        } catch {}
      };
      process.on('exit', release);
      return release;
    } catch {
      let owner = Number.NaN;
      try {
        owner = Number.parseInt(readFileSync(LOCK, 'utf8'), 10);
      } catch {}
      if (Number.isInteger(owner) && alive(owner)) return undefined;
      try {
        unlinkSync(LOCK);
      } catch {}
    }
  }
  return undefined;
}

/** Imports the native binding the way a Node application would. */
export async function importBinding(): Promise<PcscBinding> {
  const mod = (await import(PCSC_BINDING_MODULE)) as { default?: PcscBinding } | PcscBinding;
  return (typeof mod === 'function' ? mod : mod.default) as PcscBinding;
}

/** Why a real-pcscd test cannot run here, or undefined when it can. */
export async function pcscdUnavailableReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `pcscd tests need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'pcscd tests need root (pcscd owns /run/pcscd); CI runs as root';
  if (findPcscd() === undefined)
    return 'pcscd is not installed (run scripts/system-deps.sh as root: Debian package pcscd)';
  if (findVpcdDriver() === undefined)
    return 'the vpcd reader driver is not installed (Debian package vsmartcard-vpcd)';
  try {
    await importBinding();
  } catch (error) {
    return `the PC/SC binding ${PCSC_BINDING_MODULE} does not load (${(error as Error).message.split('\n')[0]}); run scripts/system-deps.sh`;
  }
  if (await socketListening(PCSCD_SOCKET))
    return `another pcscd already listens on ${PCSCD_SOCKET}; stop it to run these tests`;
  return undefined;
}

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '0.0.0.0', () => {
      const address = server.address();
      const got = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(got));
    });
  });
}

/** A free TCP port p with p + 1 also free (vpcd opens two slots: p and p + 1). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenOnce(0);
    if (port !== undefined && port < 65_535 && (await listenOnce(port + 1)) !== undefined) return port;
  }
  throw new Error('no free port pair for vpcd');
}

export interface Pcscd {
  /** TCP port of the first vpcd slot (reader `${friendlyName} 00 00`); the second is port + 1. */
  readonly port: number;
  readonly readerName: string;
  readonly emptyReaderName: string;
  log(): string;
  stop(): Promise<void>;
}

/** Starts pcscd in the foreground with only the vpcd reader, and waits until it serves. */
export async function startPcscd(friendlyName = 'VNEID Virtual PCD'): Promise<Pcscd> {
  const pcscd = findPcscd();
  const driver = findVpcdDriver();
  if (pcscd === undefined || driver === undefined) throw new Error('pcscd or vpcd missing');
  const port = await freePortPair();
  const confDir = await mkdtemp(join(tmpdir(), 'vneid-pcscd-'));
  const hex = `0x${port.toString(16).toUpperCase()}`;
  await writeFile(
    join(confDir, 'vpcd'),
    `FRIENDLYNAME "${friendlyName}"\nDEVICENAME   /dev/null:${hex}\nLIBPATH      ${driver}\nCHANNELID    ${hex}\n`,
  );
  // -f: foreground, logs to stdout; -x: exit after 60 s without clients should this process die.
  const child: ChildProcess = spawn(pcscd, ['-f', '-x', '-c', confDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await socketListening(PCSCD_SOCKET))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      await rm(confDir, { recursive: true, force: true });
      throw new Error(`pcscd did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    readerName: `${friendlyName} 00 00`,
    emptyReaderName: `${friendlyName} 00 01`,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(confDir, { recursive: true, force: true });
    },
  };
}

/**
 * Plays another PC/SC application: connects to the card on `readerName` in shared mode and
 * leaves with SCARD_RESET_CARD, which resets the card under every other handle.
 */
export async function resetCardFromAnotherClient(binding: PcscBinding, readerName: string): Promise<void> {
  const context = binding();
  context.on('error', () => {});
  const readers: PcscBindingReader[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      context.on('reader', (r) => {
        readers.push(r);
        watchReader(r);
        if (r.name !== readerName) return;
        r.on('status', (status) => {
          if ((status.state & r.SCARD_STATE_PRESENT) === 0 || r.connected) return;
          r.connect({ share_mode: r.SCARD_SHARE_SHARED, protocol: r.SCARD_PROTOCOL_T1 }, (err) => {
            if (err) return reject(err);
            r.disconnect(r.SCARD_RESET_CARD, (e) => (e ? reject(e) : resolve()));
          });
        });
      });
    });
  } finally {
    await Promise.all(readers.map(closeReader));
    context.close();
  }
}
