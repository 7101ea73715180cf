/**
 * @module
 * Argument checks of the PACE building blocks, for JavaScript callers without TypeScript: a
 * wrong type or shape is `PaceError('INVALID_ARGUMENT')` naming what was expected (never the
 * value), instead of a `TypeError` from deep inside. Each check is a few `typeof` tests.
 */
import type { CipherSuite } from './cipher-suite.ts';
import type { DhDomain, EcDomain, PaceDomain, PaceGenerator } from './domain-parameters.ts';
import { PaceError } from './pace-error.ts';

/** Throws `PaceError('INVALID_ARGUMENT')` saying `what` was expected, unless `condition` holds. */
export function requireArgument(condition: unknown, what: string): asserts condition {
  if (!condition) throw new PaceError('INVALID_ARGUMENT', `PACE: expected ${what}`);
}

/** `value` must be a `Uint8Array`. */
export function requireBytes(value: unknown, name: string): asserts value is Uint8Array {
  requireArgument(value instanceof Uint8Array, `${name} as a Uint8Array`);
}

/** `value` must be a `bigint`. */
export function requireBigint(value: unknown, name: string): asserts value is bigint {
  requireArgument(typeof value === 'bigint', `${name} as a bigint`);
}

/** `value` must be an integer from 0 to `max` (a bound that keeps allocations and loops small). */
export function requireCount(value: unknown, name: string, max: number): asserts value is number {
  requireArgument(
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max,
    `${name} as an integer from 0 to ${max}`,
  );
}

/** `value` must be a function. */
export function requireFunction(value: unknown, name: string): void {
  requireArgument(typeof value === 'function', `${name} as a function`);
}

/** `value` must be a string. */
export function requireString(value: unknown, name: string): asserts value is string {
  requireArgument(typeof value === 'string', `${name} as a string`);
}

/** `value` must be a {@link CipherSuite} (from `cipherSuite`). */
export function requireSuite(value: unknown): asserts value is CipherSuite {
  const s = value as Partial<CipherSuite> | null;
  requireArgument(
    typeof s === 'object' &&
      s !== null &&
      (s.cipher === 'aes' || s.cipher === '3des') &&
      (s.keyBits === 128 || s.keyBits === 192 || s.keyBits === 256) &&
      (s.blockLength === 8 || s.blockLength === 16) &&
      typeof s.keyLength === 'number',
    'a cipher suite (from cipherSuite)',
  );
}

/** `value` must be an EC domain (from `ecDomain` / `domainForParameterId`). */
export function requireEcDomain(value: unknown): asserts value is EcDomain {
  const d = value as Partial<EcDomain> | null;
  requireArgument(
    typeof d === 'object' &&
      d !== null &&
      d.kind === 'ec' &&
      typeof d.curve === 'object' &&
      d.curve !== null &&
      typeof d.curve.p === 'bigint' &&
      typeof d.curve.n === 'bigint' &&
      typeof d.Point === 'function',
    'an EC domain (from ecDomain or domainForParameterId)',
  );
}

/** `value` must be a DH domain (from `dhDomain` / `domainForParameterId`). */
export function requireDhDomain(value: unknown): asserts value is DhDomain {
  const d = value as Partial<DhDomain> | null;
  requireArgument(
    typeof d === 'object' &&
      d !== null &&
      d.kind === 'dh' &&
      typeof d.group === 'object' &&
      d.group !== null &&
      typeof d.group.p === 'bigint' &&
      typeof d.group.q === 'bigint' &&
      typeof d.group.g === 'bigint' &&
      typeof d.byteLength === 'number',
    'a DH domain (from dhDomain or domainForParameterId)',
  );
}

/** `value` must be a {@link PaceDomain}. */
export function requireDomain(value: unknown): asserts value is PaceDomain {
  if ((value as { kind?: unknown } | null)?.kind === 'dh') requireDhDomain(value);
  else requireEcDomain(value);
}

/** `value` must be a {@link PaceGenerator}. */
export function requireGenerator(value: unknown): asserts value is PaceGenerator {
  const g = value as { kind?: unknown; point?: unknown; g?: unknown } | null;
  requireArgument(
    typeof g === 'object' &&
      g !== null &&
      ((g.kind === 'ec' && typeof g.point === 'object' && g.point !== null) ||
        (g.kind === 'dh' && typeof g.g === 'bigint')),
    'a generator {kind, point | g}',
  );
}
