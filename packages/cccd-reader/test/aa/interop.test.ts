/**
 * Active Authentication keys of real DG15 files from the interoperability samples
 * (../shared/data/interop-samples, see its SOURCES.md; never copied into the repo): parsed and
 * used for verification (no chip response is published for them, so only rejection is checked).
 * Skipped with a visible message when the folder is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir } from '../../../../test/support/vectors.ts';
import { activeAuthenticationKey, verifyActiveAuthentication } from '../../src/protocols/aa.ts';

const dir = interopSamplesDir();
const FILES = ['bsi2008/EF_DG15.bin', 'nl-specimen-2006/EF_DG15_010F.bin'];

describe.skipIf(dir === null)('sample DG15 files', () => {
  for (const file of FILES) {
    it(`${file}: RSA-1024 key; a random response is reported as invalid, not thrown`, () => {
      const dg15 = new Uint8Array(readFileSync(join(dir as string, file)));
      const key = activeAuthenticationKey(dg15);
      expect(key.algorithm).toBe('rsa');
      expect(key.algorithm === 'rsa' && key.modulusBits).toBe(1024);
      const response = globalThis.crypto.getRandomValues(new Uint8Array(128));
      response[0] = 0x01; // below the modulus
      const report = verifyActiveAuthentication({ dg15, challenge: new Uint8Array(8), response });
      expect(report.ok).toBe(false);
      expect(report.keyBits).toBe(1024);
    });
  }
});

describe.skipIf(dir !== null)('interop samples', () => {
  it.skip('../shared/data/interop-samples is absent: AA interop tests skipped', () => {});
});
