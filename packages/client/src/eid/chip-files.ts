/**
 * @module
 * The chip files of a CCCD as `@vneid/cccd-reader`'s `readCard` returns them in `raw` (data
 * groups by number, `com`, `sod`) or by name (`dg1`, …), encoded to the base64 members of the
 * contract's `ChipFiles` (COM, SOD, DG1, DG2, DG13, DG14, DG15; others are not sent).
 */
import { toBase64 } from '../encoding.ts';
import { IdentityError } from '../errors.ts';

/** `readCard(...).raw`, or the files by name. */
export type ChipFilesInput =
  | Partial<Record<number | 'com' | 'sod' | 'cardAccess', Uint8Array>>
  | {
      com?: Uint8Array;
      sod: Uint8Array;
      dg1: Uint8Array;
      dg2?: Uint8Array;
      dg13?: Uint8Array;
      dg14?: Uint8Array;
      dg15?: Uint8Array;
    };

/** The base64 form the server takes. */
export interface EncodedChipFiles {
  com?: string;
  sod: string;
  dg1: string;
  dg2?: string;
  dg13?: string;
  dg14?: string;
  dg15?: string;
}

const GROUPS = [1, 2, 13, 14, 15] as const;

export function encodeChipFiles(files: ChipFilesInput): EncodedChipFiles {
  if (typeof files !== 'object' || files === null)
    throw new IdentityError('invalid_argument', 'chip files must be an object of Uint8Array');
  const byName = files as Record<string, Uint8Array | undefined>;
  const pick = (n: number): Uint8Array | undefined => byName[String(n)] ?? byName[`dg${n}`];
  const sod = byName['sod'];
  const dg1 = pick(1);
  if (!(sod instanceof Uint8Array) || !(dg1 instanceof Uint8Array))
    throw new IdentityError('invalid_argument', 'chip files need at least SOD and DG1 as Uint8Array');
  const out: EncodedChipFiles = { sod: toBase64(sod), dg1: toBase64(dg1) };
  if (byName['com'] instanceof Uint8Array) out.com = toBase64(byName['com']);
  for (const n of GROUPS) {
    if (n === 1) continue;
    const bytes = pick(n);
    if (bytes === undefined) continue;
    if (!(bytes instanceof Uint8Array))
      throw new IdentityError('invalid_argument', `DG${n} must be a Uint8Array`);
    (out as unknown as Record<string, string>)[`dg${n}`] = toBase64(bytes);
  }
  return out;
}
