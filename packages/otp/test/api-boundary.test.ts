/**
 * API boundary: JavaScript callers (no TypeScript) may pass anything. Every runtime export of
 * every public subpath (read from package.json "exports", so new subpaths are covered without
 * editing this file) is called with hostile arguments; whatever it throws or rejects with must
 * be a `VneidError` with a stable code — never a raw TypeError / RangeError from inside.
 */
import { readFileSync } from 'node:fs';
import { isVneidError } from '@vneid/core/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/store/index.ts';

const PKG = '@vneid/otp';
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(manifest.exports).filter((k) => k !== './package.json');

const HOSTILE: readonly unknown[] = [undefined, null, 42, {}, 'x', new Uint8Array(0)];

/**
 * Functions for which returning normally for some of undefined / null / {} as the first
 * argument is correct.
 */
const RETURNS_FOR_ANY: ReadonlySet<string> = new Set([
  // All its options are optional: undefined and {} mean "the defaults" (a fresh empty store).
  'createMemoryStore',
  // All its options are optional: undefined and {} mean "20 bytes from crypto.getRandomValues".
  'generateOtpSecret',
  // All its options are optional: undefined and {} mean "the current step of 30 s from t0 = 0".
  'totpTimeStep',
]);

/** Plausible first arguments, so that the second argument is reached by the checks. */
const SECRET = new Uint8Array(20);
const VALID_FIRST: readonly unknown[] = [
  6,
  `otpauth://totp/Acme:alice?secret=${'A'.repeat(32)}&issuer=Acme`,
  SECRET,
  { secret: SECRET, counter: 0 },
];

type Fn = (...args: unknown[]) => unknown;

function isClass(fn: Fn): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

async function load(): Promise<Array<[string, string, Fn]>> {
  const out: Array<[string, string, Fn]> = [];
  for (const sub of subpaths) {
    const spec = sub === '.' ? PKG : `${PKG}/${sub.slice(2)}`;
    const mod = (await import(/* @vite-ignore */ spec)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function' && !isClass(value as Fn)) out.push([spec, name, value as Fn]);
    }
  }
  return out;
}

const functions = await load();

/** Calls `fn`; returns the error it threw or rejected with, or `undefined` when it returned. */
async function failureOf(fn: Fn, args: unknown[]): Promise<unknown> {
  try {
    const result = fn(...args);
    if (result instanceof Promise) await result;
    return undefined;
  } catch (e) {
    return e ?? new Error('threw a nullish value');
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

describe(`${PKG}: every public function answers hostile input with a VneidError`, () => {
  it('finds the public subpaths and their functions', () => {
    expect(subpaths).toContain('.');
    expect(subpaths.length).toBeGreaterThanOrEqual(3);
    const names = new Set(functions.map(([, name]) => name));
    for (const name of [
      'buildOtpauthUri',
      'decodeBase32',
      'encodeBase32',
      'generateHotp',
      'verifyHotp',
      'generateTotp',
      'verifyTotp',
      'totpTimeStep',
      'generateOtpSecret',
      'createOtpChallenges',
      'renderOtpMessage',
      'generateNumericCode',
      'createMemoryStore',
    ]) {
      expect(names).toContain(name);
    }
  });

  for (const [spec, name, fn] of functions) {
    it(`${spec} ${name}`, async () => {
      const bad: string[] = [];
      const check = async (args: unknown[]): Promise<void> => {
        const e = await failureOf(fn, args);
        if (e !== undefined && !isVneidError(e))
          bad.push(`(${args.map(show).join(', ')}) → ${describeError(e)}`);
      };
      for (const h of HOSTILE) await check([h]);
      for (const first of VALID_FIRST) for (const h of HOSTILE) await check([first, h]);
      expect(bad).toEqual([]);
    });
  }

  // Factories return objects whose methods are public API too: valid construction, hostile calls.
  const factories: Record<string, () => unknown[]> = {
    createMemoryStore: () => [],
    createOtpChallenges: () => [{ store: createMemoryStore(), hashKey: new Uint8Array(32) }],
  };
  for (const [spec, name, fn] of functions) {
    const args = factories[name];
    if (args === undefined) continue;
    it(`${spec} ${name}(…) methods`, async () => {
      const made = fn(...args()) as Record<string, unknown>;
      const methods = Object.keys(made).filter((k) => typeof made[k] === 'function');
      expect(methods.length).toBeGreaterThan(0);
      const bad: string[] = [];
      for (const method of methods) {
        const m = (made[method] as Fn).bind(made);
        const check = async (a: unknown[]): Promise<void> => {
          const e = await failureOf(m, a);
          if (e !== undefined && !isVneidError(e))
            bad.push(`${method}(${a.map(show).join(', ')}) → ${describeError(e)}`);
        };
        for (const h of HOSTILE) await check([h]);
        for (const h of HOSTILE) await check(['k', h]);
        for (const h of HOSTILE) await check(['k', null, h, 1000]);
        for (const h of HOSTILE) await check([{ challengeId: h, code: h }]);
      }
      expect(bad).toEqual([]);
    });
  }

  it('rejects hostile values with a VneidError (unless documented to accept any value)', async () => {
    // Not every function must throw for every hostile value ('x' is a fine argument to
    // encodeUtf8), but undefined, null and {} are never a valid first argument.
    const silent: string[] = [];
    for (const [spec, name, fn] of functions) {
      if (RETURNS_FOR_ANY.has(name)) continue;
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
});
