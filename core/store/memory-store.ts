/** In-memory VaultStore for unit tests (same semantics as DexieVaultStore, no persistence). */
import { VaultError } from '../errors.js';
import type { ItemId, ShareId } from '../ids.js';
import type { LocalAccountBundle } from '../model/account-bundle.js';
import type { RecordEnvelope } from '../model/record.js';
import { placeRecord, sameHead } from './record-versions.js';
import type { LogEntryRow, OutboxEntry, OutboxInput, PendingTransfer, PulledAction, PushAck, ShareDecision, StoredRecord, SyncState, VaultStore, WrappedKeyRow } from './vault-store.js';

const k = (...parts: (string | number)[]) => JSON.stringify(parts);

export class MemoryVaultStore implements VaultStore {
  private account: LocalAccountBundle | undefined;
  private records = new Map<string, StoredRecord>();
  private hist = new Map<string, StoredRecord>();
  private chunks = new Map<string, { share: ShareId; bytes: Uint8Array }>();
  private wraps = new Map<string, WrappedKeyRow>();
  private log = new Map<string, LogEntryRow>();
  private sync = new Map<string, SyncState>();
  private decisions = new Map<string, ShareDecision>();
  private outbox = new Map<number, OutboxEntry>();
  private transfers = new Map<string, PendingTransfer>();
  private sealedIndex = new Map<string, Uint8Array>();
  private sealedFavourites = new Map<string, Uint8Array>();
  private nextOutbox = 1;
  private wiped = false;

  private check(fn: string): void {
    if (this.wiped) throw new VaultError('DEVICE_WIPED', `${fn}: store was wiped`);
  }
  private clone<T>(v: T): T {
    return structuredClone(v);
  }

  async getAccount() { this.check('getAccount'); return this.clone(this.account); }
  async putAccount(b: LocalAccountBundle) { this.check('putAccount'); this.account = this.clone(b); }

