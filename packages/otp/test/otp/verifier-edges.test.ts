/**
 * Edges of the stateful verifiers' shared account state (`verifier/account-state.ts`) that the
 * mutation run (`pnpm mutation:otp`) found unchecked: the exact failure results, the secret
 * lookup, the clock, option and account bounds with the field they name, the lockout's
 * retention and every field of a stored account record that must be validated on read.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createTotpVerifier } from '../../src/verifier/index.ts';
import { ascii, manualClock, yieldingStore } from '../support.ts';

const secret = ascii('12345678901234567890');
const START = 1_111_111_109_000;
const codeAt = (ms: number): string => generateTotp({ secret, now: () => ms });
const GOOD = codeAt(START);
const WRONG = GOOD === '000000' ? '111111' : '000000';
const stateKey = (account: string, prefix = 'otp:totp:'): string => prefix + toHex(sha256(ascii(account)));

function setup(extra: Partial<Parameters<typeof createTotpVerifier>[0]> = {}) {
  const clock = manualClock(START);
  const store = createMemoryStore({ now: clock.now });
  const verifier = createTotpVerifier({
    store,
    secret,
    now: clock.now,
    lockout: { maxFailures: 3 },
    ...extra,
  });
  return { clock, store, verifier };
}

describe('verifier results', () => {
  it('reports a malformed token as a failure that is not counted', async () => {
    const { verifier } = setup();
    expect(await verifier.verify({ account: 'a', token: WRONG })).toMatchObject({ failuresRemaining: 2 });
    expect(await verifier.verify({ account: 'a', token: '12345' })).toEqual({
      ok: false,
      reason: 'malformed',
      failuresRemaining: 2,
    });
  });

  it('reports an account whose secret is gone with the failures counted so far', async () => {
    let known = true;
    const { verifier } = setup({ secret: () => (known ? secret : undefined) });
    expect(await verifier.verify({ account: 'a', token: WRONG })).toMatchObject({ failuresRemaining: 2 });
    known = false;
    expect(await verifier.verify({ account: 'a', token: GOOD })).toEqual({
      ok: false,
      reason: 'unknown-account',
      failuresRemaining: 2,
    });
  });

  it('treats a null secret as unknown and rejects a lookup returning anything but bytes', async () => {
    const { verifier } = setup({ secret: () => null } as never);
    expect(await verifier.verify({ account: 'n', token: GOOD })).toMatchObject({ reason: 'unknown-account' });
    const bad = setup({ secret: () => 'JBSWY3DPEHPK3PXP' } as never).verifier;
    await expect(bad.verify({ account: 'a', token: GOOD })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      context: { field: 'secret' },
    });
  });

  it('looks the secret up once per verification, also when compare-and-set is retried', async () => {
    let lookups = 0;
    const clock = manualClock(START);
    const store = yieldingStore(createMemoryStore({ now: clock.now }), 4);
    const verifier = createTotpVerifier({
      store,
      now: clock.now,
      lockout: { maxFailures: 100 },
      secret: () => {
        lookups += 1;
        return secret;
      },
    });
    await Promise.all(Array.from({ length: 6 }, () => verifier.verify({ account: 'a', token: WRONG })));
    expect(store.casFailures).toBeGreaterThan(0);
    expect(lookups).toBe(6);
  });

  it('keeps its own copy of a fixed secret', async () => {
    const mine = secret.slice();
    const { verifier } = setup({ secret: mine });
    mine.fill(0);
    expect(await verifier.verify({ account: 'a', token: GOOD })).toMatchObject({ ok: true });
  });

  it('keeps a lockout longer than stateTtlSeconds for its whole duration', async () => {
    const { clock, verifier } = setup({
      stateTtlSeconds: 3600,
      lockout: { maxFailures: 1, durationSeconds: 7200 },
    });
    expect(await verifier.verify({ account: 'a', token: WRONG })).toMatchObject({ retryAfterSeconds: 7200 });
    clock.advance(5_400_000);
    expect(await verifier.verify({ account: 'a', token: codeAt(clock.now()) })).toEqual({
      ok: false,
      reason: 'locked',
      failuresRemaining: 0,
      retryAfterSeconds: 1800,
    });
  });
});

describe('verifier arguments', () => {
  it.each([
    ['a store without get', { store: { compareAndSet: () => true, delete: (): void => undefined } }, 'store'],
    [
      'a store without compareAndSet',
      { store: { get: () => undefined, delete: (): void => undefined } },
      'store',
    ],
    ['a numeric secret', { secret: 5 }, 'secret'],
    ['lockout "x"', { lockout: 'x' }, 'lockout'],
    ['lockout.maxFailures 0', { lockout: { maxFailures: 0 } }, 'lockout.maxFailures'],
    ['lockout.durationSeconds 0', { lockout: { durationSeconds: 0 } }, 'lockout.durationSeconds'],
    ['now 5', { now: 5 }, 'now'],
    ['keyPrefix ""', { keyPrefix: '' }, 'keyPrefix'],
    ['keyPrefix of 65 characters', { keyPrefix: 'p'.repeat(65) }, 'keyPrefix'],
    ['keyPrefix 5', { keyPrefix: 5 }, 'keyPrefix'],
  ])('names the field of %s', (_name, bad, field) => {
    expect(() =>
      createTotpVerifier({ store: createMemoryStore(), secret, ...(bad as object) } as never),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', context: { field } }));
  });

  it('stores under key prefixes of 1 and 64 characters', async () => {
    for (const keyPrefix of ['p', 'q'.repeat(64)]) {
      const { store, verifier } = setup({ keyPrefix });
      await verifier.verify({ account: 'a', token: WRONG });
      expect(await store.get(stateKey('a', keyPrefix))).toBeDefined();
    }
  });

  it('accepts account ids of 1 to 256 characters and names the field otherwise', async () => {
    const { verifier } = setup();
    expect(await verifier.verify({ account: 'x'.repeat(256), token: GOOD })).toMatchObject({ ok: true });
    await expect(verifier.verify({ account: 'x'.repeat(257), token: GOOD })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      context: { field: 'account' },
    });
  });

  it.each([
    ['NaN', Number.NaN],
    ['a string', '5'],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects a clock returning %s', async (_name, value) => {
    const { verifier } = setup({ now: () => value as number });
    await expect(verifier.verify({ account: 'a', token: GOOD })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      context: { field: 'now' },
    });
  });
});

describe('stored account records', () => {
  type Edit = (r: Record<string, unknown>) => unknown;
  const edits: [string, Edit][] = [
    ['null', () => null],
    ['a number', () => 5],
    ['another version', (r) => ({ ...r, v: 2 })],
    ['a negative last step', (r) => ({ ...r, last: -1 })],
    ['a fractional last step', (r) => ({ ...r, last: 1.5 })],
    ['a string last step', (r) => ({ ...r, last: '3' })],
    ['a fractional failure count', (r) => ({ ...r, failures: 0.5 })],
    ['a string lock time', (r) => ({ ...r, lockedUntil: '0' })],
    ['an infinite lock time', (r) => ({ ...r, lockedUntil: '__inf__' })],
  ];

  it('accepts last step 0 as written', async () => {
    const { store, verifier } = setup();
    await verifier.verify({ account: 'a', token: WRONG });
    const key = stateKey('a');
    const entry = (await store.get(key))!;
    const record = JSON.parse(entry.value) as Record<string, unknown>;
    await store.compareAndSet(key, entry.version, JSON.stringify({ ...record, last: 0 }), 60_000);
    expect(await verifier.verify({ account: 'a', token: GOOD })).toMatchObject({ ok: true });
  });

  it.each(edits)('reports a record with %s as STORE_CORRUPT', async (_, edit) => {
    const { store, verifier } = setup();
    await verifier.verify({ account: 'a', token: WRONG });
    const key = stateKey('a');
    const entry = (await store.get(key))!;
    // JSON cannot hold Infinity; 1e999 parses to it.
    const value = JSON.stringify(edit(JSON.parse(entry.value) as Record<string, unknown>)).replace(
      '"__inf__"',
      '1e999',
    );
    expect(await store.compareAndSet(key, entry.version, value, 60_000)).toBe(true);
    await expect(verifier.verify({ account: 'a', token: GOOD })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      context: { field: 'account' },
    });
  });
});
