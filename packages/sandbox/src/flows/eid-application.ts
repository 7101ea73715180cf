/**
 * @module
 * Level-1 eID applications and level-2 appointments (Decree 69/2024, IDENTITY-NOTES §1–2).
 * An app account applies with chip evidence (the raw chip files, passive authentication by
 * PARTNER's `verifyChipEvidence`) or, for phones without NFC, the card's QR payload (parsed
 * with `@vneid/core/qr`; unsigned, so it only proves that the typed data match the card's
 * print), plus a portrait (JPEG; only its SHA-256 and size are kept) and an optional e-mail.
 * The evidence must name the applicant (personal ID, name, birth date). Status
 * `pending → approved | rejected`, decided through the sandbox controls; approval makes the
 * account `approved` at level 1 and sends the approval SMS, after which the citizen activates
 * it. A level-1 account books an appointment at a police office; its approval sets level 2.
 *
 * ACCOUNTS' 3-day sweep keeps every app account with a row in `eid_applications`.
 */
import { createHash } from 'node:crypto';
import { parseCccdQr } from '@vneid/core/qr';
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { randomId } from '../secrets.ts';
import { isPgError, PG_UNIQUE_VIOLATION, type Queryable } from '../store/db.ts';
import { type ChipFiles, verifyChipEvidence } from './chip-evidence.ts';
import { sendSms } from './sms.ts';

/** The largest portrait accepted, decoded. */
export const MAX_PORTRAIT_BYTES = 512 * 1024;
/** How far ahead a level-2 appointment can be booked. */
export const MAX_APPOINTMENT_DAYS = 90;

export type Evidence = { kind: 'nfc'; chipFiles: ChipFiles } | { kind: 'qr'; qrPayload: string };

export interface ApplicationInput {
  evidence: Evidence;
  /** Base64 JPEG. */
  portrait: string;
  email?: string;
}

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

export interface ApplicationView {
  applicationId: string;
  level: number;
  status: ApplicationStatus;
  evidence: 'nfc' | 'qr';
  checks: Record<string, unknown>;
  email: string | null;
  submittedAt: string;
  decidedAt: string | null;
  reason: string | null;
}

interface ApplicationRow {
  id: string;
  level: number;
  status: ApplicationStatus;
  evidence_kind: 'nfc' | 'qr';
  evidence_checks: Record<string, unknown>;
  email: string | null;
  created_at: Date;
  decided_at: Date | null;
  reason: string | null;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function applicationView(r: ApplicationRow): ApplicationView {
  return {
    applicationId: r.id,
    level: r.level,
    status: r.status,
    evidence: r.evidence_kind,
    checks: r.evidence_checks,
    email: r.email,
    submittedAt: iso(r.created_at)!,
    decidedAt: iso(r.decided_at),
    reason: r.reason,
  };
}

/** Removes Vietnamese diacritics (`Nguyễn Văn Đức` → `Nguyen Van Duc`). */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

const normaliseName = (name: string) => name.normalize('NFC').trim().replace(/\s+/gu, ' ').toUpperCase();

/** Same name: exactly (after NFC, spacing and case), or without diacritics when one side has none (MRZ-style). */
export function sameName(a: string, b: string): boolean {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === y) return true;
  const plain = (s: string) => stripDiacritics(s) === s;
  return (plain(x) || plain(y)) && stripDiacritics(x) === stripDiacritics(y);
}

interface Applicant {
  id: string;
  personal_id: string;
  full_name: string;
  birth_date: string;
  phone: string;
  state: string;
  level: number;
}

async function lockAccount(tx: Queryable, accountId: string): Promise<Applicant> {
  const { rows } = await tx.query<Applicant>(
    'SELECT id, personal_id, full_name, birth_date, phone, state, level FROM accounts WHERE id = $1 FOR UPDATE',
    [accountId],
  );
  if (rows[0] === undefined) throw new ProblemError('unauthorized');
  return rows[0];
}

