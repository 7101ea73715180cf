/**
 * @module
 * The typed layer over {@link Transport}: `call(transport, 'post', '/v1/registrations', { body })`
 * takes the request body and answers the 2xx body types that openapi-typescript generated from
 * the contract, so that no request or response shape is written twice by hand.
 */
import { IdentityError } from '../errors.ts';
import type { paths } from '../generated/api.ts';
import type { Answer, RequestSpec, Transport } from './transport.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The JSON request body of an operation. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Op<P, M> extends { requestBody: infer R } ? Json<NonNullable<R>> : undefined;

/** The union of the 2xx JSON answers of an operation. */
export type ResultOf<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R }
    ? { [K in keyof R]: K extends 200 | 201 | 202 | 204 ? Json<R[K]> : never }[keyof R]
    : never;

/** The answer for one status. */
export type ResultAt<P extends keyof paths, M extends Method, S extends number> =
  Op<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;

export interface CallInit<P extends keyof paths, M extends Method>
  extends Omit<RequestSpec, 'method' | 'path' | 'body'> {
  /** Values of the `{name}` segments of the path. */
  params?: Record<string, string>;
  body?: BodyOf<P, M>;
}

export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value === '')
      throw new IdentityError('invalid_argument', `path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}

export function call<P extends keyof paths, M extends Method>(
  transport: Transport,
  method: M,
  path: P,
  init: CallInit<P, M> = {},
): Promise<Answer<ResultOf<P, M>>> {
  const { params, body, ...rest } = init;
  return transport.request<ResultOf<P, M>>({
    ...rest,
    method: method.toUpperCase() as RequestSpec['method'],
    path: fillPath(path as string, params),
    ...(body !== undefined ? { body } : {}),
  });
}
