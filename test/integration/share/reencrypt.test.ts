/**
 * Eager re-encryption of a 1 000-item share against the real relay: after a code rotation,
 * reencryptNow re-seals every item under the newest epoch; interrupted part-way and run again
 * it completes with nothing lost; afterwards nothing on the relay (its SQLite, every version,
 * every wrapped key) is under an old epoch, the file's old chunks are gone from the relay's
 * files (raw bytes scanned), and a guest with the new code reads every item and the file
 * byte-identical.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dataBytes } from '../relay/helpers/data-dir.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { sessionOf } from '../../../core/vault/api.js';
import { reencryptNow, reencryptProgress } from '../../../core/share/reencrypt.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';
import { codeOf, largestChunk, lockAll, relayQuery, shareDevice, synced } from './helpers.js';

const N = 1000;
let relay: RelayProcess;
let owner: VaultApi;
let share: string;
let file: string;
const fileBytes = new Uint8Array(3 * 1024 * 1024 + 12_345).map((_, i) => (i * 131 + (i >> 9)) & 255);

/** Every byte of the relay's team files (+ WAL) right now. */
function relayFiles(): Buffer {
  return dataBytes(relay.dataDir, (f) => relative(relay.dataDir, f).startsWith('team-'));
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await shareDevice('re-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw', deviceName: 'o' })).vault;
  share = (await owner.createShare('Archiv')).id;
  for (let i = 0; i < N; i++) await owner.saveNote(share, { title: `Akte ${i}`, body: `Inhalt ${i}`, tags: [] });
  file = await owner.importFile(share, { name: 'bilanz.pdf', type: 'application/pdf', size: fileBytes.length, stream: () => new Blob([fileBytes]).stream() });
  await synced(owner);
}, 300_000);
afterAll(async () => {
  await lockAll(owner);
  await relay?.stop();
});

/** Epochs of the current (head) version of every item of the share on the relay. */
function relayHeadEpochs(): number[] {
  return relayQuery<{ epoch: number }>(relay.dataDir,
    'SELECT r.epoch AS epoch FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND r.kind != ?', share, 'tombstone')
    .map((r) => r.epoch);
}

describe.skipIf(!relayAvailable)('eager re-encryption', () => {
  it('1 000 items: interrupted, resumed, complete; nothing on the relay under an old epoch; a new guest reads all', async () => {
    const oldChunks = relayQuery<{ hash: string }>(relay.dataDir, 'SELECT hash FROM chunk_refs WHERE share = ? AND item = ?', share, file).map((r) => r.hash);
    expect(oldChunks.length).toBe(4);
    // a sample from the middle of the largest old chunk (the last chunk of a file may be short)
    const oldChunkSample = largestChunk(relay.dataDir, share).subarray(70_000, 70_400);
    expect(oldChunkSample.length).toBe(400);
    expect(relayFiles().includes(oldChunkSample)).toBe(true);
    const c = await owner.createAccessCode(share, { label: 'alt', readOnly: true, expiresAt: null });
    const c2 = await owner.rotateAccessCode(share, c.info.id);
    expect(new Set(relayHeadEpochs())).toEqual(new Set([0]));
    const s = sessionOf(owner);

    expect(await codeOf(reencryptNow(s, share, undefined, { stopAfter: 400 }))).toBe('CANCELLED');
    const mid = await reencryptProgress(s, share as ShareId);
    expect(mid).toMatchObject({ epoch: 1, total: N + 2 });
    expect(mid!.done).toBeGreaterThanOrEqual(350);

    const seen: number[] = [];
    const t0 = performance.now();
    await owner.reencryptNow(share, (done) => seen.push(done));
    const ms = performance.now() - t0;
    console.log(`re-encryption (resumed part): ${(N - 400)} items in ${ms.toFixed(0)} ms`);
    expect(seen[0]).toBeGreaterThanOrEqual(400); // resumed: skipped what was already done
    expect(seen.at(-1)).toBe(N + 2);
    expect(await reencryptProgress(s, share as ShareId)).toBeUndefined();

    const epochs = relayHeadEpochs();
    expect(epochs.length).toBe(N + 2); // every item (the file and the share-name note too), nothing lost
    expect(epochs.every((e) => e === 1)).toBe(true);
    // keys.drop: no version of anything and no wrapped key under epoch 0 left on the relay
    expect(relayQuery(relay.dataDir, "SELECT 1 FROM records WHERE share = ? AND epoch < 1 AND kind <> 'tombstone'", share)).toEqual([]);
    expect(relayQuery(relay.dataDir, 'SELECT 1 FROM wraps WHERE share = ? AND epoch < 1', share)).toEqual([]);
    // the file was sealed anew: none of its old chunks is referenced or stored, not even as bytes in the file or WAL
    const newChunks = relayQuery<{ hash: string }>(relay.dataDir, 'SELECT hash FROM chunk_refs WHERE share = ? AND item = ?', share, file).map((r) => r.hash);
    expect(newChunks.length).toBe(4);
    expect(newChunks.filter((h) => oldChunks.includes(h))).toEqual([]);
    expect(relayQuery(relay.dataDir, `SELECT 1 FROM chunks WHERE share = ? AND hash IN (${oldChunks.map(() => '?').join(',')})`, share, ...oldChunks)).toEqual([]);
    expect(relayFiles().includes(oldChunkSample)).toBe(false);
    // running again is a no-op
    await owner.reencryptNow(share);
    expect(relayHeadEpochs().length).toBe(N + 2);

    const g = await shareDevice('re-guest').launcher.joinWithCode({ link: c2.link });
    const items = await g.listItems(share);
    expect(items.length).toBe(N + 1);
    const r = g.readFile(share, file).getReader();
    const hash = createHash('sha256');
    for (let x = await r.read(); !x.done; x = await r.read()) hash.update(x.value);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(fileBytes).digest('hex'));
    expect((await g.readNote(share, items.find((i) => i.title === 'Akte 777')!.id)).body).toBe('Inhalt 777');
    await lockAll(g);
  }, 300_000);
});
