/** Share records and chunks of one team database (synchronous; called inside transactions). */
import type { PushRecord, StoredRecord } from '../../../protocol/index.js';
import type { DropKeysOutcome, PushOutcome } from '../types.js';
import { CHUNK_SIZE_SQL, q, TEAM_BYTES_SQL, type Db } from './open-db.js';
import { toStored, type RecordRow } from '../record-row.js';

class ConflictSignal {
  constructor(readonly item: string, readonly head: StoredRecord | null) {}
}
/** The team's quota would be passed: refused before the record is written (a multi-record push rolls back its savepoint). */
class QuotaSignal {}
/** A record references a chunk this share does not hold: refused before anything is written. */
class MissingChunkSignal {
  constructor(readonly item: string, readonly hash: string) {}
}

export function headRecord(db: Db, share: string, item: string): StoredRecord | null {
  const r = q(db, 'SELECT r.* FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND i.item = ?').get(share, item) as RecordRow | undefined;
  return r ? toStored(r) : null;
}

/** Deletes the given versions (or all) of an item with their chunk refs, then chunks nobody references. Returns bytes freed. */
function purgeVersions(db: Db, share: string, item: string, versions: number[] | 'all'): number {
  const where = versions === 'all' ? '' : ` AND version IN (${versions.map(() => '?').join(',')})`;
  const args = versions === 'all' ? [share, item] : [share, item, ...versions];
  if (versions !== 'all' && versions.length === 0) return 0;
  const hashes = q(db, `SELECT DISTINCT hash FROM chunk_refs WHERE share = ? AND item = ?${where}`).pluck().all(...args) as string[];
  q(db, `DELETE FROM chunk_refs WHERE share = ? AND item = ?${where}`).run(...args);
  q(db, `DELETE FROM records WHERE share = ? AND item = ?${where}`).run(...args);
  let freed = 0;
  const size = q(db, `SELECT ${CHUNK_SIZE_SQL} FROM chunks WHERE share = ? AND hash = ? AND NOT EXISTS (SELECT 1 FROM chunk_refs WHERE share = ? AND hash = ?)`).pluck();
  const del = q(db, 'DELETE FROM chunks WHERE share = ? AND hash = ?');
  for (const h of hashes) {
    const n = size.get(share, h, share, h) as number | undefined;
    if (n !== undefined) {
      del.run(share, h);
      freed += n;
    }
  }
  if (freed) q(db, "UPDATE meta SET v = v - ? WHERE k = 'usage'").run(freed);
  return freed;
}

/**
 * `heads`: the share head seqs of the caller's transaction (a group commit): read once, kept
 * here, written by `writeHeads` at its end — not a SELECT and an UPDATE of `shares` per push.
 */
export type PushRecordsFn = (share: string, records: PushRecord[], retention: number, heads: Map<string, number>, quota?: number) => PushOutcome & { deleted?: boolean };

/**
 * The all-or-nothing push of one database, made once per connection: its statements and its
 * transaction wrapper (a savepoint inside the caller's transaction) are prepared here, since
 * making them per push costs more than the push's own SQL. `push` runs synchronously inside the
 * caller's transaction; `deleted` says ciphertext was deleted (the caller scrubs the WAL).
 */
