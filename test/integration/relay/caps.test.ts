/**
 * The operator's caps (issue 15): at most N teams and M stored bytes per relay, Q per team.
 * Real relay processes (`truhe-relay serve --max-teams --max-bytes --quota-bytes`) on SQLite
 * files and on PostgreSQL: the (N+1)-th team gets RELAY_FULL; a write that would pass the relay's
 * cap gets RELAY_QUOTA, one past the team's QUOTA_EXCEEDED, and nothing of it is stored; deleting
 * frees room; /healthz and /metrics show usage against the caps (counts only); after kill -9 and
 * a restart the counts are the same (at once, or once the start-up walk reopened each team) and
 * the caps still hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { b64, newId } from './helpers/client.js';
import { connectDevice, createShare, createTeam, newMember, randomBytes, record, sha256, type Team } from './helpers/fixtures.js';
import { startProcess, type RelayProcess } from './helpers/relay-harness.js';
import { createDatabase } from '../relay-pg/helpers/pg-db.js';

const CAP = 400_000;
const QUOTA = 250_000;
const FLAGS = ['--max-teams', '2', '--max-bytes', String(CAP), '--quota-bytes', String(QUOTA)];

const http = (p: { port: number }, path: string) => fetch(`http://127.0.0.1:${p.port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));
/** /healthz once its body contains `want` (the start-up maintenance walk may still be counting), at most 15 s. */
async function healthWithin(p: { port: number }, want: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  let body = '';
  while (Date.now() < deadline && !(body = (await http(p, '/healthz')).body).includes(want)) await new Promise((r) => setTimeout(r, 100));
  return body;
}
const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);

const procs: RelayProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  for (const c of cleanups) await c();
});

interface Target { name: string; args(): Promise<string[]> }
const targets: Target[] = [
  { name: 'sqlite', args: async () => [] },
  {
    name: 'postgres',
    args: async () => {
      const db = await createDatabase();
      cleanups.push(() => db.drop());
      return ['--db', db.url];
    },
  },
];

describe.each(targets)('relay caps ($name, real relay process)', (target) => {
  it('team cap, relay byte cap, team quota: typed refusals, nothing half-stored, deletes free room, counts survive kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truhe-caps-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const backendArgs = await target.args();
    let p = await startProcess(dir, [...backendArgs, ...FLAGS]);
    procs.push(p);

    // --- teams: two fit, the third is refused with the typed code
    const t1 = await createTeam(p.url);
    const t2 = await createTeam(p.url);
    await expect(createTeam(p.url)).rejects.toThrow(/"code":"RELAY_FULL"/);
    expect(await http(p, '/healthz')).toEqual({ status: 200, body: `degraded: team cap reached\nteams 2 of 2\nstored bytes 0 of ${CAP}\n` });

    const me = (t: Team) => ({ kind: 'account' as const, id: t.owner.account });
    const s1 = await createShare(t1.c, t1.owner);
    const s2 = await createShare(t2.c, t2.owner);
    const has = async (t: Team, share: string, b: Buffer) => (await t.c.request({ type: 'chunk.has', share, hashes: [sha256(b)] })).has[0];
    const items = async (t: Team, share: string) => (await t.c.request({ type: 'pull', share, since: 0 })).records.map((r: { item: string }) => r.item);

    // --- team 1: a 200 kB file (chunk + record body) fits; then its team quota (250 kB) is near
    const big = randomBytes(200_000);
    expect((await t1.c.putChunk(s1.share, sha256(big), big)).type).toBe('ok');
    const file = record(me(t1), { kind: 'file', chunks: [sha256(big)], body: b64(300) });
    expect((await t1.c.request({ type: 'push', share: s1.share, records: [file] })).type).toBe('ok');
    let stored = big.length + file.body.length;
    // over the team quota: a chunk and a record are each refused whole
    const more = randomBytes(60_000);
    expect(await t1.c.putChunk(s1.share, sha256(more), more)).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    expect(await has(t1, s1.share, more)).toBe(false);
    const twoRecs = [record(me(t1), { body: b64(1000) }), record(me(t1), { body: b64(60_000) })];
    expect(await t1.c.request({ type: 'push', share: s1.share, records: twoRecs })).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    expect(await items(t1, s1.share)).toEqual([file.item]); // not even the small first record of that push

    // --- team 2 is under its quota, but the relay's cap (400 kB) is near
    const mid = randomBytes(180_000);
    expect((await t2.c.putChunk(s2.share, sha256(mid), mid)).type).toBe('ok');
    stored += mid.length;
    const note = record(me(t2), { body: b64(30_000) });
    expect(await t2.c.request({ type: 'push', share: s2.share, records: [note] })).toMatchObject({ type: 'error', code: 'RELAY_QUOTA' });
    expect(await items(t2, s2.share)).toEqual([]);
    const chunk2 = randomBytes(30_000);
    expect(await t2.c.putChunk(s2.share, sha256(chunk2), chunk2)).toMatchObject({ type: 'error', code: 'RELAY_QUOTA' });
    expect(await has(t2, s2.share, chunk2)).toBe(false);
    let health = await http(p, '/healthz');
    expect(health.body).toBe(`degraded: team cap reached\nteams 2 of 2\nstored bytes ${stored} of ${CAP}\n`);
    const m = (await http(p, '/metrics')).body;
    expect([metric(m, 'truhe_teams'), metric(m, 'truhe_teams_max'), metric(m, 'truhe_stored_bytes'), metric(m, 'truhe_stored_bytes_max')]).toEqual([2, 2, stored, CAP]);
    expect(m).toMatch(/^truhe_errors_total\{code="RELAY_QUOTA"\} 2$/m);
    expect(m).not.toContain(t1.team);

    // --- kill -9, restart: the same counts, the caps still hold
    t1.c.close();
    t2.c.close();
    await p.kill9();
    p = await startProcess(dir, [...backendArgs, ...FLAGS]);
    procs.push(p);
    // Rows written within the last second before the kill are set again by the start-up walk.
    expect(await healthWithin(p, `stored bytes ${stored} `)).toBe(`degraded: team cap reached\nteams 2 of 2\nstored bytes ${stored} of ${CAP}\n`);
    await expect(createTeam(p.url)).rejects.toThrow(/"code":"RELAY_FULL"/);
    const d1 = await connectDevice(p.url, t1.team, t1.owner);
    const d2 = await connectDevice(p.url, t2.team, t2.owner);
    expect(await d2.c.request({ type: 'push', share: s2.share, records: [note] })).toMatchObject({ type: 'error', code: 'RELAY_QUOTA' });

    // --- deleting frees room: team 1 deletes its file (a tombstone is accepted at the cap) …
    const tomb = record(me(t1), { item: file.item, version: 2, baseVersion: 1, kind: 'tombstone', body: '' });
    expect((await d1.c.request({ type: 'push', share: s1.share, records: [tomb] })).type).toBe('ok');
    stored -= big.length + file.body.length;
    expect((await http(p, '/healthz')).body).toBe(`degraded: team cap reached\nteams 2 of 2\nstored bytes ${stored} of ${CAP}\n`);
    // … and team 2's refused note and chunk now go through
    expect((await d2.c.request({ type: 'push', share: s2.share, records: [note] })).type).toBe('ok');
    expect((await d2.c.putChunk(s2.share, sha256(chunk2), chunk2)).type).toBe('ok');
    stored += note.body.length + chunk2.length;
    health = await http(p, '/healthz');
    expect(health).toEqual({ status: 200, body: `degraded: team cap reached\nteams 2 of 2\nstored bytes ${stored} of ${CAP}\n` });
    d1.c.close();
    d2.c.close();
    await p.stop();
  }, 60_000);
});

