/**
 * Canary: notes and files whose plaintext carries a unique marker go through the Dexie store
 * on fake-indexeddb; then every value of every table is serialised and scanned for the marker
 * as UTF-8 text, raw bytes, base64 and base64url (at all three alignments).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DexieVaultStore } from '../../../../core/store/dexie-store.js';
import { sealNote } from '../../../../core/model/note.js';
import { importFile } from '../../../../core/model/file.js';
import { createAccount } from '../../../../core/model/account.js';
import { newId, type ItemId } from '../../../../core/ids.js';
import { kdfOpts, setup } from '../helpers.js';

const MARKER = `CANARY-${Math.random().toString(36).slice(2)}-Geheim`;

function needles(marker: string): string[] {
  const out = [marker];
  for (let pad = 0; pad < 3; pad++) {
    const b = Buffer.concat([Buffer.alloc(pad, 0x20), Buffer.from(marker)]);
    const skip = Math.ceil((pad * 4) / 3) + 1;
    for (const enc of ['base64', 'base64url'] as const) out.push(b.toString(enc).slice(skip, -3));
  }
  return out;
}

function collectBytes(value: unknown, out: Buffer[]): void {
  if (value instanceof Uint8Array) out.push(Buffer.from(value));
  else if (typeof value === 'string') out.push(Buffer.from(value));
  else if (Array.isArray(value)) value.forEach((v) => collectBytes(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push(Buffer.from(k)); collectBytes(v, out); }
  else out.push(Buffer.from(String(value)));
}

describe('canary: no plaintext in IndexedDB', () => {
  it('marker is absent from every table (text, bytes, base64, base64url)', async () => {
    const f = await setup();
    const idb = new IDBFactory();
    const store = new DexieVaultStore('canary', { indexedDB: idb, IDBKeyRange });
    const { bundle } = createAccount({ team: f.team, account: newId(), password: `${MARKER}-password`, ...kdfOpts });
    await store.putAccount(bundle);
    const item = newId<ItemId>();
    const env = sealNote(f.seal({ item }), { title: MARKER, body: `body ${MARKER} body`.repeat(50), tags: [MARKER], updatedAt: 1 });
    await store.putWithOutbox({ share: f.share, envelope: env }, { op: 'push', share: f.share, item, version: 1 });
    const content = new TextEncoder().encode(`${MARKER}\n`.repeat(20_000));
    const fileItem = newId<ItemId>();
    const { envelope } = await importFile(f.seal({ item: fileItem }), [content], { name: `${MARKER}.txt`, mime: 'text/plain', updatedAt: 1, chunkSize: 65536 }, (c) => store.putChunk(f.share, c.hash, c.bytes));
    await store.putWithOutbox({ share: f.share, envelope }, { op: 'push', share: f.share, item: fileItem, version: 1 });
    await store.close();

    // read every object store raw through the IndexedDB API, not through Dexie
    const db = await new Promise<IDBDatabase>((res, rej) => { const r = idb.open('canary'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const parts: Buffer[] = [];
    let rows = 0;
    for (const name of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((res, rej) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      rows += all.length;
      collectBytes(all, parts);
    }
    db.close();
    expect(rows).toBeGreaterThan(5);
    const haystack = Buffer.concat(parts);
    expect(haystack.length).toBeGreaterThan(content.length);
    for (const n of needles(MARKER)) expect(haystack.includes(Buffer.from(n)), `found ${n}`).toBe(false);
    // the check can fail: the needles are found in a plaintext copy
    const plain = Buffer.concat([haystack, Buffer.from(Buffer.from(` ${MARKER}`).toString('base64'))]);
    expect(needles(MARKER).some((n) => plain.includes(Buffer.from(n)))).toBe(true);
  });
});