  async getRecord(share: ShareId, item: ItemId) { this.check('getRecord'); return this.clone(this.records.get(k(share, item))); }
  async listRecords(share: ShareId) { this.check('listRecords'); return [...this.records.values()].filter((r) => r.share === share).map((r) => this.clone(r)); }
  async putRecords(recs: StoredRecord[]) {
    this.check('putRecords');
    for (const r of recs) await this.putRecord(r);
  }
  async putRecord(rec: StoredRecord) {
    this.check('putRecord');
    const key = k(rec.share, rec.envelope.item);
    const p = placeRecord(this.records.get(key), this.clone(rec));
    if (p.head) this.records.set(key, p.head);
    if (p.toHistory) this.hist.set(k(rec.share, rec.envelope.item, p.toHistory.envelope.version), p.toHistory);
  }
  async putWithOutbox(rec: StoredRecord, entry: OutboxInput, expect?: { version: number; sig: string } | null) {
    if (expect !== undefined && !sameHead(this.records.get(k(rec.share, rec.envelope.item))?.envelope, expect)) {
      throw new VaultError('STALE_VERSION', `putWithOutbox: the local head of ${rec.envelope.item} moved`);
    }
    await this.putRecord(rec);
    return this.addOutbox(entry);
  }
  async applyPulled(share: ShareId, recs: StoredRecord[], lastSeq: number, decide: (local: StoredRecord | undefined, incoming: StoredRecord) => PulledAction) {
    this.check('applyPulled');
    let applied = 0;
    for (const rec of recs) {
      const local = this.clone(this.records.get(k(share, rec.envelope.item)));
      const what = decide(local, this.clone(rec));
      if (what === 'store') await this.putRecord(rec);
      else if (what === 'delete') {
        const hashes = [...(local ? [local] : []), ...(await this.history(share, rec.envelope.item))].flatMap((r) => r.envelope.chunks);
        await this.deleteItem(share, rec.envelope.item);
        await this.deleteChunks(hashes);
      }
      if (what !== 'skip') applied++;
    }
    const cur = this.sync.get(share);
    if (!cur || cur.lastSeq < lastSeq) this.sync.set(share, { ...this.clone(cur ?? {}), share, lastSeq: Math.max(cur?.lastSeq ?? 0, lastSeq) });
    return applied;
  }
  async ackPushes(share: ShareId, acks: PushAck[], advance: (lastSeq: number) => number) {
    this.check('ackPushes');
    for (const a of acks) {
      if (a.envelope.kind === 'tombstone') {
        const head = this.records.get(k(share, a.envelope.item));
        const hashes = [...(head ? [head] : []), ...(await this.history(share, a.envelope.item))].flatMap((r) => r.envelope.chunks);
        await this.deleteItem(share, a.envelope.item);
        await this.deleteChunks(hashes);
      } else await this.putRecord({ share, envelope: a.envelope, seq: a.seq });
      this.outbox.delete(a.outboxId);
    }
    const cur = this.sync.get(share);
    if (!cur) return undefined;
    const next = advance(cur.lastSeq);
    if (next > cur.lastSeq) this.sync.set(share, { ...cur, lastSeq: next });
    return Math.max(next, cur.lastSeq);
  }
  private readonly deleted = new Map<ShareId, Map<ItemId, number>>();
  async markDeleted(share: ShareId, items: { item: ItemId; version: number }[]) {
    this.check('markDeleted');
    const m = this.deleted.get(share) ?? new Map<ItemId, number>();
    for (const d of items) if ((m.get(d.item) ?? -1) < d.version) m.set(d.item, d.version);
    this.deleted.set(share, m);
  }
  async listDeleted(share: ShareId) {
    this.check('listDeleted');
    return [...(this.deleted.get(share) ?? [])].map(([item, version]) => ({ item, version }));
  }
  async deleteHistory(share: ShareId, item: ItemId, versions: number[]) {
    this.check('deleteHistory');
    for (const v of versions) this.hist.delete(k(share, item, v));
  }
  async history(share: ShareId, item: ItemId) {
    this.check('history');
    return [...this.hist.values()].filter((r) => r.share === share && r.envelope.item === item)
      .sort((a, b) => a.envelope.version - b.envelope.version).map((r) => this.clone(r));
  }
  async deleteItem(share: ShareId, item: ItemId) {
    this.check('deleteItem');
    this.records.delete(k(share, item));
    for (const [key, r] of this.hist) if (r.share === share && r.envelope.item === item) this.hist.delete(key);
  }

  async putChunk(share: ShareId, hash: string, bytes: Uint8Array | Blob) { this.check('putChunk'); this.chunks.set(hash, { share, bytes: bytes instanceof Uint8Array ? bytes.slice() : new Uint8Array(await bytes.arrayBuffer()) }); }
  async getChunk(hash: string) { this.check('getChunk'); return this.chunks.get(hash)?.bytes.slice(); }
  async hasChunks(hashes: string[]) { this.check('hasChunks'); return hashes.map((h) => this.chunks.has(h)); }
  async deleteChunks(hashes: string[]) { this.check('deleteChunks'); for (const h of hashes) this.chunks.delete(h); }

  async putWrappedKeys(rows: WrappedKeyRow[]) {
    this.check('putWrappedKeys');
    for (const r of rows) this.wraps.set(k(r.share, r.epoch, r.to.kind, r.to.id), this.clone(r));
  }
  async getWrappedKeys(share: ShareId) { this.check('getWrappedKeys'); return [...this.wraps.values()].filter((r) => r.share === share).map((r) => this.clone(r)); }

  async putLogEntries(rows: LogEntryRow[]) { this.check('putLogEntries'); for (const r of rows) this.log.set(k(r.share, r.index), { ...r }); }
  async getLogEntries(share: ShareId, since = 0) {
    this.check('getLogEntries');
    return [...this.log.values()].filter((r) => r.share === share && r.index >= since).sort((a, b) => a.index - b.index);
  }

