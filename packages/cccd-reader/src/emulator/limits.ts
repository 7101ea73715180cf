/**
 * @module
 * Response sizes the software chip checks (ISO/IEC 7816-4 §5.1, ICAO Doc 9303 Part 11 §9.8):
 * a short response APDU carries at most 256 data bytes, so under secure messaging a short READ
 * BINARY can return at most what still fits once padded, encrypted and wrapped in DO'87 (or
 * DO'85 for odd INS), DO'99 and DO'8E: 223 plain bytes with AES, 231 with 3DES.
 */

const lengthOfLength = (n: number): number => (n < 0x80 ? 1 : n < 0x100 ? 2 : 3);

/** Length of the protected response data for `plain` bytes (DO'87/85, DO'99, DO'8E). */
export function protectedLength(plain: number, blockLength: number, oddIns: boolean): number {
  if (plain === 0) return 4 + 10;
  const body = (Math.floor(plain / blockLength) + 1) * blockLength + (oddIns ? 0 : 1);
  return 1 + lengthOfLength(body) + body + 4 + 10;
}

/** Length of `53 L data` (the odd-INS READ BINARY answer) for `n` data bytes. */
export function oddInsLength(n: number): number {
  return 1 + lengthOfLength(n) + n;
}

/**
 * The largest number of file bytes a READ BINARY can return when its (protected) answer must fit
 * `capacity` bytes: 256 for a short APDU, 65536 for an extended one.
 */
export function largestProtectedRead(capacity: number, blockLength: number, oddIns: boolean): number {
  const total = (k: number): number => protectedLength(oddIns ? oddInsLength(k) : k, blockLength, oddIns);
  let n = capacity;
  while (n > 0 && total(n) > capacity) n--;
  return n;
}

/** Resolves after `ms` milliseconds, or rejects with `onAbort()` when a signal aborts first. */
export function delay(
  ms: number,
  signals: readonly (AbortSignal | undefined)[],
  onAbort: () => Error,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    const abort = (): void => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', abort);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      for (const s of live) s.removeEventListener('abort', abort);
      resolve();
    }, ms);
    for (const s of live) s.addEventListener('abort', abort, { once: true });
  });
}
