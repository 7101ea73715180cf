/**
 * @module
 * `@vneid/sandbox`: a local VNeID-style identity server for development and tests.
 *
 * @example
 * ```ts
 * import { startSandbox } from '@vneid/sandbox';
 *
 * const sandbox = await startSandbox({ port: 0 }); // PGlite in memory, loopback
 * console.log((await fetch(`${sandbox.url}/health`)).status); // 200
 * await sandbox.stop();
 * ```
 */
export type { SandboxProfile } from './http/context.ts';
export { PROBLEMS, type ProblemCode } from './http/problem.ts';
export { defaultPolicy, type PasswordRule, type Policy } from './policy.ts';
export { type RunningSandbox, type SandboxOptions, startSandbox } from './server.ts';
