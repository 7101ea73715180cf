/**
 * The library must run in browsers: no `node:*` import in our sources, and none anywhere in
 * the module graph otplib loads (its crypto plugin is `@noble/hashes`, its Base32 `@scure/base`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cryptoPlugin } from '../../src/otp-parameters.ts';

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(code: string): string[] {
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

describe('runtime independence', () => {
  it('sources import no node: module and use no Node globals', () => {
    const files = sourceFiles(srcDir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const s of specifiers(code)) expect(s.startsWith('node:'), `${file}: ${s}`).toBe(false);
      expect(code).not.toMatch(/\b(Buffer|process|require)\s*[.(]/);
      expect(code).not.toMatch(/Math\.random\s*\(/);
    }
  });

  it("otplib's whole module graph (as this package loads it) has no node: import", () => {
    const seen = new Set<string>();
    const bare: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const req = createRequire(file);
      for (const s of specifiers(readFileSync(file, 'utf8'))) {
        expect(s.startsWith('node:') || ['crypto', 'fs', 'buffer'].includes(s), `${file} imports ${s}`).toBe(
          false,
        );
        if (!s.startsWith('.')) bare.push(s);
        visit(s.startsWith('.') ? join(dirname(file), s) : req.resolve(s));
      }
    };
    visit(createRequire(join(srcDir, 'index.ts')).resolve('otplib'));
    expect(bare).toEqual(expect.arrayContaining(['@otplib/plugin-crypto-noble', '@noble/hashes/hmac.js']));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('uses the noble crypto plugin', () => {
    expect(cryptoPlugin.name).toBe('noble');
  });
});
