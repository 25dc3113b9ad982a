/**
 * One damaged team never takes down the rest (issue 15): a team file whose header, a b-tree page
 * or its WAL is damaged is answered STORAGE_UNAVAILABLE while every other team syncs, the relay
 * starts anyway, and /healthz and /metrics count it (no ids). Real relay processes, real files.
 */
import { copyFileSync, openSync, readFileSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { teamFileName } from '../../../sync-server/storage/sqlite/index.js';
import { createSqliteStorage } from '../../../sync-server/storage/sqlite/index.js';
import { connectDevice, createShare, createTeam, randomBytes, record, type Member } from './helpers/fixtures.js';
import { startInProcess, startProcess, tempDir, type RelayProcess } from './helpers/relay-harness.js';

const dirs: string[] = [];
const procs: RelayProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const start = async (d: string) => { const p = await startProcess(d); procs.push(p); return p; };
const http = (p: { port: number }, path: string) => fetch(`http://127.0.0.1:${p.port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));

interface Team { team: string; owner: Member; share: string; items: string[] }

/** Two teams with a share of 40 records each, pushed one commit at a time. */
async function seed(url: string): Promise<[Team, Team]> {
  const out: Team[] = [];
  for (let t = 0; t < 2; t++) {
    const { c, team, owner } = await createTeam(url);
    const log = await createShare(c, owner);
    const items: string[] = [];
    for (let i = 0; i < 40; i++) {
      const rec = record({ kind: 'account', id: owner.account });
      expect((await c.request({ type: 'push', share: log.share, records: [rec] })).type).toBe('ok');
      items.push(rec.item);
    }
    c.close();
    out.push({ team, owner, share: log.share, items });
  }
  return out as [Team, Team];
}

/** The good team syncs: all 40 records come back, a new push is accepted. */
async function expectServes(url: string, t: Team) {
  const { c, first } = await connectDevice(url, t.team, t.owner);
  expect(first.type).toBe('welcome');
  const p = await c.request({ type: 'pull', share: t.share, since: 0, limit: 500 });
  expect(p.records.map((r: { item: string }) => r.item).sort()).toEqual([...t.items].sort());
  expect((await c.request({ type: 'push', share: t.share, records: [record({ kind: 'account', id: t.owner.account })] })).type).toBe('ok');
  c.close();
}

async function expectUnavailable(url: string, t: Team) {
  const { c, first } = await connectDevice(url, t.team, t.owner);
  expect(first).toMatchObject({ type: 'error', code: 'STORAGE_UNAVAILABLE' });
  c.close();
}

function overwrite(file: string, at: number, bytes: Buffer) {
  const fd = openSync(file, 'r+');
  try { writeSync(fd, bytes, 0, bytes.length, at); } finally { closeSync(fd); }
}

/** Root page number of the `records` table (a b-tree page that every pull reads). */
function recordsRootPage(file: string): number {
  const db = new Database(file, { readonly: true });
  try { return db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'records'").pluck().get() as number; } finally { db.close(); }
}

const damages: { name: string; stop: 'graceful' | 'kill9'; damage: (file: string) => void }[] = [
  { name: 'header', stop: 'graceful', damage: (f) => overwrite(f, 0, randomBytes(100)) },
  { name: 'a b-tree page', stop: 'graceful', damage: (f) => overwrite(f, (recordsRootPage(f) - 1) * 4096, randomBytes(4096)) },
  {
    name: 'the WAL (a frame early in it, with later commits)', stop: 'kill9', damage: (f) => {
      const wal = `${f}-wal`;
      expect(statSync(wal).size).toBeGreaterThan(32 + 10 * (24 + 4096)); // the team's history lives in its WAL
      overwrite(wal, 32 + 2 * (24 + 4096) + 24 + 100, randomBytes(64)); // page bytes of frame 3
    },
  },
];

describe('fault isolation: one damaged team file (real relay process)', () => {
  it.each(damages)('$name damaged: the relay starts, the other team syncs, the bad one gets STORAGE_UNAVAILABLE, /healthz degraded', async ({ stop, damage }) => {
    const d = tempDir('fault');
    dirs.push(d);
    const p1 = await start(d);
    const [good, bad] = await seed(p1.url);
    if (stop === 'graceful') expect(await p1.stop()).toBe(0);
    else await p1.kill9();
    damage(join(d, teamFileName(bad.team)));

    const p2 = await start(d);
    expect((await http(p2, '/healthz')).status).toBe(200); // started, and healthy enough to serve the other teams
    await expectUnavailable(p2.url, bad);
    await expectServes(p2.url, good);
    await expectUnavailable(p2.url, bad); // stays quarantined, answered without touching the file again
    expect(await http(p2, '/healthz')).toEqual({ status: 200, body: 'degraded: 1 team unavailable\n' });
    const metrics = (await http(p2, '/metrics')).body;
    expect(metrics).toMatch(/^truhe_teams_unavailable 1$/m);
    expect(metrics).toMatch(/^truhe_errors_total\{code="STORAGE_UNAVAILABLE"\} 2$/m);
    expect(metrics).not.toContain(bad.team);
    expect(p2.stderr.join('')).not.toContain(bad.team);
    expect(await p2.stop()).toBe(0);
  });

  it('the periodic check finds damage in a file already open, and a restored file serves again', async () => {
    const dir = tempDir('fault-periodic');
    dirs.push(dir);
    const backend = { name: 'sqlite', make: (x: string) => createSqliteStorage({ dir: x, recheckMs: 0 }), storedBytes: async () => Buffer.alloc(0), authFailureRows: async () => 0 };
    const r = await startInProcess(backend, { limits: { sweepIntervalMs: 3600_000 } }, dir);
    const [good, bad] = await seed(r.url);
    await expectServes(r.url, bad); // open and in use
    const file = join(dir, teamFileName(bad.team));
    const { c } = await connectDevice(r.url, bad.team, bad.owner);
    // checkpoint so the file holds everything, keep a good copy, then damage the records root page
    const side = new Database(file);
    side.pragma('wal_checkpoint(TRUNCATE)');
    side.close();
    copyFileSync(file, `${file}.good`);
    overwrite(file, (recordsRootPage(file) - 1) * 4096, randomBytes(4096));
    const sweep = await r.relay.maintenance();
    expect(sweep.unavailable).toBe(1);
    expect(await c.request({ type: 'pull', share: bad.share, since: 0 })).toMatchObject({ type: 'error', code: 'STORAGE_UNAVAILABLE' });
    await expectServes(r.url, good);
    // the operator restores the file: the next sweep re-checks it and the team serves again
    copyFileSync(`${file}.good`, file);
    expect((await r.relay.maintenance()).unavailable).toBe(0);
    const p = await c.request({ type: 'pull', share: bad.share, since: 0, limit: 500 });
    expect(p.records.length).toBe(41);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    c.close();
    await r.stop();
  });
});
