/** Real relay processes: kill -9 during pushes, and backup while writing + restore (R12). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDevice, createShare, createTeam, randomBytes, record, sha256, type Member } from './helpers/fixtures.js';
import { startProcess, tempDir, type RelayProcess } from './helpers/relay-harness.js';
import { dataFiles } from './helpers/data-dir.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dirs: string[] = [];
const procs: RelayProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dir = () => { const d = tempDir('dur'); dirs.push(d); return d; };
const start = async (d: string) => { const p = await startProcess(d); procs.push(p); return p; };

/** Pushes one record at a time (pipelined `inflight` deep) until stopped; returns acked items with their seq. */
function pushStream(c: Awaited<ReturnType<typeof createTeam>>['c'], share: string, owner: Member, inflight = 8) {
  const acked = new Map<string, { seq: number; body: string }>();
  let running = true;
  const one = async (): Promise<void> => {
    while (running) {
      const rec = record({ kind: 'account', id: owner.account });
      const a = await Promise.race([c.request({ type: 'push', share, records: [rec] }), c.closed.then(() => null)]);
      if (!a || a.type !== 'ok') return;
      acked.set(rec.item, { seq: a.seqs[0], body: rec.body });
    }
  };
  const done = Promise.all(Array.from({ length: inflight }, one));
  return { acked, stop: () => { running = false; return done; } };
}

async function pullAll(c: Awaited<ReturnType<typeof createTeam>>['c'], share: string) {
  const out = new Map<string, { seq: number; body: string }>();
  let since = 0;
  for (;;) {
    const p = await c.request({ type: 'pull', share, since, limit: 500 });
    for (const r of p.records) out.set(r.item, { seq: r.seq, body: r.body });
    if (!p.more) return { out, head: p.head };
    since = p.records.at(-1).seq;
  }
}

describe('relay durability (real process)', () => {
  it('after kill -9 during a stream of pushes every acknowledged push is there', async () => {
    const d = dir();
    const p1 = await start(d);
    const { c, team, owner } = await createTeam(p1.url);
    const log = await createShare(c, owner);
    const s = pushStream(c, log.share, owner);
    while (s.acked.size < 300) await new Promise((r) => setTimeout(r, 20));
    await p1.kill9();
    await s.stop();
    const acked = new Map(s.acked);
    const p2 = await start(d);
    const { c: c2 } = await connectDevice(p2.url, team, owner);
    const { out, head } = await pullAll(c2, log.share);
    for (const [item, a] of acked) expect(out.get(item), item).toEqual(a);
    // nothing half-written: seqs are exactly 1..head, each record whole
    expect([...out.values()].map((x) => x.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(out.size).toBeGreaterThanOrEqual(acked.size);
    const check = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');for(const f of require('fs').readdirSync(process.argv[1]).filter(n=>n.endsWith('.sqlite'))){const d=new D(require('path').join(process.argv[1],f));console.log(d.pragma('integrity_check',{simple:true}))}`, d], { cwd: ROOT, encoding: 'utf8' });
    expect(check.stdout.trim().split('\n').every((l) => l === 'ok')).toBe(true);
    c2.close();
    expect(await p2.stop()).toBe(0); // graceful SIGTERM
  });

  it('after kill -9 during a stream of chunk uploads every acknowledged chunk reads back whole; only the uploads the crash cut off may leave a file', async () => {
    const d = dir();
    const p1 = await start(d);
    const { c, team, owner } = await createTeam(p1.url);
    const log = await createShare(c, owner);
    const acked = new Map<string, Buffer>();
    let running = true;
    const one = async (): Promise<void> => {
      while (running) {
        const bytes = randomBytes(256 * 1024);
        const hash = sha256(bytes);
        const a = await Promise.race([c.putChunk(log.share, hash, bytes), c.closed.then(() => null)]);
        if (!a || a.type !== 'ok') return;
        acked.set(hash, bytes);
      }
    };
    const streams = Promise.all(Array.from({ length: 8 }, one));
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 10));
    await p1.kill9();
    running = false;
    await streams;
    const p2 = await start(d);
    const { c: c2 } = await connectDevice(p2.url, team, owner);
    for (const [hash, bytes] of acked) {
      const got = await c2.request({ type: 'chunk.get', share: log.share, hash });
      expect(Buffer.compare(Buffer.from(got.binary), bytes), hash).toBe(0);
    }
    // every chunk file on disk is named by a row, or was written by an upload the crash cut off
    // (no row, not acknowledged): the orphan sweep shreds those, and nothing acknowledged
    const files = dataFiles(d).filter((f) => f.includes('.chunks'));
    expect(files.length).toBeGreaterThanOrEqual(acked.size);
    expect(files.length).toBeLessThanOrEqual(acked.size + 8);
    c2.close();
    expect(await p2.stop()).toBe(0);
  });

  it('backup while clients write, restore, clients resume with nothing lost (R12)', async () => {
    const d = dir();
    const out = join(dir(), 'snap');
    const p1 = await start(d);
    const { c, team, owner } = await createTeam(p1.url);
    const log = await createShare(c, owner);
    const chunk = randomBytes(64 * 1024);
    expect((await c.putChunk(log.share, sha256(chunk), chunk)).type).toBe('ok');
    const key = join(dir(), 'operator.key');
    expect(spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'backup-keygen', '--out', key], { cwd: ROOT }).status).toBe(0);
    const s = pushStream(c, log.share, owner, 4);
    while (s.acked.size < 100) await new Promise((r) => setTimeout(r, 20));
    const b = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'backup', '--data', d, '--out', out, '--key', `${key}.pub`], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const ackedAtBackup = s.acked.size;
    await s.stop();
    expect(ackedAtBackup).toBeGreaterThanOrEqual(100);
    const beforeStop = new Map(s.acked);
    expect(await p1.stop()).toBe(0);
    // restore into a fresh data dir and serve from it
    const d2 = dir();
    const rs = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'restore', '--from', out, '--data', d2, '--key', key], { cwd: ROOT, encoding: 'utf8' });
    expect(rs.status, rs.stderr).toBe(0);
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'restore', '--from', out, '--data', d2, '--key', key], { cwd: ROOT, encoding: 'utf8' });
    expect(again.status).not.toBe(0); // refuses to overwrite
    const p2 = await start(d2);
    const { c: c2, first } = await connectDevice(p2.url, team, owner);
    expect(first.type).toBe('welcome');
    const { out: restored, head } = await pullAll(c2, log.share);
    // the snapshot is a consistent prefix: seqs 1..head, every record whole
    expect([...restored.values()].map((x) => x.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(head).toBeGreaterThanOrEqual(90);
    for (const [item, r] of restored) expect(beforeStop.get(item) ?? r).toEqual(r);
    // the client resumes: re-pushes what the snapshot missed (its outbox), the relay accepts; nothing lost
    const missing = [...beforeStop.keys()].filter((i) => !restored.has(i));
    for (const item of missing) {
      const a = await c2.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: owner.account }, { item, body: beforeStop.get(item)!.body })] });
      expect(a.type).toBe('ok');
    }
    const final = await pullAll(c2, log.share);
    for (const [item, a] of beforeStop) expect(final.out.get(item)?.body).toBe(a.body);
    expect(await c2.request({ type: 'chunk.has', share: log.share, hashes: [sha256(chunk)] })).toMatchObject({ type: 'ok', has: [true] });
    expect((await c2.request({ type: 'chunk.get', share: log.share, hash: sha256(chunk) })).binary.length).toBe(64 * 1024);
    c2.close();
    expect(await p2.stop()).toBe(0);
  });
});
