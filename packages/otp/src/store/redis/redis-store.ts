/**
 * @module
 * {@link OtpStore} on Redis: each entry is a hash `{ val, ver, exp }` under `<prefix>k:<key>`,
 * versions come from one counter (`INCR <prefix>version`, so a version is never handed out twice,
 * not even after a delete or expiry), and compare-and-set is one Lua script, which Redis runs
 * atomically (EVAL: no other command runs between its read and its write). Expiry compares
 * `exp` with the injected clock, so an entry is absent from exactly `expiresAt`; Redis itself
 * drops the key a minute later (`PEXPIRE`, the slack absorbs clock skew between the application
 * and Redis). Works with a node-redis client (`createClient()` from `redis` ≥ 5), or anything
 * with its `eval(script, { keys, arguments })`. All keys share the counter, so in a Redis
 * Cluster give the prefix a hash tag (`{otp}:`) to keep them in one slot.
 */
import { OtpError } from '../../errors.ts';
import { checkOptionalFunction, checkOptions } from '../../option-checks.ts';
import type { OtpStore, OtpStoreEntry } from '../otp-store.ts';
import { checkServerWrite, checkStoreKey, wholeMillisecondClock } from '../record.ts';

/** The part of a node-redis client the store uses. */
export interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Options of {@link createRedisOtpStore}. */
export interface RedisOtpStoreOptions {
  /** A connected node-redis client (`await createClient({ url }).connect()`). */
  client: RedisEvalClient;
  /** Prefix of every key the store writes (1–64 characters); default `vneid-otp:`. */
  keyPrefix?: string;
  /** Current time in milliseconds; default `Date.now`. Use the same clock as the challenge layer. */
  now?: () => number;
}

/** How long after its logical expiry Redis drops a key. */
const SLACK_MS = 60_000;

// KEYS[1] entry; ARGV[1] now. Returns { val, ver, exp } of a live entry, or false.
const GET = `
local e = redis.call('HMGET', KEYS[1], 'val', 'ver', 'exp')
if not e[1] or tonumber(e[3]) <= tonumber(ARGV[1]) then return false end
return e`;

// KEYS[1] entry, KEYS[2] version counter; ARGV[1] expected version ('' = only if absent),
// ARGV[2] value, ARGV[3] expiresAt, ARGV[4] now, ARGV[5] physical TTL (ms). Returns 1 or 0.
const CAS = `
local e = redis.call('HMGET', KEYS[1], 'ver', 'exp')
local live = e[1] and tonumber(e[2]) > tonumber(ARGV[4])
if ARGV[1] == '' then
  if live then return 0 end
elseif not live or e[1] ~= ARGV[1] then
  return 0
end
local ver = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'val', ARGV[2], 'ver', tostring(ver), 'exp', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

const DELETE = `return redis.call('DEL', KEYS[1])`;

function failed(cause: unknown): OtpError {
  return new OtpError('STORE_FAILED', 'store: the Redis command failed', {
    cause,
    context: { field: 'client' },
  });
}

function integer(text: unknown): number {
  const n = typeof text === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new OtpError('STORE_FAILED', 'store: a version or expiry is not a safe integer', {
      context: { field: 'client' },
    });
  }
  return n;
}

/**
 * A Redis-backed {@link OtpStore}.
 * @throws {OtpError} `INVALID_ARGUMENT`; its methods reject with `INVALID_ARGUMENT` for bad keys,
 *   values or TTLs and `STORE_FAILED` when a command fails.
 */
export function createRedisOtpStore(options: RedisOtpStoreOptions): OtpStore {
  checkOptions(options);
  const { client } = options;
  if (
    client === null ||
    typeof client !== 'object' ||
    typeof (client as RedisEvalClient).eval !== 'function'
  ) {
    throw new OtpError('INVALID_ARGUMENT', 'client: expected a node-redis client', {
      context: { field: 'client' },
    });
  }
  checkOptionalFunction('now', options.now);
  const prefix = options.keyPrefix ?? 'vneid-otp:';
  if (typeof prefix !== 'string' || prefix.length < 1 || prefix.length > 64) {
    throw new OtpError('INVALID_ARGUMENT', 'keyPrefix: expected 1-64 characters', {
      context: { field: 'keyPrefix' },
    });
  }
  const clock = wholeMillisecondClock(options.now ?? Date.now);
  const entryKey = (key: unknown): string => {
    checkStoreKey(key);
    return `${prefix}k:${key}`;
  };
  const versionKey = `${prefix}version`;
  const run = async (script: string, keys: string[], args: string[]): Promise<unknown> => {
    try {
      return await client.eval(script, { keys, arguments: args });
    } catch (cause) {
      throw failed(cause);
    }
  };

  return {
    async get(key): Promise<OtpStoreEntry | undefined> {
      const k = entryKey(key);
      const reply = await run(GET, [k], [String(clock())]);
      if (reply === null || reply === undefined || reply === false) return undefined;
      if (!Array.isArray(reply) || reply.length !== 3 || typeof reply[0] !== 'string') {
        throw new OtpError('STORE_FAILED', 'store: unexpected reply from Redis', {
          context: { field: 'client' },
        });
      }
      return { value: reply[0], version: integer(reply[1]), expiresAt: integer(reply[2]) };
    },
    async compareAndSet(key, expectedVersion, value, ttlMs) {
      const ttl = checkServerWrite(key, expectedVersion, value, ttlMs, false);
      const t = clock();
      const reply = await run(
        CAS,
        [entryKey(key), versionKey],
        [
          expectedVersion === null ? '' : String(expectedVersion),
          value,
          String(t + ttl),
          String(t),
          String(ttl + SLACK_MS),
        ],
      );
      return reply === 1;
    },
    async delete(key) {
      await run(DELETE, [entryKey(key)], []);
    },
  };
}
