/**
 * Share records and chunks of one team schema on PostgreSQL. A push locks the share row
 * (SELECT … FOR UPDATE), so sequence numbers stay gap-free and in commit order even when
 * several relay instances push to the same share; chunk writes and purges lock the team's
 * usage row, so the quota holds across instances.
 */
import type pg from 'pg';
import type { PushRecord, StoredRecord } from '../../../protocol/index.js';
import type { ChunkPutOutcome, DropKeysOutcome, PushOutcome } from '../types.js';
import { toStored, type RecordRow } from '../record-row.js';
import { teamBytesSql } from './ddl.js';


const COLS = 'item, version, seq, base_version, kind, epoch, author_kind, author_id, body, chunks, sig';

async function headRecord(c: pg.PoolClient, s: string, share: string, item: string): Promise<StoredRecord | null> {
  const r = await c.query<RecordRow>(`SELECT r.${COLS.split(', ').join(', r.')} FROM ${s}.items i JOIN ${s}.records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = $1 AND i.item = $2`, [share, item]);
  return r.rows[0] ? toStored(r.rows[0]) : null;
}

/** Deletes the given (item, version) pairs with their chunk refs, then chunks nobody references any more. */
async function purge(c: pg.PoolClient, s: string, share: string, items: string[], versions: number[] | null): Promise<number> {
  if (!items.length) return 0;
  const match = versions
    ? `(item, version) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))`
    : `item = ANY($2::text[])`;
  const args = versions ? [share, items, versions] : [share, items];
  // Lock order of every write: share row, meta 'usage', then 'record_bytes' (the records trigger).
  await c.query(`SELECT v FROM ${s}.meta WHERE k = 'usage' FOR UPDATE`);
  const refs = await c.query<{ hash: string }>(`DELETE FROM ${s}.chunk_refs WHERE share = $1 AND ${match} RETURNING hash`, args);
  await c.query(`DELETE FROM ${s}.records WHERE share = $1 AND ${match}`, args);
  const hashes = [...new Set(refs.rows.map((r) => r.hash))];
  if (!hashes.length) return 0;
  const gone = await c.query<{ n: number }>(
    `DELETE FROM ${s}.chunks c WHERE c.share = $1 AND c.hash = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM ${s}.chunk_refs x WHERE x.share = c.share AND x.hash = c.hash) RETURNING octet_length(c.data)::bigint AS n`,
    [share, hashes],
  );
  const freed = gone.rows.reduce((a, r) => a + r.n, 0);
  if (freed) await c.query(`UPDATE ${s}.meta SET v = v - $1 WHERE k = 'usage'`, [freed]);
  return freed;
}

class ConflictSignal {
  constructor(readonly item: string) {}
}