  async getSyncState(share: ShareId) { this.check('getSyncState'); return this.clone(this.sync.get(share)); }
  async putSyncState(s: SyncState) { this.check('putSyncState'); this.sync.set(s.share, this.clone(s)); }
  async patchSyncState(share: ShareId, patch: Partial<Omit<SyncState, 'share' | 'lastSeq'>>) {
    this.check('patchSyncState');
    this.sync.set(share, this.clone({ ...(this.sync.get(share) ?? { share, lastSeq: 0 }), ...patch, share }));
  }
  async listSyncStates() { this.check('listSyncStates'); return [...this.sync.values()].map((s) => this.clone(s)); }

  async putShareDecision(d: ShareDecision) { this.check('putShareDecision'); this.decisions.set(d.share, this.clone(d)); }
  async listShareDecisions() { this.check('listShareDecisions'); return [...this.decisions.values()].map((d) => this.clone(d)); }

  async addOutbox(entry: OutboxInput) {
    this.check('addOutbox');
    const id = this.nextOutbox++;
    this.outbox.set(id, { ...entry, id, createdAt: Date.now(), attempts: 0 });
    return id;
  }
  async listOutbox(limit = Infinity) { this.check('listOutbox'); return [...this.outbox.values()].sort((a, b) => a.id - b.id).slice(0, limit).map((e) => ({ ...e })); }
  async updateOutbox(id: number, patch: Partial<Pick<OutboxEntry, 'attempts' | 'payload'>>) {
    this.check('updateOutbox');
    const e = this.outbox.get(id);
    if (e) this.outbox.set(id, { ...e, ...patch });
  }
  async deleteOutbox(id: number) { this.check('deleteOutbox'); this.outbox.delete(id); }
  async replaceItem(share: ShareId, item: ItemId, expect: { version: number; sig: string }, head: StoredRecord | undefined, pending: RecordEnvelope[]) {
    this.check('replaceItem');
    const cur = this.records.get(k(share, item));
    if (!cur || cur.envelope.version !== expect.version || cur.envelope.sig !== expect.sig) return false;
    await this.deleteItem(share, item);
    for (const [id, e] of this.outbox) if (e.share === share && e.item === item) this.outbox.delete(id);
    if (head) await this.putRecord(head);
    for (const env of pending) await this.putWithOutbox({ share, envelope: env }, { op: 'push', share, item: env.item, version: env.version });
    return true;
  }
  async countOutbox() { this.check('countOutbox'); return this.outbox.size; }

  async getSealedIndex(share: ShareId) { this.check('getSealedIndex'); const b = this.sealedIndex.get(share); return b && b.slice(); }
  async putSealedIndex(share: ShareId, sealed: Uint8Array) { this.check('putSealedIndex'); this.sealedIndex.set(share, sealed.slice()); }
  async getSealedFavourites(share: ShareId) { this.check('getSealedFavourites'); const b = this.sealedFavourites.get(share); return b && b.slice(); }
  async putSealedFavourites(share: ShareId, sealed: Uint8Array) { this.check('putSealedFavourites'); this.sealedFavourites.set(share, sealed.slice()); }
  async putTransfer(t: PendingTransfer) { this.check('putTransfer'); this.transfers.set(t.id, this.clone(t)); }
  async listTransfers() { this.check('listTransfers'); return [...this.transfers.values()].map((t) => this.clone(t)); }
  async deleteTransfer(id: string) { this.check('deleteTransfer'); this.transfers.delete(id); }

  async wipe() {
    this.account = undefined;
    for (const m of [this.records, this.hist, this.chunks, this.wraps, this.log, this.sync, this.decisions, this.outbox, this.transfers, this.sealedIndex, this.sealedFavourites, this.deleted]) m.clear();
    this.wiped = true;
  }
  async close() {}
}
