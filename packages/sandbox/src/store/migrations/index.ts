/**
 * @module
 * Every migration, in order. Each area of the service owns its own file (numbers: 001 core,
 * 01x accounts, 02x eID and partners, 03x OpenID Provider).
 */
import type { Migration } from '../migrate.ts';
import { core } from './001-core.ts';
import { idempotency } from './002-idempotency.ts';
import { accounts } from './010-accounts.ts';
import { loginChipFailures } from './011-login-chip-failures.ts';
import { registrationChallenge } from './012-registration-challenge.ts';
import { eid } from './020-eid.ts';
import { passcodeResetFailed } from './021-passcode-reset-failed.ts';
import { chipPki } from './025-chip-pki.ts';
import { partners } from './026-partners.ts';
import { oidc } from './030-oidc.ts';

export const migrations: readonly Migration[] = [
  core,
  idempotency,
  accounts,
  loginChipFailures,
  registrationChallenge,
  eid,
  passcodeResetFailed,
  chipPki,
  partners,
  oidc,
];
