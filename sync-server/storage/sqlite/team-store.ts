/** TeamStore over one SQLite file (better-sqlite3 is synchronous; the async port wraps it). */
import type { AccountRegistration, CheckpointBody, DeviceRegistration, KdfParams, LogEntry, PushRecord, Role, RosterEntry, TeamRole, TeamWrap, Wrap } from '../../../protocol/index.js';
import { ZERO_HASH } from '../../../protocol/index.js';
import { planLogEntries, type ShareLogState } from '../../membership.js';
import type { AccountRow, ChunkPutOutcome, CodeRow, DeviceRow, DropKeysOutcome, Fail, LogApplyResult, PushOutcome, RosterEffects, TeamStore } from '../types.js';
import { CHUNK_SIZE_SQL, q, scrubWal, TEAM_BYTES_SQL, type Db } from './open-db.js';
import { ChunkFiles, INLINE_CHUNK_MAX } from './chunk-files.js';
import { StorageFault } from '../storage-fault.js';
import { deleteShareTx, dropKeysTx, historyTx, makePushRecords, pullTx } from './team-records.js';
import {
  addDeviceWithEntryTx, addJoinRequestTx, appendRosterTx, checkpointsTx, getRosterTx, insertAccount, insertDevice, listJoinRequestsTx, putCheckpointTx, rejectJoinRequestTx,
} from './team-roster.js';

/** Bound on cached role lookups per team (cleared when reached). */
const ROLE_CACHE_MAX = 10_000;

interface PendingPush { share: string; records: PushRecord[]; retention: number; quota?: number; resolve: (o: PushOutcome) => void; reject: (e: unknown) => void }
/** `file`: the new chunk's bytes are in that file; `data`: they go into the row; neither: the chunk is only touched. */
interface PendingChunk { share: string; hash: string; file: string; data: Uint8Array | null; size: number; quota: number; now: number; resolve: (o: ChunkPutOutcome | 'gone') => void; reject: (e: unknown) => void }

export class SqliteTeamStore implements TeamStore {
  /** Chunk writes arriving in the same event-loop turn share one transaction (group commit). */
  private pending: PendingChunk[] = [];
  /** Pushes arriving in the same turn commit together (one fsync); each is its own savepoint, so one conflict rolls back only its push. */
  private pendingPushes: PendingPush[] = [];
  /**
   * Roles read by access checks ("share account" → role, null = not a member). This store is the
   * only writer of the file, and every write of `members` (applyLogEntries, deleteAccount,
   * deleteShare) clears the cache synchronously with its transaction, so a cached answer is
   * always what the table holds now: a membership change takes effect at once.
   */
  private roles = new Map<string, Role | null>();
  /** One group commit: each multi-record push in its own savepoint, all in one transaction (made once: see makePushRecords). */
  private readonly commitPushes: (batch: PendingPush[]) => { outs: PushOutcome[]; scrub: boolean };
  /** Chunk files written whose rows have not committed yet (the orphan sweep leaves them alone). */
  private readonly writing = new Set<string>();
  readonly files: ChunkFiles;
  /** `chunkDir`: where this team's chunk files live (chunkDirOf of its database file). */
  constructor(readonly team: string, readonly db: Db, chunkDir: string) {
    this.files = new ChunkFiles(chunkDir);
    const { push, writeHeads } = makePushRecords(db);
    this.commitPushes = db.transaction((batch: PendingPush[]) => {
      let scrub = false;
      const heads = new Map<string, number>();
      const outs = batch.map((p): PushOutcome => {
        const { deleted, ...out } = push(p.share, p.records, p.retention, heads, p.quota);
        if (deleted) scrub = true;
        return out as PushOutcome;
      });
      writeHeads(heads);
      return { outs, scrub };
    });
  }