function decodePortrait(portrait: string): { sha256: string; bytes: number } {
  const bytes = Buffer.from(portrait, 'base64');
  const invalid = (detail: string) =>
    new ProblemError('invalid_request', { detail, extra: { pointer: '/portrait' } });
  if (bytes.length > MAX_PORTRAIT_BYTES)
    throw invalid(`the portrait is larger than ${MAX_PORTRAIT_BYTES} bytes`);
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff)
    throw invalid('the portrait must be a JPEG image');
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** What the evidence says about its holder, and the checks that produced it. */
async function readEvidence(
  rc: RequestContext,
  evidence: Evidence,
): Promise<{
  personalId: string | null;
  fullName?: string;
  birthDate?: string;
  checks: Record<string, unknown>;
}> {
  if (evidence.kind === 'nfc') {
    const chip = await verifyChipEvidence(rc, evidence.chipFiles);
    if (!chip.ok)
      throw new ProblemError('chip_verification_failed', {
        extra: { checks: chip.checks, ...(chip.failure !== undefined ? { failure: chip.failure } : {}) },
      });
    return {
      personalId: chip.personalId,
      ...(chip.fullName !== undefined ? { fullName: chip.fullName } : {}),
      ...(chip.birthDate !== undefined ? { birthDate: chip.birthDate } : {}),
      checks: { passiveAuthentication: 'ok', ...chip.checks },
    };
  }
  let qr: ReturnType<typeof parseCccdQr>;
  try {
    qr = parseCccdQr(evidence.qrPayload, { now: () => rc.at.getTime() });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ProblemError('invalid_request', {
      detail: 'the QR payload is not a CCCD / Căn cước payload',
      extra: { pointer: '/evidence/qrPayload', ...(typeof code === 'string' ? { qrError: code } : {}) },
    });
  }
  return {
    personalId: qr.idNumber,
    fullName: qr.fullName,
    birthDate: qr.dateOfBirth,
    checks: { qrFormat: qr.kind, qrWarnings: qr.warnings.length },
  };
}

export async function submitApplication(
  rc: RequestContext,
  accountId: string,
  input: ApplicationInput,
): Promise<ApplicationView> {
  const portrait = decodePortrait(input.portrait);
  // Preconditions first (cheap), then the evidence (passive authentication), then the write.
  const before = await rc.db.query<Applicant>('SELECT state, level FROM accounts WHERE id = $1', [accountId]);
  checkApplicant(before.rows[0]);
  const evidence = await readEvidence(rc, input.evidence);
  return rc.db.transaction(async (tx) => {
    const account = await lockAccount(tx, accountId);
    checkApplicant(account);
    const mismatched: string[] = [];
    if (evidence.personalId !== account.personal_id) mismatched.push('personalId');
    if (evidence.fullName === undefined || !sameName(evidence.fullName, account.full_name))
      mismatched.push('fullName');
    if (evidence.birthDate !== account.birth_date) mismatched.push('birthDate');
    if (mismatched.length > 0) throw new ProblemError('evidence_mismatch', { extra: { fields: mismatched } });
    const row: ApplicationRow = {
      id: randomId(),
      level: 1,
      status: 'pending',
      evidence_kind: input.evidence.kind,
      evidence_checks: { ...evidence.checks, personalId: 'match', fullName: 'match', birthDate: 'match' },
      email: input.email ?? null,
      created_at: rc.at,
      decided_at: null,
      reason: null,
    };
    try {
      await tx.query(
        `INSERT INTO eid_applications (id, account_id, level, evidence_kind, evidence_checks, portrait_sha256,
           portrait_bytes, email, status, created_at)
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7, 'pending', $8)`,
        [
          row.id,
          accountId,
          row.evidence_kind,
          JSON.stringify(row.evidence_checks),
          portrait.sha256,
          portrait.bytes,
          row.email,
          rc.at,
        ],
      );
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION))
        throw new ProblemError('conflict', { detail: 'an application is already pending' });
      throw error;
    }
    // ACCOUNTS' 3-day sweep of app accounts spares accounts that applied.
    await tx.query('UPDATE accounts SET eid_applied_at = COALESCE(eid_applied_at, $2) WHERE id = $1', [
      accountId,
      rc.at,
    ]);
    return applicationView(row);
  });
}

