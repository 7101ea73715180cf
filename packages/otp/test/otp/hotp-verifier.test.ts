import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createHotpVerifier } from '../../src/verifier/index.ts';
import { ascii, yieldingStore } from '../support.ts';

interface HotpVector {
  count: number;
  hotp: string;
}
const file = loadVectors<HotpVector>(import.meta.url, 'rfc4226-hotp') as ReturnType<
  typeof loadVectors<HotpVector>
> & { secretAscii: string };
const secret = ascii(file.secretAscii);
const code = (count: number) => file.vectors.find((v) => v.count === count)!.hotp;

describe(`createHotpVerifier: ${file.source}`, () => {
  it('accepts the codes of counts 0–9 in order, each once', async () => {
    const verifier = createHotpVerifier({ store: createMemoryStore(), secret, lookAhead: 0 });
    for (const v of file.vectors) {
      expect(await verifier.verify({ account: 'a', token: v.hotp })).toEqual({
        ok: true,
        counter: v.count,
        delta: 0,
        nextCounter: v.count + 1,
      });
      expect(await verifier.verify({ account: 'a', token: v.hotp })).toMatchObject({
        ok: false,
        reason: 'replayed',
      });
    }
  });

  it('resynchronises within the look-ahead window (RFC 4226 §7.4) and refuses the skipped codes afterwards', async () => {
    const verifier = createHotpVerifier({
      store: createMemoryStore(),
      secret,
      lookAhead: 3,
      lockout: { maxFailures: 10 },
    });
    expect(await verifier.verify({ account: 'a', token: code(3) })).toEqual({
      ok: true,
      counter: 3,
      delta: 3,
      nextCounter: 4,
    });
    for (const skipped of [0, 1, 2, 3]) {
      expect(await verifier.verify({ account: 'a', token: code(skipped) })).toMatchObject({
        ok: false,
        reason: 'replayed',
      });
    }
    // Count 8 is 4 ahead of the expected 4: outside the window.
    expect(await verifier.verify({ account: 'a', token: code(8) })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await verifier.verify({ account: 'a', token: code(7) })).toMatchObject({
      ok: true,
      counter: 7,
      delta: 3,
    });
  });

  it('starts an unknown account at initialCounter', async () => {
    const verifier = createHotpVerifier({
      store: createMemoryStore(),
      secret,
      initialCounter: 5,
      lookAhead: 0,
    });
    expect(await verifier.verify({ account: 'a', token: code(4) })).toMatchObject({ reason: 'mismatch' });
    expect(await verifier.verify({ account: 'a', token: code(5) })).toMatchObject({ ok: true, counter: 5 });
  });

  it('locks after repeated wrong codes (RFC 4226 §7.3) with an injected clock', async () => {
    let t = 1_000_000;
    const verifier = createHotpVerifier({
      store: createMemoryStore({ now: () => t }),
      secret,
      lookAhead: 0,
      lockout: { maxFailures: 2, durationSeconds: 60 },
      now: () => t,
    });
    expect(await verifier.verify({ account: 'a', token: code(9) })).toMatchObject({ failuresRemaining: 1 });
    expect(await verifier.verify({ account: 'a', token: code(9) })).toMatchObject({
      failuresRemaining: 0,
      retryAfterSeconds: 60,
    });
    expect(await verifier.verify({ account: 'a', token: code(0) })).toMatchObject({ reason: 'locked' });
    t += 60_000;
    expect(await verifier.verify({ account: 'a', token: code(0) })).toMatchObject({ ok: true, counter: 0 });
  });

  it('lets exactly one of many concurrent verifications of one code win', async () => {
    const store = yieldingStore(createMemoryStore(), 3);
    const verifier = createHotpVerifier({ store, secret });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => verifier.verify({ account: 'a', token: code(2) })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(store.casFailures).toBeGreaterThan(0);
  });
});
