/**
 * @module
 * Integrated documents of level-2 accounts (IDENTITY-NOTES §2: driving licence, vehicle
 * registration, health-insurance card, tax code shown in the app in place of paper and
 * shareable). An integration request is `pending` until decided through the sandbox controls
 * (`approved | rejected`). PARTNER's share requests read {@link listApprovedDocuments}.
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import { isPgError, PG_UNIQUE_VIOLATION, type Queryable } from '../store/db.ts';
import type { Decision } from './eid-application.ts';

export const DOCUMENT_TYPES = [
  'driving_licence',
  'vehicle_registration',
  'health_insurance',
  'tax_code',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type DocumentStatus = 'pending' | 'approved' | 'rejected';

/**
 * The number formats accepted per type: driving licence 12 digits (the PET licence number);
 * vehicle plate `30A-123.45` / `30A12345` style; health-insurance card code 10 digits (BHXH
 * number) or 15 characters (2 letters + 13 digits); tax code 10 digits or 10 + `-` + 3 digits.
 */
const NUMBER_FORMATS: Record<DocumentType, RegExp> = {
  driving_licence: /^[0-9]{12}$/,
  vehicle_registration: /^[0-9]{2}[A-Z]{1,2}[0-9]?-?[0-9]{3}\.?[0-9]{2}$/,
  health_insurance: /^(?:[0-9]{10}|[A-Z]{2}[0-9]{13})$/,
  tax_code: /^[0-9]{10}(?:-[0-9]{3})?$/,
};

export interface DocumentView {
  documentId: string;
  type: DocumentType;
  number: string;
  status: DocumentStatus;
  requestedAt: string;
  decidedAt: string | null;
  reason: string | null;
}

interface DocumentRow {
  id: string;
  type: DocumentType;
  number: string;
  status: DocumentStatus;
  created_at: Date;
  decided_at: Date | null;
  reason: string | null;
}

const COLUMNS = 'id, type, number, status, created_at, decided_at, reason';

const view = (r: DocumentRow): DocumentView => ({
  documentId: r.id,
  type: r.type,
  number: r.number,
  status: r.status,
  requestedAt: new Date(r.created_at).toISOString(),
  decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
  reason: r.reason,
});

async function requireLevel2(q: Queryable, accountId: string, lock: boolean): Promise<void> {
  const { rows } = await q.query<{ level: number }>(
    `SELECT level FROM accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [accountId],
  );
  if (rows[0] === undefined) throw new ProblemError('unauthorized');
  if (rows[0].level < 2) throw new ProblemError('level_insufficient', { detail: 'level 2 is required' });
}

export async function requestDocument(
  rc: RequestContext,
  accountId: string,
  input: { type: DocumentType; number: string },
): Promise<DocumentView> {
  const number = input.number.trim().toUpperCase();
  if (!NUMBER_FORMATS[input.type].test(number))
    throw new ProblemError('invalid_request', {
      detail: `not a ${input.type.replace('_', ' ')} number`,
      extra: { pointer: '/number' },
    });
  return rc.db.transaction(async (tx) => {
    await requireLevel2(tx, accountId, true);
    const row: DocumentRow = {
      id: randomId(),
      type: input.type,
      number,
      status: 'pending',
      created_at: rc.at,
      decided_at: null,
      reason: null,
    };
    try {
      await tx.query(
        `INSERT INTO integrated_documents (id, account_id, type, number, status, created_at)
         VALUES ($1, $2, $3, $4, 'pending', $5)`,
        [row.id, accountId, row.type, row.number, rc.at],
      );
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION))
        throw new ProblemError('conflict', { detail: 'this document is already integrated or pending' });
      throw error;
    }
    return view(row);
  });
}

export async function listDocuments(rc: RequestContext, accountId: string): Promise<DocumentView[]> {
  await requireLevel2(rc.db, accountId, false);
  const { rows } = await rc.db.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM integrated_documents WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 200`,
    [accountId],
  );
  return rows.map(view);
}

/** The approved documents of an account, for share requests (no level check: the caller decides). */
export async function listApprovedDocuments(q: Queryable, accountId: string): Promise<DocumentView[]> {
  const { rows } = await q.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM integrated_documents WHERE account_id = $1 AND status = 'approved' ORDER BY type, created_at`,
    [accountId],
  );
  return rows.map(view);
}

export async function decideDocument(
  rc: RequestContext,
  id: string,
  decision: Decision,
): Promise<DocumentView> {
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM integrated_documents WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new ProblemError('not_found');
    if (row.status !== 'pending')
      throw new ProblemError('conflict', { detail: `the document is ${row.status}` });
    const status: DocumentStatus = decision.decision === 'approve' ? 'approved' : 'rejected';
    await tx.query(
      'UPDATE integrated_documents SET status = $2, reason = $3, decided_at = $4 WHERE id = $1',
      [id, status, decision.reason ?? null, rc.at],
    );
    return view({ ...row, status, reason: decision.reason ?? null, decided_at: rc.at });
  });
}
