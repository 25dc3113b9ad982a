/**
 * TeamStore over one team schema. Every query names the team's schema explicitly (quoted,
 * built from the validated team id), so a store cannot reach another team's rows (R9).
 */
import type pg from 'pg';
import type { AccountRegistration, CheckpointBody, DeviceRegistration, KdfParams, LogEntry, PushRecord, Role, RosterEntry, TeamRole, TeamWrap, Wrap } from '../../../protocol/index.js';
import { ZERO_HASH } from '../../../protocol/index.js';
import { planLogEntries, type ShareLogState } from '../../membership.js';
import type { AccountRow, ChunkPutOutcome, CodeRow, DeviceRow, DropKeysOutcome, Fail, LogApplyResult, PushOutcome, RosterEffects, TeamStore } from '../types.js';
import { teamBytesSql } from './ddl.js';
import { sqlState, withTx } from './pool.js';
import { deleteShareTx, dropKeysTx, historyQ, pullQ, purgeOrphanChunksTx, pushRecordsTx, putChunkTx } from './team-records.js';
import {
  addDeviceWithEntryTx, addJoinRequestTx, appendRosterTx, checkpointsQ, getRosterQ, listJoinRequestsQ, putCheckpointQ, rejectJoinRequestTx,
} from './team-roster.js';

