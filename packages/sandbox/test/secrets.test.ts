import { describe, expect, it } from 'vitest';
import { createSecrets, limiter } from '../src/secrets.ts';

describe('password hashing', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order, and frees a slot on failure', async () => {
    const limit = limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number, fail = false) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        if (fail) throw new Error(`task ${n}`);
        return n;
      });
    const all = [task(1, true), task(2), task(3), task(4), task(5)].map((p) =>
      p.catch((e: Error) => e.message),
    );
    for (let step = 0; step < 5; step++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(running).toBeLessThanOrEqual(2);
      gates.shift()?.();
    }
    expect(await Promise.all(all)).toEqual(['task 1', 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('verifies argon2id hashes it made and refuses others, malformed ones included', async () => {
    const secrets = createSecrets(new Uint8Array(32), { hashConcurrency: 1 });
    const stored = await secrets.hashPassword('Đúng@mật-khẩu1');
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    const answers = await Promise.all([
      secrets.verifyPassword(stored, 'Đúng@mật-khẩu1'),
      secrets.verifyPassword(stored, 'Sai@mật-khẩu1'),
      secrets.verifyPassword('not a hash', 'Đúng@mật-khẩu1'),
    ]);
    expect(answers).toEqual([true, false, false]);
    expect(() => createSecrets(new Uint8Array(32), { hashConcurrency: 0 })).toThrow(RangeError);
  });
});
