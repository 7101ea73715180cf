/**
 * API boundary: JavaScript callers (no TypeScript) may pass anything. Every runtime export of
 * every public subpath (read from package.json "exports", so new subpaths are covered without
 * editing this file) is called with hostile arguments; whatever it throws or rejects with must
 * be a `VneidError` with a stable code — never a raw TypeError / RangeError from inside.
 */
import { describe, expect, it } from 'vitest';
import { hostileInputChecks, loadPublicFunctions, show } from '../../../test/support/api-boundary.ts';

const { subpaths, functions } = await loadPublicFunctions(
  new URL('../package.json', import.meta.url),
  '@vneid/core',
);

/**
 * Functions for which returning normally for every hostile value is correct: type guards
 * answer `false`, and converters whose documented domain is "any value".
 */
const RETURNS_FOR_ANY: ReadonlySet<string> = new Set([
  'isVneidError', // a type guard: answers true/false for any value
  'isCoreError', // a type guard: answers true/false for any value
  'isIdNumber', // a type guard: answers true/false for any value
  // Credential checks report a non-string credential as rule violations (a result, not an
  // error): the documented contract is "never throws for a bad credential, only bad options".
  'checkPasscode',
  'checkPassword',
  'readZxingWasm', // takes no arguments: extra ones are ignored, as for any JavaScript function
]);

/** Plausible first arguments, so that the second argument is reached by the checks. */
const VALID_FIRST: readonly unknown[] = [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]), '001099012345', 7];

describe(`@vneid/core: every public function answers hostile input with a VneidError`, () => {
  it('finds the public subpaths and their functions', () => {
    expect(subpaths).toContain('.');
    expect(subpaths.length).toBeGreaterThan(5);
    const names = new Set(functions.map(([, name]) => name));
    for (const name of [
      'checkDigit',
      'checkDigitChar',
      'concatBytes',
      'constantTimeEqual',
      'equalBytes',
      'decodeUtf8',
      'fromHex',
      'fromBase64',
      'decodeInteger',
      'decodeOid',
      'encodeTlv',
      'findTlv',
      'findAllTlv',
      'requireTlv',
      'formatCccdQr',
      'mrzKeyFromId',
      'mrzKeyFromMrz',
      'mrzKeySeed',
      'scanCccdQr',
    ]) {
      expect(names).toContain(name);
    }
    expect(functions.some(([spec, name]) => spec === '@vneid/core/scan/node' && name === 'scanCccdQr')).toBe(
      true,
    );
  });

  hostileInputChecks({ functions, validFirst: VALID_FIRST, returnsForAny: RETURNS_FOR_ANY });

  it('encodeTlv: children that are not an array, or hold junk, are a TlvError', async () => {
    const { encodeTlv } = await import('@vneid/core/tlv');
    for (const value of [42, 'x', {}, null, undefined, [null], [42], [{}]]) {
      let caught: unknown;
      try {
        encodeTlv(0x30, value as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, show(value)).toMatchObject({ name: 'TlvError', code: 'TLV_INVALID_VALUE' });
    }
  });
});