function checkApplicant(account: Pick<Applicant, 'state' | 'level'> | undefined): void {
  if (account === undefined) throw new ProblemError('unauthorized');
  if (account.level >= 1 || account.state !== 'app')
    throw new ProblemError('conflict', { detail: 'the account already has an electronic identification' });
}

const APPLICATION_COLUMNS =
  'id, level, status, evidence_kind, evidence_checks, email, created_at, decided_at, reason';

export async function getApplication(
  rc: RequestContext,
  accountId: string,
  id: string,
): Promise<ApplicationView> {
  const { rows } = await rc.db.query<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM eid_applications WHERE id = $1 AND account_id = $2`,
    [id, accountId],
  );
  if (rows[0] === undefined) throw new ProblemError('not_found');
  return applicationView(rows[0]);
}

export async function listApplications(rc: RequestContext, accountId: string): Promise<ApplicationView[]> {
  const { rows } = await rc.db.query<ApplicationRow>(
    `SELECT ${APPLICATION_COLUMNS} FROM eid_applications WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 100`,
    [accountId],
  );
  return rows.map(applicationView);
}

/** The approval SMS of IDENTITY-NOTES §2, ASCII as the police send it. */
export function approvalSms(fullName: string, level: 1 | 2): string {
  const what = level === 1 ? 'tai khoan dinh danh dien tu' : 'tai khoan dinh danh dien tu muc do 2';
  return `Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky ${what} cua cong dan ${stripDiacritics(fullName)} da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.`;
}

export interface Decision {
  decision: 'approve' | 'reject';
  reason?: string;
}

export async function decideApplication(
  rc: RequestContext,
  id: string,
  decision: Decision,
): Promise<ApplicationView> {
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<ApplicationRow & { account_id: string }>(
      `SELECT ${APPLICATION_COLUMNS}, account_id FROM eid_applications WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new ProblemError('not_found');
    if (row.status !== 'pending')
      throw new ProblemError('conflict', { detail: `the application is ${row.status}` });
    const account = await lockAccount(tx, row.account_id);
    if (decision.decision === 'approve') {
      if (account.state !== 'app' || account.level !== 0)
        throw new ProblemError('conflict', { detail: 'the account is not an app account any more' });
      await tx.query(`UPDATE accounts SET state = 'approved', level = 1 WHERE id = $1`, [account.id]);
      await sendSms(
        tx,
        { phone: account.phone, body: approvalSms(account.full_name, 1), purpose: 'eid_approved' },
        rc.at,
      );
    }
    const status: ApplicationStatus = decision.decision === 'approve' ? 'approved' : 'rejected';
    await tx.query('UPDATE eid_applications SET status = $2, reason = $3, decided_at = $4 WHERE id = $1', [
      id,
      status,
      decision.reason ?? null,
      rc.at,
    ]);
    return applicationView({ ...row, status, reason: decision.reason ?? null, decided_at: rc.at });
  });
}

// ── level 2: appointments ────────────────────────────────────────────────────────────────────

export type AppointmentStatus = 'booked' | 'approved' | 'rejected';

export interface AppointmentView {
  appointmentId: string;
  policeOffice: string;
  date: string;
  status: AppointmentStatus;
  bookedAt: string;
  decidedAt: string | null;
  reason: string | null;
}

interface AppointmentRow {
  id: string;
  police_office: string;
  appointment_date: string;
  status: AppointmentStatus;
  created_at: Date;
  decided_at: Date | null;
  reason: string | null;
}

const appointmentView = (r: AppointmentRow): AppointmentView => ({
  appointmentId: r.id,
  policeOffice: r.police_office,
  date: r.appointment_date,
  status: r.status,
  bookedAt: iso(r.created_at)!,
  decidedAt: iso(r.decided_at),
  reason: r.reason,
});

