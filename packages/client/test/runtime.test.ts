import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('runtime-agnostic sources', () => {
  it('no node:* import, no Buffer, no process, no require anywhere in src', () => {
    const all = files(src);
    expect(all.length).toBeGreaterThan(10);
    const offenders = all.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /from\s+['"]node:|import\(\s*['"]node:|\bBuffer\b|\bprocess\.|\brequire\(/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('each source file starts with a @module comment', () => {
    const missing = files(src).filter((f) => !/^\/\*\*\s*\n\s*\*\s*@module/.test(readFileSync(f, 'utf8')));
    expect(missing).toEqual([]);
  });
});
