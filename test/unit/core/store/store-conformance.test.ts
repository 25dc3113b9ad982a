import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DexieVaultStore } from '../../../../core/store/dexie-store.js';
import { MemoryVaultStore } from '../../../../core/store/memory-store.js';
import type { VaultStore } from '../../../../core/store/vault-store.js';
import { sealNote } from '../../../../core/model/note.js';
import { createAccount, unlockAccount } from '../../../../core/model/account.js';
import { newId, type ItemId, type ShareId } from '../../../../core/ids.js';
import { TEST_KDF_FLOOR } from '../../../../core/crypto/kdf.js';
import { expectCode, kdfOpts, setup } from '../helpers.js';

const adapters: [string, () => { store: VaultStore; reopen?: () => VaultStore }][] = [
  ['memory', () => ({ store: new MemoryVaultStore() })],
  ['dexie (fake-indexeddb)', () => {
    const idb = new IDBFactory();
    const name = `t-${Math.random()}`;
    return { store: new DexieVaultStore(name, { indexedDB: idb, IDBKeyRange }), reopen: () => new DexieVaultStore(name, { indexedDB: idb, IDBKeyRange }) };
  }],
];

for (const [label, make] of adapters) {
  describe(`VaultStore conformance: ${label}`, () => {
    let f: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => { f = await setup(); });
    const n = (v: number, item: ItemId) => sealNote(f.seal({ item, version: v, baseVersion: v - 1 }), { title: 't', body: `v${v}`, tags: [], updatedAt: v });

    it('keeps the highest version as head and older ones in history', async () => {
      const { store } = make();
      const item = newId<ItemId>();
      await store.putRecord({ share: f.share, envelope: n(1, item) });
      await store.putRecord({ share: f.share, envelope: n(3, item) });
      await store.putRecord({ share: f.share, envelope: n(2, item) });
      await store.putRecord({ share: f.share, envelope: (await store.getRecord(f.share, item))!.envelope, seq: 9 });
      const head = await store.getRecord(f.share, item);
      expect(head?.envelope.version).toBe(3);
      expect(head?.seq).toBe(9);
      expect((await store.history(f.share, item)).map((r) => r.envelope.version)).toEqual([1, 2]);
      expect(await store.listRecords(f.share)).toHaveLength(1);
      expect(await store.listRecords(newId<ShareId>())).toHaveLength(0);
      await store.deleteItem(f.share, item);
      expect(await store.getRecord(f.share, item)).toBeUndefined();
      expect(await store.history(f.share, item)).toEqual([]);
    });

    it('putWithOutbox writes both; the outbox keeps order', async () => {
      const { store } = make();
      const a = newId<ItemId>(); const b = newId<ItemId>();
      const id1 = await store.putWithOutbox({ share: f.share, envelope: n(1, a) }, { op: 'push', share: f.share, item: a, version: 1 });
      const id2 = await store.putWithOutbox({ share: f.share, envelope: n(1, b) }, { op: 'push', share: f.share, item: b, version: 1 });
      expect(id2).toBeGreaterThan(id1);
      const out = await store.listOutbox();
      expect(out.map((e) => e.item)).toEqual([a, b]);
      expect(await store.countOutbox()).toBe(2);
      await store.updateOutbox(id1, { attempts: 2 });
      expect((await store.listOutbox(1))[0]?.attempts).toBe(2);
      await store.deleteOutbox(id1);
      expect((await store.listOutbox()).map((e) => e.id)).toEqual([id2]);
    });

    it('putWithOutbox is one transaction: a failing outbox write leaves no record', async () => {
      const { store } = make();
      const item = newId<ItemId>();
      const bad = { op: 'push', share: f.share, item, version: 1, id: { not: 'a key' } } as never;
      if (label.startsWith('dexie')) {
        await expectCode(() => store.putWithOutbox({ share: f.share, envelope: n(1, item) }, bad), 'INTERNAL');
        expect(await store.getRecord(f.share, item)).toBeUndefined();
        expect(await store.countOutbox()).toBe(0);
      }
    });

    it('applyPulled stores, deletes (with chunks) or skips as decided, and raises lastSeq in one go', async () => {
      const { store } = make();
      const [a, b, c] = [newId<ItemId>(), newId<ItemId>(), newId<ItemId>()];
      await store.putSyncState({ share: f.share, lastSeq: 4, logHead: { index: 2, hash: 'x' } });
      await store.putRecord({ share: f.share, envelope: { ...n(1, b), chunks: ['hb'] }, seq: 1 });
      await store.putChunk(f.share, 'hb', Uint8Array.of(1));
      await store.putRecord({ share: f.share, envelope: n(1, c) }); // pending local edit
      const seen: [string, number | undefined][] = [];
      const applied = await store.applyPulled(f.share, [
        { share: f.share, envelope: n(1, a), seq: 5 },
        { share: f.share, envelope: n(2, a), seq: 6 },
        { share: f.share, envelope: { ...n(2, b), kind: 'tombstone' }, seq: 7 },
        { share: f.share, envelope: n(2, c), seq: 8 },
      ], 8, (local, rec) => {
        seen.push([rec.envelope.item, local?.envelope.version]);
        if (rec.envelope.kind === 'tombstone') return 'delete';
        return local && local.seq === undefined ? 'skip' : 'store';
      });
      expect(applied).toBe(3);
      expect(seen).toEqual([[a, undefined], [a, 1], [b, 1], [c, 1]]); // sees its own earlier writes
      expect((await store.getRecord(f.share, a))).toMatchObject({ seq: 6, envelope: { version: 2 } });
      expect((await store.history(f.share, a)).map((r) => r.envelope.version)).toEqual([1]);
      expect(await store.getRecord(f.share, b)).toBeUndefined();
      expect(await store.getChunk('hb')).toBeUndefined();
      expect((await store.getRecord(f.share, c))?.envelope.version).toBe(1);
      expect(await store.getSyncState(f.share)).toEqual({ share: f.share, lastSeq: 8, logHead: { index: 2, hash: 'x' } });
      expect(await store.applyPulled(f.share, [], 3, () => 'store')).toBe(0);
      expect((await store.getSyncState(f.share))?.lastSeq).toBe(8); // never lowered
      const other = newId<ShareId>();
      await store.applyPulled(other, [], 2, () => 'store');
      expect(await store.getSyncState(other)).toEqual({ share: other, lastSeq: 2 });
    });

    it('ackPushes stores the seq, drops the outbox entries and advances lastSeq as told, in one go', async () => {
      const { store } = make();
      const [a, b] = [newId<ItemId>(), newId<ItemId>()];
      await store.putSyncState({ share: f.share, lastSeq: 4, logHead: { index: 1, hash: 'y' } });
      const ia = await store.putWithOutbox({ share: f.share, envelope: n(1, a) }, { op: 'push', share: f.share, item: a, version: 1 });
      await store.putRecord({ share: f.share, envelope: { ...n(1, b), chunks: ['hc'] }, seq: 2 });
      await store.putChunk(f.share, 'hc', Uint8Array.of(2));
      const tomb = { ...n(2, b), kind: 'tombstone' as const };
      const ib = await store.putWithOutbox({ share: f.share, envelope: tomb }, { op: 'push', share: f.share, item: b, version: 2 });
      const keep = await store.addOutbox({ op: 'request', share: f.share, payload: '{}' });
      const last = await store.ackPushes(f.share, [{ envelope: n(1, a), seq: 5, outboxId: ia }, { envelope: tomb, seq: 6, outboxId: ib }], (l) => (l === 4 ? 6 : l));
      expect(last).toBe(6);
      expect(await store.getRecord(f.share, a)).toMatchObject({ seq: 5, envelope: { version: 1 } });
      expect(await store.getRecord(f.share, b)).toBeUndefined();
      expect(await store.history(f.share, b)).toEqual([]);
      expect(await store.getChunk('hc')).toBeUndefined();
      expect((await store.listOutbox()).map((e) => e.id)).toEqual([keep]);
      expect(await store.getSyncState(f.share)).toEqual({ share: f.share, lastSeq: 6, logHead: { index: 1, hash: 'y' } });
      expect(await store.ackPushes(f.share, [], () => 2)).toBe(6); // never lowered
      expect(await store.ackPushes(newId<ShareId>(), [], () => 9)).toBeUndefined(); // unknown share: no row made
    });

    it('deleteHistory removes only the given older versions', async () => {
      const { store } = make();
      const item = newId<ItemId>();
      for (const v of [1, 2, 3, 4]) await store.putRecord({ share: f.share, envelope: n(v, item), seq: v });
      await store.deleteHistory(f.share, item, [1, 2, 4]);
      expect((await store.history(f.share, item)).map((r) => r.envelope.version)).toEqual([3]);
      expect((await store.getRecord(f.share, item))?.envelope.version).toBe(4);
    });

    it('stores chunks, wrapped keys, log entries, sync state, transfers', async () => {
      const { store } = make();
      await store.putChunk(f.share, 'h1', Uint8Array.of(1, 2, 3));
      expect(await store.getChunk('h1')).toEqual(Uint8Array.of(1, 2, 3));
      expect(await store.hasChunks(['h1', 'h2'])).toEqual([true, false]);
      await store.deleteChunks(['h1']);
      expect(await store.getChunk('h1')).toBeUndefined();
      await store.putWrappedKeys([{ share: f.share, epoch: 0, to: { kind: 'account', id: 'a' }, wrapped: 'w0' }, { share: f.share, epoch: 1, to: { kind: 'code', id: 'c' }, wrapped: 'w1' }]);
      expect((await store.getWrappedKeys(f.share)).map((w) => w.wrapped).sort()).toEqual(['w0', 'w1']);
      await store.putLogEntries([0, 1, 2].map((index) => ({ share: f.share, index, raw: `{"i":${index}}` })));
      expect((await store.getLogEntries(f.share, 1)).map((e) => e.index)).toEqual([1, 2]);
      await store.putSyncState({ share: f.share, lastSeq: 5, logHead: { index: 2, hash: 'x' } });
      expect((await store.getSyncState(f.share))?.lastSeq).toBe(5);
      await store.putTransfer({ id: 't', share: f.share, item: newId(), direction: 'up', hashes: ['h'], doneChunks: 0, totalBytes: 3 });
      expect(await store.listTransfers()).toHaveLength(1);
      await store.deleteTransfer('t');
      expect(await store.listTransfers()).toHaveLength(0);
    });

    it('keeps one invitation decision per share (a later one replaces), across a reopen', async () => {
      const { store, reopen } = make();
      const other = newId<ShareId>();
      await store.putShareDecision({ share: f.share, decision: 'accepted', inviter: 'acc', inviterFingerprint: '12345', at: 1 });
      await store.putShareDecision({ share: other, decision: 'accepted', inviter: 'acc', inviterFingerprint: '12345', at: 2 });
      await store.putShareDecision({ share: other, decision: 'declined', inviter: 'acc', inviterFingerprint: '12345', at: 3 });
      const s2 = reopen ? (await store.close(), reopen()) : store;
      const rows = (await s2.listShareDecisions()).sort((a, b) => a.at - b.at);
      expect(rows.map((d) => [d.share, d.decision])).toEqual([[f.share, 'accepted'], [other, 'declined']]);
      await s2.close();
    });

    it('keeps one sealed favourites row per share (a later put replaces), across a reopen', async () => {
      const { store, reopen } = make();
      const other = newId<ShareId>();
      expect(await store.getSealedFavourites(f.share)).toBeUndefined();
      await store.putSealedFavourites(f.share, new Uint8Array([1, 2, 3]));
      await store.putSealedFavourites(other, new Uint8Array([9]));
      await store.putSealedFavourites(f.share, new Uint8Array([4, 5]));
      const s2 = reopen ? (await store.close(), reopen()) : store;
      expect([...(await s2.getSealedFavourites(f.share))!]).toEqual([4, 5]);
      expect([...(await s2.getSealedFavourites(other))!]).toEqual([9]);
      await s2.close();
    });

    it('opens offline from the stored encrypted bundle alone; wipe deletes everything', async () => {
      const { store, reopen } = make();
      const { secretKey, bundle, keys } = createAccount({ team: f.team, account: newId(), password: 'pw', ...kdfOpts });
      await store.putAccount(bundle);
      await store.putChunk(f.share, 'h', Uint8Array.of(9));
      const s2 = reopen ? (await store.close(), reopen()) : store;
      const stored = await s2.getAccount();
      const un = unlockAccount({ bundle: stored!, password: 'pw', secretKey, floor: TEST_KDF_FLOOR });
      expect(un.sign.publicKey).toEqual(keys.sign.publicKey);
      await s2.wipe();
      if (reopen) {
        const s3 = reopen();
        expect(await s3.getAccount()).toBeUndefined();
        expect(await s3.getChunk('h')).toBeUndefined();
        await s3.close();
      } else {
        await expectCode(() => s2.getAccount(), 'DEVICE_WIPED');
      }
    });
  });
}