export class PgTeamStore implements TeamStore {
  /** Quoted schema name, safe to splice into SQL. */
  readonly s: string;
  /** `observe`: told the team's stored bytes after every write that may change them (the relay-wide total). */
  constructor(readonly team: string, schema: string, private readonly db: pg.Pool, private readonly observe?: (bytes: number) => Promise<void>) {
    this.s = `"${schema}"`;
  }
  /** Runs a size-changing write, then reports the team's stored bytes (best effort: the next write or refresh repairs a miss). */
  private async sized<T>(write: Promise<T>): Promise<T> {
    const out = await write;
    if (this.observe) await this.usageBytes().then(this.observe).catch(() => undefined);
    return out;
  }
  private async rows<T extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, args)).rows;
  }

  async getAccount(id: string): Promise<AccountRow | null> {
    const [r] = await this.rows<Record<string, string | boolean | null>>(`SELECT * FROM ${this.s}.accounts WHERE id = $1`, [id]);
    return r ? {
      id: r.id as string, signPk: r.sign_pk as string, boxPk: r.box_pk as string, authPk: r.auth_pk as string, kdf: JSON.parse(r.kdf as string) as KdfParams, keyBlob: r.key_blob as string,
      teamRole: (r.team_role as TeamRole | null) ?? null, removed: r.removed === true,
    } : null;
  }
  async getRoster(since: number) {
    return getRosterQ(this.db, this.s, since);
  }
  async appendRoster(expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null) {
    return withTx(this.db, (c) => appendRosterTx(c, this.s, expected, entries, wraps, fx, check));
  }
  async teamWraps(account: string) {
    return this.rows<TeamWrap>(`SELECT epoch, account, wrapped FROM ${this.s}.team_wraps WHERE account = $1 ORDER BY epoch`, [account]);
  }
  async addJoinRequest(invite: string, a: AccountRegistration, d: DeviceRegistration, nameEnc: string, mac: string, now: number) {
    return addJoinRequestTx(this.db, this.s, invite, a, d, nameEnc, mac, now);
  }
  async listJoinRequests() {
    return listJoinRequestsQ(this.db, this.s);
  }
  async rejectJoinRequest(account: string) {
    return withTx(this.db, (c) => rejectJoinRequestTx(c, this.s, account));
  }
  async addDeviceWithEntry(account: string, d: DeviceRegistration, expected: number, entry: RosterEntry) {
    return addDeviceWithEntryTx(this.db, this.s, account, d, expected, entry);
  }
  async putCheckpoint(account: string, device: string, body: CheckpointBody, sig: string) {
    await putCheckpointQ(this.db, this.s, account, device, body, sig);
  }
  async checkpoints(account: string) {
    return checkpointsQ(this.db, this.s, account);
  }
  async updateAccount(id: string, authPk: string, kdf: KdfParams, keyBlob: string) {
    await this.db.query(`UPDATE ${this.s}.accounts SET auth_pk = $2, kdf = $3, key_blob = $4 WHERE id = $1`, [id, authPk, JSON.stringify(kdf), keyBlob]);
  }
  async deleteAccount(id: string) {
    await withTx(this.db, async (c) => {
      await c.query(`DELETE FROM ${this.s}.devices WHERE account = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.members WHERE account = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.wraps WHERE to_kind = 'account' AND to_id = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.team_wraps WHERE account = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.checkpoints WHERE account = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.join_requests WHERE account = $1`, [id]);
      await c.query(`DELETE FROM ${this.s}.accounts WHERE id = $1`, [id]);
    });
  }
  async getDevice(id: string): Promise<DeviceRow | null> {
    const [r] = await this.rows(`SELECT * FROM ${this.s}.devices WHERE id = $1`, [id]);
    return r ? deviceRow(r) : null;
  }
  async listDevices(account?: string) {
    const rows = account === undefined
      ? await this.rows(`SELECT * FROM ${this.s}.devices ORDER BY id`)
      : await this.rows(`SELECT * FROM ${this.s}.devices WHERE account = $1 ORDER BY id`, [account]);
    return rows.map(deviceRow);
  }
  async touchDevice(id: string, day: string) {
    await this.db.query(`UPDATE ${this.s}.devices SET last_seen_day = $2 WHERE id = $1 AND last_seen_day IS DISTINCT FROM $2`, [id, day]);
  }
  async memberships(account: string) {
    return this.rows<{ share: string; role: Role }>(`SELECT share, role FROM ${this.s}.members WHERE account = $1 ORDER BY share`, [account]);
  }
  async role(share: string, account: string) {
    const [r] = await this.rows<{ role: Role }>(`SELECT role FROM ${this.s}.members WHERE share = $1 AND account = $2`, [share, account]);
    return r?.role ?? null;
  }
  async getCode(code: string): Promise<CodeRow | null> {
    const [r] = await this.rows<PgCode>(`SELECT * FROM ${this.s}.codes WHERE code = $1`, [code]);
    return r ? codeRow(r) : null;
  }
  async codesOf(share: string): Promise<CodeRow[]> {
    return (await this.rows<PgCode>(`SELECT * FROM ${this.s}.codes WHERE share = $1 ORDER BY code`, [share])).map(codeRow);
  }
  async touchCode(code: string, day: string) {
    await this.db.query(`UPDATE ${this.s}.codes SET last_used_day = $2 WHERE code = $1 AND last_used_day IS DISTINCT FROM $2`, [code, day]);
  }
  async shareExists(share: string) {
    return (await this.rows(`SELECT 1 FROM ${this.s}.shares WHERE id = $1`, [share])).length > 0;
  }

  async applyLogEntries(share: string, author: string, entries: LogEntry[], wraps: Wrap[]): Promise<LogApplyResult> {
    const s = this.s;
    try {
      return await withTx(this.db, async (c): Promise<LogApplyResult> => {
        const [row] = (await c.query<{ log_len: number; last_hash: string; epoch: number }>(`SELECT log_len, last_hash, epoch FROM ${s}.shares WHERE id = $1 FOR UPDATE`, [share])).rows;
        const members = (await c.query<{ account: string; role: Role }>(`SELECT account, role FROM ${s}.members WHERE share = $1`, [share])).rows;
        const codes = (await c.query<{ code: string }>(`SELECT code FROM ${s}.codes WHERE share = $1`, [share])).rows;
        const state: ShareLogState = {
          exists: !!row, length: row?.log_len ?? 0, lastHash: row?.last_hash ?? ZERO_HASH, epoch: row?.epoch ?? 0,
          members: new Map(members.map((m) => [m.account, m.role])), codes: new Set(codes.map((x) => x.code)),
        };
        const plan = planLogEntries(state, share, author, entries, wraps);
        if (!plan.ok) return { ...plan, head: state.length };
        const fx = plan.effects;
        if (fx.addedCodes.length && (await c.query(`SELECT 1 FROM ${s}.codes WHERE code = ANY($1::text[])`, [fx.addedCodes.map((x) => x.code)])).rowCount) {
          return { ok: false, code: 'NOT_ALLOWED', message: 'code id in use', head: state.length };
        }
        if (!row) await c.query(`INSERT INTO ${s}.shares VALUES ($1, 0, $2, 0, 0)`, [share, ZERO_HASH]);
        for (const e of entries) await c.query(`INSERT INTO ${s}.log VALUES ($1,$2,$3)`, [share, e.index, JSON.stringify(e)]);
        for (const m of fx.setMembers) await c.query(`INSERT INTO ${s}.members VALUES ($1,$2,$3) ON CONFLICT (share, account) DO UPDATE SET role = excluded.role`, [share, m.account, m.role]);
        for (const a of fx.removedMembers) {
          await c.query(`DELETE FROM ${s}.members WHERE share = $1 AND account = $2`, [share, a]);
          await c.query(`DELETE FROM ${s}.wraps WHERE share = $1 AND to_kind = 'account' AND to_id = $2`, [share, a]);
        }
        for (const x of fx.removedCodes) {
          await c.query(`DELETE FROM ${s}.codes WHERE code = $1`, [x.code]);
          await c.query(`DELETE FROM ${s}.wraps WHERE share = $1 AND to_kind = 'code' AND to_id = $2`, [share, x.code]);
        }
        for (const x of fx.addedCodes) await c.query(`INSERT INTO ${s}.codes (code, share, verifier_pk, read_only, expires_at) VALUES ($1,$2,$3,$4,$5)`, [x.code, share, x.verifierPk, x.readOnly, x.expiresAt]);
        for (const w of wraps) {
          await c.query(`INSERT INTO ${s}.wraps VALUES ($1,$2,$3,$4,$5) ON CONFLICT (share, to_kind, to_id, epoch) DO UPDATE SET wrapped = excluded.wrapped`, [share, w.epoch, w.to.kind, w.to.id, w.wrapped]);
        }
        await c.query(`UPDATE ${s}.shares SET log_len = $2, last_hash = $3, epoch = $4 WHERE id = $1`, [share, fx.length, fx.lastHash, fx.epoch]);
        return { ok: true, index: fx.length - 1, effects: fx };
      });
    } catch (e) {
      // Two instances creating the same share (or code id) at once: the loser sees a unique violation.
      if (sqlState(e) === '23505') return { ok: false, code: 'LOG_CONFLICT', message: 'concurrent change; reload the log', head: 0 };
      throw e;
    }
  }
  async getLog(share: string, since: number) {
    return (await this.rows<{ entry: string }>(`SELECT entry FROM ${this.s}.log WHERE share = $1 AND idx >= $2 ORDER BY idx`, [share, since])).map((r) => JSON.parse(r.entry) as LogEntry);
  }
  async getWraps(share: string, to: { kind: 'account' | 'code'; id: string }) {
    const rows = await this.rows<{ epoch: number; wrapped: string }>(`SELECT epoch, wrapped FROM ${this.s}.wraps WHERE share = $1 AND to_kind = $2 AND to_id = $3 ORDER BY epoch`, [share, to.kind, to.id]);
    return rows.map((r) => ({ epoch: r.epoch, to, wrapped: r.wrapped }) as Wrap);
  }
  async wrapsOfAccount(account: string) {
    return this.rows<{ share: string; epoch: number }>(`SELECT share, epoch FROM ${this.s}.wraps WHERE to_kind = 'account' AND to_id = $1 ORDER BY share, epoch`, [account]);
  }

  async dropKeys(share: string, below: number): Promise<DropKeysOutcome> {
    return this.sized(withTx(this.db, (c) => dropKeysTx(c, this.s, share, below)));
  }
  async pushRecords(share: string, records: PushRecord[], retention: number, quota?: number): Promise<PushOutcome> {
    return this.sized(withTx(this.db, (c) => pushRecordsTx(c, this.s, share, records, retention, quota)));
  }
  async pull(share: string, since: number, limit: number) {
    return pullQ(this.db, this.s, share, since, limit);
  }
  async history(share: string, item: string) {
    return historyQ(this.db, this.s, share, item);
  }
  async hasChunks(share: string, hashes: string[], now: number) {
    const got = new Set((await this.rows<{ hash: string }>(`UPDATE ${this.s}.chunks SET added = $3 WHERE share = $1 AND hash = ANY($2::text[]) RETURNING hash`, [share, hashes, now])).map((r) => r.hash));
    return hashes.map((h) => got.has(h));
  }
  async getChunk(share: string, hash: string) {
    const [r] = await this.rows<{ data: Buffer }>(`SELECT data FROM ${this.s}.chunks WHERE share = $1 AND hash = $2`, [share, hash]);
    return r ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength) : null;
  }
  async putChunk(share: string, hash: string, bytes: Uint8Array, quota: number, now: number): Promise<ChunkPutOutcome> {
    return this.sized(withTx(this.db, (c) => putChunkTx(c, this.s, share, hash, bytes, quota, now)));
  }
  async purgeOrphanChunks(before: number) {
    return this.sized(withTx(this.db, (c) => purgeOrphanChunksTx(c, this.s, before)));
  }
  async deleteShare(share: string) {
    await this.sized(withTx(this.db, (c) => deleteShareTx(c, this.s, share)));
  }
  async usageBytes() {
    return Number((await this.rows<{ v: number }>(teamBytesSql(this.s)))[0]?.v ?? 0);
  }
}

function deviceRow(r: Record<string, unknown>): DeviceRow {
  return {
    id: r.id as string, account: r.account as string, signPk: r.sign_pk as string, cert: r.cert as string,
    platform: r.platform as DeviceRow['platform'], nameEnc: r.name_enc as string, lastSeenDay: (r.last_seen_day as string | null) ?? null, active: r.active === true,
    revokedAt: (r.revoked_at as number | null) ?? null,
  };
}

type PgCode = { code: string; share: string; verifier_pk: string; read_only: boolean; expires_at: number | null; last_used_day: string | null };
function codeRow(r: PgCode): CodeRow {
  return { code: r.code, share: r.share, verifierPk: r.verifier_pk, readOnly: r.read_only, expiresAt: r.expires_at ?? null, lastUsedDay: r.last_used_day ?? null };
}