export function makePushRecords(db: Db): { push: PushRecordsFn; writeHeads: (heads: Map<string, number>) => void } {
  const headSeqOf = db.prepare('SELECT head_seq FROM shares WHERE id = ?').pluck();
  const setHeadSeq = db.prepare('UPDATE shares SET head_seq = ? WHERE id = ?');
  // the current version of the item, with what an idempotent retry of that version compares
  const headOf = db.prepare('SELECT i.version, r.kind, r.seq, r.sig FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND i.item = ?');
  const sameOf = db.prepare('SELECT seq, sig FROM records WHERE share = ? AND item = ? AND version = ?');
  const insert = db.prepare('INSERT INTO records (share, item, version, seq, base_version, kind, epoch, author_kind, author_id, body, chunks, sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const hasChunk = db.prepare('SELECT 1 FROM chunks WHERE share = ? AND hash = ?').pluck();
  const ref = db.prepare('INSERT OR IGNORE INTO chunk_refs (share, hash, item, version) VALUES (?,?,?,?)');
  const oldVersions = db.prepare('SELECT version FROM records WHERE share = ? AND item = ? ORDER BY version DESC LIMIT -1 OFFSET ?').pluck();
  const setItem = db.prepare('INSERT INTO items (share, item, version, seq) VALUES (?,?,?,?) ON CONFLICT (share, item) DO UPDATE SET version = excluded.version, seq = excluded.seq');
  const teamBytes = db.prepare(TEAM_BYTES_SQL).pluck();
  const body = (share: string, records: PushRecord[], retention: number, heads: Map<string, number>, quota?: number) => {
    const seqs: number[] = [];
    let headSeq = heads.get(share) ?? (headSeqOf.get(share) as number);
    let changed = false;
    let deleted = false;
    for (const r of records) {
      const head = headOf.get(share, r.item) as { version: number; kind: string; seq: number; sig: string } | undefined;
      // Versions only grow and every stored version of an item has an `items` row whose version
      // is the highest: a stored (item, version) is the head, an older retained one, or none.
      const same = !head || r.version > head.version ? undefined
        : r.version === head.version ? head
          : (sameOf.get(share, r.item, r.version) as { seq: number; sig: string } | undefined);
      if (same) {
        if (same.sig !== r.sig) throw new ConflictSignal(r.item, headRecord(db, share, r.item));
        seqs.push(same.seq);
        continue;
      }
      if ((head?.version ?? 0) !== r.baseVersion || r.version <= r.baseVersion || head?.kind === 'tombstone') {
        throw new ConflictSignal(r.item, headRecord(db, share, r.item));
      }
      // A committed record never points at a chunk the relay lacks (the orphan sweep deletes
      // only unreferenced chunks, so from here on the chunk is safe, whatever the clock says).
      if (r.kind !== 'tombstone') for (const h of r.chunks) if (!hasChunk.get(share, h)) throw new MissingChunkSignal(r.item, h);
      if (quota !== undefined && r.kind !== 'tombstone' && (teamBytes.get() as number) + r.body.length > quota) throw new QuotaSignal();
      headSeq += 1;
      changed = true;
      if (r.kind === 'tombstone') {
        purgeVersions(db, share, r.item, 'all');
        deleted = true;
        insert.run(share, r.item, r.version, headSeq, r.baseVersion, r.kind, r.epoch, r.author.kind, r.author.id, '', '[]', r.sig);
      } else {
        insert.run(share, r.item, r.version, headSeq, r.baseVersion, r.kind, r.epoch, r.author.kind, r.author.id, r.body, r.chunks.length ? JSON.stringify(r.chunks) : '[]', r.sig);
        for (const h of r.chunks) ref.run(share, h, r.item, r.version);
        // versions only grow, so an item cannot hold more than `version` of them
        const old = r.version <= retention ? [] : (oldVersions.all(share, r.item, retention) as number[]);
        if (old.length) {
          purgeVersions(db, share, r.item, old);
          deleted = true;
        }
      }
      setItem.run(share, r.item, r.version, headSeq);
      seqs.push(headSeq);
    }
    if (changed) heads.set(share, headSeq);
    return { ok: true as const, seqs, head: headSeq, changed, deleted };
  };
  const tx = db.transaction(body);
  const push: PushRecordsFn = (share, records, retention, heads, quota) => {
    try {
      // One record: a refusal (ConflictSignal) comes before its first write, so it needs no savepoint.
      return records.length === 1 ? body(share, records, retention, heads, quota) : tx(share, records, retention, heads, quota);
    } catch (e) {
      if (e instanceof ConflictSignal) return { ok: false, code: 'CONFLICT', item: e.item, head: e.head };
      if (e instanceof QuotaSignal) return { ok: false, code: 'QUOTA_EXCEEDED', message: 'push: the team\'s storage quota would be exceeded; nothing was stored' };
      if (e instanceof MissingChunkSignal) return { ok: false, code: 'CHUNK_MISSING', message: `push: item ${e.item} references chunk ${e.hash}, which this relay does not hold` };
      throw e;
    }
  };
  return { push, writeHeads: (heads) => { for (const [share, seq] of heads) setHeadSeq.run(seq, share); } };
}

export function pullTx(db: Db, share: string, since: number, limit: number): { records: StoredRecord[]; head: number; more: boolean } {
  const rows = q(db, 
    'SELECT r.* FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND i.seq > ? ORDER BY i.seq LIMIT ?',
  ).all(share, since, limit + 1) as RecordRow[];
  const head = q(db, 'SELECT head_seq FROM shares WHERE id = ?').pluck().get(share) as number;
  const more = rows.length > limit;
  return { records: rows.slice(0, limit).map(toStored), head, more };
}

export function historyTx(db: Db, share: string, item: string): StoredRecord[] {
  const rows = q(db, 'SELECT * FROM records WHERE share = ? AND item = ? ORDER BY version DESC').all(share, item) as RecordRow[];
  return rows.slice(1).map(toStored);
}

/** keys.drop (see TeamStore.dropKeys), synchronous, one transaction. */
export function dropKeysTx(db: Db, share: string, below: number): DropKeysOutcome {
  return db.transaction((): DropKeysOutcome => {
    const epoch = q(db, 'SELECT epoch FROM shares WHERE id = ?').pluck().get(share) as number | undefined;
    if (epoch === undefined) return { ok: false, code: 'NOT_FOUND', message: 'no such share' };
    if (below > epoch) return { ok: false, code: 'BAD_FIELD', message: `below ${below} is past the share's epoch ${epoch}: the current key cannot be dropped` };
    const inUse = q(db, "SELECT COUNT(*) FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND r.kind <> 'tombstone' AND r.epoch < ?").pluck().get(share, below) as number;
    if (inUse) return { ok: false, code: 'EPOCH_IN_USE', message: `${inUse} item(s) are still current under an epoch below ${below}; re-encrypt them first` };
    const old = q(db, 'SELECT r.item, r.version FROM records r JOIN items i ON i.share = r.share AND i.item = r.item WHERE r.share = ? AND r.epoch < ? AND r.version <> i.version').all(share, below) as { item: string; version: number }[];
    const byItem = new Map<string, number[]>();
    for (const o of old) byItem.set(o.item, [...(byItem.get(o.item) ?? []), o.version]);
    let bytes = 0;
    for (const [item, versions] of byItem) bytes += purgeVersions(db, share, item, versions);
    const wraps = q(db, 'DELETE FROM wraps WHERE share = ? AND epoch < ?').run(share, below).changes;
    return { ok: true, wraps, versions: old.length, bytes };
  })();
}

/** Deletes every row of a share. */
export function deleteShareTx(db: Db, share: string): void {
  db.transaction(() => {
    const freed = (q(db, `SELECT COALESCE(SUM(${CHUNK_SIZE_SQL}), 0) FROM chunks WHERE share = ?`).pluck().get(share) as number) ?? 0;
    for (const t of ['records', 'items', 'chunks', 'chunk_refs', 'log', 'members', 'codes', 'wraps']) q(db, `DELETE FROM ${t} WHERE share = ?`).run(share);
    q(db, 'DELETE FROM shares WHERE id = ?').run(share);
    q(db, "UPDATE meta SET v = v - ? WHERE k = 'usage'").run(freed);
  })();
}
