/**
 * API boundary: JavaScript callers (no TypeScript) may pass anything. Every runtime export of
 * every public subpath (read from package.json "exports", so new subpaths are covered without
 * editing this file) is called with hostile arguments; whatever it throws or rejects with must
 * be a `VneidError` with a stable code — never a raw TypeError / RangeError from inside.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVneidError } from '../src/errors/index.ts';

const PKG = '@vneid/core';
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(manifest.exports).filter((k) => k !== './package.json');

const HOSTILE: readonly unknown[] = [undefined, null, 42, {}, 'x', new Uint8Array(0)];

/**
 * Functions for which returning normally for every hostile value is correct: type guards
 * answer `false`, and converters whose documented domain is "any value".
 */
const RETURNS_FOR_ANY: ReadonlySet<string> = new Set([
  'isVneidError', // a type guard: answers true/false for any value
  'isIdNumber', // a type guard: answers true/false for any value
  // Credential checks report a non-string credential as rule violations (a result, not an
  // error): the documented contract is "never throws for a bad credential, only bad options".
  'checkPasscode',
  'checkPassword',
  'readZxingWasm', // takes no arguments: extra ones are ignored, as for any JavaScript function
]);

/** Plausible first arguments, so that the second argument is reached by the checks. */
const VALID_FIRST: readonly unknown[] = [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]), '001099012345', 7];

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
    expect(subpaths.length).toBeGreaterThan(5);
    const names = new Set(functions.map(([, name]) => name));
    for (const name of [
      'checkDigit',
      'checkDigitChar',
      'concatBytes',
      'constantTimeEqual',
      'equalBytes',
      'decodeUtf8',
      'fromHex',
      'fromBase64',
      'decodeInteger',
      'decodeOid',
      'encodeTlv',
      'findTlv',
      'findAllTlv',
      'requireTlv',
      'formatCccdQr',
      'mrzKeyFromId',
      'mrzKeyFromMrz',
      'mrzKeySeed',
      'scanCccdQr',
    ]) {
      expect(names).toContain(name);
    }
    expect(functions.some(([spec, name]) => spec === '@vneid/core/scan/node' && name === 'scanCccdQr')).toBe(
      true,
    );
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

  it('encodeTlv: children that are not an array, or hold junk, are a TlvError', async () => {
    const { encodeTlv } = await import('@vneid/core/tlv');
    for (const value of [42, 'x', {}, null, undefined, [null], [42], [{}]]) {
      let caught: unknown;
      try {
        encodeTlv(0x30, value as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, show(value)).toMatchObject({ name: 'TlvError', code: 'TLV_INVALID_VALUE' });
    }
  });

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
