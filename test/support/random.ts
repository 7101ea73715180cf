/**
 * @module
 * A deterministic `random(n)` byte source for tests (xorshift32): the same seed gives the same
 * bytes, so protocol runs that draw keys and nonces can be replayed. Never for real keys.
 */

/** A deterministic `random(n)` (xorshift32); seed 0 is treated as 1. */
export function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    });
}
