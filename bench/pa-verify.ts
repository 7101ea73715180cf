/**
 * @module
 * Passive-authentication benchmark: time to verify one document (EF.SOD signature and
 * messageDigest, DSC → CSCA chain, validity, CRL lookup and the hashes of DG1, a 15 KB DG2 and
 * DG13) per signature algorithm, with certificates from the test PKI (`src/pki-test`). Each
 * verification builds nothing in advance except the trust store, as an app verifying a card does.
 */
import { createTrustStore, verifyPassive } from '../packages/cccd-reader/src/pa/index.ts';
import {
  createCrl,
  createTestPki,
  encodeLdsSecurityObject,
  signSod,
  type TestPkiAlgorithm,
} from '../packages/cccd-reader/src/pki-test/index.ts';
import type { BenchSuite } from './suites.ts';

interface Case {
  label: string;
  algorithm: TestPkiAlgorithm;
  explicitParameters: boolean;
}

const CASES: Case[] = [
  { label: 'RSA-2048 PKCS#1 v1.5 (SHA-256)', algorithm: 'rsa', explicitParameters: false },
  { label: 'RSA-2048 PSS (SHA-256)', algorithm: 'rsa-pss', explicitParameters: false },
  { label: 'ECDSA P-256', algorithm: 'ecdsa-p256', explicitParameters: false },
  { label: 'ECDSA brainpoolP256r1', algorithm: 'ecdsa-brainpoolP256r1', explicitParameters: false },
  {
    label: 'ECDSA brainpoolP384r1 DS / P-384 CSCA (Vietnam)',
    algorithm: 'ecdsa-brainpoolP384r1',
    explicitParameters: false,
  },
  {
    label: 'ECDSA brainpoolP384r1, explicit DSC parameters',
    algorithm: 'ecdsa-brainpoolP384r1',
    explicitParameters: true,
  },
];

const MIN_MS = 1500;
const MIN_RUNS = 20;

export const paVerifySuite: BenchSuite = {
  id: 'pa-verify',
  title: 'Passive authentication: verifying one document per algorithm',
  async run(): Promise<string> {
    const files = {
      1: new Uint8Array(95).fill(0x3c),
      2: new Uint8Array(15_000).map((_, i) => (i * 31) & 0xff),
      13: new Uint8Array(600).fill(0x0c),
    };
    const ldsSecurityObject = encodeLdsSecurityObject({ dataGroups: { ...files, 3: new Uint8Array(10) } });
    const rows: Array<{ label: string; opsPerSec: number; msPerOp: number }> = [];
    for (const c of CASES) {
      const pki = await createTestPki({ algorithm: c.algorithm, explicitParameters: c.explicitParameters });
      const sod = signSod({ ldsSecurityObject, pki });
      const trustStore = createTrustStore({
        certificates: [pki.csca.certificate],
        crls: [createCrl(pki, [1n, 2n])],
      });
      const first = await verifyPassive({ sod, files }, { trustStore });
      if (!first.ok) throw new Error(`${c.label}: verification failed in the benchmark setup`);
      let runs = 0;
      const t0 = performance.now();
      while (runs < MIN_RUNS || performance.now() - t0 < MIN_MS) {
        await verifyPassive({ sod, files }, { trustStore });
        runs++;
      }
      const ms = (performance.now() - t0) / runs;
      rows.push({ label: c.label, opsPerSec: 1000 / ms, msPerOp: ms });
    }
    const fastest = Math.max(...rows.map((r) => r.opsPerSec));
    const lines = [
      'One `verifyPassive` call per operation: SOD signature, messageDigest, DSC → CSCA signature, validity,',
      'CRL signature and lookup, and SHA-256 of DG1 (95 B), DG2 (15 KB) and DG13 (600 B). RSA is verified',
      'with bigint arithmetic, ECDSA with @noble/curves (high-S accepted); certificates from the test PKI.',
      '',
      '| algorithm | verifications/s | ms per document | vs fastest |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.opsPerSec.toFixed(1)} | ${r.msPerOp.toFixed(2)} | ${(fastest / r.opsPerSec).toFixed(2)}× |`,
      ),
    ];
    return lines.join('\n');
  },
};
