/**
 * VaultStore on IndexedDB via Dexie. `indexedDB`/`IDBKeyRange` may be injected (Dexie's own
 * options) so Node tests give each simulated device its own fake-indexeddb; the browser and
 * Electron renderer use the real ones.
 */
import { Dexie, type Table } from 'dexie';
import { VaultError } from '../errors.js';
import type { ItemId, ShareId } from '../ids.js';
import type { LocalAccountBundle } from '../model/account-bundle.js';
import { placeRecord, sameHead } from './record-versions.js';
import type { RecordEnvelope } from '../model/record.js';
import type { LogEntryRow, OutboxEntry, OutboxInput, PendingTransfer, PulledAction, PushAck, ShareDecision, StoredRecord, SyncState, VaultStore, WrappedKeyRow } from './vault-store.js';

interface RecordRow extends StoredRecord { item: ItemId; version: number }
/** `bytes`: a Blob when the chunk was sealed in a Worker (IndexedDB keeps it by reference). */
interface ChunkRow { hash: string; share: ShareId; bytes: Uint8Array | Blob }

async function bytesOf(b: Uint8Array | Blob | undefined): Promise<Uint8Array | undefined> {
  return b === undefined || b instanceof Uint8Array ? b : new Uint8Array(await b.arrayBuffer());
}
interface WrapRow extends WrappedKeyRow { toKind: string; toId: string }

class TruheDb extends Dexie {
  account!: Table<{ key: 'account'; bundle: LocalAccountBundle }, string>;
  records!: Table<RecordRow, [string, string]>;
  history!: Table<RecordRow, [string, string, number]>;
  chunks!: Table<ChunkRow, string>;
  wrappedKeys!: Table<WrapRow, [string, number, string, string]>;
  log!: Table<LogEntryRow, [string, number]>;
  syncState!: Table<SyncState, string>;
  shareDecisions!: Table<ShareDecision, string>;
  outbox!: Table<OutboxEntry, number>;
  transfers!: Table<PendingTransfer, string>;
  summaryIndex!: Table<{ share: ShareId; sealed: Uint8Array }, string>;
  favourites!: Table<{ share: ShareId; sealed: Uint8Array }, string>;
  deleted!: Table<{ share: ShareId; item: ItemId; version: number }, [string, string]>;

  constructor(name: string, deps: DexieDeps) {
    super(name, deps.indexedDB ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : {});
    this.version(1).stores({
      account: '&key',
      records: '[share+item], share',
      history: '[share+item+version], [share+item]',
      chunks: '&hash, share',
      wrappedKeys: '[share+epoch+toKind+toId], share',
      log: '[share+index], share',
      syncState: '&share',
      outbox: '++id, share',
      transfers: '&id',
    });
    // v2 adds one table; every v1 table and row stays as it was (Dexie upgrades in place).
    this.version(2).stores({ shareDecisions: '&share' });
    // v3 adds the sealed summary index (one ciphertext row per share); nothing else changes.
    this.version(3).stores({ summaryIndex: '&share' });
    // v4 adds this device's sealed favourites (one ciphertext row per share; issue 17).
    this.version(4).stores({ favourites: '&share' });
    // v5 remembers items the relay confirmed deleted (re-deleted after a relay restore; sync/rollback.ts).
    this.version(5).stores({ deleted: '[share+item], share' });
    // Truhe uses no liveQuery: drop the two middlewares that only serve it. They cost an
    // AbortController, listeners and range bookkeeping on every write transaction (~30 % of a
    // small one), and the store sits on the sync engine's hot path.
    this.unuse({ stack: 'dbcore', name: 'Cache' });
    this.unuse({ stack: 'dbcore', name: 'Observability' });
  }
}

export interface DexieDeps {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

function rowOf(rec: StoredRecord): RecordRow {
  return { share: rec.share, item: rec.envelope.item, version: rec.envelope.version, envelope: rec.envelope, seq: rec.seq };
}
function recOf(row: RecordRow): StoredRecord {
  return row.seq === undefined ? { share: row.share, envelope: row.envelope } : { share: row.share, envelope: row.envelope, seq: row.seq };
}

async function wrap<T>(fn: string, p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    if (e instanceof VaultError) throw e;
    const quota = e instanceof Error && /quota/i.test(e.name + e.message);
    throw new VaultError(quota ? 'QUOTA_EXCEEDED' : 'INTERNAL', `${fn}: ${e instanceof Error ? e.message : 'store failure'}`, { cause: e });
  }
}

