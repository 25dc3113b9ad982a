/**
 * The real core against a real relay process at its operator's byte cap (issue 15): the note the
 * relay refuses with RELAY_QUOTA stays in the device's outbox (status RELAY_QUOTA, pending 1, the
 * note listed locally); deleting a file on the same device makes room — the delete passes the
 * held note, then the note goes — and another device sees the note and not the file. At the team
 * cap, creating a team fails with RELAY_FULL and leaves nothing behind on the device; a file past
 * the team quota is refused at chunk.put (TEAM_QUOTA) and kept.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, type RelayProcess } from '../relay/helpers/relay-harness.js';
import { simDevice, synced, waitFor, waitStatus } from './helpers/devices.js';
import type { FileSource, VaultApi } from '../../../core/vault-api.js';

const dir = mkdtempSync(join(tmpdir(), 'truhe-caps-sync-'));
let relay: RelayProcess | undefined;
const vaults: VaultApi[] = [];
afterAll(async () => {
  for (const v of vaults) await v.lock().catch(() => undefined);
  if (relay && relay.proc.exitCode === null) await relay.kill9();
  rmSync(dir, { recursive: true, force: true });
});

const bytesSource = (name: string, data: Uint8Array): FileSource => ({
  name, type: 'application/octet-stream', size: data.length, stream: () => new ReadableStream({ start(c) { c.enqueue(data); c.close(); } }),
});
const storedBytes = async (r: RelayProcess) => Number(/^stored bytes (\d+)/m.exec(await (await fetch(`http://127.0.0.1:${r.port}/healthz`)).text())?.[1]);

describe('sync with a relay at its byte cap (real core, real relay)', () => {
  it('keeps the refused note, shows RELAY_QUOTA; deleting a file makes room and the note goes', async () => {
    const CAP = 100_000;
    relay = await startProcess(dir, ['--max-bytes', String(CAP)]);
    const devA = simDevice('caps-a');
    const { vault: a, kit } = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'caps password long', deviceName: 'a' });
    vaults.push(a);
    const share = (await a.createShare('Akten')).id;
    const file = await a.importFile(share, bytesSource('scan.bin', randomBytes(60_000)));
    await synced(a);
    const withFile = await storedBytes(relay);
    expect(withFile).toBeGreaterThan(60_000);
    expect(withFile).toBeLessThan(CAP - 1_000);

    // random text does not compress: its ciphertext alone passes the cap
    const text = randomBytes(30_000).toString('base64');
    const note = await a.saveNote(share, { title: 'Too big for now', body: text, tags: [] });
    const refused = await waitStatus(a, (s) => s.lastError?.code === 'RELAY_QUOTA', 'RELAY_QUOTA status');
    expect(refused.pending).toBe(1);
    expect((await a.listItems(share)).map((i) => i.id).sort()).toEqual([file, note].sort());
    expect(await storedBytes(relay)).toBe(withFile); // nothing of the note stored

    await a.deleteItem(share, file);
    const after = await waitStatus(a, (s) => s.connection === 'online' && s.pending === 0 && !s.lastError, 'outbox drained after the delete');
    expect(after.pending).toBe(0);
    expect(await storedBytes(relay)).toBeLessThan(CAP);

    const b = await simDevice('caps-b').launcher.signInNewDevice({ kit, password: 'caps password long', deviceName: 'b' });
    vaults.push(b);
    const seen = await waitFor(b, async () => {
      const ids = (await b.listItems(share)).map((i) => i.id);
      return ids.includes(note) ? ids : undefined;
    }, 'note on b');
    expect(seen).toEqual([note]);
    expect((await b.readNote(share, note)).body).toBe(text);
  }, 90_000);

  it('a file past the team quota: refused at chunk.put with TEAM_QUOTA, kept with its change waiting', async () => {
    const dir3 = mkdtempSync(join(tmpdir(), 'truhe-caps-quota-'));
    const r = await startProcess(dir3, ['--quota-bytes', '50000']);
    try {
      const { vault: v } = await simDevice('quota-a').launcher.createTeam({ displayName: 'Q', teamName: 'Quota', relayUrl: r.url, password: 'caps password long', deviceName: 'q' });
      vaults.push(v);
      const share = (await v.createShare('Voll')).id;
      await synced(v);
      const file = await v.importFile(share, bytesSource('big.bin', randomBytes(80_000)));
      const st = await waitStatus(v, (s) => s.lastError?.code === 'TEAM_QUOTA', 'TEAM_QUOTA status');
      expect(st.pending).toBe(1);
      expect((await v.listItems(share)).map((i) => i.id)).toEqual([file]);
      const metrics = await (await fetch(`http://127.0.0.1:${r.port}/metrics`)).text();
      expect(Number(/^truhe_stored_bytes (\d+)$/m.exec(metrics)?.[1])).toBeLessThanOrEqual(50_000); // nothing past the quota stored
    } finally {
      await r.stop();
      rmSync(dir3, { recursive: true, force: true });
    }
  }, 60_000);

  it('a relay at its maximum of teams: createTeam fails with RELAY_FULL, and that device keeps no account', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'truhe-caps-teams-'));
    const r = await startProcess(dir2, ['--max-teams', '1']);
    try {
      const first = await simDevice('full-1').launcher.createTeam({ displayName: 'A', teamName: 'One', relayUrl: r.url, password: 'caps password long', deviceName: 'a' });
      vaults.push(first.vault);
      const late = simDevice('full-2');
      await expect(late.launcher.createTeam({ displayName: 'B', teamName: 'Two', relayUrl: r.url, password: 'caps password long', deviceName: 'b' }))
        .rejects.toMatchObject({ code: 'RELAY_FULL' });
      expect(await late.launcher.hasLocalAccount()).toBe(false);
    } finally {
      await r.stop();
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000);
});
