/**
 * The real core against a real relay whose disk fills up (issue 15): the change the relay
 * refuses with STORAGE_FULL stays in the device's outbox, the status says so (lastError
 * STORAGE_FULL, pending 1), and once space is freed the engine's retry pushes it without any
 * user action; another device then sees it. Skipped with a message where tmpfs cannot be mounted.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, type RelayProcess } from '../relay/helpers/relay-harness.js';
import { simDevice, synced, waitFor, waitStatus } from './helpers/devices.js';
import type { VaultApi } from '../../../core/vault-api.js';

const mnt = mkdtempSync(join(tmpdir(), 'truhe-tmpfs-core-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mnt]).status === 0;
if (!mounted) console.warn(`storage-full sync test skipped: cannot mount a tmpfs at ${mnt} (needs root / CAP_SYS_ADMIN)`);
let relay: RelayProcess | undefined;
const vaults: VaultApi[] = [];
afterAll(async () => {
  for (const v of vaults) await v.lock().catch(() => undefined);
  if (relay && relay.proc.exitCode === null) await relay.kill9();
  if (mounted) spawnSync('umount', [mnt]);
  rmdirSync(mnt);
});

function fill(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mounted)('sync with a relay whose disk is full (real core, real relay)', () => {
  it('keeps the change, shows STORAGE_FULL, and pushes it by itself once space is back', async () => {
    relay = await startProcess(join(mnt, 'data'));
    const devA = simDevice('full-a');
    const { vault: a, kit } = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'full disk password', deviceName: 'a' });
    vaults.push(a);
    const share = (await a.createShare('Voll')).id;
    await synced(a);

    const filler = join(mnt, 'filler');
    fill(filler);
    const note = await a.saveNote(share, { title: 'Written while the disk was full', body: 'kept locally', tags: [] });
    const refused = await waitStatus(a, (s) => s.lastError?.code === 'STORAGE_FULL', 'STORAGE_FULL status');
    expect(refused.pending).toBe(1);
    expect((await a.listItems(share)).map((i) => i.id)).toContain(note);

    rmSync(filler);
    const after = await waitStatus(a, (s) => s.connection === 'online' && s.pending === 0 && !s.lastError, 'outbox drained and notice cleared after space returned');
    expect(after.pending).toBe(0);
    const b = await simDevice('full-b').launcher.signInNewDevice({ kit, password: 'full disk password', deviceName: 'b' });
    vaults.push(b);
    const seen = await waitFor(b, async () => (await b.listItems(share)).find((i) => i.id === note), 'note on b');
    expect(seen.id).toBe(note);
  }, 90_000);
});
