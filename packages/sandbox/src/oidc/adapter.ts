/**
 * @module
 * oidc-provider's storage Adapter on the sandbox database (one `oidc_models` table), so that
 * authorization codes, PAR requests, sessions, interactions, grants, tokens, registered clients
 * and the replay caches of DPoP proofs and client assertions are shared by every process and
 * survive a restart. Expired rows are invisible to `find`.
 *
 * Time: a row's `expires_at` is on the sandbox clock (real time plus the offset of `POST
 * /__sandbox/clock`, added in SQL from `sandbox_state`), so advancing the clock expires stored
 * artifacts — PAR requests, codes, interactions, sessions, grants, access tokens — as the
 * adapter sees them. oidc-provider itself still reads `Date.now()` for what it checks without
 * the adapter (`exp`/`iat` inside ID tokens and client assertions, DPoP proof `iat` windows and
 * nonces, cookie max-age, the `expires_in` it reports): those the clock control does NOT move,
 * and neither does it move the replay caches (they guard those real-time windows).
 * Two operations are made atomic across processes, where oidc-provider's own code reads and
 * then writes:
 * `consume` of a code (only one of two concurrent token requests wins; the other gets
 * `invalid_grant`) and the replay check (`ReplayDetection.unique()` calls `find` then `save`;
 * here `find` claims the id with one `INSERT … ON CONFLICT`, so only the first caller sees it
 * as new).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { Db } from '../store/db.ts';

/** How long a replay-detection claim lives before oidc-provider's own `save` sets the real expiry. */
const REPLAY_CLAIM_SECONDS = 600;

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

interface Row {
  payload: AdapterPayload;
  consumed_at: Date | string | null;
}

const epoch = (ms: number) => Math.floor(ms / 1000);

/** The sandbox clock's offset as an interval, added to a real-time parameter in SQL. */
const OFFSET = "(SELECT clock_offset_ms FROM sandbox_state WHERE id = 1) * interval '1 millisecond'";

function withConsumed(row: Row | undefined): AdapterPayload | undefined {
  if (row === undefined) return undefined;
  const payload = { ...row.payload };
  if (row.consumed_at !== null) payload.consumed = epoch(new Date(row.consumed_at).getTime());
  return payload;
}

/** The Adapter class oidc-provider instantiates once per model name. */
export function createOidcAdapter(db: Db): new (model: string) => Adapter {
  return class SqlAdapter implements Adapter {
    readonly model: string;
    /** The replay caches guard real-time windows (DPoP `iat`, assertion `exp`): no clock offset. */
    private readonly offset: string;
    constructor(model: string) {
      this.model = model;
      this.offset = model === 'ReplayDetection' ? "interval '0'" : OFFSET;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const now = Date.now();
      const expiresAt =
        typeof expiresIn === 'number' && expiresIn > 0 ? new Date(now + expiresIn * 1000) : null;
      const grantId = GRANTABLE.has(this.model) ? (payload.grantId ?? null) : null;
      await db.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz + ${this.offset})
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [
          this.model,
          id,
          JSON.stringify(payload),
          grantId,
          payload.userCode ?? null,
          payload.uid ?? null,
          expiresAt,
        ],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'ReplayDetection') return this.claimReplay(id);
      const { rows } = await db.query<Row>(
        `SELECT payload, consumed_at FROM oidc_models
         WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > $3::timestamptz + ${this.offset})`,
        [this.model, id, new Date()],
      );
      return withConsumed(rows[0]);
    }

    /**
     * Claims a replay-detection id: answers `undefined` (never seen) to exactly one caller, and
     * the stored entry to every later one until it expires.
     */
    private async claimReplay(id: string): Promise<AdapterPayload | undefined> {
      const now = Date.now();
      const claim = {
        iat: epoch(now),
        exp: epoch(now) + REPLAY_CLAIM_SECONDS,
        jti: id,
        kind: 'ReplayDetection',
      };
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO oidc_models (model, id, payload, expires_at) VALUES ($1, $2, $3, $4::timestamptz)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at,
           consumed_at = NULL
         WHERE oidc_models.expires_at IS NOT NULL AND oidc_models.expires_at <= $5::timestamptz
         RETURNING id`,
        [this.model, id, JSON.stringify(claim), new Date(now + REPLAY_CLAIM_SECONDS * 1000), new Date(now)],
      );
      if (rows.length === 1) return undefined;
      return claim;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const { rows } = await db.query<Row>(
        `SELECT payload, consumed_at FROM oidc_models
         WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > $3::timestamptz + ${this.offset}) LIMIT 1`,
        [this.model, uid, new Date()],
      );
      return withConsumed(rows[0]);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const { rows } = await db.query<Row>(
        `SELECT payload, consumed_at FROM oidc_models
         WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > $3::timestamptz + ${this.offset}) LIMIT 1`,
        [this.model, userCode, new Date()],
      );
      return withConsumed(rows[0]);
    }

    async consume(id: string): Promise<void> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE oidc_models SET consumed_at = $3
         WHERE model = $1 AND id = $2 AND consumed_at IS NULL RETURNING id`,
        [this.model, id, new Date()],
      );
      // Another request (maybe on another process) consumed it between oidc-provider's check
      // and this call: exactly one of them may redeem the code.
      if (rows.length === 0) throw new errors.InvalidGrant('grant source already consumed');
    }

    async destroy(id: string): Promise<void> {
      await db.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]);
    }
  };
}
