/**
 * A small in-test card for the reading layer: plain APDUs over a map of file IDs → bytes, with
 * configurable length limits and the status-word behaviours real chips show. Not the emulator:
 * no secure messaging, no access control beyond "this file answers 6982".
 */
import { encodeTlv } from '@vneid/core/tlv';
import { smResponseLength } from '../../src/reading/chunk-size.ts';
import {
  type ApduTransport,
  buildResponseApdu,
  type CommandApdu,
  parseCommandApdu,
} from '../../src/transport/index.ts';

export interface FakeCardOptions {
  files: Map<number, Uint8Array>;
  /** Files whose SELECT answers 6982. */
  selectProtected?: number[];
  /** Files whose READ BINARY answers 6982. */
  readProtected?: number[];
  /** Largest Ne accepted in a short APDU (above: 6700). Default 256. */
  maxShortLe?: number;
  /** Extended length: false (default) → extended APDUs answer `extendedRefusal`; a number → max Ne. */
  extended?: false | number;
  /** Status word for an extended APDU when unsupported (default 6700). */
  extendedRefusal?: number;
  /** Answer to a read past the end: '6282' (data + 6282), '6C' (6Cxx with the exact length), '9000'. */
  pastEnd?: '6282' | '6C' | '9000';
  /** Answer 6Cxx (xx = this) when Ne exceeds it in a short APDU, instead of 6700. */
  exactLeLimit?: number;
  /** Returns at most this many bytes per READ BINARY, with 9000. */
  capResponse?: number;
  /** Odd-INS READ BINARY supported (default true; else 6D00). */
  oddIns?: boolean;
  /** Pretend secure messaging wraps the response: Ne is checked against the wrapped size. */
  wrap?: 'aes' | '3des';
  /**
   * READ BINARY with a short EF identifier (P1 = 80|SFI; the SFI of file 01xx is xx):
   * `'supported'` (default) selects the file and reads at offset P2; a number is the status word
   * refusing it; `'ignored'` takes P1-P2 as an offset into the current file (a chip that
   * ignores the SFI bit).
   */
  sfi?: 'supported' | 'ignored' | number;
  /** Throw (connection lost) on the first READ BINARY at or past this offset of this file. */
  loseConnectionAt?: { fileId: number; offset: number };
}

export interface FakeCard extends ApduTransport {
  readonly log: CommandApdu[];
  readonly raw: Uint8Array[];
  /** Response bytes sent (data + SW), summed. */
  responseBytes: number;
}

const sw = (v: number): Uint8Array => buildResponseApdu(new Uint8Array(0), v);

export function createFakeCard(options: FakeCardOptions): FakeCard {
  const log: CommandApdu[] = [];
  const raw: Uint8Array[] = [];
  let current: number | undefined;
  let lost = false;
  const card: FakeCard = {
    log,
    raw,
    responseBytes: 0,
    async transceive(command, opts) {
      opts?.signal?.throwIfAborted();
      raw.push(command);
      const c = parseCommandApdu(command);
      log.push(c);
      const out = answer(c);
      card.responseBytes += out.length;
      return out;
    },
  };

  function answer(c: CommandApdu): Uint8Array {
    if (c.cla !== 0x00) return sw(0x6e00);
    if (c.ins === 0xa4) {
      if (c.p1 !== 0x02 || c.p2 !== 0x0c || c.data?.length !== 2) return sw(0x6a86);
      const fid = ((c.data[0] as number) << 8) | (c.data[1] as number);
      if (!options.files.has(fid)) return sw(0x6a82);
      if (options.selectProtected?.includes(fid)) return sw(0x6982);
      current = fid;
      return sw(0x9000);
    }
    if (c.ins !== 0xb0 && c.ins !== 0xb1) return sw(0x6d00);
    const sfiMode = options.sfi ?? 'supported';
    const bySfi = c.ins === 0xb0 && (c.p1 & 0x80) !== 0 && sfiMode !== 'ignored';
    if (bySfi) {
      if (typeof sfiMode === 'number') return sw(sfiMode);
      const fid = 0x0100 | (c.p1 & 0x1f);
      if (!options.files.has(fid)) return sw(0x6a82);
      if (options.selectProtected?.includes(fid)) return sw(0x6982);
      current = fid;
    }
    if (current === undefined) return sw(0x6986);
    if (options.readProtected?.includes(current)) return sw(0x6982);
    const file = options.files.get(current) as Uint8Array;
    const odd = c.ins === 0xb1;
    if (odd && options.oddIns === false) return sw(0x6d00);
    let offset: number;
    if (odd) {
      const d = c.data ?? new Uint8Array(0);
      if (c.p1 !== 0 || c.p2 !== 0 || d[0] !== 0x54 || d.length !== 2 + (d[1] as number)) return sw(0x6a80);
      offset = 0;
      for (const b of d.subarray(2)) offset = offset * 256 + b;
    } else {
      offset = bySfi ? c.p2 : ((c.p1 & 0x7f) << 8) | c.p2;
    }
    const le = c.le ?? 0;
    if (le === 0) return sw(0x6700);
    const lose = options.loseConnectionAt;
    if (!lost && lose !== undefined && lose.fileId === current && offset >= lose.offset) {
      lost = true;
      throw new Error('Tag was lost');
    }
    // Length limits, on the response size as it would travel (wrapped by SM when asked).
    const wrapped = options.wrap === undefined ? le : smResponseLength(le, options.wrap === 'aes' ? 16 : 8);
    if (c.extended) {
      if (options.extended === undefined || options.extended === false)
        return sw(options.extendedRefusal ?? 0x6700);
      if (wrapped > options.extended) return sw(0x6700);
    } else {
      const max = options.maxShortLe ?? 256;
      if (options.exactLeLimit !== undefined && le > options.exactLeLimit)
        return sw(0x6c00 | options.exactLeLimit);
      if (wrapped > max) return sw(0x6700);
    }
    if (offset > file.length) return sw(0x6b00);
    // Content capacity of Ne: all of it, or for odd INS what fits after the 53 L header.
    let capacity = le;
    if (odd)
      while (capacity > 0 && 1 + (capacity < 0x80 ? 1 : capacity < 0x100 ? 2 : 3) + capacity > le) capacity--;
    const remain = file.length - offset;
    let n = Math.min(capacity, remain);
    if (options.capResponse !== undefined) n = Math.min(n, options.capResponse);
    const data = file.subarray(offset, offset + n);
    const body = odd ? encodeTlv(0x53, data) : data;
    if (capacity > remain && n === remain) {
      const mode = options.pastEnd ?? '6282';
      if (mode === '6C' && !odd) return sw(0x6c00 | (remain & 0xff));
      return buildResponseApdu(body, mode === '9000' ? 0x9000 : 0x6282);
    }
    return buildResponseApdu(body, 0x9000);
  }
  return card;
}

/** A file with a proper TLV header: tag, BER length, `size` content bytes (deterministic). */
export function tlvFile(tag: number, size: number, seed = 1): Uint8Array {
  const content = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    content[i] = x >>> 24;
  }
  return encodeTlv(tag, content);
}
