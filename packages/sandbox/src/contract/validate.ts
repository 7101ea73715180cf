/**
 * @module
 * Request validation against the OpenAPI document with Ajv (JSON Schema 2020-12), compiled once
 * per operation. A failure names the first offending JSON pointer, never the value.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument, OpenApiOperation } from './openapi.ts';

// ajv-formats is CommonJS with a default export.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export interface ValidationFailure {
  /** `body`, `path`, `query`. */
  location: string;
  /** A JSON pointer into that location, `/phone`. */
  pointer: string;
  /** Ajv's keyword: `required`, `pattern`, `maxLength`, `additionalProperties`, … */
  keyword: string;
  message: string;
}

export interface OperationValidator {
  body?: ValidateFunction;
  bodyRequired: boolean;
  path?: ValidateFunction;
  query?: ValidateFunction;
}

export function createValidators(
  doc: OpenApiDocument,
  ops: Map<string, OpenApiOperation>,
): Map<string, OperationValidator> {
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'urn:vneid-sandbox:components', components: doc.components }, 'components');
  const rewrite = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(rewrite);
    if (schema !== null && typeof schema === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema)) {
        out[k] =
          k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')
            ? `urn:vneid-sandbox:components${v}`
            : rewrite(v);
      }
      return out;
    }
    return schema;
  };
  const params = (op: OpenApiOperation, where: 'path' | 'query'): ValidateFunction | undefined => {
    const list = op.parameters.filter((p) => p.in === where);
    if (list.length === 0) return undefined;
    return ajv.compile({
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [p.name, rewrite(p.schema ?? { type: 'string' })])),
      required: list.filter((p) => p.required || where === 'path').map((p) => p.name),
    });
  };
  const validators = new Map<string, OperationValidator>();
  for (const [id, op] of ops) {
    const json = op.requestBody?.content['application/json']?.schema;
    const form = op.requestBody?.content['application/x-www-form-urlencoded']?.schema;
    const bodySchema = json ?? form;
    validators.set(id, {
      ...(bodySchema ? { body: ajv.compile(rewrite(bodySchema) as object) } : {}),
      bodyRequired: op.requestBody?.required === true,
      ...(params(op, 'path') ? { path: params(op, 'path')! } : {}),
      ...(params(op, 'query') ? { query: params(op, 'query')! } : {}),
    });
  }
  return validators;
}

export function firstFailure(location: string, validate: ValidateFunction): ValidationFailure {
  const error = validate.errors?.[0];
  let pointer = error?.instancePath ?? '';
  if (error?.keyword === 'required')
    pointer += `/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error?.keyword === 'additionalProperties')
    pointer += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
  const keyword = error?.keyword ?? 'invalid';
  return { location, pointer, keyword, message: `${location}${pointer || ''} fails ${keyword}` };
}