export class DexieVaultStore implements VaultStore {
  private readonly db: TruheDb;
  constructor(name = 'truhe', deps: DexieDeps = {}) {
    this.db = new TruheDb(name, deps);
  }

  getAccount() { return wrap('getAccount', async () => (await this.db.account.get('account'))?.bundle); }
  putAccount(bundle: LocalAccountBundle) { return wrap('putAccount', async () => { await this.db.account.put({ key: 'account', bundle }); }); }

  getRecord(share: ShareId, item: ItemId) {
    return wrap('getRecord', async () => { const r = await this.db.records.get([share, item]); return r && recOf(r); });
  }
  listRecords(share: ShareId) {
    return wrap('listRecords', async () => (await this.db.records.where('share').equals(share).toArray()).map(recOf));
  }
  private async placeInTx(rec: StoredRecord, current?: RecordRow | null): Promise<void> {
    const cur = current === undefined ? await this.db.records.get([rec.share, rec.envelope.item]) : current ?? undefined;
    const p = placeRecord(cur && recOf(cur), rec);
    if (p.head) await this.db.records.put(rowOf(p.head));
    if (p.toHistory) await this.db.history.put(rowOf(p.toHistory));
  }
  /** Remove an item's head and history and the chunks they reference (inside a transaction). */
  private async removeInTx(share: ShareId, item: ItemId, head: StoredRecord | undefined): Promise<void> {
    const key = [share, item] as [string, string];
    const hist = await this.db.history.where('[share+item]').equals(key).toArray();
    const hashes = new Set<string>();
    for (const r of [...(head ? [head] : []), ...hist]) for (const h of r.envelope.chunks) hashes.add(h);
    await this.db.records.delete(key);
    await this.db.history.where('[share+item]').equals(key).delete();
    if (hashes.size > 0) await this.db.chunks.bulkDelete([...hashes]);
  }
  putRecords(recs: StoredRecord[]) {
    return wrap('putRecords', () => this.db.transaction('rw', this.db.records, this.db.history, async () => {
      for (const r of recs) await this.placeInTx(r);
    }));
  }
  putRecord(rec: StoredRecord) {
    return wrap('putRecord', () => this.db.transaction('rw', this.db.records, this.db.history, () => this.placeInTx(rec)));
  }
  putWithOutbox(rec: StoredRecord, entry: OutboxInput, expect?: { version: number; sig: string } | null) {
    return wrap('putWithOutbox', () => this.db.transaction('rw', this.db.records, this.db.history, this.db.outbox, async () => {
      if (expect !== undefined) {
        const cur = await this.db.records.get([rec.share, rec.envelope.item]);
        if (!sameHead(cur?.envelope, expect)) throw new VaultError('STALE_VERSION', `putWithOutbox: the local head of ${rec.envelope.item} moved`);
        await this.placeInTx(rec, cur ?? null);
        return this.addOutboxInTx(entry);
      }
      await this.placeInTx(rec);
      return this.addOutboxInTx(entry);
    }));
  }
  applyPulled(share: ShareId, recs: StoredRecord[], lastSeq: number, decide: (local: StoredRecord | undefined, incoming: StoredRecord) => PulledAction) {
    const { records, history, chunks, syncState } = this.db;
    return wrap('applyPulled', () => this.db.transaction('rw', [records, history, chunks, syncState], async () => {
      // Only the heads of this page's items, read by key in one request (never the share's
      // other records); the new heads and history rows are written in bulk at the end.
      const items = [...new Set(recs.map((r) => r.envelope.item))];
      const found = items.length ? await records.bulkGet(items.map((i) => [share, i] as [string, string])) : [];
      const heads = new Map<string, RecordRow | undefined>(items.map((i, n) => [i, found[n]]));
      const newHeads = new Map<string, RecordRow>();
      const toHistory: RecordRow[] = [];
      let applied = 0;
      for (const rec of recs) {
        const item = rec.envelope.item;
        const row = heads.get(item);
        const local = row && recOf(row);
        const what = decide(local, rec);
        if (what === 'store') {
          const p = placeRecord(local, rec);
          if (p.head) {
            const h = rowOf(p.head);
            heads.set(item, h);
            newHeads.set(item, h);
          }
          if (p.toHistory) toHistory.push(rowOf(p.toHistory));
        } else if (what === 'delete') {
          // Rare (a tombstone): write what this page placed so far, then remove the item.
          if (toHistory.length) await history.bulkPut(toHistory.splice(0));
          newHeads.delete(item);
          await this.removeInTx(share, item, local);
          heads.set(item, undefined);
        }
        if (what !== 'skip') applied++;
      }
      if (toHistory.length) await history.bulkPut(toHistory);
      if (newHeads.size) await records.bulkPut([...newHeads.values()]);
      const cur = await syncState.get(share);
      if (!cur || cur.lastSeq < lastSeq) await syncState.put({ ...(cur ?? {}), share, lastSeq: Math.max(cur?.lastSeq ?? 0, lastSeq) });
      return applied;
    }));
  }
  ackPushes(share: ShareId, acks: PushAck[], advance: (lastSeq: number) => number) {
    const { records, history, chunks, syncState, outbox } = this.db;
    return wrap('ackPushes', () => this.db.transaction('rw', [records, history, chunks, syncState, outbox], async () => {
      for (const a of acks) {
        if (a.envelope.kind === 'tombstone') {
          const row = await records.get([share, a.envelope.item]);
          await this.removeInTx(share, a.envelope.item, row && recOf(row));
        } else await this.placeInTx({ share, envelope: a.envelope, seq: a.seq });
        await outbox.delete(a.outboxId);
      }
      const cur = await syncState.get(share);
      if (!cur) return undefined;
      const next = advance(cur.lastSeq);
      if (next > cur.lastSeq) await syncState.put({ ...cur, lastSeq: next });
      return Math.max(next, cur.lastSeq);
    }));
  }
  deleteHistory(share: ShareId, item: ItemId, versions: number[]) {
    return wrap('deleteHistory', () => this.db.history.bulkDelete(versions.map((v) => [share, item, v] as [string, string, number])));
  }
  history(share: ShareId, item: ItemId) {
    return wrap('history', async () => (await this.db.history.where('[share+item]').equals([share, item]).sortBy('version')).map(recOf));
  }
  deleteItem(share: ShareId, item: ItemId) {
    return wrap('deleteItem', () => this.db.transaction('rw', this.db.records, this.db.history, async () => {
      await this.db.records.delete([share, item]);
      await this.db.history.where('[share+item]').equals([share, item]).delete();
    }));
  }