/** Today in Vietnam (UTC+7 all year) as `YYYY-MM-DD`, `days` later. */
function vietnamDate(at: Date, days = 0): string {
  return new Date(at.getTime() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

export async function bookAppointment(
  rc: RequestContext,
  accountId: string,
  input: { policeOffice: string; date: string },
): Promise<AppointmentView> {
  const date = input.date;
  const valid =
    !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) &&
    new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
  if (!valid || date < vietnamDate(rc.at) || date > vietnamDate(rc.at, MAX_APPOINTMENT_DAYS))
    throw new ProblemError('invalid_request', {
      detail: `the date must be a day from today to ${MAX_APPOINTMENT_DAYS} days ahead`,
      extra: { pointer: '/date' },
    });
  const policeOffice = input.policeOffice.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (policeOffice.length < 3)
    throw new ProblemError('invalid_request', {
      detail: 'the police office is required',
      extra: { pointer: '/policeOffice' },
    });
  return rc.db.transaction(async (tx) => {
    const account = await lockAccount(tx, accountId);
    if (account.level < 1)
      throw new ProblemError('level_insufficient', { detail: 'level 1 is required first' });
    if (account.level >= 2)
      throw new ProblemError('conflict', { detail: 'the account is already at level 2' });
    if (account.state !== 'active') throw new ProblemError('account_not_activated');
    const { rows: open } = await tx.query(
      "SELECT 1 FROM eid_appointments WHERE account_id = $1 AND status = 'booked'",
      [accountId],
    );
    if (open.length > 0) throw new ProblemError('conflict', { detail: 'an appointment is already booked' });
    const row: AppointmentRow = {
      id: randomId(),
      police_office: policeOffice,
      appointment_date: date,
      status: 'booked',
      created_at: rc.at,
      decided_at: null,
      reason: null,
    };
    await tx.query(
      `INSERT INTO eid_appointments (id, account_id, police_office, appointment_date, status, created_at)
       VALUES ($1, $2, $3, $4, 'booked', $5)`,
      [row.id, accountId, row.police_office, row.appointment_date, rc.at],
    );
    return appointmentView(row);
  });
}

const APPOINTMENT_COLUMNS = 'id, police_office, appointment_date, status, created_at, decided_at, reason';

export async function listAppointments(rc: RequestContext, accountId: string): Promise<AppointmentView[]> {
  const { rows } = await rc.db.query<AppointmentRow>(
    `SELECT ${APPOINTMENT_COLUMNS} FROM eid_appointments WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT 100`,
    [accountId],
  );
  return rows.map(appointmentView);
}

export async function decideAppointment(
  rc: RequestContext,
  id: string,
  decision: Decision,
): Promise<AppointmentView> {
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<AppointmentRow & { account_id: string }>(
      `SELECT ${APPOINTMENT_COLUMNS}, account_id FROM eid_appointments WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new ProblemError('not_found');
    if (row.status !== 'booked')
      throw new ProblemError('conflict', { detail: `the appointment is ${row.status}` });
    const account = await lockAccount(tx, row.account_id);
    if (decision.decision === 'approve') {
      if (account.level !== 1)
        throw new ProblemError('conflict', { detail: 'the account is not at level 1' });
      await tx.query('UPDATE accounts SET level = 2 WHERE id = $1', [account.id]);
      await sendSms(
        tx,
        { phone: account.phone, body: approvalSms(account.full_name, 2), purpose: 'eid_approved' },
        rc.at,
      );
    }
    const status: AppointmentStatus = decision.decision === 'approve' ? 'approved' : 'rejected';
    await tx.query('UPDATE eid_appointments SET status = $2, reason = $3, decided_at = $4 WHERE id = $1', [
      id,
      status,
      decision.reason ?? null,
      rc.at,
    ]);
    return appointmentView({ ...row, status, reason: decision.reason ?? null, decided_at: rc.at });
  });
}
