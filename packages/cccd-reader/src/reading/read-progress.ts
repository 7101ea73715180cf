/**
 * @module
 * The bytes of one file read so far. A caller creates one per file, hands it to `readFile`,
 * and after a lost connection (`ReaderError('TRANSPORT_FAILED')`) re-establishes the session
 * and passes the same object again: reading continues at {@link ReadProgress.offset} instead
 * of restarting. It holds chip data: keep it in memory only.
 */
import { ReaderError } from '../errors.ts';

/** Accumulator of one file's bytes across reads and reconnections. */
export class ReadProgress {
  /** The file identifier these bytes belong to. */
  readonly fileId: number;
  #bytes: Uint8Array = new Uint8Array(0);
  #length = 0;
  #total: number | undefined;

  constructor(fileId: number) {
    this.fileId = fileId;
  }

  /** Bytes read so far = the offset of the next read. */
  get offset(): number {
    return this.#length;
  }

  /** The file's length from its TLV header, once known. */
  get totalBytes(): number | undefined {
    return this.#total;
  }

  /** True when the whole file has been read. */
  get complete(): boolean {
    return this.#total !== undefined && this.#length >= this.#total;
  }

  /** A copy of the bytes read so far. */
  get bytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  /** Sets the file's length (once; it never changes). */
  setTotal(total: number): void {
    if (this.#total !== undefined && this.#total !== total) {
      throw new ReaderError('READ_FAILED', 'the file length changed between reads', {
        context: { fileId: this.fileId, length: total },
      });
    }
    if (total < this.#length) {
      throw new ReaderError('READ_FAILED', 'the file is shorter than the bytes already read', {
        context: { fileId: this.fileId, length: total },
      });
    }
    this.#total = total;
    if (this.#bytes.length < total) this.#grow(total);
  }

  /** Appends bytes read at {@link offset} (beyond the total length they are dropped). */
  append(data: Uint8Array): void {
    const room = this.#total === undefined ? data.length : Math.max(0, this.#total - this.#length);
    const take = Math.min(room, data.length);
    if (this.#length + take > this.#bytes.length)
      this.#grow(Math.max(this.#length + take, this.#bytes.length * 2));
    this.#bytes.set(data.subarray(0, take), this.#length);
    this.#length += take;
  }

  #grow(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = next;
  }
}
