/**
 * Live progress of `vneid read`, run as the built binary: a bar per file redrawn in place when
 * stderr is a terminal (a real pseudo-terminal from util-linux `script`), one plain line per
 * file when it is a pipe, nothing with `--json`; `--progress` and `VNEID_PROGRESS` force a mode.
 * The byte counts shown are the sizes of the files as saved in the dump.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgress, progressMode, renderBar } from '../src/progress.ts';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const FILES = ['COM', 'SOD', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15'];

function run(
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, VNEID_PROGRESS: '', ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
const vneid = (args: string[], env?: Record<string, string>) => run(process.execPath, [bin, ...args], env);

/** Sizes of the files in a dump written by `read --out`, by the names progress uses. */
function dumpSizes(dir: string): Record<string, number> {
  const dump = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8')) as { files: Record<string, string> };
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(dump.files)) {
    if (k === 'cardAccess') continue;
    out[k === 'com' ? 'COM' : k === 'sod' ? 'SOD' : k.toUpperCase()] = Buffer.from(v, 'base64').length;
  }
  return out;
}

/** Bar redraws of a terminal transcript: per line, the states it was drawn in. */
function barLines(transcript: string): string[][] {
  return transcript
    .split(/\r?\n/)
    .filter((l) => l.includes('\x1b[2K'))
    .map((l) => l.split('\r\x1b[2K').filter((s) => s.length > 0));
}

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('vneid read progress', () => {
  it('stderr is a pipe: one plain line per file, with the byte counts of the files read', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vneid-progress-'));
    const r = await vneid(['read', '--reader', 'emulator', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
    const lines = r.stderr.trim().split('\n');
    const sizes = dumpSizes(out);
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([...FILES].sort());
    for (const line of lines) {
      const m = /^(\w+) (\d+) bytes$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(Number(m?.[2]), line).toBe(sizes[m?.[1] as string]);
    }
    expect(r.stdout).toContain('passive: ok');
  });

  it('--json: nothing on stderr, the JSON alone on stdout', async () => {
    const r = await vneid(['read', '--reader', 'emulator', '--json'], { VNEID_PROGRESS: 'bar' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, passive: 'ok' });
  });

  it.skipIf(!hasScript)(
    'stderr is a terminal (pseudo-terminal via script): a bar per file, redrawn in place up to 100 %',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'vneid-progress-tty-'));
      const stdoutFile = join(out, 'stdout.txt');
      const command = `'${process.execPath}' '${bin}' read --reader emulator --out '${out}' > '${stdoutFile}'`;
      const r = await run('script', ['-qec', command, '/dev/null']);
      expect(r.code).toBe(0);
      const lines = barLines(r.stdout);
      const sizes = dumpSizes(out);
      // One terminal line per file, in the order read, each ending on its complete bar.
      expect(lines.map((states) => states[0]?.split(' ')[0])).toEqual([
        'DG14',
        'COM',
        'SOD',
        'DG1',
        'DG2',
        'DG13',
        'DG15',
      ]);
      for (const states of lines) {
        const file = states[0]?.split(' ')[0] as string;
        const last = states[states.length - 1] as string;
        expect(last, file).toMatch(/\[#+\] 100% /);
        expect(last).toBe(
          renderBar({ file, bytesRead: sizes[file] as number, totalBytes: sizes[file] as number }, 80),
        );
        // Every state of the line is the same file's bar, never going backwards.
        const percents = states.map((s) => Number(/(\d+)%/.exec(s)?.[1]));
        expect(states.every((s) => s.startsWith(file))).toBe(true);
        expect([...percents].sort((a, b) => a - b)).toEqual(percents);
      }
      // The 15 KB face is read in many short chunks: its bar moves through many states.
      const dg2 = lines.find((s) => s[0]?.startsWith('DG2 ')) ?? [];
      expect(dg2.length).toBeGreaterThan(20);
      // stdout (redirected) holds the result only.
      const stdout = readFileSync(stdoutFile, 'utf8');
      expect(stdout).toContain('passive: ok');
      expect(stdout).not.toContain('\x1b');
      // And --progress plain on the terminal gives the plain lines.
      const plain = await run('script', [
        '-qec',
        `${command.replace(' read ', ' read --progress plain ')}`,
        '/dev/null',
      ]);
      expect(plain.stdout).not.toContain('\x1b');
      expect(plain.stdout.trim().split(/\r?\n/)).toHaveLength(FILES.length);
    },
  );

  it('VNEID_PROGRESS=bar forces the bar on a pipe; a bad --progress is exit 2 (USAGE)', async () => {
    const r = await vneid(['read', '--reader', 'emulator'], { VNEID_PROGRESS: 'bar' });
    expect(r.code).toBe(0);
    expect(barLines(r.stderr)).toHaveLength(FILES.length);
    const none = await vneid(['read', '--reader', 'emulator', '--progress', 'none']);
    expect(none.stderr).toBe('');
    const bad = await vneid(['read', '--reader', 'emulator', '--progress', 'fancy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vneid: error USAGE: --progress must be /);
  });
});

describe('progress reporter', () => {
  it('modes: --json wins, then --progress, then VNEID_PROGRESS, then whether the stream is a terminal', () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true };
    expect(progressMode({ json: true, progress: 'bar' }, tty, {})).toBe('none');
    expect(progressMode({}, tty, {})).toBe('bar');
    expect(progressMode({}, pipe, {})).toBe('plain');
    expect(progressMode({}, pipe, { VNEID_PROGRESS: 'bar' })).toBe('bar');
    expect(progressMode({ progress: 'plain' }, tty, { VNEID_PROGRESS: 'bar' })).toBe('plain');
    expect(() => progressMode({ progress: 'x' }, tty, {})).toThrow(/--progress must be/);
  });

  it('a bar left unfinished (a read that failed) is ended on finish, so the error starts its own line', () => {
    let text = '';
    const p = createProgress('bar', { write: (s: string) => (text += s), columns: 60 });
    p.update({ file: 'DG2', bytesRead: 1000, totalBytes: 4000 });
    expect(text.endsWith('\n')).toBe(false);
    p.finish();
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('DG2   [');
    expect(text).toContain(' 25% ');
    expect(renderBar({ file: 'DG2', bytesRead: 1000, totalBytes: 4000 }, 60).length).toBeLessThanOrEqual(60);
  });
});
