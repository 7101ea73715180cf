/**
 * @module
 * Output rules of the CLI: exit codes (0 ok, 1 verification failed, 2 bad input, 3 reader or
 * transport), one-line error messages carrying the error code (never a stack trace), JSON on
 * stdout with `--json`, and masking of personal ID numbers (`001******123`).
 */

/** Exit codes of `vneid`. */
export const EXIT = { ok: 0, verificationFailed: 1, badInput: 2, reader: 3 } as const;

/** An error the CLI reports with a code and an exit status. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}

/** Global flags every command honours. */
export interface GlobalFlags {
  json?: boolean;
  showPersonalData?: boolean;
}

/** Masks a 12-digit personal ID: the first 3 and last 3 digits stay. */
export function maskId(id: string): string {
  return id.length <= 6
    ? '*'.repeat(id.length)
    : `${id.slice(0, 3)}${'*'.repeat(id.length - 6)}${id.slice(-3)}`;
}

/** Writes a result: JSON on stdout with `--json`, else `key: value` lines. */
export function printResult(flags: GlobalFlags, value: Record<string, unknown>): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    process.stdout.write(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}\n`);
  }
}

/** The code and exit status of any thrown value (SDK errors carry a string `code`). */
export function classify(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof CliError)
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  const code =
    error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
      ? (error as unknown as { code: string }).code
      : 'INTERNAL';
  const message = error instanceof Error ? error.message : 'unknown error';
  const name = error instanceof Error ? error.name : '';
  if (name === 'ReaderError' || name === 'AccessDeniedError') {
    return { code, message, exitCode: code === 'INVALID_ARGUMENT' ? EXIT.badInput : EXIT.reader };
  }
  return { code, message, exitCode: code === 'INTERNAL' ? EXIT.reader : EXIT.badInput };
}

/** Reports an error in one line (stderr), or as JSON on stdout with `--json`; returns the exit code. */
export function reportError(flags: GlobalFlags, error: unknown): number {
  const { code, message, exitCode } = classify(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  if (flags.json)
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message: oneLine } })}\n`);
  else process.stderr.write(`vneid: error ${code}: ${oneLine}\n`);
  return exitCode;
}
