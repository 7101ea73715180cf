/**
 * @module
 * The eID area's HTTP routes (openapi.yaml, "eid" section): activation of an approved account
 * and its steps, the security-question catalogue, the passcode (set/change, verify, forgot),
 * level-1 applications, level-2 appointments, integrated documents, and their sandbox
 * decisions. Parsing and validation happen in `app.ts`; the rules live in `src/flows/`.
 */
import type { Area, AreaFactory } from '../areas.ts';
import {
  getActivation,
  type StartActivationInput,
  setActivationPasscode,
  setActivationPassword,
  setActivationSecurityAnswers,
  startActivation,
} from '../flows/activation.ts';
import { type DocumentType, decideDocument, listDocuments, requestDocument } from '../flows/documents.ts';
import {
  type ApplicationInput,
  bookAppointment,
  type Decision,
  decideApplication,
  decideAppointment,
  getApplication,
  listApplications,
  listAppointments,
  submitApplication,
} from '../flows/eid-application.ts';
import {
  changePasscode,
  checkPasscode,
  completePasscodeReset,
  SEEDED_PASSCODE,
  setPasscode,
  startPasscodeReset,
} from '../flows/passcode.ts';
import { REQUIRED_QUESTIONS, SECURITY_QUESTIONS, type SecurityAnswer } from '../flows/security-questions.ts';
import { requireSession } from '../flows/sessions.ts';
import { maskPersonalId } from '../flows/sms.ts';
import type { RouteRegistrar, Services } from './context.ts';

export function eidRoutes(r: RouteRegistrar): void {
  r.route('listSecurityQuestions', async () => ({
    body: { questions: SECURITY_QUESTIONS, required: REQUIRED_QUESTIONS },
  }));

  // ── activation ──
  r.route<StartActivationInput>('startEidActivation', async ({ body }, rc) => {
    rc.subject = maskPersonalId(body.personalId);
    return { status: 201, body: await startActivation(rc, body) };
  });
  r.route('getEidActivation', async ({ params }, rc) => ({
    body: await getActivation(rc, params['activationId']!),
  }));
  r.route<{ password: string }>('setEidActivationPassword', async ({ params, body }, rc) => ({
    body: await setActivationPassword(rc, params['activationId']!, body.password),
  }));
  r.route<{ passcode: string }>('setEidActivationPasscode', async ({ params, body }, rc) => ({
    body: await setActivationPasscode(rc, params['activationId']!, body.passcode),
  }));
  r.route<{ answers: SecurityAnswer[] }>(
    'setEidActivationSecurityQuestions',
    async ({ params, body }, rc) => ({
      body: await setActivationSecurityAnswers(rc, params['activationId']!, body.answers),
    }),
  );

  // ── passcode ──
  r.route<{ passcode: string; currentPasscode?: string }>('setPasscode', async (input, rc) => {
    const session = await requireSession(rc, input);
    await changePasscode(rc, session.accountId, input.body);
    return { status: 204 };
  });
  r.route<{ passcode: string }>('verifyPasscode', async (input, rc) => {
    const session = await requireSession(rc, input);
    await checkPasscode(rc, session.accountId, input.body.passcode);
    return { body: { verified: true } };
  });
  r.route('startPasscodeReset', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { status: 202, body: await startPasscodeReset(rc, session.accountId) };
  });
  r.route<{ passcode: string; securityAnswers?: SecurityAnswer[] }>(
    'completePasscodeReset',
    async (input, rc) => {
      const session = await requireSession(rc, input);
      return {
        body: await completePasscodeReset(
          rc,
          session.accountId,
          input.params['resetId']!,
          input.body.passcode,
          input.body.securityAnswers,
        ),
      };
    },
  );

  // ── level 1 and 2 ──
  r.route<ApplicationInput>('submitEidApplication', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { status: 201, body: await submitApplication(rc, session.accountId, input.body) };
  });
  r.route('listEidApplications', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { body: { applications: await listApplications(rc, session.accountId) } };
  });
  r.route('getEidApplication', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { body: await getApplication(rc, session.accountId, input.params['applicationId']!) };
  });
  r.route<{ policeOffice: string; date: string }>('bookEidAppointment', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { status: 201, body: await bookAppointment(rc, session.accountId, input.body) };
  });
  r.route('listEidAppointments', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { body: { appointments: await listAppointments(rc, session.accountId) } };
  });

  // ── integrated documents ──
  r.route<{ type: DocumentType; number: string }>('requestIntegratedDocument', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { status: 201, body: await requestDocument(rc, session.accountId, input.body) };
  });
  r.route('listIntegratedDocuments', async (input, rc) => {
    const session = await requireSession(rc, input);
    return { body: { documents: await listDocuments(rc, session.accountId) } };
  });

  // ── sandbox decisions ──
  if (r.services.config.controls) {
    r.route<Decision>('decideEidApplication', async ({ params, body }, rc) => ({
      body: await decideApplication(rc, params['applicationId']!, body),
    }));
    r.route<Decision>('decideEidAppointment', async ({ params, body }, rc) => ({
      body: await decideAppointment(rc, params['appointmentId']!, body),
    }));
    r.route<Decision>('decideIntegratedDocument', async ({ params, body }, rc) => ({
      body: await decideDocument(rc, params['documentId']!, body),
    }));
  }
}

/** Seeded `active` accounts without a passcode get {@link SEEDED_PASSCODE} (documented test material). */
async function seedPasscodes(services: Services): Promise<void> {
  const at = await services.now();
  await services.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT a.id FROM accounts a JOIN registry_people p ON p.personal_id = a.personal_id
       WHERE a.state = 'active' AND NOT EXISTS (SELECT 1 FROM passcodes c WHERE c.account_id = a.id)`,
    );
    for (const { id } of rows) await setPasscode(tx, { secrets: services.secrets, at }, id, SEEDED_PASSCODE);
  });
}

export const createEidArea: AreaFactory = ({ services }): Area => ({
  name: 'eid',
  routes: eidRoutes,
  seed: () => seedPasscodes(services),
});
