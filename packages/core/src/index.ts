/**
 * @module
 * `@vneid/core`: the pieces every other `@vneid/*` package shares. The root entry re-exports
 * the light, text-level API; the QR image scanner (with its WebAssembly decoder) lives only
 * behind `@vneid/core/scan` so that parsing never pulls the decoder into a bundle.
 */

export * from './bytes/index.ts';
export * from './credentials/index.ts';
export * from './errors/index.ts';
export * from './id-number/index.ts';
export * from './mrz/index.ts';
export * from './qr/index.ts';
export * from './tlv/index.ts';
