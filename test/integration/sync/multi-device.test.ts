/**
 * Real relay process, real core, one fake-indexeddb per device: three devices of one account
 * plus a second account in the same share; offline edits merged or kept as conflicted copies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus, type SimDevice } from './helpers/devices.js';
import { acceptInvitation, addExistingAccount, addSecondAccount } from './helpers/second-account.js';
import { sessionOf } from '../../../core/vault/api.js';
import { toB64url } from '../../../core/encoding.js';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';

const PW = 'correct horse battery staple';
let relay: RelayProcess;
let devs: SimDevice[];
let a1: VaultApi, a2: VaultApi, a3: VaultApi, b1: VaultApi;
let kit: EmergencyKit;
let share: string;

async function noteOn(v: VaultApi, item: string, pred: (body: string) => boolean): Promise<string> {
  return waitFor(v, async () => {
    const items = await v.listItems(share);
    if (!items.some((i) => i.id === item)) return undefined;
    const n = await v.readNote(share, item);
    return pred(n.body) ? n.body : undefined;
  }, `note ${item}`);
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  devs = ['a1', 'a2', 'a3', 'b1'].map((n) => simDevice(n));
  const created = await devs[0]!.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'laptop' });
  a1 = created.vault;
  kit = created.kit;
  share = (await a1.createShare('Kanzlei')).id;
  await synced(a1);
  a2 = await devs[1]!.launcher.signInNewDevice({ kit, password: PW, deviceName: 'desktop' });
  a3 = await devs[2]!.launcher.signInNewDevice({ kit, password: PW, deviceName: 'tablet' });
  await addSecondAccount(a1, share, devs[3]!, 'other password 123');
  b1 = await devs[3]!.launcher.unlock('other password 123');
  await acceptInvitation(b1, share);
});

afterAll(async () => {
  for (const v of [a1, a2, a3, b1]) await v?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('sync between devices (real relay)', () => {
  it('every device sees the share by name, with the right role', async () => {
    for (const v of [a2, a3, b1]) {
      const shares = await waitFor(v, async () => {
        const s = await v.listShares();
        return s.find((x) => x.id === share && x.name === 'Kanzlei') ? s : undefined;
      }, 'share visible');
      expect(shares.find((x) => x.id === share)?.myRole).toBe(v === b1 ? 'editor' : 'owner');
    }
  });

  it('edits on any device appear decrypted on all others (latency printed)', async () => {
    const item = await a1.saveNote(share, { title: 'Akte 1', body: 'v1 from a1', tags: ['akte'] });
    for (const v of [a2, a3, b1]) await noteOn(v, item, (b) => b === 'v1 from a1');
    const lat: number[] = [];
    const writers: VaultApi[] = [b1, a2, a3, a1];
    for (let i = 0; i < 8; i++) {
      const w = writers[i % writers.length]!;
      const body = `edit ${i}`;
      const t0 = performance.now();
      await w.saveNote(share, { title: 'Akte 1', body, tags: ['akte'] }, item);
      await Promise.all([a1, a2, a3, b1].filter((v) => v !== w).map((v) => noteOn(v, item, (b) => b === body)));
      lat.push(performance.now() - t0);
    }
    console.log(`edit → visible on 3 other devices: ${lat.map((l) => l.toFixed(1)).join(', ')} ms`);
    const hist = await a1.history(share, item);
    expect(hist.map((h) => h.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const authors = new Set(hist.map((h) => h.author.id));
    expect(authors.size).toBe(2); // account A (isMe on a1) and member B
    expect(new Set(hist.filter((h) => h.author.isMe).map((h) => h.author.id)).size).toBe(1);
  });

  it('both offline, different lines → merged text on both', async () => {
    const base = ['Mandant: Müller', 'Termin: Montag', 'Frist: 30.6.', 'Betrag: 100 €', 'Status: offen'].join('\n');
    const item = await a1.saveNote(share, { title: 'Merge', body: base, tags: [] });
    await noteOn(a2, item, (b) => b === base);
    devs[0]!.offline = devs[1]!.offline = true;
    devs[0]!.dropConnections();
    devs[1]!.dropConnections();
    await a1.saveNote(share, { title: 'Merge', body: base.replace('Termin: Montag', 'Termin: Dienstag'), tags: [] }, item);
    await a2.saveNote(share, { title: 'Merge', body: base.replace('Status: offen', 'Status: erledigt'), tags: ['done'] }, item);
    devs[0]!.offline = false;
    await synced(a1);
    devs[1]!.offline = false;
    await synced(a2);
    const merged = base.replace('Termin: Montag', 'Termin: Dienstag').replace('Status: offen', 'Status: erledigt');
    for (const v of [a1, a2, a3, b1]) expect(await noteOn(v, item, (b) => b === merged)).toBe(merged);
    expect((await a1.readNote(share, item)).tags).toEqual(['done']);
  });

  it('both offline, same line → both versions kept (head + conflicted copy)', async () => {
    const item = await a1.saveNote(share, { title: 'Clash', body: 'a\nb\nc', tags: [] });
    await noteOn(b1, item, (b) => b === 'a\nb\nc');
    devs[0]!.offline = devs[3]!.offline = true;
    devs[0]!.dropConnections();
    devs[3]!.dropConnections();
    await a1.saveNote(share, { title: 'Clash', body: 'a\nFROM A\nc', tags: [] }, item);
    await b1.saveNote(share, { title: 'Clash', body: 'a\nFROM B\nc', tags: [] }, item);
    devs[0]!.offline = false;
    await synced(a1);
    devs[3]!.offline = false;
    await synced(b1);
    for (const v of [a1, a2, b1]) {
      const copy = await waitFor(v, async () => (await v.listItems(share)).find((i) => i.conflictOf === item), 'conflicted copy');
      expect(copy.title).toMatch(/^Clash \(conflicted copy \d{4}-\d\d-\d\d \d\d:\d\d\)$/);
      expect((await v.readNote(share, copy.id)).body).toBe('a\nFROM B\nc');
      expect(await noteOn(v, item, (b) => b === 'a\nFROM A\nc')).toBe('a\nFROM A\nc');
    }
  });

  it('a delete reaches every device and removes the local ciphertext', async () => {
    const item = await b1.saveNote(share, { title: 'Weg damit', body: 'secret canary 4711', tags: [] });
    await noteOn(a3, item, (b) => b.includes('4711'));
    await a3.deleteItem(share, item);
    for (const v of [a1, a2, b1]) await waitFor(v, async () => ((await v.listItems(share)).some((i) => i.id === item) ? undefined : true), 'item gone');
    const store = devs[0]!.openStore();
    expect(await store.getRecord(share as never, item as never)).toBeUndefined();
    expect(await store.history(share as never, item as never)).toEqual([]);
    await store.close();
  });

  it('an offline edit of a note deleted elsewhere survives as a conflicted copy', async () => {
    const item = await a1.saveNote(share, { title: 'Streit', body: 'original', tags: [] });
    await noteOn(b1, item, (b) => b === 'original');
    devs[0]!.offline = true;
    devs[0]!.dropConnections();
    await a1.saveNote(share, { title: 'Streit', body: 'edited offline', tags: [] }, item);
    await b1.deleteItem(share, item);
    await synced(b1);
    devs[0]!.offline = false;
    await synced(a1);
    for (const v of [a1, b1]) {
      const copy = await waitFor(v, async () => (await v.listItems(share)).find((i) => i.conflictOf === item), 'copy after delete');
      expect((await v.readNote(share, copy.id)).body).toBe('edited offline');
      await waitFor(v, async () => ((await v.listItems(share)).some((i) => i.id === item) ? undefined : true), 'original gone');
    }
  });

  it('a member added to a new share while online gets it live (log notice), with its items', async () => {
    const s2 = (await a1.createShare('Neu')).id;
    const item = await a1.saveNote(s2, { title: 'Willkommen', body: 'hallo B', tags: [] });
    await synced(a1);
    const bs = sessionOf(b1);
    await addExistingAccount(a1, s2, bs.keys.account, toB64url(bs.keys.box.publicKey), toB64url(bs.keys.sign.publicKey));
    await acceptInvitation(b1, s2);
    const shares = await waitFor(b1, async () => { const l = await b1.listShares(); return l.some((x) => x.id === s2 && x.name === 'Neu') ? l : undefined; }, 'new share on b');
    expect(shares.find((x) => x.id === s2)?.myRole).toBe('editor');
    await waitFor(b1, async () => ((await b1.readNote(s2, item).catch(() => null))?.body === 'hallo B' ? true : undefined), 'item in new share');
  });

  it('a wiped device ends with an empty local database and stays disconnected', async () => {
    const list = await a1.devices();
    const tablet = list.find((d) => d.name === 'tablet');
    expect(tablet?.active).toBe(true);
    await a1.revokeDevice(tablet!.id, { lost: true });
    const s = await waitStatus(a3, (x) => x.lastError?.code === 'DEVICE_WIPED', 'wipe');
    expect(s.connection).toBe('offline');
    const store = devs[2]!.openStore();
    expect(await store.getAccount()).toBeUndefined();
    expect(await store.listSyncStates()).toEqual([]);
    expect(await store.listRecords(share as never)).toEqual([]);
    expect(await store.countOutbox()).toBe(0);
    await store.close();
    expect(await devs[2]!.launcher.hasLocalAccount()).toBe(false);
    await expect(a3.listItems(share)).rejects.toMatchObject({ code: 'LOCKED' });
  });
});
