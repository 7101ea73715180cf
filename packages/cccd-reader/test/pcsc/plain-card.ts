/**
 * A minimal card for transport tests: SELECT by file ID (00 A4 02 0C 02 FID) and plain READ
 * BINARY (00 B0 offset Le, short or extended Le) of transparent files; 6D00 for anything else.
 */

import type { ApduTransport } from '../../src/transport/index.ts';
import { buildResponseApdu, parseCommandApdu } from '../../src/transport/index.ts';

export interface PlainCard extends ApduTransport {
  /** Drops the selected file, as a reset does. */
  reset(): void;
}

export function createPlainCard(files: ReadonlyMap<number, Uint8Array>): PlainCard {
  let selected: Uint8Array | undefined;
  return {
    reset() {
      selected = undefined;
    },
    async transceive(command) {
      const apdu = parseCommandApdu(command);
      if (apdu.cla !== 0x00) return buildResponseApdu(new Uint8Array(0), 0x6e00);
      if (apdu.ins === 0xa4 && apdu.p1 === 0x02 && apdu.data?.length === 2) {
        const file = files.get((apdu.data[0]! << 8) | apdu.data[1]!);
        if (file === undefined) return buildResponseApdu(new Uint8Array(0), 0x6a82);
        selected = file;
        return buildResponseApdu(new Uint8Array(0), 0x9000);
      }
      if (apdu.ins === 0xb0) {
        if (selected === undefined) return buildResponseApdu(new Uint8Array(0), 0x6986);
        if (apdu.p1 & 0x80) return buildResponseApdu(new Uint8Array(0), 0x6a86);
        const offset = (apdu.p1 << 8) | apdu.p2;
        if (offset > selected.length) return buildResponseApdu(new Uint8Array(0), 0x6b00);
        const le = apdu.le ?? 256;
        const data = selected.subarray(offset, offset + le);
        return buildResponseApdu(data, data.length < le ? 0x6282 : 0x9000);
      }
      return buildResponseApdu(new Uint8Array(0), 0x6d00);
    },
  };
}
