/**
 * @module
 * Uniform decimal one-time codes from a CSPRNG (never `Math.random`): each digit comes from one
 * random byte by rejection sampling (bytes 250–255 are discarded, so 0–249 map evenly onto 0–9),
 * which keeps every code equally likely (no modulo bias).
 */
import { OtpError } from '../errors.ts';
import type { RandomSource } from '../otp-secret.ts';
import { randomBytes } from '../otp-secret.ts';

/** After this many batches without enough usable bytes the random source is declared broken. */
const MAX_BATCHES = 64;

/**
 * A code of `length` decimal digits, each uniformly distributed and independent.
 * @throws {OtpError} `RANDOM_FAILED` when `random` returns the wrong length or almost only bytes ≥ 250.
 */
export function generateNumericCode(length: number, random: RandomSource): string {
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
