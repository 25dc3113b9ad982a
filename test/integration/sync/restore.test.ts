/**
 * R10: a fresh device signs in with the emergency kit + password and restores a vault of
 * 1 000 notes and 20 files; every item decrypts and matches what was written.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor } from './helpers/devices.js';
import { generatedBytes } from '../../unit/core/helpers.js';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';

const PW = 'restore me please';
let relay: RelayProcess;
let a: VaultApi;
let kit: EmergencyKit;
let share: string;
const notes = new Map<string, { title: string; body: string; tags: string[] }>();
const files = new Map<string, { name: string; size: number; hash: string }>();

function sha(bytes: Iterable<Uint8Array>): string {
  const h = createHash('sha256');
  for (const b of bytes) h.update(b);
  return h.digest('hex');
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  const created = await simDevice('origin').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'origin' });
  a = created.vault;
  kit = created.kit;
  share = (await a.createShare('Archiv')).id;
  for (let i = 0; i < 1000; i++) {
    const n = { title: `Notiz ${i}`, body: `Inhalt ${i}\n${'x'.repeat(i % 300)}\nEnde ${i} äöü`, tags: i % 3 === 0 ? ['drei'] : [] };
    notes.set(await a.saveNote(share, n), n);
  }
  for (let i = 0; i < 20; i++) {
    const size = 1000 + i * 150_000; // up to ~2.8 MiB: multi-chunk files too
    const f = { name: `datei-${i}.bin`, size, hash: sha(generatedBytes(size, 65_536, 100 + i)) };
    const id = await a.importFile(share, {
      name: f.name, type: 'application/octet-stream', size,
      stream: () => { const it = generatedBytes(size, 65_536, 100 + i)[Symbol.iterator](); return new ReadableStream({ pull(c) { const n = it.next(); if (n.done) c.close(); else c.enqueue(n.value); } }); },
    });
    files.set(id, f);
  }
  await synced(a);
}, 240_000);

afterAll(async () => {
  await a?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('new device restore (R10)', () => {
  it('restores 1 000 notes and 20 files that all decrypt and match', async () => {
    const dev = simDevice('fresh');
    expect(await dev.launcher.hasLocalAccount()).toBe(false);
    const t0 = performance.now();
    const b = await dev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'fresh' });
    const items = await waitFor(b, async () => {
      const list = await b.listItems(share).catch(() => []);
      return list.length === 1020 ? list : undefined;
    }, '1020 items', 180_000);
    console.log(`restore of 1000 notes + 20 files (records): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    expect(items.filter((i) => i.kind === 'note')).toHaveLength(1000);
    for (const [id, n] of notes) expect(await b.readNote(share, id)).toEqual(n);
    for (const [id, f] of files) {
      const h = createHash('sha256');
      let bytes = 0;
      const r = b.readFile(share, id).getReader();
      for (;;) {
        const { done, value } = await r.read();
        if (done) break;
        h.update(value);
        bytes += value.length;
      }
      expect(bytes).toBe(f.size);
      expect(h.digest('hex')).toBe(f.hash);
      expect(items.find((i) => i.id === id)).toMatchObject({ title: f.name, size: f.size, kind: 'file' });
    }
    expect((await b.listShares()).map((s) => s.name)).toEqual(['Archiv']);
    await b.lock();
  }, 240_000);
});
