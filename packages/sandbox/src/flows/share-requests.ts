/**
 * @module
 * Data sharing by universal link / QR (IDENTITY-NOTES §4): a partner registers what it wants
 * (claims, purpose, callback, TTL ≤ 300 s) → PENDING; the citizen opens the link in the app (the
 * sandbox consent page), logs in and agrees or refuses → SUCCESS (result 1) or FAILED (result 2);
 * nobody decides in time → EXPIRED (result 3, detected lazily against the application clock and
 * by the area's sweep); the partner may cancel a pending one → CANCELLED. The citizen is sent to
 * `callbackUrl + '/' + transactionCode + '|' + result`; a signed webhook goes to `webhookUrl`
 * through the outbox, written in the deciding transaction. Every transition reads the row
 * `FOR UPDATE`, so two processes deciding at once decide once. Consent is never assumed (Law
 * 91/2025): only an explicit `agree` shares anything.
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';
import { type DocumentType, listApprovedDocuments } from './documents.ts';
import type { Citizen } from './login.ts';
import { enqueueWebhook } from './webhooks.ts';

export const PROFILE_CLAIMS = [
  'personal_id',
  'full_name',
  'birth_date',
  'sex',
  'address',
  'phone',
  'account_level',
] as const;
export const DOCUMENT_CLAIMS = [
  'driving_licence',
  'vehicle_registration',
  'health_insurance',
  'tax_code',
] as const satisfies readonly DocumentType[];
export type ShareClaim = (typeof PROFILE_CLAIMS)[number] | (typeof DOCUMENT_CLAIMS)[number];

export type ShareStatus = 'PENDING' | 'SUCCESS' | 'FAILED' | 'EXPIRED' | 'CANCELLED';
export type ShareResult = 1 | 2 | 3;

/** Longest time a share request stays open (seconds); the policy's `shareRequest.maxTtlSeconds` may lower it. */
export const SHARE_MAX_TTL_SECONDS = 300;

/** Human labels of the claims for the consent page (Vietnamese as the app shows them, then English). */
export const CLAIM_LABELS: Readonly<Record<ShareClaim, string>> = {
  personal_id: 'Số định danh cá nhân (personal ID)',
  full_name: 'Họ và tên (full name)',
  birth_date: 'Ngày sinh (date of birth)',
  sex: 'Giới tính (sex)',
  address: 'Nơi thường trú (address)',
  phone: 'Số điện thoại (phone)',
  account_level: 'Mức độ tài khoản định danh (account level)',
  driving_licence: 'Giấy phép lái xe (driving licence)',
  vehicle_registration: 'Đăng ký xe (vehicle registration)',
  health_insurance: 'Thẻ bảo hiểm y tế (health insurance)',
  tax_code: 'Mã số thuế (tax code)',
};

export interface ShareRequestRow {
  id: string;
  partner_code: string;
  partner_name: string;
  transaction_code: string;
  claims: ShareClaim[];
  purpose: string;
  callback_url: string;
  webhook_url: string | null;
  status: ShareStatus;
  result: ShareResult | null;
  shared: Record<string, unknown> | null;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
}

const COLUMNS = `s.id, s.partner_code, p.name AS partner_name, s.transaction_code, s.claims, s.purpose,
  s.callback_url, s.webhook_url, s.status, s.result, s.shared, s.created_at, s.expires_at, s.decided_at`;

export interface ShareRequestView {
  id: string;
  transactionCode: string;
  status: ShareStatus;
  result?: ShareResult;
  claims: ShareClaim[];
  purpose: string;
  callbackUrl: string;
  webhookUrl?: string;
  universalLink: string;
  qrPayload: string;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  data?: Record<string, unknown>;
}

export const universalLinkOf = (baseUrl: string, id: string): string => `${baseUrl}/__sandbox/consent/${id}`;

/** Where the citizen is sent after the outcome: `callbackUrl/transactionCode|result`. */
export const callbackOf = (
  row: Pick<ShareRequestRow, 'callback_url' | 'transaction_code'>,
  result: ShareResult,
) => `${row.callback_url}/${row.transaction_code}|${result}`;

export function viewOf(row: ShareRequestRow, baseUrl: string): ShareRequestView {
  const link = universalLinkOf(baseUrl, row.id);
  return {
    id: row.id,
    transactionCode: row.transaction_code,
    status: row.status,
    ...(row.result !== null ? { result: row.result } : {}),
    claims: row.claims,
    purpose: row.purpose,
    callbackUrl: row.callback_url,
    ...(row.webhook_url !== null ? { webhookUrl: row.webhook_url } : {}),
    universalLink: link,
    qrPayload: link,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    ...(row.decided_at !== null ? { decidedAt: new Date(row.decided_at).toISOString() } : {}),
    ...(row.status === 'SUCCESS' && row.shared !== null ? { data: row.shared } : {}),
  };
}