  putChunk(share: ShareId, hash: string, bytes: Uint8Array | Blob) { return wrap('putChunk', async () => { await this.db.chunks.put({ hash, share, bytes }); }); }
  getChunk(hash: string) { return wrap('getChunk', async () => bytesOf((await this.db.chunks.get(hash))?.bytes)); }
  hasChunks(hashes: string[]) {
    return wrap('hasChunks', async () => (await this.db.chunks.bulkGet(hashes)).map((r) => r !== undefined));
  }
  deleteChunks(hashes: string[]) { return wrap('deleteChunks', () => this.db.chunks.bulkDelete(hashes)); }

  putWrappedKeys(rows: WrappedKeyRow[]) {
    return wrap('putWrappedKeys', async () => { await this.db.wrappedKeys.bulkPut(rows.map((r) => ({ ...r, toKind: r.to.kind, toId: r.to.id }))); });
  }
  getWrappedKeys(share: ShareId) {
    return wrap('getWrappedKeys', async () => (await this.db.wrappedKeys.where('share').equals(share).toArray())
      .map(({ share: s, epoch, to, wrapped }) => ({ share: s, epoch, to, wrapped })));
  }

  putLogEntries(rows: LogEntryRow[]) { return wrap('putLogEntries', async () => { await this.db.log.bulkPut(rows); }); }
  getLogEntries(share: ShareId, since = 0) {
    return wrap('getLogEntries', () => this.db.log.where('[share+index]').between([share, since], [share, Infinity], true, true).toArray());
  }

