/**
 * @module
 * Modular exponentiation b^e mod m on bigints (square-and-multiply, RFC 8017 §5.2 RSAVP1 and
 * §5.1 RSAEP, ISO/IEC 9796-2 recovery, DH of ICAO Doc 9303 Part 11 §4.4): the one modPow of the
 * reader, used by PACE/CA Diffie–Hellman, Active Authentication, passive authentication and
 * the test PKI. Not constant-time: callers use it on public values or in test-only code.
 */

/** b^e mod m for a non-negative exponent and a positive modulus (a negative base is reduced first). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}
