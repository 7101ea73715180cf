/**
 * @module
 * The accounts area: registration, one-time codes, sessions on one bound device, devices,
 * password reset and change, lock, and its sandbox controls (identities, unlock). Handlers only
 * parse, call a flow and answer; the rules live in `src/flows/`. Seeds the synthetic population
 * (`src/fixtures/identities.ts`) at start and after `POST /__sandbox/reset`.
 */
import type { AreaFactory } from '../areas.ts';
import { seedIdentities } from '../fixtures/identities.ts';
import type { ChipFiles } from '../flows/chip-evidence.ts';
import {
  completeWithChip,
  completeWithCode,
  type DeviceInput,
  listDevices,
  logout,
  removeDevice,
} from '../flows/devices.ts';
import { type LockReason, lockAccount, unlockAccount } from '../flows/lock.ts';
import { dummyHash, logIn, logInDirect, sweepAppAccounts } from '../flows/login.ts';
import { resendOtp, verifyOtp, verifyOtpDirect } from '../flows/otp.ts';
import { changePassword, requestPasswordReset } from '../flows/password.ts';
import { completeRegistration, type RegistrationInput, startRegistration } from '../flows/registration.ts';
import { accountSummary, requireSession } from '../flows/sessions.ts';
import type { RouteRegistrar } from './context.ts';
import { ProblemError } from './problem.ts';

function accountRoutes(r: RouteRegistrar): void {
  r.route<RegistrationInput>('createRegistration', async ({ body }, rc) => ({
    status: 201,
    body: await startRegistration(rc, body),
  }));
  r.route<{ password: string }>('setRegistrationPassword', async ({ body, params }, rc) => ({
    status: 201,
    body: await completeRegistration(rc, params['registrationId']!, body.password),
  }));
  r.route<{ code: string }>(
    'verifyOtp',
    async ({ body, params }, rc) => verifyOtp(rc, params['challengeId']!, body.code),
    { direct: ({ body, params }, dc) => verifyOtpDirect(dc, params['challengeId']!, body.code) },
  );
  r.route('resendOtp', async ({ params }, rc) => ({ body: await resendOtp(rc, params['challengeId']!) }));

  r.route<{ personalId: string; password: string; device: DeviceInput }>(
    'createSession',
    async ({ body }, rc) => logIn(rc, body),
    { direct: ({ body }, dc) => logInDirect(dc, body) },
  );
  r.route<{ code?: string; chipFiles?: ChipFiles }>(
    'completeSessionChallenge',
    async ({ body, params }, rc) => {
      const id = params['challengeId']!;
      if (body.code !== undefined) return completeWithCode(rc, id, body.code);
      if (body.chipFiles !== undefined) return { body: await completeWithChip(rc, id, body.chipFiles) };
      throw new ProblemError('invalid_request', { detail: 'give code or chipFiles' });
    },
  );
  r.route('getCurrentSession', async (input, rc) => {
    const session = await requireSession(rc, input);
    const { rows } = await rc.db.query<Parameters<typeof accountSummary>[0]>(
      'SELECT id, personal_id, full_name, level, state, phone FROM accounts WHERE id = $1',
      [session.accountId],
    );
    if (rows[0] === undefined) throw new ProblemError('unauthorized');
    return {
      body: {
        session: {
          sessionId: session.sessionId,
          deviceId: session.deviceId,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
        },
        account: accountSummary(rows[0]),
      },
    };
  });
  r.route('deleteCurrentSession', async (input, rc) => {
    await logout(rc, await requireSession(rc, input));
    return { status: 204 };
  });
  r.route('listDevices', async (input, rc) => ({
    body: { devices: await listDevices(rc, await requireSession(rc, input)) },
  }));
  r.route('deleteDevice', async (input, rc) => {
    await removeDevice(rc, await requireSession(rc, input), input.params['deviceId']!);
    return { status: 204 };
  });

  r.route<{ personalId: string; phone: string }>('requestPasswordReset', async ({ body }, rc) => ({
    status: 202,
    body: await requestPasswordReset(rc, body),
  }));
  r.route<{ currentPassword: string; newPassword: string; passcode: string }>(
    'changePassword',
    async (input, rc) => {
      await changePassword(rc, await requireSession(rc, input), input.body);
      return { status: 204 };
    },
  );
  r.route<{ reason: LockReason }>('lockAccount', async (input, rc) => ({
    body: await lockAccount(rc, await requireSession(rc, input), input.body.reason),
  }));
}

function accountControlRoutes(r: RouteRegistrar): void {
  r.route('listIdentities', async (_input, rc) => {
    await sweepAppAccounts(rc.db, rc);
    const { rows } = await rc.db.query<{
      personal_id: string;
      full_name: string;
      sex: string;
      birth_date: string;
      address: string;
      phone: string;
      card_expiry: string | null;
      chip_seed: number | null;
      chip_fault: string | null;
      fixture_state: string;
      password: string | null;
      state: string | null;
      level: number | null;
    }>(
      `SELECT r.*, a.state, a.level FROM registry_people r LEFT JOIN accounts a ON a.personal_id = r.personal_id
       ORDER BY r.chip_seed NULLS LAST, r.personal_id`,
    );
    return {
      body: {
        identities: rows.map((i) => ({
          personalId: i.personal_id,
          fullName: i.full_name,
          sex: i.sex,
          birthDate: i.birth_date,
          address: i.address,
          phone: i.phone,
          state: i.state ?? 'unregistered',
          level: i.level ?? 0,
          password: i.password,
          chipSeed: i.chip_seed,
          chipFault: i.chip_fault,
          cardExpiry: i.card_expiry,
          fixtureState: i.fixture_state,
        })),
      },
    };
  });
  r.route('unlockAccount', async ({ params }, rc) => ({
    body: await unlockAccount(rc, params['personalId']!),
  }));
}

export const createAccountsArea: AreaFactory = ({ services }) => ({
  name: 'accounts',
  routes(r) {
    accountRoutes(r);
    if (services.config.controls) accountControlRoutes(r);
  },
  async seed() {
    await Promise.all([
      seedIdentities(services.db, services.secrets, await services.now()),
      dummyHash(services),
    ]);
  },
});
