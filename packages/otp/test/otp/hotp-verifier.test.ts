import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { generateHotp } from '../../src/index.ts';
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

describe(`createHotpVerifier resync (RFC 4226 §7.4): ${file.source}`, () => {
  it('moves a far-ahead token back in step with two consecutive codes, and refuses the codes it passed', async () => {
    const verifier = createHotpVerifier({
      store: createMemoryStore(),
      secret,
      lookAhead: 1,
      resyncWindow: 20,
    });
    // Count 6 is 6 ahead of the expected 0: outside the look-ahead of 1.
    expect(await verifier.verify({ account: 'a', token: code(6) })).toMatchObject({ reason: 'mismatch' });
    expect(await verifier.resync({ account: 'a', tokens: [code(5), code(6)] })).toEqual({
      ok: true,
      counter: 6,
      delta: 6,
      nextCounter: 7,
    });
    expect(await verifier.verify({ account: 'a', token: code(6) })).toMatchObject({ reason: 'replayed' });
    expect(await verifier.verify({ account: 'a', token: code(7) })).toMatchObject({ ok: true, counter: 7 });
  });

  it('needs the two codes consecutive, in order, and within resyncWindow; a failure counts', async () => {
    const verifier = createHotpVerifier({
      store: createMemoryStore(),
      secret,
      resyncWindow: 5,
      lockout: { maxFailures: 3 },
    });
    expect(await verifier.resync({ account: 'a', tokens: [code(5), code(7)] })).toMatchObject({
      reason: 'mismatch',
      failuresRemaining: 2,
    });
    expect(await verifier.resync({ account: 'a', tokens: [code(6), code(5)] })).toMatchObject({
      reason: 'mismatch',
      failuresRemaining: 1,
    });
    // Counts 6 and 7 need a window of 6 from counter 0.
    expect(await verifier.resync({ account: 'b', tokens: [code(6), code(7)] })).toMatchObject({
      reason: 'mismatch',
    });
    expect(await verifier.resync({ account: 'b', tokens: [code(5), code(6)] })).toMatchObject({
      ok: true,
      counter: 6,
    });
    for (const tokens of [[code(1)], [code(1), '12345'], 'x', null]) {
      expect(await verifier.resync({ account: 'c', tokens } as never)).toMatchObject({ reason: 'malformed' });
    }
  });

  it('works with an 80-bit secret when allowShortSecret is set, replays included', async () => {
    const short = secret.slice(0, 10);
    const verifier = createHotpVerifier({
      store: createMemoryStore(),
      secret: short,
      allowShortSecret: true,
    });
    const token = generateHotp({ secret: short, allowShortSecret: true, counter: 0 });
    expect(await verifier.verify({ account: 'a', token })).toMatchObject({ ok: true });
    expect(await verifier.verify({ account: 'a', token })).toMatchObject({ reason: 'replayed' });
  });
});
