/**
 * Helpers of the service tests: sandbox nodes in their own OS processes (the built CLI), a
 * JSON caller for any base URL, and generated synthetic registry people (as many as a test needs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { centurySexDigit } from '../../../core/src/id-number/index.ts';
import { callAt } from '../support/sandbox.ts';

export { callAt };

const bin = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), and wait. */
  stop(): Promise<void>;
}

/** A sandbox node on `database` on a free port, quiet. */
export function spawnSandbox(database: string, args: string[] = []): Promise<SandboxProcess> {
  return spawnSandboxCli(['--port', '0', '--quiet', '--database', database, ...args]);
}

/** The built CLI with exactly these arguments (and extra environment), resolved once it listens. */
export function spawnSandboxCli(args: string[], env: Record<string, string> = {}): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve({ url: m[1]!, child, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
    });
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${err.slice(-600)}`)));
  });
}

let counter = 0;

/** A synthetic person with a structurally valid personal ID, unique in this process. */
export function syntheticPerson(tag: number) {
  const i = (process.pid % 5000) * 100 + tag * 10 + (counter++ % 10);
  const sex = i % 2 === 0 ? ('male' as const) : ('female' as const);
  const year = 1970 + (i % 30);
  return {
    personalId: `079${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}${String(i % 1_000_000).padStart(6, '0')}`,
    fullName: `TRẦN THỊ THỬ ${i}`,
    sex,
    birthDate: `${year}-05-1${i % 9}`,
    address: `Số ${i} Lê Lợi, Quận 1, TP. Hồ Chí Minh`,
    phone: `08${String(i).padStart(8, '0').slice(-8)}`,
  };
}

/** Adds `person` to the registry and registers it up to its OTP. */
export async function startRegistration(base: string, person: ReturnType<typeof syntheticPerson>) {
  const added = await callAt(base, 'POST', '/__sandbox/registry', { people: [person] });
  if (added.status !== 200) throw new Error(`registry: ${added.status}`);
  const reg = await callAt(base, 'POST', '/v1/registrations', { ...person, acceptTerms: true });
  if (reg.status !== 201) throw new Error(`registration: ${reg.status} ${reg.body?.code}`);
  const sms = await callAt(base, 'GET', `/__sandbox/outbox/sms?phone=${person.phone}`);
  return {
    registrationId: reg.body.registrationId as string,
    challengeId: reg.body.otp.challengeId as string,
    code: sms.body.messages[0].code as string,
  };
}

/** Registers `person` completely (OTP, password). */
export async function registerAccount(
  base: string,
  person: ReturnType<typeof syntheticPerson>,
  password: string,
) {
  const { registrationId, challengeId, code } = await startRegistration(base, person);
  const verified = await callAt(base, 'POST', `/v1/otp/${challengeId}/verify`, { code });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${verified.body?.code}`);
  const set = await callAt(base, 'POST', `/v1/registrations/${registrationId}/password`, { password });
  if (set.status !== 201) throw new Error(`password: ${set.status} ${set.body?.code}`);
}
