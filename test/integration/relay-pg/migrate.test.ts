/**
 * `truhe-relay migrate --from sqlite:DIR --to postgres://…` round-trips a populated relay:
 * everything a client can read back (records, history, tombstones, chunks, log, keys, devices,
 * codes) is the same when served from PostgreSQL, and the summary checks counts + hashes.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { b64, newId, newKeys, type Msg, type TestClient } from '../relay/helpers/client.js';
import { addCode, connectCode, connectDevice, createShare, createTeam, randomBytes, record, sha256, type Member } from '../relay/helpers/fixtures.js';
import { startProcess, tempDir } from '../relay/helpers/relay-harness.js';
import { createDatabase } from './helpers/pg-db.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

interface Team { team: string; owner: Member; shares: string[]; chunks: string[]; items: string[]; code: { code: string; verifier: any } }

/** Two shares with notes (several versions), a file with chunks, a tombstone; a code; a second device. */
async function populate(url: string): Promise<Team> {
  const { c, team, owner } = await createTeam(url);
  const me = { kind: 'account' as const, id: owner.account };
  const shares: string[] = [];
  const chunks: string[] = [];
  const items: string[] = [];
  let code!: Team['code'];
  for (let s = 0; s < 2; s++) {
    const log = await createShare(c, owner);
    shares.push(log.share);
    code = await addCode(c, log, owner);
    for (let i = 0; i < 5; i++) {
      const item = newId();
      items.push(item);
      for (let v = 1; v <= 3; v++) expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item, version: v, baseVersion: v - 1 })] })).type).toBe('ok');
    }
    const bytes = randomBytes(70_000);
    const hash = sha256(bytes);
    chunks.push(hash);
    expect((await c.putChunk(log.share, hash, bytes)).type).toBe('ok');
    const file = newId();
    expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item: file, kind: 'file', chunks: [hash] })] })).type).toBe('ok');
    const gone = items.at(-1)!;
    expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item: gone, kind: 'tombstone', version: 4, baseVersion: 3, body: '' })] })).type).toBe('ok');
  }
  c.close();
  return { team, owner, shares, chunks, items, code };
}

/** Everything the owner can read about the team, in a comparable form. */
async function snapshot(c: TestClient, t: Team): Promise<Msg> {
  const out: Msg = { devices: (await c.request({ type: 'device.list' })).devices, info: await c.request({ type: 'account.info' }) };
  delete out.info.id;
  for (const share of t.shares) {
    const pull = await c.request({ type: 'pull', share, since: 0 });
    const hist: Msg = {};
    for (const r of pull.records) hist[r.item] = (await c.request({ type: 'history', share, item: r.item })).records;
    const chunks = await Promise.all(t.chunks.map(async (h) => {
      const g = await c.request({ type: 'chunk.get', share, hash: h });
      return g.binary ? sha256(g.binary) : g.code;
    }));
    out[share] = { pull: { records: pull.records, head: pull.head }, hist, chunks, log: (await c.request({ type: 'log.get', share, since: 0 })).entries, keys: (await c.request({ type: 'keys.get', share })).wraps };
  }
  return out;
}

describe('migrate SQLite → PostgreSQL', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => { for (const f of cleanup.reverse()) await f(); });

  it('copies every team with nothing lost, verified, and serves it the same', async () => {
    const dir = tempDir('mig');
    const sqlite = await startProcess(dir);
    const teams = [await populate(sqlite.url), await populate(sqlite.url)];
    const wrong = await connectCode(sqlite.url, teams[0]!.team, teams[0]!.code.code, newKeys()); // a rate-limit row
    await wrong.c.closed;
    const before: Msg[] = [];
    for (const t of teams) {
      const d = await connectDevice(sqlite.url, t.team, t.owner);
      before.push(await snapshot(d.c, t));
      d.c.close();
    }
    expect(await sqlite.stop()).toBe(0);
    const db = await createDatabase();
    cleanup.push(db.drop);

    const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'migrate', '--from', `sqlite:${dir}`, '--to', db.url], { cwd: ROOT, encoding: 'utf8' });
    const m = run();
    expect(m.stderr).toBe('');
    expect(m.status).toBe(0);
    expect(m.stdout).toMatch(/migrated 2 team\(s\)/);
    // per share: 5 notes × 3 versions, one of them deleted (3 versions gone, tombstone kept), 1 file → 14
    expect(m.stdout).toMatch(/^records\s+56\s+56\s+[0-9a-f]{16}…\s+ok$/m);
    expect(m.stdout).toMatch(/^auth_failures\s+1\s+1\s/m);
    expect(m.stdout).toMatch(/^chunks\s+4\s+4\s/m);
    expect(m.stdout).not.toMatch(/MISMATCH/);
    expect(m.stdout).toMatch(/every row copied and verified/);

    const pgRelay = await startProcess(tempDir('mig-pg'), ['--db', db.url]);
    cleanup.push(() => pgRelay.stop());
    for (const [i, t] of teams.entries()) {
      const d = await connectDevice(pgRelay.url, t.team, t.owner);
      expect(d.first).toMatchObject({ type: 'welcome' });
      expect(await snapshot(d.c, t)).toEqual(before[i]);
      // writing continues where the log left off
      const log = before[i]![t.shares[0]!];
      const next = await d.c.request({ type: 'push', share: t.shares[0], records: [record({ kind: 'account', id: t.owner.account })] });
      expect(next).toMatchObject({ type: 'ok', seqs: [log.pull.head + 1] });
      d.c.close();
      const guest = await connectCode(pgRelay.url, t.team, t.code.code, t.code.verifier);
      expect(guest.first).toMatchObject({ type: 'welcome' });
      guest.c.close();
    }
    // a second run refuses: the teams exist (nothing overwritten)
    const again = run();
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists in the target/);
    void b64;
  });
});
