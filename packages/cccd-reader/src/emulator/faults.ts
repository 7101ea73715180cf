/**
 * @module
 * Fault injection for the software chip. Faults live in a plain object the test may change
 * between commands (`card.faults.wrongMac = true`); one-shot faults remove themselves when they
 * fire, so a test can see that they did.
 */
import { type LdsFileName, ldsFile } from '../lds/file-ids.ts';

/** Faults the software chip can inject. */
export interface CardFaults {
  /**
   * Corrupt the MAC (DO'8E) of one secure-messaging response: `true` = the next one, a number =
   * the response whose `stats.smResponses` count reaches it (1-based). One-shot.
   */
  wrongMac?: boolean | number;
  /**
   * Cut one response short: `true` = the next response, a number = the response to APDU number
   * `at` (`stats.apdus`, 1-based), or `{ at?, keep }` to keep exactly `keep` bytes (default:
   * half the response). One-shot.
   */
  truncatedResponse?: boolean | number | { at?: number; keep?: number };
  /**
   * Answer `sw` instead of processing one command: the command number `at` (1-based, as counted
   * by `stats.apdus`), or the next command (with instruction `ins` when given). Under secure
   * messaging the status word is protected like any other answer. One-shot.
   */
  wrongSw?: { sw: number; at?: number; ins?: number };
  /**
   * The field drops while reading `file` at `offset`: the READ BINARY whose range covers
   * `offset` rejects with `ReaderError('TRANSPORT_FAILED')` and the chip forgets its session
   * (selection, secure messaging), as a real chip does. One-shot.
   */
  lostConnectionAt?: { file: number | LdsFileName; offset: number };
  /**
   * Serve data group `dg` with one byte changed (after EF.SOD was signed), so passive
   * authentication must fail on it. By default the last upper-case ASCII letter of the file is
   * replaced by the next letter (keeping the file parsable), else the last byte is flipped.
   */
  tamperedDg?: number | { dg: number; offset?: number };
  /** Answer Active and Chip Authentication with other private keys than the ones in DG14/DG15. */
  clonedChip?: boolean;
}

/** The file ID a `lostConnectionAt.file` names (a FID, a data-group number 1–16, or a name). */
export function faultFileId(file: number | LdsFileName): number | undefined {
  if (typeof file === 'string') {
    try {
      return ldsFile(file).fid;
    } catch {
      return undefined;
    }
  }
  return file >= 1 && file <= 16 ? 0x0100 + file : file;
}

/** A copy of `bytes` with one byte changed as {@link CardFaults.tamperedDg} describes. */
export function tamperBytes(bytes: Uint8Array, offset?: number): Uint8Array {
  const out = bytes.slice();
  if (out.length === 0) return out;
  if (offset !== undefined) {
    const i = Math.min(Math.max(0, offset), out.length - 1);
    out[i] = (out[i] as number) ^ 0x01;
    return out;
  }
  for (let i = out.length - 1; i >= 0; i--) {
    const b = out[i] as number;
    if (b >= 0x41 && b <= 0x5a) {
      out[i] = b === 0x5a ? 0x41 : b + 1;
      return out;
    }
  }
  out[out.length - 1] = (out[out.length - 1] as number) ^ 0x01;
  return out;
}
