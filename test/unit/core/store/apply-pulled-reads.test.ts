/**
 * Issue 19: a pulled page is applied reading only the heads of ITS items, by key — never the
 * share's other records (a 10 000-item share used to cost more per page as it filled). Real
 * Dexie on fake-indexeddb; the spies only count which object-store requests Dexie makes.
 */
import { IDBFactory, IDBKeyRange, IDBIndex, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DexieVaultStore } from '../../../../core/store/dexie-store.js';
import { decidePulled } from '../../../../core/sync/pull.js';
import { sealNote } from '../../../../core/model/note.js';
import { newId, type ItemId } from '../../../../core/ids.js';
import type { StoredRecord } from '../../../../core/store/vault-store.js';
import { setup } from '../helpers.js';

type Counts = Record<string, number>;

/** Counts object-store and index requests by "store.method" while `fn` runs. */
async function countRequests(fn: () => Promise<unknown>): Promise<Counts> {
  const counts: Counts = {};
  const spies = [];
  for (const m of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count', 'put', 'add', 'delete'] as const) {
    const orig = IDBObjectStore.prototype[m] as (...a: unknown[]) => unknown;
    spies.push(vi.spyOn(IDBObjectStore.prototype, m).mockImplementation(function (this: IDBObjectStore, ...a: unknown[]) {
      counts[`${this.name}.${m}`] = (counts[`${this.name}.${m}`] ?? 0) + 1;
      return orig.apply(this, a);
    } as never));
  }
  for (const m of ['get', 'getAll', 'openCursor', 'openKeyCursor', 'count'] as const) {
    const orig = IDBIndex.prototype[m] as (...a: unknown[]) => unknown;
    spies.push(vi.spyOn(IDBIndex.prototype, m).mockImplementation(function (this: IDBIndex, ...a: unknown[]) {
      const k = `${this.objectStore.name}[${String(this.name)}].${m}`;
      counts[k] = (counts[k] ?? 0) + 1;
      return orig.apply(this, a);
    } as never));
  }
  try {
    await fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return counts;
}

describe('DexieVaultStore.applyPulled reads only the page', () => {
  let f: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => { f = await setup(); });
  afterEach(() => vi.restoreAllMocks());
  const note = (v: number, item: ItemId) => sealNote(f.seal({ item, version: v, baseVersion: v - 1 }), { title: 't', body: `v${v}`, tags: [], updatedAt: v });

  it('touches only the items on the page, whatever the share holds', async () => {
    const store = new DexieVaultStore(`t-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const stored = 1000;
    const env = note(1, newId<ItemId>()); // one sealed body reused under many ids: the store never opens it
    const existing: StoredRecord[] = [];
    for (let i = 0; i < stored; i++) existing.push({ share: f.share, envelope: { ...env, item: newId<ItemId>() }, seq: i + 1 });
    await store.applyPulled(f.share, existing, stored, decidePulled);
    expect(await store.listRecords(f.share)).toHaveLength(stored);

    const updated = existing[17]!.envelope.item;
    const fresh = [newId<ItemId>(), newId<ItemId>()];
    const page: StoredRecord[] = [
      { share: f.share, envelope: note(1, fresh[0]!), seq: stored + 1 },
      { share: f.share, envelope: { ...note(2, updated) }, seq: stored + 2 },
      { share: f.share, envelope: note(1, fresh[1]!), seq: stored + 3 },
      { share: f.share, envelope: { ...existing[3]!.envelope }, seq: 4 }, // already stored: skipped
    ];
    let applied = 0;
    const counts = await countRequests(async () => { applied = await store.applyPulled(f.share, page, stored + 3, decidePulled); });

    expect(applied).toBe(3);
    // Reads: one get per distinct item of the page, no scan of records or history.
    expect(counts['records.get']).toBe(4);
    for (const k of Object.keys(counts)) expect(k).not.toMatch(/^(records|history).*(getAll|Cursor|count)/);
    // Writes: the three new heads, the one replaced head into history, the sync state.
    expect(counts['records.put']).toBe(3);
    expect(counts['history.put']).toBe(1);
    expect(counts['syncState.put']).toBe(1);

    expect(await store.listRecords(f.share)).toHaveLength(stored + 2);
    expect((await store.getRecord(f.share, updated))).toMatchObject({ seq: stored + 2, envelope: { version: 2 } });
    expect((await store.history(f.share, updated)).map((r) => r.seq)).toEqual([18]);
    expect((await store.getSyncState(f.share))?.lastSeq).toBe(stored + 3);
    await store.close();
  });
});
