/**
 * @module
 * The one default random source of the protocols and the software chip: the platform CSPRNG
 * (WebCrypto `crypto.getRandomValues`, in browsers, Node ≥ 19, Deno, Bun and React Native with
 * a polyfill). Every entry point takes `random(n)` to inject another (tests, or a runtime
 * without WebCrypto); nonces, challenges and ephemeral keys (ICAO Doc 9303 Part 11 §4, §6) all
 * come from it.
 */

/** A source of `n` random bytes. */
export type RandomSource = (n: number) => Uint8Array;

/** `n` bytes from `crypto.getRandomValues` (at most 65536 per call, as WebCrypto allows). */
export const platformRandom: RandomSource = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));