describe('relay caps: flags', () => {
  it('no caps: /healthz says ok with no usage lines; a bad flag value is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truhe-caps-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const p = await startProcess(dir);
    procs.push(p);
    await createTeam(p.url, newMember(), newId());
    expect(await http(p, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    await p.stop();
    await expect(startProcess(dir, ['--max-bytes=lots'])).rejects.toThrow(/--max-bytes must be a non-negative integer/);
  });
});

describe('relay caps: the counts of a relay from before the caps (sqlite)', () => {
  it('a team file without the record counter and an empty usage table are counted again after start-up, without a request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truhe-caps-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let p = await startProcess(dir, FLAGS);
    procs.push(p);
    const t = await createTeam(p.url);
    const s = await createShare(t.c, t.owner);
    const chunk = randomBytes(50_000);
    expect((await t.c.putChunk(s.share, sha256(chunk), chunk)).type).toBe('ok');
    const recs = [record({ kind: 'account', id: t.owner.account }, { body: b64(7_000) }), record({ kind: 'account', id: t.owner.account }, { body: b64(3_000) })];
    expect((await t.c.request({ type: 'push', share: s.share, records: recs })).type).toBe('ok');
    const stored = chunk.length + recs[0]!.body.length + recs[1]!.body.length;
    expect((await http(p, '/healthz')).body).toContain(`stored bytes ${stored} of ${CAP}\n`);
    t.c.close();
    await p.kill9();
    // as an older relay left them: no usage rows, no record counter or triggers in the team file
    const Database = (await import('better-sqlite3')).default;
    const g = new Database(join(dir, 'global.sqlite'));
    g.exec('DELETE FROM team_usage');
    const file = g.prepare('SELECT file FROM teams').pluck().get() as string;
    g.close();
    const tf = new Database(join(dir, file));
    tf.exec("DROP TRIGGER records_bytes_add; DROP TRIGGER records_bytes_del; DELETE FROM meta WHERE k = 'record_bytes'");
    tf.close();
    p = await startProcess(dir, FLAGS);
    procs.push(p);
    // the maintenance walk at start-up opens each team once and sets its row
    expect(await healthWithin(p, `stored bytes ${stored} `)).toBe(`ok\nteams 1 of 2\nstored bytes ${stored} of ${CAP}\n`);
    await p.stop();
  }, 60_000);
});
