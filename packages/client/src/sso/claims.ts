/**
 * @module
 * Normalisation of the claims of both profiles to one {@link IdentityClaims}: the OIDC names of
 * the FAPI 2.0 profile (`personal_id`, `name`, `birthdate`, `gender`, `account_level`, `acr`)
 * and the names integrators observed in the VNeID SSO userinfo (`citizenPid`, `fullName`,
 * `birthDate`, `accountLevel`, or `SoDinhDanh`, `HoVaTen`, `NgayThangNamSinh`, `GioiTinh`, `IAL`).
 */
import { IdentityError } from '../errors.ts';
import { IdentityClaims } from './types.ts';

const first = (raw: Record<string, unknown>, names: string[]): unknown => {
  for (const n of names) if (raw[n] !== undefined && raw[n] !== null && raw[n] !== '') return raw[n];
  return undefined;
};

/** `YYYY-MM-DD` from ISO, `DD/MM/YYYY` or `YYYYMMDD`; undefined otherwise. */
export function normalizeDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  let m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  return undefined;
}

export function normalizeSex(value: unknown): 'male' | 'female' | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const v = String(value).trim().toLowerCase().normalize('NFC');
  if (['male', 'm', 'nam', '1'].includes(v)) return 'male';
  if (['female', 'f', 'nữ', 'nu', '2', '0'].includes(v)) return 'female';
  return undefined;
}

/** 1 or 2 from a number, `"2"`, `LoA2`, `IAL2`, `muc_2`; undefined otherwise. */
export function normalizeLevel(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string') return undefined;
  const m = /([0-9])\s*$/.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

const ID_NAMES = ['personal_id', 'personalId', 'citizenPid', 'SoDinhDanh', 'soDinhDanh', 'pid'];
const NAME_NAMES = ['name', 'fullName', 'full_name', 'HoVaTen', 'hoVaTen'];
const BIRTH_NAMES = [
  'birthdate',
  'birthDate',
  'birth_date',
  'NgayThangNamSinh',
  'ngayThangNamSinh',
  'dateOfBirth',
];
const SEX_NAMES = ['gender', 'sex', 'GioiTinh', 'gioiTinh'];
const LEVEL_NAMES = ['account_level', 'accountLevel', 'IAL', 'ial', 'acr', 'loA', 'loAs'];

/** Normalised claims; `unexpected_response` when no 12-digit personal ID is present. */
export function normalizeClaims(raw: Record<string, unknown>): IdentityClaims {
  const id = first(raw, ID_NAMES);
  const personalId = typeof id === 'number' ? String(id).padStart(12, '0') : id;
  if (typeof personalId !== 'string' || !/^[0-9]{12}$/.test(personalId))
    throw new IdentityError('unexpected_response', 'the provider sent no 12-digit personal ID');
  const name = first(raw, NAME_NAMES);
  let level = normalizeLevel(first(raw, LEVEL_NAMES));
  const acr = normalizeLevel(raw['acr']);
  if (level === undefined) level = acr;
  return new IdentityClaims({
    personalId,
    ...(typeof name === 'string' ? { fullName: name } : {}),
    ...(normalizeDate(first(raw, BIRTH_NAMES)) !== undefined
      ? { birthDate: normalizeDate(first(raw, BIRTH_NAMES))! }
      : {}),
    ...(normalizeSex(first(raw, SEX_NAMES)) !== undefined
      ? { sex: normalizeSex(first(raw, SEX_NAMES))! }
      : {}),
    ...(level !== undefined ? { accountLevel: level } : {}),
    raw,
  });
}

export function checkLevel(claims: IdentityClaims, minAccountLevel: number): void {
  if ((claims.accountLevel ?? 0) < minAccountLevel)
    throw new IdentityError(
      'account_level_too_low',
      `the account level ${claims.accountLevel ?? 'unknown'} is below the required ${minAccountLevel}`,
    );
}
