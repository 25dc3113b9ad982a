/**
 * Issue 14: the editor's save never writes blindly over a version it did not show. Device A's
 * editor loaded a note; device B's edit arrives on A while A's user is still typing; A's save
 * (saveNoteEdit with the text it started from) merges different lines and keeps the same line
 * as a conflicted copy — on every device. Real relay, real core, two devices of one account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus } from './helpers/devices.js';
import type { Note, VaultApi } from '../../../core/vault-api.js';

const PW = 'editor base password';
let relay: RelayProcess;
let a: VaultApi, b: VaultApi;
let share: string;

async function bodyOn(v: VaultApi, item: string, body: string): Promise<void> {
  await waitFor(v, async () => ((await v.readNote(share, item).catch(() => null))?.body === body ? true : undefined), `body ${body}`);
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  const created = await simDevice('ed-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
  a = created.vault;
  share = (await a.createShare('Editor')).id;
  await synced(a);
  b = await simDevice('ed-b').launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'b' });
});

afterAll(async () => {
  for (const v of [a, b]) await v?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('editor saves from the text it showed', () => {
  it('a different line changed meanwhile: merged, the editor gets the merged text', async () => {
    const base: Note = { title: 'Plan', body: 'eins\nzwei\ndrei\nvier\nfünf', tags: [] };
    const item = await a.saveNote(share, base);
    await bodyOn(b, item, base.body);
    await b.saveNote(share, { ...base, body: 'eins\nzwei (B)\ndrei\nvier\nfünf' }, item);
    await bodyOn(a, item, 'eins\nzwei (B)\ndrei\nvier\nfünf'); // pulled while A's editor still shows `base`
    const res = await a.saveNoteEdit(share, { ...base, body: 'eins\nzwei\ndrei\nvier\nfünf (A)' }, item, base);
    expect(res).toEqual({ item, outcome: 'merged', note: { title: 'Plan', body: 'eins\nzwei (B)\ndrei\nvier\nfünf (A)', tags: [] } });
    await synced(a);
    await bodyOn(b, item, 'eins\nzwei (B)\ndrei\nvier\nfünf (A)');
  });

  it('the same line changed meanwhile: the head stays, the editor text becomes a conflicted copy on both devices', async () => {
    const base: Note = { title: 'Termin', body: 'Zeit: 10 Uhr', tags: [] };
    const item = await a.saveNote(share, base);
    await bodyOn(b, item, base.body);
    await b.saveNote(share, { ...base, body: 'Zeit: 14 Uhr' }, item);
    await bodyOn(a, item, 'Zeit: 14 Uhr');
    const res = await a.saveNoteEdit(share, { ...base, body: 'Zeit: 9 Uhr' }, item, base);
    expect(res.outcome).toBe('conflict');
    expect(res.item).not.toBe(item);
    expect((await waitStatus(a, (s) => s.lastError?.code === 'CONFLICT_COPY', 'notice')).lastError?.code).toBe('CONFLICT_COPY');
    await synced(a);
    for (const v of [a, b]) {
      const copy = await waitFor(v, async () => (await v.listItems(share)).find((i) => i.id === res.item), 'copy listed');
      expect(copy.conflictOf).toBe(item);
      expect(copy.title).toMatch(/^Termin \(conflicted copy \d{4}-\d\d-\d\d \d\d:\d\d\)$/);
      expect((await v.readNote(share, res.item)).body).toBe('Zeit: 9 Uhr');
      expect((await v.readNote(share, item)).body).toBe('Zeit: 14 Uhr');
    }
  });

  it('an unchanged head: a plain save on top', async () => {
    const base: Note = { title: 'Ruhig', body: 'a', tags: [] };
    const item = await a.saveNote(share, base);
    const res = await a.saveNoteEdit(share, { ...base, body: 'a b' }, item, base);
    expect(res).toEqual({ item, outcome: 'saved', note: { ...base, body: 'a b' } });
    expect((await a.history(share, item)).map((h) => h.version)).toEqual([2, 1]);
  });
});
