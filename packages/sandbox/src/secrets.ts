/**
 * @module
 * Secrets at rest and identifiers. Passwords: argon2id (OWASP's m=19 MiB, t=2, p=1). One-time
 * codes, passcodes, security answers and tokens: HMAC-SHA-256 under the service's key (cheap to
 * check, useless without the key). Identifiers and tokens: ≥ 128 random bits, base64url.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

export interface Secrets {
  /** HMAC-SHA-256 of `value` under the service key, in a domain (`otp`, `passcode`, `token`, …), base64url. */
  mac(domain: string, value: string): string;
  /** Constant-time comparison of a stored MAC with the MAC of `value`. */
  macEquals(domain: string, value: string, stored: string): boolean;
  hashPassword(password: string): Promise<string>;
  verifyPassword(stored: string, password: string): Promise<boolean>;
}

/** A random identifier of `bytes` bytes (default 16 = 128 bits), base64url. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** A string of `length` random decimal digits, without modulo bias. */
export function randomDigits(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}

/**
 * Runs at most `limit` tasks at a time, the others waiting in arrival order. Password hashes run
 * on libuv's thread pool (4 threads by default, shared with file and DNS work); with more hashes
 * in flight than cores, each hash only takes longer and the pool has no thread left for anything
 * else.
 */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next !== undefined) next();
      else running--;
    }
  };
}

export interface SecretsOptions {
  /** Password hashes (argon2id) computed at once by this process; default: the cores it may use. */
  hashConcurrency?: number;
}

export function createSecrets(key: Uint8Array, options: SecretsOptions = {}): Secrets {
  const concurrency = options.hashConcurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('hashConcurrency must be a positive integer');
  const hashing = limiter(concurrency);
  const mac = (domain: string, value: string): string =>
    createHmac('sha256', key).update(domain).update('\0').update(value, 'utf8').digest('base64url');
  return {
    mac,
    macEquals(domain, value, stored) {
      const a = Buffer.from(mac(domain, value));
      const b = Buffer.from(stored);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    hashPassword: (password) =>
      hashing(() => hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 })),
    verifyPassword: (stored, password) =>
      hashing(async () => {
        try {
          return await verify(stored, password);
        } catch {
          return false;
        }
      }),
  };
}
