/**
 * Issue 14 / DESIGN.md §9: the relay is restored from a backup taken while writers ran, and the
 * writers keep writing. Zero acknowledged changes are lost: every device ends with every note
 * (written before the backup, between backup and restore, and after the restore), and a device
 * that had pulled the highest sequence numbers before the restore still receives the post-restore
 * writes (whose sequence numbers the restored relay hands out again). The user is told.
 * Real relay process (SQLite), `truhe-relay backup` / `restore` CLI, real core, three devices.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus, type SimDevice } from './helpers/devices.js';
import type { VaultApi } from '../../../core/vault-api.js';
import { sessionOf } from '../../../core/vault/api.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], { cwd: root });

const PW = 'restore the relay please';
let relay: RelayProcess;
let a: VaultApi, b: VaultApi, c: VaultApi;
let devA: SimDevice, devB: SimDevice, devC: SimDevice;
let kitOf: Parameters<SimDevice['launcher']['signInNewDevice']>[0]['kit'];
let share: string;
const written = new Map<string, string>(); // item → body, every acknowledged note

async function write(v: VaultApi, tag: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const body = `${tag} ${i}`;
    written.set(await v.saveNote(share, { title: `${tag}-${i}`, body, tags: [] }), body);
  }
}

/** Every written note with its body, on `v`. */
async function hasAll(v: VaultApi, what: string): Promise<void> {
  await waitFor(v, async () => {
    const items = await v.listItems(share);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const [id, body] of written) {
      if (!byId.has(id)) return undefined;
      if ((await v.readNote(share, id)).body !== body) return undefined;
    }
    return true;
  }, what, 60_000);
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  devA = simDevice('rr-a');
  devB = simDevice('rr-b');
  const created = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
  a = created.vault;
  share = (await a.createShare('Zeitreise')).id;
  await synced(a);
  kitOf = created.kit;
  b = await devB.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'b' });
  devC = simDevice('rr-c');
  c = await devC.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'c' });
}, 120_000);

