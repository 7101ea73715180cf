/** The benchmark suites, each in its own file; `pnpm bench <id>` runs one without writing the doc. */
export interface BenchSuite {
  id: string;
  title: string;
  /** Returns the Markdown body (tables and a sentence on method). */
  run(): Promise<string>;
}

export const suites: BenchSuite[] = [];