describe('DexieVaultStore schema upgrade', () => {
  it('opens a version-1 database (before invitation decisions) with its rows intact', async () => {
    const idb = new IDBFactory();
    const name = `v1-${Math.random()}`;
    const v1 = new Dexie(name, { indexedDB: idb, IDBKeyRange });
    v1.version(1).stores({
      account: '&key', records: '[share+item], share', history: '[share+item+version], [share+item]', chunks: '&hash, share',
      wrappedKeys: '[share+epoch+toKind+toId], share', log: '[share+index], share', syncState: '&share', outbox: '++id, share', transfers: '&id',
    });
    const share = newId<ShareId>();
    await v1.table('syncState').put({ share, lastSeq: 7 });
    await v1.table('log').put({ share, index: 0, raw: '{"i":0}' });
    v1.close();
    const store = new DexieVaultStore(name, { indexedDB: idb, IDBKeyRange });
    expect(await store.listSyncStates()).toEqual([{ share, lastSeq: 7 }]);
    expect((await store.getLogEntries(share)).map((e) => e.raw)).toEqual(['{"i":0}']);
    expect(await store.listShareDecisions()).toEqual([]);
    await store.putShareDecision({ share, decision: 'accepted', inviter: 'a', inviterFingerprint: 'f', at: 1 });
    expect(await store.listShareDecisions()).toHaveLength(1);
    await store.close();
  });
});
