/**
 * Favourites (issue 17): starred on one device, kept across a lock, sealed in IndexedDB (no item
 * id readable), per share and per device (another device of the same account sees none; nothing
 * goes to the relay), and a sealed row swapped in from another share is refused (TAMPERED).
 * Real relay process, real core, fake-indexeddb per device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, type SimDevice } from './helpers/devices.js';
import { toB64url, utf8 } from '../../../core/encoding.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';

const PW = 'correct horse battery staple';
let relay: RelayProcess;
let devA: SimDevice;
let a: VaultApi;
let share: string;
let other: string;
let ids: string[];

describe.skipIf(!relayAvailable)('favourites', () => {
  beforeAll(async () => {
    relay = await startRelay();
    devA = simDevice('fav-a');
    const created = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
    a = created.vault;
    share = (await a.createShare('Kanzlei')).id;
    other = (await a.createShare('Privat')).id;
    ids = [];
    for (const title of ['Satzung', 'Vollmacht', 'Register']) ids.push(await a.saveNote(share, { title, body: 'x', tags: [] }));
    await a.saveNote(other, { title: 'Anderes', body: 'y', tags: [] });
    await synced(a);
    (globalThis as { __kit?: unknown }).__kit = created.kit;
  }, 120_000);

  afterAll(async () => {
    await a?.lock().catch(() => undefined);
    await relay?.stop();
  });

  it('stars and un-stars per share, and keeps them across a lock', async () => {
    expect(await a.favourites(share)).toEqual([]);
    await a.setFavourite(share, ids[0]!, true);
    await a.setFavourite(share, ids[2]!, true);
    await a.setFavourite(share, ids[2]!, false);
    await a.setFavourite(share, ids[1]!, true);
    expect((await a.favourites(share)).sort()).toEqual([ids[0], ids[1]].sort());
    expect(await a.favourites(other)).toEqual([]);
    await a.lock();
    a = await devA.launcher.unlock(PW);
    expect((await a.favourites(share)).sort()).toEqual([ids[0], ids[1]].sort());
    expect(await a.favourites(other)).toEqual([]);
  });

  it('the stored row is ciphertext: no item id, in any encoding', async () => {
    const store = devA.openStore();
    const sealed = await store.getSealedFavourites(share as ShareId);
    await store.close();
    expect(sealed).toBeInstanceOf(Uint8Array);
    const hay = [new TextDecoder().decode(sealed), Buffer.from(sealed!).toString('latin1'), toB64url(sealed!)].join('\n');
    for (const id of ids) {
      expect(hay).not.toContain(id);
      expect(hay).not.toContain(toB64url(utf8(id)));
    }
  });

  it("another share's sealed row in this share's slot is refused with TAMPERED", async () => {
    await a.setFavourite(other, (await a.listItems(other))[0]!.id, true);
    await a.lock();
    const store = devA.openStore();
    await store.putSealedFavourites(share as ShareId, (await store.getSealedFavourites(other as ShareId))!);
    await store.close();
    a = await devA.launcher.unlock(PW);
    await expect(a.favourites(share)).rejects.toMatchObject({ code: 'TAMPERED' });
    expect(await a.favourites(other)).toHaveLength(1);
  });

  it('favourites stay on their device: a second device of the same account has none', async () => {
    const devB = simDevice('fav-b');
    const b = await devB.launcher.signInNewDevice({ kit: (globalThis as { __kit?: never }).__kit!, password: PW, deviceName: 'b' });
    try {
      await waitFor(b, async () => ((await b.listItems(other)).length === 1 ? true : undefined), 'items listed on b');
      expect(await b.favourites(other)).toEqual([]);
    } finally {
      await b.lock();
    }
  }, 60_000);
});
