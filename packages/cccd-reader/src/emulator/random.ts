/**
 * @module
 * Deterministic pseudo-random numbers for synthetic people (not for keys or protocol nonces:
 * those use the injectable `random(n)` byte source, by default the platform CSPRNG).
 */

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
export interface SeededRandom {
  /** The next number in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** `count` decimal digits as a string. */
  digits(count: number): string;
}

/** A {@link SeededRandom} from a 32-bit seed; the same seed always gives the same sequence. */
export function seededRandom(seed: number): SeededRandom {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T,
    digits: (count) => Array.from({ length: count }, () => String(int(0, 9))).join(''),
  };
}

/** The platform CSPRNG as a `random(n)` byte source (the protocols' one default). */
export { platformRandom } from '../protocols/random.ts';
