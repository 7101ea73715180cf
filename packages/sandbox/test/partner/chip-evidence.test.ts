import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHIP_CHECKS, type ChipFiles, verifyChipEvidence } from '../../src/flows/chip-evidence.ts';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { chipHolder } from './support.ts';

let sandbox: TestSandbox;
let files: ChipFiles & Record<string, string>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  files = (await sandbox.call('GET', `/__sandbox/chips/${chipHolder().personalId}`)).body.files;
});
afterAll(() => sandbox?.stop());

const rc = () => ({ db: sandbox.db, at: new Date() });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe(`verifyChipEvidence (${store})`, () => {
  it('reports the holder of a good chip and every check', async () => {
    const evidence = await verifyChipEvidence(rc(), files);
    const holder = chipHolder();
    expect(evidence).toEqual({
      ok: true,
      personalId: holder.personalId,
      fullName: holder.fullName,
      birthDate: holder.birthDate,
      sex: holder.sex,
      checks: Object.fromEntries(CHIP_CHECKS.map((c) => [c, 'ok'])),
    });
    // Only SOD and DG1: the other checks are absent, still ok.
    const minimal = await verifyChipEvidence(rc(), { sod: files.sod, dg1: files.dg1 });
    expect(minimal).toMatchObject({ ok: true, personalId: holder.personalId });
    expect(minimal.checks).toMatchObject({ dg1: 'ok', dg2: 'absent', dg13: 'absent', com: 'absent' });
  });

  it('fails certificate validity when the application clock is past the DSC (2035)', async () => {
    const evidence = await verifyChipEvidence(
      { db: sandbox.db, at: new Date('2036-01-01T00:00:00Z') },
      files,
    );
    expect(evidence).toMatchObject({ ok: false, personalId: null, failure: 'certificate_not_valid' });
    expect(evidence.checks.certificateValidity).toBe('failed');
  });

  it('answers non-objects, wrong types, bad base64 and oversized files with a failure, never an exception', async () => {
    const cases: Array<[unknown, string]> = [
      [null, 'invalid_input'],
      [42, 'invalid_input'],
      ['sod', 'invalid_input'],
      [[files.sod], 'invalid_input'],
      [{}, 'invalid_input'],
      [{ sod: files.sod }, 'invalid_input'],
      [{ ...files, dg2: 12 }, 'invalid_input'],
      [{ ...files, dg1: '' }, 'invalid_encoding'],
      [{ ...files, dg1: 'YQ' }, 'invalid_encoding'],
      [{ ...files, dg1: 'YR==' }, 'invalid_encoding'],
      [{ ...files, dg1: 'Y-_=' }, 'invalid_encoding'],
      [{ ...files, dg13: `${files.dg13}\n` }, 'invalid_encoding'],
      [{ ...files, dg2: 'A'.repeat(87_388) }, 'file_too_large'],
      [{ ...files, sod: b64(new Uint8Array(10)) }, 'sod_malformed'],
      [{ ...files, dg1: b64(new Uint8Array([0x61, 0x03, 0x5f, 0x1f, 0x00])) }, 'data_group_mismatch'],
    ];
    for (const [input, failure] of cases) {
      const evidence = await verifyChipEvidence(rc(), input as ChipFiles);
      expect(evidence.ok, failure).toBe(false);
      expect(evidence.failure, JSON.stringify(input).slice(0, 60)).toBe(failure);
      expect(evidence.personalId).toBeNull();
    }
  });

  it('property: any change to any byte of DG1/DG13, or to the signed parts of EF.SOD, gives ok: false without throwing', async () => {
    const decoded = {
      sod: new Uint8Array(Buffer.from(files.sod, 'base64')),
      dg1: new Uint8Array(Buffer.from(files.dg1, 'base64')),
      dg13: new Uint8Array(Buffer.from(files.dg13!, 'base64')),
    };
    // The signed parts of EF.SOD: the data-group hashes inside the LDSSecurityObject (covered by
    // messageDigest) and the signature value at the end. (Its unsigned wrapper, e.g. the
    // SignerInfo's sid or the digestAlgorithms set, is not authenticated by passive
    // authentication, so changing it need not fail.)
    const sod = Buffer.from(decoded.sod);
    const signed: number[] = [];
    for (const name of ['dg1', 'dg2', 'dg13', 'dg14', 'dg15']) {
      const hash = createHash('sha256').update(Buffer.from(files[name]!, 'base64')).digest();
      const at = sod.indexOf(hash);
      expect(at, name).toBeGreaterThan(0);
      for (let i = 0; i < hash.length; i++) signed.push(at + i);
    }
    for (let i = sod.length - 90; i < sod.length; i++) signed.push(i);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('sod', 'dg1', 'dg13' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (name, position, xor, truncate) => {
          const original = decoded[name as keyof typeof decoded];
          const at = name === 'sod' ? signed[position % signed.length]! : position % original.length;
          const bytes = truncate ? original.slice(0, at) : original.slice();
          if (!truncate) bytes[at] = (bytes[at] as number) ^ xor;
          const evidence = await verifyChipEvidence(rc(), {
            ...files,
            [name]: bytes.length === 0 ? 'AAAA' : b64(bytes),
          });
          expect(evidence.ok).toBe(false);
          expect(evidence.failure).toBeDefined();
        },
      ),
      { numRuns: 80 },
    );
  });

  it('property: random bytes as every file give ok: false without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        async (sod, dg1) => {
          const evidence = await verifyChipEvidence(rc(), { sod: b64(sod), dg1: b64(dg1) });
          expect(evidence.ok).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
