/**
 * @module
 * Uniform decimal one-time codes from a CSPRNG (never `Math.random`): each digit comes from one
 * random byte by rejection sampling (bytes 250–255 are discarded, so 0–249 map evenly onto 0–9),
 * which keeps every code equally likely (no modulo bias).
 */
import { OtpError } from '../errors.ts';
import { checkInteger } from '../option-checks.ts';
import type { RandomSource } from '../otp-secret.ts';
import { randomBytes } from '../otp-secret.ts';

/** Longest code drawn (far beyond any one-time code; keeps one draw within getRandomValues' limit). */
const MAX_LENGTH = 4096;

/** After this many batches without enough usable bytes the random source is declared broken. */
const MAX_BATCHES = 64;

/**
 * A code of `length` decimal digits, each uniformly distributed and independent.
 * @throws {OtpError} `RANDOM_FAILED` when `random` returns the wrong length or almost only bytes ≥ 250;
 *   `INVALID_ARGUMENT` when `length` is not an integer in 1–4096 or `random` is not a function.
 */
export function generateNumericCode(length: number, random: RandomSource): string {
  checkInteger('length', length, 1, MAX_LENGTH);
  let code = '';
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const bytes = randomBytes(random, length - code.length + 4);
    for (const b of bytes) {
      if (b >= 250) continue;
      code += String(b % 10);
      if (code.length === length) return code;
    }
  }
  throw new OtpError('RANDOM_FAILED', 'random: too many bytes rejected; the source looks broken', {
    context: { length },
  });
}
