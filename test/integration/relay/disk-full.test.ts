/**
 * A full disk (issue 15): the relay's data dir on a small tmpfs, filled up. Writes are refused
 * with the typed STORAGE_FULL (not INTERNAL), /healthz turns red, a metric counts the refusals,
 * the log says it once (not per request); once space is freed the refused writes go through on
 * retry, /healthz is green again and nothing acknowledged is lost. Needs root to mount tmpfs:
 * skipped with a message where mounting is not allowed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, rmdirSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDevice, createShare, createTeam, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { startProcess, type RelayProcess } from './helpers/relay-harness.js';

const mnt = mkdtempSync(join(tmpdir(), 'truhe-tmpfs-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mnt]).status === 0;
if (!mounted) console.warn(`disk-full test skipped: cannot mount a tmpfs at ${mnt} (needs root / CAP_SYS_ADMIN)`);
const procs: RelayProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  if (mounted) spawnSync('umount', [mnt]);
  rmdirSync(mnt);
});

/** Writes zeros into `file` until the file system refuses (ENOSPC). */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  let n = 0;
  try {
    for (;;) n += writeSync(fd, block);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return n;
}

const http = (p: { port: number }, path: string) => fetch(`http://127.0.0.1:${p.port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));

describe.skipIf(!mounted)('disk full on a small tmpfs (real relay process)', () => {
  it('STORAGE_FULL, health red, one log line, and every refused write goes through once space is back', async () => {
    const data = join(mnt, 'data');
    const p = await startProcess(data);
    procs.push(p);
    const { c, team, owner } = await createTeam(p.url);
    const log = await createShare(c, owner);
    const before = Array.from({ length: 10 }, () => record({ kind: 'account', id: owner.account }));
    expect((await c.request({ type: 'push', share: log.share, records: before })).type).toBe('ok');
    expect(await http(p, '/healthz')).toEqual({ status: 200, body: 'ok\n' });

    const filler = join(mnt, 'filler');
    expect(fill(filler)).toBeGreaterThan(16 * 1024 * 1024);
    // 20 writes while the disk is full: each is refused with the typed code, none is half-stored
    const refused = Array.from({ length: 20 }, () => record({ kind: 'account', id: owner.account }, { body: randomBytes(12 * 1024).toString('base64url') }));
    for (const rec of refused) {
      const a = await c.request({ type: 'push', share: log.share, records: [rec] });
      expect(a).toMatchObject({ type: 'error', code: 'STORAGE_FULL' });
    }
    const chunk = randomBytes(512 * 1024);
    expect(await c.putChunk(log.share, sha256(chunk), chunk)).toMatchObject({ type: 'error', code: 'STORAGE_FULL' });
    expect(await http(p, '/healthz')).toEqual({ status: 503, body: 'failing: disk full\n' });
    const metrics = (await http(p, '/metrics')).body;
    expect(metrics).toMatch(/^truhe_storage_faults_total\{code="STORAGE_FULL"\} 21$/m);
    expect(metrics).toMatch(/^truhe_errors_total\{code="STORAGE_FULL"\} 21$/m);
    // reads still work meanwhile, also for a device that connects while the disk is full
    expect((await c.request({ type: 'pull', share: log.share, since: 0 })).records.length).toBe(10);
    const late = await connectDevice(p.url, team, owner);
    expect(late.first.type).toBe('welcome');
    expect((await late.c.request({ type: 'pull', share: log.share, since: 0 })).records.length).toBe(10);
    late.c.close();

    rmSync(filler);
    // the client kept its changes: retried, they go through (bounded: one retry each)
    for (const rec of refused) expect((await c.request({ type: 'push', share: log.share, records: [rec] })).type).toBe('ok');
    expect((await c.putChunk(log.share, sha256(chunk), chunk)).type).toBe('ok');
    expect(await http(p, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    const all = await c.request({ type: 'pull', share: log.share, since: 0, limit: 100 });
    expect(all.records.map((r: { item: string }) => r.item).sort()).toEqual([...before, ...refused].map((r) => r.item).sort());
    c.close();
    expect(await p.stop()).toBe(0);
    const faultLines = p.stderr.join('').split('\n').filter((l) => l.includes('"event":"storage_fault"'));
    expect(faultLines.length).toBe(1); // once per interval, not once per request
    expect(faultLines[0]).toContain('"code":"STORAGE_FULL"');
    expect(p.stderr.join('')).toContain('"event":"storage_recovered"');
  }, 60_000);
});