/** All-or-nothing push inside the caller's transaction; throws ConflictSignal-free outcomes. */
export async function pushRecordsTx(c: pg.PoolClient, s: string, share: string, records: PushRecord[], retention: number, quota?: number): Promise<PushOutcome> {
  const lock = await c.query<{ head_seq: number }>(`SELECT head_seq FROM ${s}.shares WHERE id = $1 FOR UPDATE`, [share]);
  if (!lock.rows[0]) return { ok: false, code: 'NOT_FOUND', message: 'no such share' };
  let headSeq = lock.rows[0].head_seq;
  const items = [...new Set(records.map((r) => r.item))];
  const existing = await c.query<{ item: string; version: number; seq: number; sig: string }>(
    `SELECT item, version, seq, sig FROM ${s}.records WHERE share = $1 AND (item, version) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))`,
    [share, records.map((r) => r.item), records.map((r) => r.version)],
  );
  const same = new Map(existing.rows.map((r) => [`${r.item}\u0000${r.version}`, r]));
  const heads = await c.query<{ item: string; version: number; kind: string }>(
    `SELECT i.item, i.version, r.kind FROM ${s}.items i JOIN ${s}.records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = $1 AND i.item = ANY($2::text[])`,
    [share, items],
  );
  const head = new Map(heads.rows.map((h) => [h.item, { version: h.version, kind: h.kind }]));
  const seqs: number[] = [];
  const fresh: (PushRecord & { seq: number })[] = [];
  try {
    for (const r of records) {
      const prior = same.get(`${r.item}\u0000${r.version}`);
      if (prior) {
        if (prior.sig !== r.sig) throw new ConflictSignal(r.item);
        seqs.push(prior.seq);
        continue;
      }
      const h = head.get(r.item);
      if ((h?.version ?? 0) !== r.baseVersion || r.version <= r.baseVersion || h?.kind === 'tombstone') throw new ConflictSignal(r.item);
      headSeq += 1;
      head.set(r.item, { version: r.version, kind: r.kind });
      same.set(`${r.item}\u0000${r.version}`, { item: r.item, version: r.version, seq: headSeq, sig: r.sig });
      fresh.push({ ...r, seq: headSeq });
      seqs.push(headSeq);
    }
  } catch (e) {
    if (!(e instanceof ConflictSignal)) throw e;
    return { ok: false, code: 'CONFLICT', item: e.item, head: await headRecord(c, s, share, e.item) };
  }
  if (!fresh.length) return { ok: true, seqs, head: headSeq, changed: false };
  // A committed record never points at a chunk the relay lacks. FOR KEY SHARE: an orphan sweep
  // deleting one of these chunks waits for this push (and then sees the new reference) or went first.
  const wanted = [...new Set(fresh.filter((r) => r.kind !== 'tombstone').flatMap((r) => r.chunks))];
  if (wanted.length) {
    const held = new Set((await c.query<{ hash: string }>(`SELECT hash FROM ${s}.chunks WHERE share = $1 AND hash = ANY($2::text[]) FOR KEY SHARE`, [share, wanted])).rows.map((r) => r.hash));
    const gone = fresh.find((r) => r.kind !== 'tombstone' && r.chunks.some((h) => !held.has(h)));
    if (gone) return { ok: false, code: 'CHUNK_MISSING', message: `push: item ${gone.item} references a chunk this relay does not hold` };
  }
  // The counters in lock order (usage, then record_bytes): pushes of one team see each other's bytes, so the quota holds.
  await c.query(`SELECT v FROM ${s}.meta WHERE k IN ('usage', 'record_bytes') ORDER BY k DESC FOR UPDATE`);
  if (quota !== undefined) {
    const adding = fresh.reduce((a, r) => a + (r.kind === 'tombstone' ? 0 : Buffer.byteLength(r.body)), 0);
    const have = Number((await c.query<{ v: number }>(teamBytesSql(s))).rows[0]!.v);
    if (adding > 0 && have + adding > quota) return { ok: false, code: 'QUOTA_EXCEEDED', message: 'push: the team\'s storage quota would be exceeded; nothing was stored' };
  }
  await applyFresh(c, s, share, fresh, retention);
  await c.query(`UPDATE ${s}.shares SET head_seq = $2 WHERE id = $1`, [share, headSeq]);
  return { ok: true, seqs, head: headSeq, changed: true };
}

