/**
 * @module
 * Who may log in with VNeID, and what the OpenID Provider says about them. The password check
 * and the lookup by personal ID are ACCOUNTS' (`src/flows/login.ts`, same lockout and throttle as
 * `POST /v1/sessions`); the lookup by account id (the `sub`) reads the `accounts` table. The
 * assurance level maps to `acr` (`LoA1` for a level-1 account, `LoA2` for level 2); only an
 * activated (`active`) account of level 1 or 2 can log in to a relying party.
 */
import { type Citizen, checkPassword, findCitizen } from '../flows/login.ts';
import type { RequestContext } from '../http/context.ts';
import { isProblemError } from '../http/problem.ts';
import type { Queryable } from '../store/db.ts';

export type { Citizen };
export { checkPassword, findCitizen };

export const ACR_VALUES = ['LoA1', 'LoA2'] as const;
export type Acr = (typeof ACR_VALUES)[number];

export function acrOf(level: number): Acr {
  return level >= 2 ? 'LoA2' : 'LoA1';
}

/** The lowest account level any of the requested `acr_values` accepts (0 when none are known). */
export function minLevelOf(acrValues: string | undefined): number {
  if (acrValues === undefined || acrValues.trim() === '') return 0;
  const levels = acrValues
    .split(' ')
    .map((v): number | null => (v === 'LoA2' ? 2 : v === 'LoA1' ? 1 : null))
    .filter((v): v is number => v !== null);
  return levels.length === 0 ? 0 : Math.min(...levels);
}

/** An account that can log in to a relying party: activated, with an electronic identification. */
export function canLogIn(citizen: Citizen): boolean {
  return citizen.state === 'active' && citizen.level >= 1;
}

interface AccountRow {
  id: string;
  personal_id: string;
  full_name: string;
  birth_date: string;
  sex: 'male' | 'female';
  level: number;
  state: string;
  phone: string;
}

const COLUMNS = 'id, personal_id, full_name, birth_date, sex, level, state, phone';

function toCitizen(row: AccountRow): Citizen {
  return {
    accountId: row.id,
    personalId: row.personal_id,
    fullName: row.full_name,
    birthDate: row.birth_date,
    sex: row.sex,
    level: row.level,
    state: row.state,
    phone: row.phone,
  };
}

export async function findCitizenByAccountId(q: Queryable, accountId: string): Promise<Citizen | null> {
  const { rows } = await q.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = $1`, [accountId]);
  return rows[0] === undefined ? null : toCitizen(rows[0]);
}

/** ACCOUNTS' `checkPassword`, with its `rate_limited` problem as a value for the HTML pages. */
export async function tryPassword(
  rc: RequestContext,
  personalId: string,
  password: string,
): Promise<Citizen | null | 'rate_limited'> {
  try {
    return await checkPassword(rc, personalId, password);
  } catch (error) {
    if (isProblemError(error) && error.code === 'rate_limited') return 'rate_limited';
    throw error;
  }
}
