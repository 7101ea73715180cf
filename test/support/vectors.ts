/**
 * @module
 * Test support: loads vector files (`test/vectors/*.json`, each naming its `source`) and finds
 * the interoperability samples kept beside the repository in `../shared`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VectorFile<T> {
  /** The document and section the vectors come from. */
  source: string;
  vectors: T[];
}

/** Reads `<dir of testFile>/vectors/<name>.json`; fails loudly when `source` is missing. */
export function loadVectors<T>(testFileUrl: string, name: string): VectorFile<T> {
  const path = join(dirname(fileURLToPath(testFileUrl)), 'vectors', `${name}.json`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as VectorFile<T>;
  if (typeof file.source !== 'string' || file.source.length === 0) throw new Error(`${path}: no "source"`);
  if (!Array.isArray(file.vectors) || file.vectors.length === 0) throw new Error(`${path}: no vectors`);
  return file;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of `../shared/data/interop-samples`, or null when it is not beside the repo. */
export function interopSamplesDir(): string | null {
  const dir = resolve(repoRoot, '../shared/data/interop-samples');
  return existsSync(dir) ? dir : null;
}

/** Absolute path of a file under `../shared/data`, or null when absent. */
export function sharedDataFile(name: string): string | null {
  const path = resolve(repoRoot, '../shared/data', name);
  return existsSync(path) ? path : null;
}

export { repoRoot };
