/**
 * @module
 * The {@link OtpStore} contract as executable checks, for any store implementation and any
 * test runner: creation only when absent, compare-and-set only from the current version, expiry
 * at exactly `expiresAt` (then the entry is absent), versions never handed out twice for a key
 * (not after a delete, not after expiry: no ABA), copies rather than shared objects, values kept
 * byte for byte, and exactly one winner among concurrent compare-and-sets. Each case uses keys
 * of its own, so the cases can share one store (a database) and run in any order.
 */
import { OtpError } from '../errors.ts';
import type { OtpStore } from '../store/otp-store.ts';

/** Builds a store whose expiry uses `now` (milliseconds); it may already hold other keys. */
export type OtpStoreFactory = (now: () => number) => OtpStore | Promise<OtpStore>;

/** One check of the contract. */
export interface OtpStoreContractCase {
  /** What it checks, as a test name. */
  name: string;
  /** Runs the check on a store from the factory; rejects with `STORE_CONTRACT` when it fails. */
  run(): Promise<void>;
}

/** The `describe` and `it` of a test runner (vitest, jest, mocha, `node:test`). */
export interface TestRunnerApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
}

function fail(message: string): never {
  throw new OtpError('STORE_CONTRACT', `OtpStore contract: ${message}`);
}

function check(ok: boolean, message: string): void {
  if (!ok) fail(message);
}

let run = 0;

/**
 * The contract's checks over stores from `factory`, to run with any test runner
 * (`for (const c of otpStoreContractCases(f)) test(c.name, c.run)`).
 * @throws {OtpError} `INVALID_ARGUMENT` unless `factory` is a function
 */
