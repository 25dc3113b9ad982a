/**
 * Vault lifecycle against the real relay: app restart with queued offline work (outbox + a
 * pending upload survive in the store), version history + restore, export ZIP, idempotent
 * push retry, password change, relay record, account deletion.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { KDF_FLOOR } from '../../../core/crypto/kdf.js';
import { simDevice, synced, waitFor, type SimDevice } from './helpers/devices.js';
import { sessionOf } from '../../../core/vault/api.js';
import { newId, type AccountId, type TeamId } from '../../../core/ids.js';
import { pushRecord } from '../../../core/sync/relay-api.js';
import type { EmergencyKit, FileSource, VaultApi } from '../../../core/vault-api.js';

const PW = 'lifecycle password';
let relay: RelayProcess;
let devA: SimDevice;
let a: VaultApi, b: VaultApi;
let kit: EmergencyKit;
let share: string;

function bytesSource(name: string, data: Uint8Array): FileSource {
  return { name, type: 'text/plain', size: data.length, stream: () => new ReadableStream({ start(c) { c.enqueue(data); c.close(); } }) };
}
async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = s.getReader();
  for (;;) { const { done, value } = await r.read(); if (done) break; parts.push(value); }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  devA = simDevice('life-a');
  ({ vault: a, kit } = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' }));
  share = (await a.createShare('Leben')).id;
  await synced(a);
  b = await simDevice('life-b').launcher.signInNewDevice({ kit, password: PW, deviceName: 'b' });
});
afterAll(async () => {
  await a?.lock().catch(() => undefined);
  await b?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('vault lifecycle (real relay)', () => {
  it('offline work survives an app restart and syncs afterwards (outbox + pending upload)', async () => {
    devA.offline = true;
    devA.dropConnections();
    const note = await a.saveNote(share, { title: 'Offline', body: 'written on the train', tags: [] });
    const data = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);
    const file = await a.importFile(share, bytesSource('train.txt', data));
    await a.lock();
    devA.offline = false;
    a = await devA.launcher.unlock(PW);
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).length >= 2 ? true : undefined), 'items on b');
    expect((await b.readNote(share, note)).body).toBe('written on the train');
    const got = await readAll(b.readFile(share, file));
    expect(got.length).toBe(data.length);
    expect(Buffer.from(got).equals(Buffer.from(data))).toBe(true);
  });

  it('keeps version history and restores an old version as a new one', async () => {
    const item = await a.saveNote(share, { title: 'H', body: 'one', tags: [] });
    await a.saveNote(share, { title: 'H', body: 'two', tags: [] }, item);
    await a.saveNote(share, { title: 'H', body: 'three', tags: [] }, item);
    await synced(a);
    const h = await b.history(share, item).catch(() => []);
    const hist = h.length === 3 ? h : await waitFor(b, async () => { const x = await b.history(share, item); return x.length === 3 ? x : undefined; }, 'history on b');
    expect(hist.map((v) => v.version)).toEqual([3, 2, 1]);
    await b.restoreVersion(share, item, 1);
    await synced(b);
    await waitFor(a, async () => ((await a.readNote(share, item)).body === 'one' ? true : undefined), 'restored on a');
    expect((await a.history(share, item)).map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('file conflict: the later version wins and the earlier stays in the history', async () => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 13) & 255);
    const item = await a.importFile(share, bytesSource('vertrag.pdf', data));
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === item) ? true : undefined), 'file on b');
    devA.offline = true;
    devA.dropConnections();
    await a.restoreVersion(share, item, 1); // earlier
    await b.restoreVersion(share, item, 1); // later, reaches the relay first
    await synced(b);
    devA.offline = false;
    await synced(a);
    for (const v of [a, b]) {
      const hist = await waitFor(v, async () => { const h = await v.history(share, item); return h.length === 4 ? h : undefined; }, 'four versions');
      expect(hist.map((h) => h.version)).toEqual([4, 3, 2, 1]);
      const [v4, v3, v2] = hist;
      expect(v3!.updatedAt).toBeLessThan(v2!.updatedAt); // a's (earlier) edit is kept in the history
      expect(v4!.updatedAt).toBe(v2!.updatedAt); // the later one (b's) is the head again
      const head = await waitFor(v, async () => (await v.listItems(share)).find((i) => i.id === item && i.version === 4), 'head v4');
      expect(head.updatedAt).toBe(v2!.updatedAt);
      const got = await readAll(v.readFile(share, item));
      expect(Buffer.from(got).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('a retried push is acknowledged with the same seq and not applied twice', async () => {
    const s = sessionOf(a);
    const item = await a.saveNote(share, { title: 'Once', body: 'x', tags: [] });
    await synced(a);
    const rec = await s.store.getRecord(share as never, item as never);
    const again = await pushRecord(s.conn, share, rec!.envelope);
    expect(again).toEqual({ ok: true, seq: rec!.seq });
    expect((await a.history(share, item)).map((v) => v.version)).toEqual([1]);
  });

  it('exports every item decrypted as a ZIP with a manifest', async () => {
    const zip = unzipSync(await readAll(a.exportAll()));
    const manifest = JSON.parse(strFromU8(zip['manifest.json']!)) as { items: { path: string; kind: string; title?: string; name?: string }[] };
    const items = await a.listItems(share);
    expect(manifest.items).toHaveLength(items.length);
    const off = manifest.items.find((i) => i.title === 'Offline')!;
    expect(strFromU8(zip[off.path]!)).toContain('written on the train');
    const f = manifest.items.find((i) => i.kind === 'file' && i.name === 'train.txt')!;
    expect(zip[f.path]!.length).toBe(3 * 1024 * 1024 + 5);
  });

  it('changes the password: old one fails, new one unlocks here and on a new device', async () => {
    await a.changePassword(PW, 'a brand new password');
    await a.lock();
    await expect(devA.launcher.unlock(PW)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    a = await devA.launcher.unlock('a brand new password');
    const c = await simDevice('life-c').launcher.signInNewDevice({ kit, password: 'a brand new password', deviceName: 'c' });
    await waitFor(c, async () => ((await c.listShares()).length === 1 ? true : undefined), 'share on c');
    // the relay refuses a wrong password exactly as an unknown id (no oracle): the client says "not recognised"
    await expect(simDevice('life-d').launcher.signInNewDevice({ kit, password: PW, deviceName: 'd' })).rejects.toMatchObject({ code: 'SIGN_IN_NOT_RECOGNISED' });
    await c.lock();
  });

  it('calls an unknown account id or team id "not recognised", never a wrong password', async () => {
    // The relay's stand-in KDF parameters for an unknown id are production-sized (kdfCost lets the device run them).
    const unknownAccount = { ...kit, accountId: newId<AccountId>() };
    await expect(simDevice('life-x1', { kdfCost: KDF_FLOOR }).launcher.signInNewDevice({ kit: unknownAccount, password: 'a brand new password', deviceName: 'x' }))
      .rejects.toMatchObject({ code: 'SIGN_IN_NOT_RECOGNISED' });
    const unknownTeam = { ...kit, teamId: newId<TeamId>() };
    await expect(simDevice('life-x2', { kdfCost: KDF_FLOOR }).launcher.signInNewDevice({ kit: unknownTeam, password: 'a brand new password', deviceName: 'x' }))
      .rejects.toMatchObject({ code: 'SIGN_IN_NOT_RECOGNISED' });
  });

  it('shows what the relay stores, then deletes the account', async () => {
    const rec = await a.relayRecord();
    const text = JSON.stringify(rec);
    expect(text).toContain(kit.accountId);
    expect(text).not.toContain('written on the train');
    expect(text).not.toContain('Leben');
    await a.deleteAccount();
    expect(await devA.launcher.hasLocalAccount()).toBe(false);
    // the relay's stand-in parameters for an unknown account are production-sized: a device with that cost
    await expect(simDevice('life-e', { kdfCost: KDF_FLOOR }).launcher.signInNewDevice({ kit, password: 'a brand new password', deviceName: 'e' })).rejects.toMatchObject({ code: expect.stringMatching(/^(NOT_FOUND|SIGN_IN_NOT_RECOGNISED)$/) });
  });
});
