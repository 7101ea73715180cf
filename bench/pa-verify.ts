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

const RUNS = 15;
const DSCS = 7;

export const paVerifySuite: BenchSuite = {
  id: 'pa-verify',
  title: 'Passive authentication: verifying one document per algorithm',
  async run(): Promise<string> {
    const files = {
      1: new Uint8Array(95).fill(0x3c),
      2: new Uint8Array(15_000).map((_, i) => (i * 31) & 0xff),
      13: new Uint8Array(600).fill(0x0c),
    };
    const rows: Array<{ label: string; cold: number; warm: number }> = [];
    for (const c of CASES) {
      const pki = await createTestPki({ algorithm: c.algorithm, explicitParameters: c.explicitParameters });
      const trustStore = createTrustStore({
        certificates: [pki.csca.certificate],
        crls: [createCrl(pki, [1n, 2n])],
      });
      // Each document has its own LDSSecurityObject (another DG3), so its SOD signature is new.
      const sodOf = (p: typeof pki, n: number): Uint8Array =>
        signSod({
          ldsSecurityObject: encodeLdsSecurityObject({
            dataGroups: { ...files, 3: new Uint8Array(10).fill(n) },
          }),
          pki: p,
        });
      /** Median CPU ms of verifying each SOD (CPU time, not wall time: the machine may be shared). */
      const time = async (sods: Uint8Array[]): Promise<number> => {
        const ms: number[] = [];
        for (const sod of sods) {
          const t0 = process.cpuUsage();
          const r = await verifyPassive({ sod, files }, { trustStore });
          const used = process.cpuUsage(t0);
          ms.push((used.user + used.system) / 1000);
          if (!r.ok) throw new Error(`${c.label}: verification failed in the benchmark`);
        }
        ms.sort((a, b) => a - b);
        return ms[Math.floor(ms.length / 2)] as number;
      };
      // Cold: the first document of a Document Signer (DSC → CSCA and CRL signatures checked).
      const dscs = [];
      for (let i = 0; i < DSCS; i++)
        dscs.push(
          await createTestPki({
            algorithm: c.algorithm,
            explicitParameters: c.explicitParameters,
            csca: pki.csca,
          }),
        );
      const cold = await time(dscs.map((d, i) => sodOf(d, i)));
      // Warm: more documents of a DSC already seen (only the SOD signature and the hashes are new).
      await time([sodOf(pki, 100)]);
      const warm = await time(Array.from({ length: RUNS }, (_, i) => sodOf(pki, i)));
      rows.push({ label: c.label, cold, warm });
    }
    const lines = [
      'One `verifyPassive` call per document: SOD signature, messageDigest, DSC → CSCA signature, validity,',
      'CRL signature and lookup, and SHA-256 of DG1 (95 B), DG2 (15 KB) and DG13 (600 B). RSA is verified',
      'with bigint arithmetic, ECDSA with @noble/curves (high-S accepted) — certificate and CRL signatures on',
      'NIST curves (the P-384 CSCA) through WebCrypto where the runtime has it; certificates from the test PKI.',
      'CPU time (user + system of the process), not wall time: the machine may be shared.',
      '"First document of a DSC" verifies all three signatures; "next document" is another SOD of a',
      'Document Signer already verified (the DSC → CSCA and CRL results are kept by certificate',
      'fingerprint), as a bank verifying many cards sees: only the SOD signature is new.',
      '',
      '| algorithm | median CPU ms, first document of a DSC | median CPU ms, next document of the DSC |',
      '| --- | ---: | ---: |',
      ...rows.map((r) => `| ${r.label} | ${r.cold.toFixed(2)} | ${r.warm.toFixed(2)} |`),
    ];
    return lines.join('\n');
  },
};