afterAll(async () => {
  for (const v of [a, b, c]) await v?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('relay restored from an older backup', () => {
  it('loses no acknowledged change, and every device receives the writes made after the restore', async () => {
    await write(a, 'vorher-a', 5);
    await synced(a);
    // Backup while both writers run.
    const out = join(mkdtempSync(join(tmpdir(), 'truhe-bak-')), 'snap');
    const writers = Promise.all([write(a, 'waehrend-a', 10), write(b, 'waehrend-b', 10)]);
    const keyFile = join(mkdtempSync(join(tmpdir(), 'truhe-key-')), 'operator');
    await cli('backup-keygen', '--out', keyFile);
    await cli('backup', '--data', relay.dataDir, '--out', out, '--key', `${keyFile}.pub`);
    await writers;
    await write(a, 'danach-a', 8);
    await write(b, 'danach-b', 7);
    await Promise.all([synced(a), synced(b)]);
    await hasAll(c, 'c has everything before the restore'); // c has pulled the highest seqs

    const told: { device: string; count?: number }[] = [];
    for (const [v, name] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      v.onStatus((st) => { if (st.lastError?.code === 'SERVER_ROLLED_BACK' && !told.some((t) => t.device === name)) told.push({ device: name, count: st.lastError.count }); });
    }
    await relay.stop(); // also removes the data directory: the restore starts from nothing
    const restored = await cli('restore', '--from', out, '--data', relay.dataDir, '--key', keyFile);
    expect(restored.stdout).toMatch(/^restored \d+ files/);
    await relay.restart();

    // Writes after the restore, from a device that was not the one to notice first.
    await synced(b);
    await write(b, 'nach-restore-b', 5);
    await write(a, 'nach-restore-a', 3);

    for (const [v, name] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      await synced(v);
      await hasAll(v, `${name} has every acknowledged note`);
    }
    expect(written.size).toBe(5 + 20 + 15 + 5 + 3);
    // Each device was told; the writers uploaded their lost notes again (c holds them too).
    expect(told.map((t) => t.device).sort()).toEqual(['a', 'b', 'c']);
    expect(told.reduce((n, t) => n + (t.count ?? 0), 0)).toBeGreaterThan(0);
    for (const v of [a, b, c]) expect((await v.listItems(share)).length).toBeGreaterThanOrEqual(written.size);
  }, 180_000);

  it('two offline edits of a note the restored relay lost: both survive (a re-upload under the same version number is not the other edit\'s base)', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'truhe-key-')), 'operator');
    await cli('backup-keygen', '--out', keyFile);
    const out = join(mkdtempSync(join(tmpdir(), 'truhe-bak-')), 'snap');
    await cli('backup', '--data', relay.dataDir, '--out', out, '--key', `${keyFile}.pub`);
    // Written after the backup: the restored relay will not have it.
    const x = await a.saveNote(share, { title: 'Akte X', body: 'Stand', tags: [] });
    await synced(a);
    await waitFor(b, async () => ((await b.readNote(share, x).catch(() => null))?.body === 'Stand' ? true : undefined), 'b has X');
    // c stays away until the end, so the order of the re-uploads is A's, then B's.
    for (const d of [devA, devB, devC]) { d.offline = true; d.dropConnections(); }
    onTestFinished(() => { for (const d of [devA, devB, devC]) d.offline = false; }); // a failure here must not leave them offline for the next test
    for (const [v, line] of [[a, 'von A'], [b, 'von B']] as const) {
      const n = await v.readNote(share, x);
      await v.saveNoteEdit(share, { ...n, body: `${n.body}\n${line}` }, x, n);
    }
    await relay.stop();
    await cli('restore', '--from', out, '--data', relay.dataDir, '--key', keyFile);
    await relay.restart();
    // A comes back first and uploads X again (version 1 on the restored relay, holding "von A").
    devA.offline = false;
    // (its edit was queued, without a relay seq; once the relay acknowledged the re-upload it has one)
    await waitFor(a, async () => ((await sessionOf(a).store.getRecord(share as never, x as never))?.seq !== undefined ? true : undefined), 'A uploaded X again', 60_000);
    const texts = async (v: VaultApi) => Promise.all((await v.listItems(share)).filter((i) => i.kind === 'note').map(async (i) => (await v.readNote(share, i.id)).body));
    // B's queued edit names version 1 as its base, but not A's version 1: it must be merged or kept, never laid over A's.
    devB.offline = false;
    await synced(b);
    devC.offline = false;
    for (const [v, name] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      await waitFor(v, async () => {
        const all = (await texts(v)).join('\n');
        return all.includes('von A') && all.includes('von B') ? true : undefined;
      }, `${name} shows both offline edits`, 60_000).catch(async (e: unknown) => { throw new Error(`${(e as Error).message}: ${JSON.stringify(await texts(v))}`); });
    }
  }, 180_000);

  it('a note deleted after the backup stays deleted on every device once the relay is restored (the delete is made again)', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'truhe-key-')), 'operator');
    await cli('backup-keygen', '--out', keyFile);
    const gone = await a.saveNote(share, { title: 'Entwurf', body: 'vertraulich, wird gelöscht', tags: [] });
    const kept = await a.saveNote(share, { title: 'Bleibt', body: 'bleibt', tags: [] });
    await synced(a);
    const has = (v: VaultApi, item: string) => v.listItems(share).then((l) => l.some((i) => i.id === item));
    for (const v of [b, c]) await waitFor(v, async () => ((await has(v, gone)) ? true : undefined), 'the note reached every device');
    const out = join(mkdtempSync(join(tmpdir(), 'truhe-bak-')), 'snap');
    await cli('backup', '--data', relay.dataDir, '--out', out, '--key', `${keyFile}.pub`); // holds the note alive
    await b.deleteItem(share, gone); // deleted by b; a and c pull the tombstone
    await synced(b);
    for (const v of [a, c]) await waitFor(v, async () => ((await has(v, gone)) ? undefined : true), 'the delete reached every device');

    const told = [a, b, c].map((v) => waitStatus(v, (st) => st.lastError?.code === 'SERVER_ROLLED_BACK' && st.pending === 0 && st.connection === 'online', 'told of the restore', 60_000));
    await relay.stop();
    await cli('restore', '--from', out, '--data', relay.dataDir, '--key', keyFile);
    await relay.restart();
    await Promise.all(told); // each device found the rollback and pushed what it queued again
    for (const [v, name] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      await synced(v);
      await waitFor(v, async () => ((await has(v, kept)) && !(await has(v, gone)) ? true : undefined), `${name}: deleted stays deleted, the rest is there`, 60_000);
    }
    // The relay itself holds the delete again (a new device would not see the note either).
    const d = simDevice(`rr-d-${process.pid}`);
    const fresh = await d.launcher.signInNewDevice({ kit: kitOf, password: PW, deviceName: 'd' });
    await waitFor(fresh, async () => ((await has(fresh, kept)) ? true : undefined), 'd has the kept note', 60_000);
    expect(await has(fresh, gone)).toBe(false);
    await fresh.lock();
  }, 180_000);
});
