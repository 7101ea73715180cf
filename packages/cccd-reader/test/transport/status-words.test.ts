import { describe, expect, it } from 'vitest';
import { statusWordName } from '../../src/transport/index.ts';

describe('statusWordName', () => {
  it.each([
    [0x9000, '9000 success'],
    [0x6982, '6982 security status not satisfied'],
    [0x6a82, '6A82 file or application not found'],
    [0x6987, '6987 expected secure messaging data objects missing'],
    [0x6988, '6988 incorrect secure messaging data objects'],
    [0x6300, '6300 authentication failed'],
    [0x6d00, '6D00 instruction not supported'],
    [0x6110, '6110 16 more bytes available'],
    [0x6c20, '6C20 wrong Le (exact length 32)'],
    [0x63c2, '63C2 verification failed (2 tries left)'],
    [0x1234, '1234 unknown status'],
  ])('%s', (sw, name) => {
    expect(statusWordName(sw)).toBe(name);
  });

  it('always starts with the four hex digits', () => {
    for (let sw = 0; sw <= 0xffff; sw += 0x0101) {
      expect(statusWordName(sw).slice(0, 4)).toBe(sw.toString(16).toUpperCase().padStart(4, '0'));
    }
  });
});