async function load(q: Queryable, id: string, lock: boolean): Promise<ShareRequestRow | null> {
  const { rows } = await q.query<ShareRequestRow>(
    `SELECT ${COLUMNS} FROM share_requests s JOIN partners p ON p.code = s.partner_code
     WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Moves a locked row to a final state and queues its webhook. */
async function finish(
  tx: Queryable,
  row: ShareRequestRow,
  status: Exclude<ShareStatus, 'PENDING'>,
  result: ShareResult | null,
  at: Date,
  extra: { accountId?: string; shared?: Record<string, unknown> } = {},
): Promise<ShareRequestRow> {
  await tx.query(
    `UPDATE share_requests SET status = $2, result = $3, decided_at = $4, account_id = $5, shared = $6
     WHERE id = $1`,
    [
      row.id,
      status,
      result,
      at,
      extra.accountId ?? null,
      extra.shared === undefined ? null : JSON.stringify(extra.shared),
    ],
  );
  if (row.webhook_url !== null) {
    await enqueueWebhook(
      tx,
      {
        partnerCode: row.partner_code,
        url: row.webhook_url,
        type: 'share_request.updated',
        data: {
          shareRequestId: row.id,
          transactionCode: row.transaction_code,
          status,
          ...(result !== null ? { result } : {}),
        },
      },
      at,
    );
  }
  return {
    ...row,
    status,
    result,
    decided_at: at,
    shared: extra.shared ?? null,
  };
}

/** A pending row whose time is up becomes EXPIRED (inside the caller's transaction, row locked). */
async function expireIfDue(tx: Queryable, row: ShareRequestRow, at: Date): Promise<ShareRequestRow> {
  if (row.status !== 'PENDING' || at.getTime() < new Date(row.expires_at).getTime()) return row;
  return finish(tx, row, 'EXPIRED', 3, new Date(row.expires_at));
}

export async function createShareRequest(
  rc: RequestContext,
  partnerCode: string,
  input: {
    claims: ShareClaim[];
    purpose: string;
    callbackUrl: string;
    webhookUrl?: string;
    ttlSeconds?: number;
  },
): Promise<ShareRequestView> {
  const max = Math.min(rc.policy.shareRequest.maxTtlSeconds, SHARE_MAX_TTL_SECONDS);
  const ttl = input.ttlSeconds ?? max;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > max)
    throw new ProblemError('invalid_request', {
      detail: `ttlSeconds must be at most ${max}`,
      extra: { pointer: '/ttlSeconds' },
    });
  const id = randomId();
  const transactionCode = randomId();
  const expiresAt = new Date(rc.at.getTime() + ttl * 1000);
  await rc.db.query(
    `INSERT INTO share_requests (id, partner_code, transaction_code, claims, purpose, callback_url, webhook_url,
       status, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $9)`,
    [
      id,
      partnerCode,
      transactionCode,
      JSON.stringify(input.claims),
      input.purpose,
      input.callbackUrl,
      input.webhookUrl ?? null,
      rc.at,
      expiresAt,
    ],
  );
  const row = await load(rc.db, id, false);
  return viewOf(row!, rc.config.baseUrl);
}

/** A partner's share request (another partner's is `not_found`), expired lazily. */
export async function getShareRequest(
  rc: RequestContext,
  partnerCode: string,
  id: string,
): Promise<ShareRequestView> {
  const row = await rc.db.transaction(async (tx) => {
    const found = await load(tx, id, true);
    if (found === null || found.partner_code !== partnerCode) return null;
    return expireIfDue(tx, found, rc.at);
  });
  if (row === null) throw new ProblemError('not_found', { detail: 'no such share request' });
  return viewOf(row, rc.config.baseUrl);
}

export async function cancelShareRequest(
  rc: RequestContext,
  partnerCode: string,
  id: string,
): Promise<ShareRequestView> {
  const outcome = await rc.db.transaction(async (tx) => {
    const found = await load(tx, id, true);
    if (found === null || found.partner_code !== partnerCode) return null;
    const current = await expireIfDue(tx, found, rc.at);
    if (current.status !== 'PENDING') return { row: current, cancelled: false };
    return { row: await finish(tx, current, 'CANCELLED', null, rc.at), cancelled: true };
  });
  if (outcome === null) throw new ProblemError('not_found', { detail: 'no such share request' });
  const { row } = outcome;
  if (!outcome.cancelled)
    throw new ProblemError(row.status === 'EXPIRED' ? 'share_request_expired' : 'conflict', {
      detail: `the share request is ${row.status}`,
    });
  return viewOf(row, rc.config.baseUrl);
}

/** The share request as the consent page shows it (no partner check), expired lazily. */
export async function openShareRequest(rc: RequestContext, id: string): Promise<ShareRequestRow | null> {
  return rc.db.transaction(async (tx) => {
    const found = await load(tx, id, true);
    return found === null ? null : expireIfDue(tx, found, rc.at);
  });
}

const needsLevel2 = (claims: readonly ShareClaim[]): boolean =>
  claims.some((c) => (DOCUMENT_CLAIMS as readonly string[]).includes(c));

async function collect(
  tx: Queryable,
  citizen: Citizen,
  claims: readonly ShareClaim[],
): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = {};
  let address: string | undefined;
  if (claims.includes('address')) {
    address = (
      await tx.query<{ address: string }>('SELECT address FROM accounts WHERE id = $1', [citizen.accountId])
    ).rows[0]?.address;
  }
  const documents = needsLevel2(claims) ? await listApprovedDocuments(tx, citizen.accountId) : [];
  for (const claim of claims) {
    switch (claim) {
      case 'personal_id':
        data[claim] = citizen.personalId;
        break;
      case 'full_name':
        data[claim] = citizen.fullName;
        break;
      case 'birth_date':
        data[claim] = citizen.birthDate;
        break;
      case 'sex':
        data[claim] = citizen.sex;
        break;
      case 'phone':
        data[claim] = citizen.phone;
        break;
      case 'account_level':
        data[claim] = citizen.level;
        break;
      case 'address':
        if (address !== undefined) data[claim] = address;
        break;
      default: {
        // The newest approved document of that type; absent when the citizen has none.
        const doc = documents.filter((d) => d.type === claim).at(-1);
        if (doc !== undefined)
          data[claim] = { number: doc.number, status: doc.status, decidedAt: doc.decidedAt };
      }
    }
  }
  return data;
}

export interface ShareDecisionOutcome {
  row: ShareRequestRow;
  result: ShareResult;
  redirectTo: string;
}

/**
 * The citizen's decision. Refusing needs only a known citizen; agreeing needs an activated eID
 * account (`account_not_activated`), and level 2 for documents (`level_insufficient`). A request
 * past its time is EXPIRED (`share_request_expired`, with the callback in `redirectTo`); one
 * already decided is `conflict`.
 */
export async function decideShareRequest(
  rc: RequestContext,
  id: string,
  citizen: Citizen,
  decision: 'agree' | 'refuse',
): Promise<ShareDecisionOutcome> {
  const outcome = await rc.db.transaction(async (tx) => {
    const found = await load(tx, id, true);
    if (found === null) return null;
    const row = await expireIfDue(tx, found, rc.at);
    if (row.status !== 'PENDING') return { row, decided: false as const };
    if (decision === 'refuse') {
      return {
        row: await finish(tx, row, 'FAILED', 2, rc.at, { accountId: citizen.accountId }),
        decided: true,
      };
    }
    if (citizen.state !== 'active' || citizen.level < 1)
      throw new ProblemError('account_not_activated', { detail: 'sharing needs an activated eID account' });
    if (needsLevel2(row.claims) && citizen.level < 2)
      throw new ProblemError('level_insufficient', { detail: 'sharing documents needs a level-2 account' });
    const shared = await collect(tx, citizen, row.claims);
    return {
      row: await finish(tx, row, 'SUCCESS', 1, rc.at, { accountId: citizen.accountId, shared }),
      decided: true,
    };
  });
  if (outcome === null) throw new ProblemError('not_found', { detail: 'no such share request' });
  const { row } = outcome;
  if (!outcome.decided) {
    if (row.status === 'EXPIRED')
      throw new ProblemError('share_request_expired', { extra: { redirectTo: callbackOf(row, 3) } });
    throw new ProblemError('conflict', { detail: `the share request is ${row.status}` });
  }
  const result = row.result as ShareResult;
  return { row, result, redirectTo: callbackOf(row, result) };
}

/** Expires every pending request whose time is up (the area's sweep). Returns how many. */
export async function expireDueShareRequests(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  at: Date,
): Promise<number> {
  // Most sweeps find nothing: look before opening a transaction.
  const due = await db.query(
    `SELECT 1 FROM share_requests WHERE status = 'PENDING' AND expires_at <= $1 LIMIT 1`,
    [at],
  );
  if (due.rows.length === 0) return 0;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM share_requests WHERE status = 'PENDING' AND expires_at <= $1
       ORDER BY expires_at LIMIT 50 FOR UPDATE SKIP LOCKED`,
      [at],
    );
    for (const { id } of rows) {
      const row = await load(tx, id, false);
      if (row !== null) await expireIfDue(tx, row, at);
    }
    return rows.length;
  });
}
