/**
 * @module
 * Locking an account (IDENTITY-NOTES §2: on the portal after login, with a reason — lost device,
 * broken device, lost card, suspected data leak, other): every session ends, logins answer
 * `invalid_credentials`, old tokens `account_locked`. Unlocking is only possible through the
 * sandbox controls (in VNeID: at a police station); it restores the state the account was
 * locked from and clears a temporary login lockout.
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { revokeSessions, type SessionInfo } from './sessions.ts';

export const LOCK_REASONS = ['lost_device', 'broken_device', 'lost_card', 'data_leak', 'other'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

export async function lockAccount(
  rc: RequestContext,
  session: SessionInfo,
  reason: LockReason,
): Promise<{ state: 'locked'; reason: LockReason; lockedAt: string }> {
  await rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ state: string }>(
      'SELECT state FROM accounts WHERE id = $1 FOR UPDATE',
      [session.accountId],
    );
    const state = rows[0]?.state;
    if (state === undefined) throw new ProblemError('unauthorized');
    if (state === 'locked') throw new ProblemError('account_locked');
    await tx.query(
      `UPDATE accounts SET state = 'locked', locked_reason = $2, locked_from_state = $3 WHERE id = $1`,
      [session.accountId, reason, state],
    );
    await revokeSessions(tx, session.accountId, { reason: 'locked', at: rc.at });
  });
  return { state: 'locked', reason, lockedAt: rc.at.toISOString() };
}

/** `POST /__sandbox/accounts/{personalId}/unlock`. */
export async function unlockAccount(
  rc: RequestContext,
  personalId: string,
): Promise<{ personalId: string; state: string; level: number }> {
  return rc.db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      state: string;
      locked_from_state: string | null;
      level: number;
    }>('SELECT id, state, locked_from_state, level FROM accounts WHERE personal_id = $1 FOR UPDATE', [
      personalId,
    ]);
    const account = rows[0];
    if (account === undefined)
      throw new ProblemError('not_found', { detail: 'no account for this personal ID' });
    let state = account.state;
    if (state === 'locked') {
      state = account.locked_from_state ?? (account.level > 0 ? 'active' : 'app');
      await tx.query(
        'UPDATE accounts SET state = $2, locked_reason = NULL, locked_from_state = NULL WHERE id = $1',
        [account.id, state],
      );
    }
    await tx.query('DELETE FROM login_failures WHERE account_id = $1', [account.id]);
    return { personalId, state, level: account.level };
  });
}
