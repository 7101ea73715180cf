/**
 * Error identity without `instanceof` or class names: an application can end up with two
 * copies of `@vneid/core` (two versions in node_modules, a CJS and an ESM build), and a
 * minifier renames classes. `isCoreError` / `isVneidError` recognise errors by the
 * registry-symbol brand (`Symbol.for('@vneid/core/error')`, `Symbol.for('@vneid/error')`) and
 * their `code`.
 */
import { describe, expect, it } from 'vitest';
import {
  CORE_ERROR_BRAND,
  CoreError,
  isCoreError,
  isVneidError,
  VNEID_ERROR_BRAND,
  VneidError,
} from '../../src/errors/index.ts';
import { MrzError, parseMrz } from '../../src/mrz/index.ts';

/** A second, structurally separate copy of the package's errors module (a new module instance). */
async function secondCopy(): Promise<typeof import('../../src/errors/index.ts')> {
  return (await import(/* @vite-ignore */ `../../src/errors/index.ts?copy=${Date.now()}`)) as never;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('error brands', () => {
  it('are registry symbols, so every copy of the package uses the same ones', () => {
    expect(CORE_ERROR_BRAND).toBe(Symbol.for('@vneid/core/error'));
    expect(VNEID_ERROR_BRAND).toBe(Symbol.for('@vneid/error'));
  });

  it('recognise an error of a second copy of the classes, which instanceof does not', async () => {
    const copy = await secondCopy();
    expect(copy.CoreError).not.toBe(CoreError);
    const foreign = new copy.CoreError('INVALID_ARGUMENT', 'from the other copy');
    expect(foreign).not.toBeInstanceOf(CoreError);
    expect(isCoreError(foreign)).toBe(true);
    expect(isCoreError(foreign, 'INVALID_ARGUMENT')).toBe(true);
    expect(isVneidError(foreign)).toBe(true);
    // And the other way round: the copy's guard knows our errors.
    expect(copy.isCoreError(new MrzError('BAD_CHECK_DIGIT', 'x'), 'BAD_CHECK_DIGIT')).toBe(true);
  });

  it('recognise a structurally separate class carrying the brand, with a minified name', () => {
    // What a bundler makes of another copy: an unrelated class named `a`.
    const a = class extends Error {
      readonly code = 'INVALID_DATE';
      readonly context = {};
    };
    Object.defineProperty(a.prototype, Symbol.for('@vneid/core/error'), { value: true });
    Object.defineProperty(a.prototype, Symbol.for('@vneid/error'), { value: true });
    const e = new a('minified');
    expect(e.constructor.name).toBe('a');
    expect(isCoreError(e, 'INVALID_DATE')).toBe(true);
    expect(isCoreError(e, ['BAD_CHECK_DIGIT', 'INVALID_DATE'])).toBe(true);
    expect(isCoreError(e, 'BAD_CHECK_DIGIT')).toBe(false);
    expect(isVneidError(e, 'INVALID_DATE')).toBe(true);
  });

  it('are carried by every core error class, including a renamed subclass', () => {
    const e = caught(() => parseMrz('not an mrz'));
    expect(isCoreError(e, 'UNKNOWN_FORMAT')).toBe(true);
    const Renamed = class extends MrzError {};
    Object.defineProperty(Renamed, 'name', { value: 'q' });
    expect(isCoreError(new Renamed('INVALID_SEX', 'x'), 'INVALID_SEX')).toBe(true);
  });

  it('tell core errors from other SDK errors, and SDK errors from look-alikes', () => {
    const other = new VneidError('OTP_EXPIRED', 'another package');
    expect(isVneidError(other)).toBe(true);
    expect(isCoreError(other)).toBe(false);
    // Same code and shape, no brand: not ours (an error from user code or another library).
    const lookAlike = Object.assign(new Error('x'), { code: 'INVALID_ARGUMENT', context: {} });
    expect(isVneidError(lookAlike)).toBe(false);
    expect(isCoreError(lookAlike, 'INVALID_ARGUMENT')).toBe(false);
    // A brand without a string code is not enough either.
    expect(isCoreError({ [CORE_ERROR_BRAND]: true, code: 7 })).toBe(false);
  });

  it('answer false, never throw, for anything else', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    for (const v of [undefined, null, 0, '', 'INVALID_ARGUMENT', {}, [], () => 0, hostile]) {
      expect(isCoreError(v)).toBe(false);
      expect(isVneidError(v)).toBe(false);
    }
  });

  it('stay out of JSON and enumeration', () => {
    const e = new CoreError('INVALID_ARGUMENT', 'x');
    expect(Object.getOwnPropertySymbols(e)).toEqual([]);
    expect(JSON.stringify(e)).not.toContain('vneid');
  });

  it('narrow the code for TypeScript', () => {
    const e: unknown = new MrzError('INVALID_ARGUMENT', 'x');
    if (!isCoreError(e, ['INVALID_ARGUMENT', 'INVALID_DATE'])) throw new Error('not narrowed');
    const code: 'INVALID_ARGUMENT' | 'INVALID_DATE' = e.code;
    expect(code).toBe('INVALID_ARGUMENT');
  });
});
