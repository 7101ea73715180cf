/**
 * @module
 * The population registry check of a registration (IDENTITY-NOTES §2: the app's data is
 * checked against the national population database, "Đạt" / "Không đạt"): the personal ID's
 * structure with `@vneid/core/id-number`, then each identity field compared with
 * `registry_people` after NFC normalisation, Vietnamese case folding and whitespace (and, for the
 * address, comma) collapsing. The answer names the fields that disagree, never the registry's
 * values.
 */
import { decodeIdNumber } from '@vneid/core/id-number';
import { ProblemError } from '../http/problem.ts';
import type { Queryable } from '../store/db.ts';

export interface IdentityFields {
  personalId: string;
  fullName: string;
  sex: 'male' | 'female';
  birthDate: string;
  address: string;
}

export interface RegistryPerson {
  personal_id: string;
  full_name: string;
  sex: 'male' | 'female';
  birth_date: string;
  address: string;
  phone: string;
  card_expiry: string | null;
  chip_seed: number | null;
  chip_fault: string | null;
  fixture_state: string;
  password: string | null;
}

/** Throws `invalid_personal_id` unless `id` is 12 digits with a known province or country code. */
export function assertPersonalId(id: string): void {
  let known = false;
  try {
    known = decodeIdNumber(id).region.kind !== 'unknown';
  } catch {
    known = false;
  }
  if (!known) throw new ProblemError('invalid_personal_id');
}

/** NFC, upper case (Vietnamese), whitespace collapsed. */
export function normaliseName(s: string): string {
  return s.normalize('NFC').toLocaleUpperCase('vi').replace(/\s+/g, ' ').trim();
}

/** As {@link normaliseName}, and commas/periods with their spaces collapsed too. */
export function normaliseAddress(s: string): string {
  return normaliseName(s)
    .replace(/\s*[,.;]\s*/g, ', ')
    .replace(/(, )+/g, ', ')
    .replace(/^, |, $/g, '');
}

export async function findRegistryPerson(q: Queryable, personalId: string): Promise<RegistryPerson | null> {
  const { rows } = await q.query<RegistryPerson>('SELECT * FROM registry_people WHERE personal_id = $1', [
    personalId,
  ]);
  return rows[0] ?? null;
}

/** The fields of `input` that disagree with the registry (`['personalId']` when the registry has no such person). */
export async function registryMismatches(q: Queryable, input: IdentityFields): Promise<string[]> {
  const person = await findRegistryPerson(q, input.personalId);
  if (person === null) return ['personalId'];
  const fields: string[] = [];
  if (normaliseName(input.fullName) !== normaliseName(person.full_name)) fields.push('fullName');
  if (input.sex !== person.sex) fields.push('sex');
  if (input.birthDate !== person.birth_date) fields.push('birthDate');
  if (normaliseAddress(input.address) !== normaliseAddress(person.address)) fields.push('address');
  return fields;
}
