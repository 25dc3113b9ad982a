/**
 * A member edits offline while the owner rotates the share (a code is rotated: new epoch). When
 * the member comes back, what it wrote meanwhile — an edit of an old note, a new note and a new
 * file — reaches the relay under the NEW epoch, same content: nothing written after a rotation
 * opens with the rotated-out key. The owner reads all of it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { addSecondAccount } from '../sync/helpers/second-account.js';
import { simDevice, type SimDevice } from '../sync/helpers/devices.js';
import type { VaultApi } from '../../../core/vault-api.js';
import type { ItemId, ShareId } from '../../../core/ids.js';
import { lockAll, relayQuery, shareDevice, synced, waitFor, waitStatus } from './helpers.js';

let relay: RelayProcess;
let owner: VaultApi;
let member: VaultApi;
let memberDev: SimDevice;
let share: string;
let note: string;

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await shareDevice('or-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw owner', deviceName: 'owner' })).vault;
  share = (await owner.createShare('Mandate')).id;
  note = await owner.saveNote(share, { title: 'Vertrag', body: 'Fassung 1', tags: [] });
  await synced(owner);
  memberDev = simDevice('or-member');
  await addSecondAccount(owner, share, memberDev, 'pw member', 'editor');
  member = await memberDev.launcher.unlock('pw member');
  await waitFor(member, async () => ((await member.listItems(share)).some((i) => i.id === note) ? true : undefined), 'member has the note');
});
afterAll(async () => {
  await lockAll(owner, member);
  await relay?.stop();
});

/** Epoch of the current version of each item on the relay. */
function relayEpochs(items: string[]): Record<string, number> {
  const rows = relayQuery<{ item: string; epoch: number }>(relay.dataDir,
    `SELECT r.item AS item, r.epoch AS epoch FROM items i JOIN records r ON r.share = i.share AND r.item = i.item AND r.version = i.version WHERE i.share = ? AND r.item IN (${items.map(() => '?').join(',')})`, share, ...items);
  return Object.fromEntries(rows.map((r) => [r.item, r.epoch]));
}
const shareEpoch = () => relayQuery<{ epoch: number }>(relay.dataDir, 'SELECT epoch FROM shares WHERE id = ?', share)[0]!.epoch;

describe.skipIf(!relayAvailable)('offline edits across a rotation', () => {
  it('are pushed under the newest epoch, not the one they were written under', async () => {
    const before = shareEpoch();
    memberDev.offline = true;
    memberDev.dropConnections();
    await waitStatus(member, (s) => s.connection !== 'online', 'member offline');
    await member.saveNote(share, { title: 'Vertrag', body: 'Fassung 2, im Zug geschrieben', tags: [] }, note);
    const fresh = await member.saveNote(share, { title: 'Notiz', body: 'neu, offline', tags: [] });
    const bytes = new Uint8Array(1_300_000).map((_, i) => (i * 7) % 256);
    const file = await member.importFile(share, { name: 'scan.pdf', type: 'application/pdf', size: bytes.length, stream: () => new Blob([bytes]).stream() });

    const code = await owner.createAccessCode(share, { label: 'Gast', readOnly: true, expiresAt: null });
    await owner.rotateAccessCode(share, code.info.id);
    const after = shareEpoch();
    expect(after).toBeGreaterThan(before);

    const local = memberDev.openStore();
    const oldChunks = (await local.getRecord(share as ShareId, file as ItemId))!.envelope.chunks;
    expect(await local.hasChunks(oldChunks)).toEqual([true, true]);

    memberDev.offline = false;
    await synced(member);
    expect(relayEpochs([note, fresh, file])).toEqual({ [note]: after, [fresh]: after, [file]: after });
    // the file was sealed anew (fresh file key): its chunks offline-sealed under the old key are gone here too
    const newChunks = (await local.getRecord(share as ShareId, file as ItemId))!.envelope.chunks;
    expect(newChunks.filter((h) => oldChunks.includes(h))).toEqual([]);
    expect(await local.hasChunks(oldChunks)).toEqual([false, false]);
    expect(await local.hasChunks(newChunks)).toEqual([true, true]);
    await local.close();

    await waitFor(owner, async () => ((await owner.readNote(share, note)).body === 'Fassung 2, im Zug geschrieben' ? true : undefined), 'owner reads the edit');
    expect((await owner.readNote(share, fresh)).body).toBe('neu, offline');
    const hash = createHash('sha256');
    const r = owner.readFile(share, file).getReader();
    for (let x = await r.read(); !x.done; x = await r.read()) hash.update(x.value);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
