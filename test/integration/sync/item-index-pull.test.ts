/**
 * Issue 19: a device that pulls a share page by page keeps its item listing current from the
 * pages themselves (each record's summary is made once by the verify hook), so listing after a
 * sync of a thousand records reads none of the share's records again — where each pulled page
 * used to make the next listing read the whole share. Real relay process, real core,
 * fake-indexeddb; the store wrapper only counts calls into the real Dexie store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, type SimDevice } from './helpers/devices.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultStore } from '../../../core/store/vault-store.js';
import type { DexieVaultStore } from '../../../core/store/dexie-store.js';
import type { VaultApi } from '../../../core/vault-api.js';

const PW = 'correct horse battery staple';
const MORE = 1100; // more than two pull pages (500 records each)
let relay: RelayProcess;
let a: VaultApi;
let b: VaultApi;
let devB: SimDevice;
let share: string;
const first: string[] = [];
const calls = { listRecords: 0, applyPulled: 0 };

function counting(store: VaultStore): VaultStore {
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'listRecords') calls.listRecords++;
        if (prop === 'applyPulled' && (args[1] as unknown[]).length > 0) calls.applyPulled++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe.skipIf(!relayAvailable)('listing while pulling', () => {
  beforeAll(async () => {
    relay = await startRelay();
    const created = await simDevice('pl-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
    a = created.vault;
    share = (await a.createShare('Kanzlei')).id;
    for (let i = 0; i < 3; i++) first.push(await a.saveNote(share, { title: `Erste ${i}`, body: 'x', tags: [] }));
    await synced(a);
    devB = simDevice('pl-b', { wrapStore: counting });
    b = await devB.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'b' });
    await waitFor(b, async () => ((await b.listItems(share)).length === 3 ? true : undefined), 'first notes listed on b');
  }, 120_000);

  afterAll(async () => {
    await a?.lock();
    await b?.lock().catch(() => undefined);
    await relay?.stop();
  });

  it('lists 1 100 pulled notes, an edit and a delete without reading the share again', async () => {
    calls.listRecords = 0;
    calls.applyPulled = 0;
    for (let i = 0; i < MORE; i++) await a.saveNote(share, { title: `Akte ${i}`, body: `Vermerk ${i}`, tags: [] });
    await a.saveNote(share, { title: 'Erste 0, bearbeitet', body: 'y', tags: [] }, first[0]);
    await a.deleteItem(share, first[1]!);
    await synced(a);
    const want = MORE + 2;
    const probe: DexieVaultStore = devB.openStore(); // a second handle on b's database, not b's session
    try {
      await waitFor(b, async () => {
        const recs = (await probe.listRecords(share as ShareId)).filter((r) => r.envelope.kind !== 'tombstone'); // + the share's name record
        const edited = recs.find((r) => r.envelope.item === first[0]);
        return recs.length === want + 1 && edited?.envelope.version === 2 ? true : undefined;
      }, 'b pulled everything', 60_000);
    } finally {
      await probe.close();
    }
    const items = await b.listItems(share);
    expect(calls.applyPulled).toBeGreaterThanOrEqual(3);
    expect(calls.listRecords).toBe(0);
    expect(items).toHaveLength(want);
    const titles = new Set(items.map((i) => i.title));
    for (let i = 0; i < MORE; i++) expect(titles.has(`Akte ${i}`)).toBe(true);
    expect(items.find((i) => i.id === first[0])?.title).toBe('Erste 0, bearbeitet');
    expect(items.some((i) => i.id === first[1])).toBe(false);
    expect(items.find((i) => i.id === first[2])?.title).toBe('Erste 2');
    expect(items.find((i) => i.title === 'Akte 7')?.text).toBe('akte 7\nvermerk 7');
  }, 120_000);

  it('an imported file joins the listing without a read of the share', async () => {
    await b.listItems(share);
    calls.listRecords = 0;
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const id = await b.importFile(share, {
      name: 'Scan.pdf', type: 'application/pdf', size: bytes.length,
      stream: () => new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } }),
    });
    const items = await b.listItems(share);
    expect(calls.listRecords).toBe(0);
    expect(items).toHaveLength(MORE + 3);
    expect(items.find((i) => i.id === id)).toMatchObject({ kind: 'file', title: 'Scan.pdf', size: 300_000, mime: 'application/pdf', author: expect.objectContaining({ kind: 'account', isMe: true }) });
  }, 60_000);

  it('a replaced file version takes its item\'s place in the listing without a read of the share', async () => {
    const v1 = new Uint8Array(1000).fill(1);
    const id = await b.importFile(share, {
      name: 'Vertrag.pdf', type: 'application/pdf', size: v1.length,
      stream: () => new ReadableStream({ start(c) { c.enqueue(v1); c.close(); } }),
    });
    await b.listItems(share);
    calls.listRecords = 0;
    const v2 = new Uint8Array(2345).fill(2);
    const out = await b.replaceFile(share, id, {
      name: 'anders.pdf', type: 'application/pdf', size: v2.length,
      stream: () => new ReadableStream({ start(c) { c.enqueue(v2); c.close(); } }),
    });
    expect(out).toEqual({ item: id, outcome: 'replaced' });
    const items = await b.listItems(share);
    expect(calls.listRecords).toBe(0);
    expect(items).toHaveLength(MORE + 4);
    expect(items.filter((i) => i.id === id)).toEqual([expect.objectContaining({ kind: 'file', title: 'Vertrag.pdf', size: 2345, version: 2, author: expect.objectContaining({ kind: 'account', isMe: true }) })]);
  }, 60_000);
});
