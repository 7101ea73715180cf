/**
 * @module
 * Readable names of the status words (ISO/IEC 7816-4 §5.6, ICAO Doc 9303 Part 10/11) a reader meets.
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x9000, 'success'],
  [0x6282, 'end of file reached before Le bytes'],
  [0x6300, 'authentication failed'],
  [0x6581, 'memory failure'],
  [0x6700, 'wrong length'],
  [0x6881, 'logical channel not supported'],
  [0x6882, 'secure messaging not supported'],
  [0x6982, 'security status not satisfied'],
  [0x6983, 'authentication method blocked'],
  [0x6984, 'reference data not usable'],
  [0x6985, 'conditions of use not satisfied'],
  [0x6986, 'command not allowed (no current EF)'],
  [0x6987, 'expected secure messaging data objects missing'],
  [0x6988, 'incorrect secure messaging data objects'],
  [0x6a80, 'incorrect parameters in the command data field'],
  [0x6a81, 'function not supported'],
  [0x6a82, 'file or application not found'],
  [0x6a86, 'incorrect parameters P1-P2'],
  [0x6a87, 'Lc inconsistent with P1-P2'],
  [0x6a88, 'referenced data not found'],
  [0x6b00, 'wrong parameters (offset outside the EF)'],
  [0x6d00, 'instruction not supported'],
  [0x6e00, 'class not supported'],
  [0x6f00, 'no precise diagnosis'],
]);

/** A readable name for a status word, e.g. `statusWordName(0x6982)` → `'6982 security status not satisfied'`. */
export function statusWordName(sw: number): string {
  const hex = (sw & 0xffff).toString(16).toUpperCase().padStart(4, '0');
  const known = NAMES.get(sw);
  if (known !== undefined) return `${hex} ${known}`;
  const sw1 = sw >> 8;
  if (sw1 === 0x61) return `${hex} ${sw & 0xff} more bytes available`;
  if (sw1 === 0x6c) return `${hex} wrong Le (exact length ${sw & 0xff})`;
  if (sw1 === 0x63 && (sw & 0xf0) === 0xc0) return `${hex} verification failed (${sw & 0x0f} tries left)`;
  return `${hex} unknown status`;
}
