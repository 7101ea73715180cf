/**
 * @module
 * The API-boundary check shared by the packages' `api-boundary.test.ts`: JavaScript callers (no
 * TypeScript) may pass anything, so every runtime export of every public subpath (read from the
 * package's `exports`, so new subpaths are covered without editing a test) is called with
 * hostile arguments; whatever it throws or rejects with must be a `VneidError` with a stable
 * code — never a raw TypeError / RangeError from inside.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isVneidError } from '../../packages/core/src/errors/index.ts';

/** A function as called by the checks. */
export type Fn = (...args: unknown[]) => unknown;

/** A public function: the specifier it was imported from, its name, the function. */
export type PublicFunction = [spec: string, name: string, fn: Fn];

/** The hostile values every public function is called with. */
export const HOSTILE: readonly unknown[] = [undefined, null, 42, {}, 'x', new Uint8Array(0)];

const isClass = (fn: Fn): boolean => /^class[\s{]/.test(Function.prototype.toString.call(fn));

/**
 * The public subpaths of the package whose `package.json` is at `manifestUrl`, and the
 * functions (not classes) each exports, imported by their `@vneid/…` specifiers.
 */
export async function loadPublicFunctions(
  manifestUrl: URL,
  packageName: string,
): Promise<{ subpaths: string[]; functions: PublicFunction[] }> {
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { exports: Record<string, unknown> };
  // A wildcard (`./browser/*`, the browser bundles' folder) names files, not one module.
  const subpaths = Object.keys(manifest.exports).filter((k) => k !== './package.json' && !k.includes('*'));
  const functions: PublicFunction[] = [];
  for (const sub of subpaths) {
    const spec = sub === '.' ? packageName : `${packageName}/${sub.slice(2)}`;
    const mod = (await import(/* @vite-ignore */ spec)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function' && !isClass(value as Fn)) functions.push([spec, name, value as Fn]);
    }
  }
  return { subpaths, functions };
}

/** Calls `fn`; returns the error it threw or rejected with, or `undefined` when it returned. */
export async function failureOf(fn: Fn, args: unknown[]): Promise<unknown> {
  try {
    const result = fn(...args);
    if (result instanceof Promise) await result;
    return undefined;
  } catch (e) {
    return e ?? new Error('threw a nullish value');
  }
}

/** An error's class and message, for assertion output. */
export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

/** A short text form of an argument, for assertion output. */
export function show(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Registers (inside the caller's `describe`) the checks every package runs: each function
 * called with each hostile value first, and second after each of `validFirst`; undefined, null
 * and `{}` as the first argument must fail unless the function is in `returnsForAny`; and a
 * fast-check property over random JSON-ish arguments.
 */
export function hostileInputChecks(options: {
  functions: readonly PublicFunction[];
  validFirst: readonly unknown[];
  returnsForAny: ReadonlySet<string>;
}): void {
  const { functions, validFirst, returnsForAny } = options;
  for (const [spec, name, fn] of functions) {
    it(`${spec} ${name}`, async () => {
      const bad: string[] = [];
      const check = async (args: unknown[]): Promise<void> => {
        const e = await failureOf(fn, args);
        if (e !== undefined && !isVneidError(e))
          bad.push(`(${args.map(show).join(', ')}) → ${describeError(e)}`);
      };
      for (const h of HOSTILE) await check([h]);
      for (const first of validFirst) for (const h of HOSTILE) await check([first, h]);
      expect(bad).toEqual([]);
    });
  }

  it('rejects hostile values with a VneidError (unless documented to accept any value)', async () => {
    // Not every function must throw for every hostile value ('x' is a fine argument to
    // encodeUtf8), but undefined, null and {} are never a valid first argument.
    const silent: string[] = [];
    for (const [spec, name, fn] of functions) {
      if (returnsForAny.has(name)) continue;
      for (const h of [undefined, null, {}]) {
        if ((await failureOf(fn, [h])) === undefined) silent.push(`${spec} ${name}(${show(h)})`);
      }
    }
    expect(silent).toEqual([]);
  });

  it('fast-check: random JSON-ish arguments only ever raise a VneidError', async () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.constant(undefined),
      fc.uint8Array({ maxLength: 16 }),
      fc.func(fc.anything()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...functions),
        fc.array(value, { maxLength: 3 }),
        async ([, , fn], args) => {
          const e = await failureOf(fn, args);
          return e === undefined || isVneidError(e);
        },
      ),
      { numRuns: 400 },
    );
  });
}
