/** vitest global setup of the `sandbox-postgres` project: one cluster for the run, its URL provided as `pgUrl`. */
import type { TestProject } from 'vitest/node';
import { startPgCluster } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
