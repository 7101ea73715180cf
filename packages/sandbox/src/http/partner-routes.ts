/**
 * @module
 * The partner area (openapi.yaml, "partner" section): chip verification for banks, the service
 * JWKS, share requests, and the sandbox controls that go with them (the sandbox CSCA, chips of
 * seeded identities, deciding a share request, the consent page). Its sweep (every second, in
 * every process) expires share requests whose time is up, delivers due webhooks from the outbox
 * and purges spent nonces; a decision also kicks a delivery right after its commit.
 */
import type { Area, AreaFactory } from '../areas.ts';
import { chipOf, loadSandboxPki } from '../fixtures/chip-pki.ts';
import type { ChipFiles } from '../flows/chip-evidence.ts';
import { verifyChipForPartner } from '../flows/chip-verification.ts';
import { findCitizen } from '../flows/login.ts';
import {
  cancelShareRequest,
  createShareRequest,
  decideShareRequest,
  expireDueShareRequests,
  getShareRequest,
  type ShareClaim,
} from '../flows/share-requests.ts';
import { deliverDueWebhooks } from '../flows/webhooks.ts';
import type { ServerKeys } from '../keys/server-keys.ts';
import { mountConsentPage } from './consent-page.ts';
import type { RouteRegistrar, Services } from './context.ts';
import { purgeNonces, requirePartner, seedPartners } from './partner-auth.ts';
import { ProblemError } from './problem.ts';

const SWEEP_MS = 1_000;

/** Runs the sweep at most once at a time in this process; `kick()` asks for a run soon. */
function createSweeper(services: Services) {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const once = async () => {
    const at = await services.now();
    await expireDueShareRequests(services.db, at);
    await deliverDueWebhooks(services.db, () => services.now());
    await purgeNonces(services.db, at);
  };
  const run = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await once();
        } catch (error) {
          services.log({
            level: 'error',
            area: 'partner',
            error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
          });
        }
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void run(), SWEEP_MS);
  timer.unref();
  return {
    kick: () => void run(),
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}

export function partnerRoutes(keys: ServerKeys, kick: () => void) {
  return (r: RouteRegistrar): void => {
    r.route('getServiceJwks', async () => ({
      body: keys.jwks,
      headers: { 'cache-control': 'public, max-age=300' },
    }));

    r.route<{ personalId: string; chipFiles: ChipFiles }>('verifyChip', async (input, rc) => {
      const { partnerCode } = await requirePartner(rc, input);
      return { body: await verifyChipForPartner(rc, keys, partnerCode, input.body) };
    });

    r.route<{
      claims: ShareClaim[];
      purpose: string;
      callbackUrl: string;
      webhookUrl?: string;
      ttlSeconds?: number;
    }>('createShareRequest', async (input, rc) => {
      const { partnerCode } = await requirePartner(rc, input);
      return { status: 201, body: await createShareRequest(rc, partnerCode, input.body) };
    });

    r.route('getShareRequest', async (input, rc) => {
      const { partnerCode } = await requirePartner(rc, input);
      const view = await getShareRequest(rc, partnerCode, input.params['id']!);
      if (view.status !== 'PENDING') kick();
      return { body: view };
    });

    r.route('cancelShareRequest', async (input, rc) => {
      const { partnerCode } = await requirePartner(rc, input);
      const view = await cancelShareRequest(rc, partnerCode, input.params['id']!);
      kick();
      return { body: view };
    });

    if (!r.services.config.controls) return;

    r.route('getSandboxCsca', async (_input, rc) => {
      const { cscaPem } = await loadSandboxPki(rc.db, rc.db, rc.at);
      return new Response(cscaPem, {
        status: 200,
        headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'no-store' },
      });
    });

    r.route('getSandboxChip', async ({ params }, rc) => {
      const chip = await chipOf(rc.db, params['personalId']!, rc.at);
      if (chip === null) throw new ProblemError('not_found', { detail: 'no seeded identity with a chip' });
      return { body: chip };
    });

    r.route<{ personalId: string; decision: 'agree' | 'refuse' }>(
      'decideShareRequest',
      async ({ params, body }, rc) => {
        const citizen = await findCitizen(rc.db, body.personalId);
        if (citizen === null)
          throw new ProblemError('not_found', { detail: 'no account for this personal ID' });
        try {
          const outcome = await decideShareRequest(rc, params['id']!, citizen, body.decision);
          return {
            body: {
              id: outcome.row.id,
              status: outcome.row.status,
              result: outcome.result,
              redirectTo: outcome.redirectTo,
            },
          };
        } finally {
          kick();
        }
      },
    );
  };
}

export const createPartnerArea: AreaFactory = ({ services, keys }): Area => {
  const sweeper = createSweeper(services);
  return {
    name: 'partner',
    routes: partnerRoutes(keys, sweeper.kick),
    mount: (app) => mountConsentPage(app, services, sweeper.kick),
    async seed() {
      const at = await services.now();
      await seedPartners(services.db, at);
      await loadSandboxPki(services.db, services.db, at);
    },
    close: () => sweeper.close(),
  };
};
