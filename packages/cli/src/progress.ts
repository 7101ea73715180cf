/**
 * @module
 * Live progress of `vneid read` on stderr, one file at a time as `readCard` reports it (one event
 * per READ BINARY): on a terminal a bar per file redrawn in place (`\r`, erase line) and left
 * complete when the file is done; elsewhere (a pipe, a log file) one plain line per file once it
 * is read; nothing with `--json` (stdout is for the JSON, stderr stays quiet). `--progress
 * bar|plain|none` or `VNEID_PROGRESS` choose explicitly. Only file names and byte counts are
 * printed, never the data.
 */

import { CliError } from './output.ts';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'plain' | 'none';

/** The part of a stream the progress writes to (`process.stderr`). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** One `readCard` progress event. */
export interface FileProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
}

/** Receives progress events; `finish` ends an open bar line (call it on success and on error). */
export interface ProgressReporter {
  update(event: FileProgress): void;
  finish(): void;
}

const MODES: readonly string[] = ['auto', 'bar', 'plain', 'none'];

/**
 * The mode for these flags and this stream: `--json` → none; else `--progress`, else
 * `VNEID_PROGRESS`, else a bar when the stream is a terminal and plain lines otherwise.
 * @throws {CliError} `USAGE` for an unknown mode
 */
export function progressMode(
  flags: { json?: boolean; progress?: string },
  stream: ProgressStream,
  env: Record<string, string | undefined>,
): ProgressMode {
  if (flags.json) return 'none';
  const asked = flags.progress ?? (env['VNEID_PROGRESS'] || 'auto');
  if (!MODES.includes(asked))
    throw new CliError('USAGE', `--progress must be auto, bar, plain or none (got ${JSON.stringify(asked)})`);
  if (asked === 'auto') return stream.isTTY === true ? 'bar' : 'plain';
  return asked as ProgressMode;
}

const kb = (n: number): string => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

/** One bar line: `DG2   [#########.........]  45%   6.8 KB / 15.0 KB`, fitted to `columns`. */
export function renderBar(event: FileProgress, columns = 80): string {
  const total = Math.max(event.totalBytes, 0);
  const done = Math.min(Math.max(event.bytesRead, 0), total);
  const ratio = total === 0 ? 1 : done / total;
  const label = event.file.padEnd(5);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const counts = `${kb(done)} / ${kb(total)}`;
  const width = Math.max(10, Math.min(40, columns - label.length - percent.length - counts.length - 6));
  const filled = Math.round(ratio * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}  ${counts}`;
}

/** A reporter writing to `stream` in `mode` (see the module note). */
export function createProgress(mode: ProgressMode, stream: ProgressStream): ProgressReporter {
  let open: string | undefined;
  const columns = (): number =>
    typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
  return {
    update(event) {
      const complete = event.bytesRead >= event.totalBytes;
      if (mode === 'none') return;
      if (mode === 'plain') {
        if (complete) stream.write(`${event.file} ${event.totalBytes} bytes\n`);
        return;
      }
      // A new file while the last bar is unfinished (a resumed read, a skipped file): keep it.
      if (open !== undefined && open !== event.file) stream.write('\n');
      stream.write(`\r\x1b[2K${renderBar(event, columns())}`);
      if (complete) {
        stream.write('\n');
        open = undefined;
      } else open = event.file;
    },
    finish() {
      if (open !== undefined) stream.write('\n');
      open = undefined;
    },
  };
}
