/**
 * @module
 * The contract: `openapi.yaml` at the package root (OpenAPI 3.1) is the one source of truth.
 * It is read once at start-up; routes are registered from its operations and every request is
 * validated against their schemas (see `validate.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface OpenApiOperation {
  operationId: string;
  method: string;
  /** The OpenAPI path template, `/v1/otp/{challengeId}/verify`. */
  path: string;
  /** The same in Hono's syntax, `/v1/otp/:challengeId/verify`. */
  honoPath: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: object }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, object>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Finds `openapi.yaml` beside this package's `package.json`, from `src/` or from `dist/`. */
export function openApiPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'openapi.yaml');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('openapi.yaml not found beside @vneid/sandbox');
}

let cached: OpenApiDocument | undefined;

export function loadOpenApi(): OpenApiDocument {
  cached ??= parse(readFileSync(openApiPath(), 'utf8')) as OpenApiDocument;
  return cached;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, keyed by `operationId`. */
export function operationsOf(doc: OpenApiDocument): Map<string, OpenApiOperation> {
  const ops = new Map<string, OpenApiOperation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item['parameters'] as OpenApiOperation['parameters'] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Partial<OpenApiOperation> | undefined;
      if (op === undefined) continue;
      if (typeof op.operationId !== 'string')
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      if (ops.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
      ops.set(op.operationId, {
        ...op,
        operationId: op.operationId,
        method,
        path,
        honoPath: path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1'),
        parameters: [...shared, ...(op.parameters ?? [])],
      } as OpenApiOperation);
    }
  }
  return ops;
}