  getSyncState(share: ShareId) { return wrap('getSyncState', () => this.db.syncState.get(share)); }
  putSyncState(state: SyncState) { return wrap('putSyncState', async () => { await this.db.syncState.put(state); }); }
  patchSyncState(share: ShareId, patch: Partial<Omit<SyncState, 'share' | 'lastSeq'>>) {
    const { syncState } = this.db;
    return wrap('patchSyncState', () => this.db.transaction('rw', [syncState], async () => {
      const cur = await syncState.get(share);
      await syncState.put({ ...(cur ?? { share, lastSeq: 0 }), ...patch, share });
    }));
  }
  listSyncStates() { return wrap('listSyncStates', () => this.db.syncState.toArray()); }

  putShareDecision(d: ShareDecision) { return wrap('putShareDecision', async () => { await this.db.shareDecisions.put(d); }); }
  listShareDecisions() { return wrap('listShareDecisions', () => this.db.shareDecisions.toArray()); }

  private addOutboxInTx(entry: OutboxInput): Promise<number> {
    return this.db.outbox.add({ ...entry, createdAt: Date.now(), attempts: 0 } as OutboxEntry);
  }
  addOutbox(entry: OutboxInput) { return wrap('addOutbox', () => this.addOutboxInTx(entry)); }
  listOutbox(limit = Infinity) {
    return wrap('listOutbox', () => (Number.isFinite(limit) ? this.db.outbox.orderBy('id').limit(limit) : this.db.outbox.orderBy('id')).toArray());
  }
  updateOutbox(id: number, patch: Partial<Pick<OutboxEntry, 'attempts' | 'payload'>>) {
    return wrap('updateOutbox', async () => { await this.db.outbox.update(id, patch); });
  }
  deleteOutbox(id: number) { return wrap('deleteOutbox', () => this.db.outbox.delete(id)); }
  replaceItem(share: ShareId, item: ItemId, expect: { version: number; sig: string }, head: StoredRecord | undefined, pending: RecordEnvelope[]) {
    const { records, history, outbox } = this.db;
    return wrap('replaceItem', () => this.db.transaction('rw', [records, history, outbox], async () => {
      const cur = await records.get([share, item]);
      if (!cur || cur.envelope.version !== expect.version || cur.envelope.sig !== expect.sig) return false;
      await records.delete([share, item]);
      await history.where('[share+item]').equals([share, item]).delete();
      await outbox.where('share').equals(share).filter((e) => e.item === item).delete();
      if (head) await this.placeInTx(head);
      for (const env of pending) {
        await this.placeInTx({ share, envelope: env });
        await this.addOutboxInTx({ op: 'push', share, item: env.item, version: env.version });
      }
      return true;
    }));
  }
  countOutbox() { return wrap('countOutbox', () => this.db.outbox.count()); }

  getSealedIndex(share: ShareId) { return wrap('getSealedIndex', async () => (await this.db.summaryIndex.get(share))?.sealed); }
  putSealedIndex(share: ShareId, sealed: Uint8Array) { return wrap('putSealedIndex', async () => { await this.db.summaryIndex.put({ share, sealed }); }); }
  markDeleted(share: ShareId, items: { item: ItemId; version: number }[]) {
    const { deleted } = this.db;
    return wrap('markDeleted', () => this.db.transaction('rw', [deleted], async () => {
      const cur = await deleted.bulkGet(items.map((d) => [share, d.item] as [string, string]));
      const next = items.filter((d, i) => (cur[i]?.version ?? -1) < d.version).map((d) => ({ share, item: d.item, version: d.version }));
      if (next.length > 0) await deleted.bulkPut(next);
    }));
  }
  listDeleted(share: ShareId) {
    return wrap('listDeleted', async () => (await this.db.deleted.where('share').equals(share).toArray()).map(({ item, version }) => ({ item, version })));
  }
  getSealedFavourites(share: ShareId) { return wrap('getSealedFavourites', async () => (await this.db.favourites.get(share))?.sealed); }
  putSealedFavourites(share: ShareId, sealed: Uint8Array) { return wrap('putSealedFavourites', async () => { await this.db.favourites.put({ share, sealed }); }); }

  putTransfer(t: PendingTransfer) { return wrap('putTransfer', async () => { await this.db.transfers.put(t); }); }
  listTransfers() { return wrap('listTransfers', () => this.db.transfers.toArray()); }
  deleteTransfer(id: string) { return wrap('deleteTransfer', () => this.db.transfers.delete(id)); }

  wipe() { return wrap('wipe', () => this.db.delete()); }
  close() { return wrap('close', async () => { this.db.close(); }); }
}