/** Writes accepted records: tombstoned items lose every version (and unreferenced chunks) at once. */
async function applyFresh(c: pg.PoolClient, s: string, share: string, fresh: (PushRecord & { seq: number })[], retention: number) {
  const tombstoned = new Set(fresh.filter((r) => r.kind === 'tombstone').map((r) => r.item));
  const rows = fresh.filter((r) => r.kind === 'tombstone' || !tombstoned.has(r.item));
  await purge(c, s, share, [...tombstoned], null);
  const col = <T>(f: (r: PushRecord & { seq: number }) => T) => rows.map(f);
  await c.query(
    `INSERT INTO ${s}.records (share, ${COLS}) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    [share, col((r) => r.item), col((r) => r.version), col((r) => r.seq), col((r) => r.baseVersion), col((r) => r.kind), col((r) => r.epoch),
      col((r) => r.author.kind), col((r) => r.author.id), col((r) => (r.kind === 'tombstone' ? '' : r.body)),
      col((r) => (r.kind === 'tombstone' ? '[]' : JSON.stringify(r.chunks))), col((r) => r.sig)],
  );
  const refs = rows.filter((r) => r.kind !== 'tombstone').flatMap((r) => r.chunks.map((h) => [h, r.item, r.version] as const));
  if (refs.length) {
    await c.query(`INSERT INTO ${s}.chunk_refs (share, hash, item, version) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
      [share, refs.map((x) => x[0]), refs.map((x) => x[1]), refs.map((x) => x[2])]);
  }
  // An item holds at most `version` versions (distinct, ≥ 1): only items past `retention` can need a purge.
  const kept = [...new Set(rows.filter((r) => r.kind !== 'tombstone' && r.version > retention).map((r) => r.item))];
  if (kept.length) {
    const old = await c.query<{ item: string; version: number }>(
      `SELECT item, version FROM (SELECT item, version, row_number() OVER (PARTITION BY item ORDER BY version DESC) AS rn FROM ${s}.records WHERE share = $1 AND item = ANY($2::text[])) v WHERE rn > $3`,
      [share, kept, retention],
    );
    if (old.rows.length) await purge(c, s, share, old.rows.map((r) => r.item), old.rows.map((r) => r.version));
  }
  const last = new Map(fresh.map((r) => [r.item, r]));
  const fin = [...last.values()];
  await c.query(
    `INSERT INTO ${s}.items (share, item, version, seq) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[]) ON CONFLICT (share, item) DO UPDATE SET version = excluded.version, seq = excluded.seq`,
    [share, fin.map((r) => r.item), fin.map((r) => r.version), fin.map((r) => r.seq)],
  );
}

export async function pullQ(db: pg.Pool, s: string, share: string, since: number, limit: number) {
  const rows = await db.query<RecordRow>(
    `SELECT r.${COLS.split(', ').join(', r.')} FROM ${s}.items i JOIN ${s}.records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = $1 AND i.seq > $2 ORDER BY i.seq LIMIT $3`,
    [share, since, limit + 1],
  );
  const head = await db.query<{ head_seq: number }>(`SELECT head_seq FROM ${s}.shares WHERE id = $1`, [share]);
  return { records: rows.rows.slice(0, limit).map(toStored), head: head.rows[0]?.head_seq ?? 0, more: rows.rows.length > limit };
}

export async function historyQ(db: pg.Pool, s: string, share: string, item: string): Promise<StoredRecord[]> {
  const rows = await db.query<RecordRow>(`SELECT ${COLS} FROM ${s}.records WHERE share = $1 AND item = $2 ORDER BY version DESC`, [share, item]);
  return rows.rows.slice(1).map(toStored);
}

export async function putChunkTx(c: pg.PoolClient, s: string, share: string, hash: string, bytes: Uint8Array, quota: number, now: number): Promise<ChunkPutOutcome> {
  await c.query(`SELECT v FROM ${s}.meta WHERE k = 'usage' FOR UPDATE`);
  const usage = Number((await c.query<{ v: number }>(teamBytesSql(s))).rows[0]!.v);
  if ((await c.query(`UPDATE ${s}.chunks SET added = $3 WHERE share = $1 AND hash = $2`, [share, hash, now])).rowCount) return 'exists';
  if (usage + bytes.length > quota) return 'quota';
  await c.query(`INSERT INTO ${s}.chunks (share, hash, data, added) VALUES ($1, $2, $3, $4)`, [share, hash, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now]);
  await c.query(`UPDATE ${s}.meta SET v = v + $1 WHERE k = 'usage'`, [bytes.length]);
  return 'stored';
}