export function otpStoreContractCases(factory: OtpStoreFactory): OtpStoreContractCase[] {
  if (typeof factory !== 'function') {
    throw new OtpError('INVALID_ARGUMENT', 'factory: expected a function (now) => OtpStore', {
      context: { field: 'factory' },
    });
  }
  const start = 1_800_000_000_000;
  run += 1;
  const tag = `${run}.${globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
  const setup = async (name: string) => {
    let t = start;
    const store = await factory(() => t);
    if (store === null || typeof store !== 'object' || typeof store.compareAndSet !== 'function') {
      fail('the factory did not return an OtpStore');
    }
    const key = (k: string): string => `contract:${tag}:${name}:${k}`;
    return { store, key, advance: (ms: number) => (t += ms) };
  };
  const cases: [string, (s: Awaited<ReturnType<typeof setup>>) => Promise<void>][] = [
    [
      'creates only when absent (expected version null)',
      async ({ store, key }) => {
        check((await store.get(key('k'))) === undefined, 'get of a key never written is not undefined');
        check(await store.compareAndSet(key('k'), null, 'a', 1000), 'create of an absent key failed');
        check(!(await store.compareAndSet(key('k'), null, 'b', 1000)), 'create over a live entry succeeded');
        const entry = await store.get(key('k'));
        check(entry?.value === 'a', 'get does not return the value written');
        check(entry?.expiresAt === start + 1000, 'expiresAt is not now + ttlMs');
        check(Number.isSafeInteger(entry?.version), 'version is not a safe integer');
      },
    ],
    [
      'updates only from the current version',
      async ({ store, key }) => {
        await store.compareAndSet(key('k'), null, 'a', 1000);
        const v1 = (await store.get(key('k')))!.version;
        check(await store.compareAndSet(key('k'), v1, 'b', 2000), 'update from the current version failed');
        const e2 = (await store.get(key('k')))!;
        check(e2.version !== v1, 'an update did not change the version');
        check(e2.value === 'b' && e2.expiresAt === start + 2000, 'an update did not write value and expiry');
        check(
          !(await store.compareAndSet(key('k'), v1, 'stale', 1000)),
          'update from a stale version succeeded',
        );
        check(
          !(await store.compareAndSet(key('k'), e2.version + 1, 'x', 1000)),
          'update from a future version succeeded',
        );
        check(!(await store.compareAndSet(key('absent'), 1, 'x', 1000)), 'update of an absent key succeeded');
        check((await store.get(key('k')))!.value === 'b', 'a refused update changed the value');
      },
    ],
    [
      'expires entries at exactly expiresAt and then treats them as absent',
      async ({ store, key, advance }) => {
        await store.compareAndSet(key('k'), null, 'a', 1000);
        const v = (await store.get(key('k')))!.version;
        advance(999);
        check((await store.get(key('k')))?.value === 'a', 'entry gone before expiresAt');
        advance(1);
        check((await store.get(key('k'))) === undefined, 'entry still there at expiresAt');
        check(
          !(await store.compareAndSet(key('k'), v, 'late', 1000)),
          'update of an expired entry succeeded',
        );
        check(
          await store.compareAndSet(key('k'), null, 'fresh', 1000),
          'create over an expired entry failed',
        );
        const fresh = (await store.get(key('k')))!;
        check(fresh.version !== v, 'a version was handed out again after expiry');
        check(
          fresh.value === 'fresh' && fresh.expiresAt === start + 2000,
          'create after expiry wrote wrong data',
        );
      },
    ],
    [
      'never reuses a version after delete (no ABA)',
      async ({ store, key }) => {
        await store.compareAndSet(key('k'), null, 'a', 1000);
        const v1 = (await store.get(key('k')))!.version;
        await store.delete(key('k'));
        await store.delete(key('k'));
        await store.delete(key('never'));
        check((await store.get(key('k'))) === undefined, 'entry still there after delete');
        await store.compareAndSet(key('k'), null, 'b', 1000);
        check((await store.get(key('k')))!.version !== v1, 'a version was handed out again after delete');
        check(
          !(await store.compareAndSet(key('k'), v1, 'c', 1000)),
          'update from a version before delete succeeded',
        );
      },
    ],
    [
      'keeps keys apart and hands out copies',
      async ({ store, key }) => {
        await store.compareAndSet(key('a'), null, '1', 1000);
        await store.compareAndSet(key('b'), null, '2', 1000);
        const a = (await store.get(key('a')))!;
        a.value = 'mutated';
        check((await store.get(key('a')))!.value === '1', 'get hands out a shared object');
        check((await store.get(key('b')))!.value === '2', 'keys are not kept apart');
        await store.delete(key('a'));
        check((await store.get(key('b')))!.value === '2', 'delete removed another key');
      },
    ],
    [
      'keeps values and keys exactly (JSON, Unicode, quotes, long texts)',
      async ({ store, key }) => {
        const values = [
          JSON.stringify({ v: 1, s: 'Nguyễn Văn A', q: 'it\'s "quoted"', b: '\\', n: '\n\t' }),
          "🙂 Đặng Thị Ánh — \u2028 %s $1 ' ; DROP TABLE x; --",
          'x'.repeat(65_536),
          '',
        ];
        for (const [i, value] of values.entries()) {
          const k = key(`v${i}:Đ:${'k'.repeat(200)}`);
          check(
            await store.compareAndSet(k, null, value, 1000),
            'create with an unusual value or key failed',
          );
          check((await store.get(k))?.value === value, 'a value did not come back exactly');
        }
      },
    ],
    [
      'lets exactly one of many concurrent compare-and-sets win',
      async ({ store, key }) => {
        await store.compareAndSet(key('k'), null, '0', 1000);
        const v = (await store.get(key('k')))!.version;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.compareAndSet(key('k'), v, String(i + 1), 1000)),
        );
        check(results.filter(Boolean).length === 1, 'not exactly one concurrent update won');
        const winner = results.indexOf(true) + 1;
        check((await store.get(key('k')))!.value === String(winner), "the stored value is not the winner's");
        const creates = await Promise.all(
          Array.from({ length: 50 }, () => store.compareAndSet(key('new'), null, 'x', 1000)),
        );
        check(creates.filter(Boolean).length === 1, 'not exactly one concurrent create won');
      },
    ],
  ];
  return cases.map(([name, body]) => ({
    name,
    run: async () => body(await setup(name.replace(/[^a-z]+/g, '-'))),
  }));
}

/**
 * Declares the contract as a suite `OtpStore contract: <name>` with the runner's `describe`
 * and `it` (pass vitest's or jest's; default: the globals `describe` and `it`).
 * @throws {OtpError} `INVALID_ARGUMENT` for a bad name, factory or runner
 */
export function describeOtpStoreContract(
  name: string,
  factory: OtpStoreFactory,
  runner?: TestRunnerApi,
): void {
  if (typeof name !== 'string') {
    throw new OtpError('INVALID_ARGUMENT', 'name: expected a string', { context: { field: 'name' } });
  }
  const api = (runner ?? globalThis) as Partial<TestRunnerApi>;
  if (
    api === null ||
    typeof api !== 'object' ||
    typeof api.describe !== 'function' ||
    typeof api.it !== 'function'
  ) {
    throw new OtpError(
      'INVALID_ARGUMENT',
      'runner: expected { describe, it } (no global test functions found)',
      {
        context: { field: 'runner' },
      },
    );
  }
  const cases = otpStoreContractCases(factory);
  api.describe(`OtpStore contract: ${name}`, () => {
    for (const c of cases) api.it!(c.name, c.run);
  });
}