  async getAccount(id: string): Promise<AccountRow | null> {
    const r = q(this.db, 'SELECT * FROM accounts WHERE id = ?').get(id) as Record<string, string> | undefined;
    return r ? {
      id: r.id!, signPk: r.sign_pk!, boxPk: r.box_pk!, authPk: r.auth_pk!, kdf: JSON.parse(r.kdf!) as KdfParams, keyBlob: r.key_blob!,
      teamRole: (r.team_role as TeamRole | null) ?? null, removed: Number(r.removed) === 1,
    } : null;
  }
  /** Founder only (createTeam): the account as owner and its first device. */
  addFounder(a: AccountRegistration, d: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number): boolean {
    return this.db.transaction(() => {
      if (q(this.db, 'SELECT 1 FROM accounts').get() || q(this.db, 'SELECT 1 FROM roster').get()) return false;
      insertAccount(this.db, a, now, 'owner');
      insertDevice(this.db, a.id, d);
      const out = appendRosterTx(this.db, 0, roster, wraps, { setRoles: [], removed: [], revokedDevices: [], joined: [] });
      return out.ok;
    })();
  }
  async getRoster(since: number) {
    return getRosterTx(this.db, since);
  }
  async appendRoster(expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null) {
    const out = appendRosterTx(this.db, expected, entries, wraps, fx, check);
    if (out.ok && fx.removed.length) await this.scrub();
    return out;
  }
  async teamWraps(account: string) {
    return q(this.db, 'SELECT epoch, account, wrapped FROM team_wraps WHERE account = ? ORDER BY epoch').all(account) as TeamWrap[];
  }
  async addJoinRequest(invite: string, a: AccountRegistration, d: DeviceRegistration, nameEnc: string, mac: string, now: number) {
    return addJoinRequestTx(this.db, invite, a, d, nameEnc, mac, now);
  }
  async listJoinRequests() {
    return listJoinRequestsTx(this.db);
  }
  async rejectJoinRequest(account: string) {
    return rejectJoinRequestTx(this.db, account);
  }
  async addDeviceWithEntry(account: string, d: DeviceRegistration, expected: number, entry: RosterEntry) {
    return addDeviceWithEntryTx(this.db, account, d, expected, entry);
  }
  async putCheckpoint(account: string, device: string, body: CheckpointBody, sig: string) {
    putCheckpointTx(this.db, account, device, body, sig);
  }
  async checkpoints(account: string) {
    return checkpointsTx(this.db, account);
  }
  async updateAccount(id: string, authPk: string, kdf: KdfParams, keyBlob: string) {
    q(this.db, 'UPDATE accounts SET auth_pk = ?, kdf = ?, key_blob = ? WHERE id = ?').run(authPk, JSON.stringify(kdf), keyBlob, id);
  }
  async deleteAccount(id: string) {
    this.roles.clear();
    this.db.transaction(() => {
      q(this.db, 'DELETE FROM devices WHERE account = ?').run(id);
      q(this.db, 'DELETE FROM members WHERE account = ?').run(id);
      q(this.db, "DELETE FROM wraps WHERE to_kind = 'account' AND to_id = ?").run(id);
      q(this.db, 'DELETE FROM team_wraps WHERE account = ?').run(id);
      q(this.db, 'DELETE FROM checkpoints WHERE account = ?').run(id);
      q(this.db, 'DELETE FROM join_requests WHERE account = ?').run(id);
      q(this.db, 'DELETE FROM accounts WHERE id = ?').run(id);
    })();
    await this.scrub();
  }
  async getDevice(id: string): Promise<DeviceRow | null> {
    const r = q(this.db, 'SELECT * FROM devices WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? deviceRow(r) : null;
  }
  async listDevices(account?: string) {
    const rows = account === undefined
      ? q(this.db, 'SELECT * FROM devices ORDER BY id').all()
      : q(this.db, 'SELECT * FROM devices WHERE account = ? ORDER BY id').all(account);
    return (rows as Record<string, unknown>[]).map(deviceRow);
  }
  async touchDevice(id: string, day: string) {
    q(this.db, 'UPDATE devices SET last_seen_day = ? WHERE id = ? AND (last_seen_day IS NULL OR last_seen_day <> ?)').run(day, id, day);
  }
  async memberships(account: string) {
    return q(this.db, 'SELECT share, role FROM members WHERE account = ? ORDER BY share').all(account) as { share: string; role: Role }[];
  }
  async role(share: string, account: string) {
    const key = `${share} ${account}`;
    let role = this.roles.get(key);
    if (role === undefined) {
      role = (q(this.db, 'SELECT role FROM members WHERE share = ? AND account = ?').pluck().get(share, account) as Role | undefined) ?? null;
      if (this.roles.size >= ROLE_CACHE_MAX) this.roles.clear();
      this.roles.set(key, role);
    }
    return role;
  }
  async getCode(code: string): Promise<CodeRow | null> {
    const r = q(this.db, 'SELECT * FROM codes WHERE code = ?').get(code) as Record<string, unknown> | undefined;
    return r ? codeRow(r) : null;
  }
  async codesOf(share: string): Promise<CodeRow[]> {
    return (q(this.db, 'SELECT * FROM codes WHERE share = ? ORDER BY code').all(share) as Record<string, unknown>[]).map(codeRow);
  }
  async touchCode(code: string, day: string) {
    q(this.db, 'UPDATE codes SET last_used_day = ? WHERE code = ? AND (last_used_day IS NULL OR last_used_day <> ?)').run(day, code, day);
  }
  async shareExists(share: string) {
    return q(this.db, 'SELECT 1 FROM shares WHERE id = ?').get(share) !== undefined;
  }

  async applyLogEntries(share: string, author: string, entries: LogEntry[], wraps: Wrap[]): Promise<LogApplyResult> {
    const db = this.db;
    let scrub = false;
    this.roles.clear();
    const out = db.transaction((): LogApplyResult => {
      const row = q(db, 'SELECT * FROM shares WHERE id = ?').get(share) as { log_len: number; last_hash: string; epoch: number } | undefined;
      const state: ShareLogState = {
        exists: !!row, length: row?.log_len ?? 0, lastHash: row?.last_hash ?? ZERO_HASH, epoch: row?.epoch ?? 0,
        members: new Map((q(db, 'SELECT account, role FROM members WHERE share = ?').all(share) as { account: string; role: Role }[]).map((m) => [m.account, m.role])),
        codes: new Set(q(db, 'SELECT code FROM codes WHERE share = ?').pluck().all(share) as string[]),
      };
      const plan = planLogEntries(state, share, author, entries, wraps);
      if (!plan.ok) return { ...plan, head: state.length };
      const fx = plan.effects;
      for (const c of fx.addedCodes) {
        if (q(db, 'SELECT 1 FROM codes WHERE code = ?').get(c.code)) return { ok: false, code: 'NOT_ALLOWED', message: 'code id in use', head: state.length };
      }
      if (!row) q(db, 'INSERT INTO shares VALUES (?, 0, ?, 0, 0)').run(share, ZERO_HASH);
      const ins = q(db, 'INSERT INTO log VALUES (?,?,?)');
      for (const e of entries) ins.run(share, e.index, JSON.stringify(e));
      for (const m of fx.setMembers) q(db, 'INSERT INTO members VALUES (?,?,?) ON CONFLICT (share, account) DO UPDATE SET role = excluded.role').run(share, m.account, m.role);
      for (const a of fx.removedMembers) {
        q(db, 'DELETE FROM members WHERE share = ? AND account = ?').run(share, a);
        q(db, "DELETE FROM wraps WHERE share = ? AND to_kind = 'account' AND to_id = ?").run(share, a);
        scrub = true;
      }
      for (const c of fx.removedCodes) {
        q(db, 'DELETE FROM codes WHERE code = ?').run(c.code);
        q(db, "DELETE FROM wraps WHERE share = ? AND to_kind = 'code' AND to_id = ?").run(share, c.code);
        scrub = true;
      }
      for (const c of fx.addedCodes) q(db, 'INSERT INTO codes (code, share, verifier_pk, read_only, expires_at) VALUES (?,?,?,?,?)').run(c.code, share, c.verifierPk, c.readOnly ? 1 : 0, c.expiresAt);
      const w = q(db, 'INSERT OR REPLACE INTO wraps VALUES (?,?,?,?,?)');
      for (const x of wraps) w.run(share, x.epoch, x.to.kind, x.to.id, x.wrapped);
      q(db, 'UPDATE shares SET log_len = ?, last_hash = ?, epoch = ? WHERE id = ?').run(fx.length, fx.lastHash, fx.epoch, share);
      return { ok: true, index: fx.length - 1, effects: fx };
    })();
    if (scrub) await this.scrub();
    return out;
  }
  async getLog(share: string, since: number) {
    return (q(this.db, 'SELECT entry FROM log WHERE share = ? AND idx >= ? ORDER BY idx').pluck().all(share, since) as string[]).map((s) => JSON.parse(s) as LogEntry);
  }
  async getWraps(share: string, to: { kind: 'account' | 'code'; id: string }) {
    const rows = q(this.db, 'SELECT epoch, wrapped FROM wraps WHERE share = ? AND to_kind = ? AND to_id = ? ORDER BY epoch').all(share, to.kind, to.id) as { epoch: number; wrapped: string }[];
    return rows.map((r) => ({ epoch: r.epoch, to, wrapped: r.wrapped }) as Wrap);
  }
  async wrapsOfAccount(account: string) {
    return q(this.db, "SELECT share, epoch FROM wraps WHERE to_kind = 'account' AND to_id = ? ORDER BY share, epoch").all(account) as { share: string; epoch: number }[];
  }

  async dropKeys(share: string, below: number): Promise<DropKeysOutcome> {
    const out = dropKeysTx(this.db, share, below);
    if (out.ok && (out.wraps || out.versions)) await this.scrub();
    return out;
  }

  pushRecords(share: string, records: PushRecord[], retention: number, quota?: number): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      if (this.pendingPushes.push({ share, records, retention, quota, resolve, reject }) === 1) setImmediate(() => this.flushPushes());
    });
  }
  private flushPushes() {
    const batch = this.pendingPushes;
    this.pendingPushes = [];
    try {
      const { outs, scrub } = this.commitPushes(batch);
      const answer = () => batch.forEach((p, i) => p.resolve(outs[i]!));
      if (scrub) void this.scrub().then(answer, answer);
      else answer();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
  async pull(share: string, since: number, limit: number) {
    return pullTx(this.db, share, since, limit);
  }
  async history(share: string, item: string) {
    return historyTx(this.db, share, item);
  }
  async hasChunks(share: string, hashes: string[], now: number) {
    const touch = q(this.db, 'UPDATE chunks SET added = ? WHERE share = ? AND hash = ?');
    return this.db.transaction(() => hashes.map((h) => touch.run(now, share, h).changes > 0))();
  }
  async getChunk(share: string, hash: string): Promise<Uint8Array | null> {
    const row = q(this.db, 'SELECT data, file FROM chunks WHERE share = ? AND hash = ?');
    const r = row.get(share, hash) as { data: Buffer; file: string | null } | undefined;
    if (!r) return null;
    if (r.file === null) return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    const bytes = await this.files.read(share, r.file);
    if (bytes) return bytes;
    // Gone: deleted since the row was read (then the row is gone too), or lost from the disk.
    if (!row.get(share, hash)) return null;
    throw new StorageFault('STORAGE_UNAVAILABLE', 'storage: a chunk file of this team is missing');
  }
  /**
   * A new chunk's bytes go to a file first (off the event loop, several at once), then its row
   * commits with the other rows of that event-loop turn (group commit); a small one
   * (≤ INLINE_CHUNK_MAX) goes into its row. A chunk the share holds already is only touched; one
   * the quota cannot take is refused before anything is written.
   */
  async putChunk(share: string, hash: string, bytes: Uint8Array, quota: number, now: number): Promise<ChunkPutOutcome> {
    const size = bytes.length;
    let write = q(this.db, 'SELECT 1 FROM chunks WHERE share = ? AND hash = ?').get(share, hash) === undefined;
    for (;;) {
      if (write && this.bytesNow() + size > quota) return 'quota'; // checked again when the row commits
      let file = '';
      try {
        if (write && size > INLINE_CHUNK_MAX) {
          file = ChunkFiles.newName(hash);
          this.writing.add(file);
          await this.files.write(share, file, bytes);
        }
        const out = await new Promise<ChunkPutOutcome | 'gone'>((resolve, reject) => {
          const data = write && !file ? bytes : null;
          if (this.pending.push({ share, hash, file, data, size, quota, now, resolve, reject }) === 1) setImmediate(() => this.flushChunks());
        });
        if (out !== 'gone') return out;
        write = true; // held when asked, deleted before the touch: store it after all
      } finally {
        this.writing.delete(file);
      }
    }
  }
  private flushChunks() {
    const batch = this.pending;
    this.pending = [];
    const touch = q(this.db, 'UPDATE chunks SET added = ? WHERE share = ? AND hash = ?');
    const ins = q(this.db, "INSERT INTO chunks (share, hash, data, added, file, size) VALUES (?,?,X'',?,?,?)");
    const insInline = q(this.db, 'INSERT INTO chunks (share, hash, data, added) VALUES (?,?,?,?)');
    const usage = q(this.db, TEAM_BYTES_SQL).pluck();
    const bump = q(this.db, "UPDATE meta SET v = v + ? WHERE k = 'usage'");
    try {
      const outs = this.db.transaction(() => batch.map((p): ChunkPutOutcome | 'gone' => {
        if (touch.run(p.now, p.share, p.hash).changes) return 'exists';
        if (!p.file && !p.data) return 'gone';
        if ((usage.get() as number) + p.size > p.quota) return 'quota';
        if (p.file) ins.run(p.share, p.hash, p.now, p.file, p.size);
        else insInline.run(p.share, p.hash, Buffer.from(p.data!.buffer, p.data!.byteOffset, p.data!.byteLength), p.now);
        bump.run(p.size);
        return 'stored';
      }))();
      batch.forEach((p, i) => {
        // a file whose row did not commit (a twin upload won, or the quota filled meanwhile) is not needed
        if (p.file && outs[i] !== 'stored') void this.files.shred(p.share, p.file).catch(() => undefined);
        p.resolve(outs[i]!);
      });
    } catch (e) {
      for (const p of batch) {
        if (p.file) void this.files.shred(p.share, p.file).catch(() => undefined);
        p.reject(e);
      }
    }
  }
  async purgeOrphanChunks(before: number) {
    const out = this.db.transaction(() => {
      const gone = q(this.db, `DELETE FROM chunks WHERE added < ? AND NOT EXISTS (SELECT 1 FROM chunk_refs r WHERE r.share = chunks.share AND r.hash = chunks.hash) RETURNING ${CHUNK_SIZE_SQL} AS n`)
        .all(before) as { n: number }[];
      const bytes = gone.reduce((a, r) => a + r.n, 0);
      if (bytes) q(this.db, "UPDATE meta SET v = v - ? WHERE k = 'usage'").run(bytes);
      return { chunks: gone.length, bytes };
    })();
    if (out.chunks) await this.scrub();
    // files a crash left between their write and their row (never counted in usage)
    await this.files.sweep(this.db, before, this.writing);
    return out;
  }
  async deleteShare(share: string) {
    this.roles.clear();
    deleteShareTx(this.db, share);
    await this.scrub();
    await this.files.removeShareDir(share);
  }
  /** After ciphertext was deleted: the WAL truncated, the deleted rows' chunk files shredded. */
  async scrub(): Promise<void> {
    scrubWal(this.db);
    await this.files.drain(this.db);
  }
  async usageBytes() {
    return this.bytesNow();
  }
  /** Chunk bytes plus record bodies, from the running counters in `meta`. */
  bytesNow(): number {
    return q(this.db, TEAM_BYTES_SQL).pluck().get() as number;
  }
}

function deviceRow(r: Record<string, unknown>): DeviceRow {
  return {
    id: r.id as string, account: r.account as string, signPk: r.sign_pk as string, cert: r.cert as string,
    platform: r.platform as DeviceRow['platform'], nameEnc: r.name_enc as string, lastSeenDay: (r.last_seen_day as string | null) ?? null, active: r.active === 1,
    revokedAt: (r.revoked_at as number | null) ?? null,
  };
}

function codeRow(r: Record<string, unknown>): CodeRow {
  return {
    code: r.code as string, share: r.share as string, verifierPk: r.verifier_pk as string, readOnly: r.read_only === 1,
    expiresAt: (r.expires_at as number | null) ?? null, lastUsedDay: (r.last_used_day as string | null) ?? null,
  };
}