/** keys.drop (see TeamStore.dropKeys) inside the caller's transaction; locks the share row like a push, so no push slips in between check and delete. */
export async function dropKeysTx(c: pg.PoolClient, s: string, share: string, below: number): Promise<DropKeysOutcome> {
  const row = (await c.query<{ epoch: number }>(`SELECT epoch FROM ${s}.shares WHERE id = $1 FOR UPDATE`, [share])).rows[0];
  if (!row) return { ok: false, code: 'NOT_FOUND', message: 'no such share' };
  if (below > row.epoch) return { ok: false, code: 'BAD_FIELD', message: `below ${below} is past the share's epoch ${row.epoch}: the current key cannot be dropped` };
  const inUse = (await c.query<{ n: number }>(
    `SELECT COUNT(*)::bigint AS n FROM ${s}.items i JOIN ${s}.records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = $1 AND r.kind <> 'tombstone' AND r.epoch < $2`,
    [share, below],
  )).rows[0]!.n;
  if (inUse) return { ok: false, code: 'EPOCH_IN_USE', message: `${inUse} item(s) are still current under an epoch below ${below}; re-encrypt them first` };
  const old = (await c.query<{ item: string; version: number }>(
    `SELECT r.item, r.version FROM ${s}.records r JOIN ${s}.items i ON i.share = r.share AND i.item = r.item WHERE r.share = $1 AND r.epoch < $2 AND r.version <> i.version`,
    [share, below],
  )).rows;
  const bytes = await purge(c, s, share, old.map((o) => o.item), old.map((o) => o.version));
  const wraps = (await c.query(`DELETE FROM ${s}.wraps WHERE share = $1 AND epoch < $2`, [share, below])).rowCount ?? 0;
  return { ok: true, wraps, versions: old.length, bytes };
}

/** Orphan sweep (see TeamStore.purgeOrphanChunks); locks the usage row like a chunk write. */
export async function purgeOrphanChunksTx(c: pg.PoolClient, s: string, before: number): Promise<{ chunks: number; bytes: number }> {
  // Share rows first (the lock order of a push): no push can add a reference while the sweep
  // decides which chunks nobody references.
  await c.query(`SELECT id FROM ${s}.shares ORDER BY id FOR UPDATE`);
  await c.query(`SELECT v FROM ${s}.meta WHERE k = 'usage' FOR UPDATE`);
  const gone = await c.query<{ n: number }>(
    `DELETE FROM ${s}.chunks c WHERE c.added < $1 AND NOT EXISTS (SELECT 1 FROM ${s}.chunk_refs x WHERE x.share = c.share AND x.hash = c.hash) RETURNING octet_length(c.data)::bigint AS n`,
    [before],
  );
  const bytes = gone.rows.reduce((a, r) => a + r.n, 0);
  if (bytes) await c.query(`UPDATE ${s}.meta SET v = v - $1 WHERE k = 'usage'`, [bytes]);
  return { chunks: gone.rows.length, bytes };
}

/** Deletes every row of a share (lock order: share row, then usage row — as a push). */
export async function deleteShareTx(c: pg.PoolClient, s: string, share: string): Promise<void> {
  await c.query(`SELECT 1 FROM ${s}.shares WHERE id = $1 FOR UPDATE`, [share]);
  await c.query(`SELECT v FROM ${s}.meta WHERE k = 'usage' FOR UPDATE`);
  const freed = (await c.query<{ n: number }>(`SELECT COALESCE(SUM(octet_length(data)), 0)::bigint AS n FROM ${s}.chunks WHERE share = $1`, [share])).rows[0]!.n;
  for (const t of ['records', 'items', 'chunks', 'chunk_refs', 'log', 'members', 'codes', 'wraps']) await c.query(`DELETE FROM ${s}.${t} WHERE share = $1`, [share]);
  await c.query(`DELETE FROM ${s}.shares WHERE id = $1`, [share]);
  await c.query(`UPDATE ${s}.meta SET v = v - $1 WHERE k = 'usage'`, [freed]);
}
