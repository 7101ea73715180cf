import { bundleSizeSuite } from './bundle-size.ts';
import { cardReadSuite } from './card-read.ts';
import { otpStoresSuite } from './otp-stores.ts';
import { paVerifySuite } from './pa-verify.ts';
import { qrScanSuite } from './qr-scan.ts';
import { sandboxLoadSuite } from './sandbox-load.ts';

/** One benchmark suite; `pnpm bench <id>` runs one without writing the doc. */
export interface BenchSuite {
  id: string;
  title: string;
  /** Returns the Markdown body (tables and a sentence on method). */
  run(): Promise<string>;
}

/** The benchmark suites, each in its own file, in the order they appear in docs/benchmarks.md. */
export const suites: BenchSuite[] = [
  qrScanSuite,
  cardReadSuite,
  paVerifySuite,
  bundleSizeSuite,
  sandboxLoadSuite,
  otpStoresSuite,
];
