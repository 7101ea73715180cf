/**
 * API boundary: JavaScript callers (no TypeScript) may pass anything. Every runtime export of
 * every public subpath (read from package.json "exports", so new subpaths are covered without
 * editing this file) is called with hostile arguments; whatever it throws or rejects with must
 * be a `VneidError` with a stable code — never a raw TypeError / RangeError from inside.
 */
import { isVneidError } from '@vneid/core/errors';
import { describe, expect, it } from 'vitest';
import {
  describeError,
  type Fn,
  failureOf,
  HOSTILE,
  hostileInputChecks,
  loadPublicFunctions,
  show,
} from '../../../test/support/api-boundary.ts';
import { createMemoryStore } from '../src/store/index.ts';

const { subpaths, functions } = await loadPublicFunctions(
  new URL('../package.json', import.meta.url),
  '@vneid/otp',
);

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
  // Its only argument is the optional table name: undefined means the default table.
  'pgOtpStoreSchema',
  // A type guard: false for anything that is not an OtpError is its answer, not a failure.
  'isOtpError',
]);

/** Plausible first arguments, so that the second argument is reached by the checks. */
const SECRET = new Uint8Array(20);
const VALID_FIRST: readonly unknown[] = [
  6,
  `otpauth://totp/Acme:alice?secret=${'A'.repeat(32)}&issuer=Acme`,
  SECRET,
  { secret: SECRET, counter: 0 },
];

describe(`@vneid/otp: every public function answers hostile input with a VneidError`, () => {
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
      'createTotpVerifier',
      'createHotpVerifier',
    ]) {
      expect(names).toContain(name);
    }
  });

  hostileInputChecks({ functions, validFirst: VALID_FIRST, returnsForAny: RETURNS_FOR_ANY });

  // Factories return objects whose methods are public API too: valid construction, hostile calls.
  const factories: Record<string, () => unknown[]> = {
    createMemoryStore: () => [],
    createOtpChallenges: () => [{ store: createMemoryStore(), hashKey: new Uint8Array(32) }],
    createTotpVerifier: () => [{ store: createMemoryStore(), secret: new Uint8Array(20) }],
    createHotpVerifier: () => [{ store: createMemoryStore(), secret: () => new Uint8Array(20) }],
    // Database clients that answer "nothing there": the arguments are checked before any query.
    createPgOtpStore: () => [{ db: { query: async () => ({ rows: [], rowCount: 0 }) } }],
    createRedisOtpStore: () => [{ client: { eval: async () => null } }],
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
});
