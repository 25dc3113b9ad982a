/**
 * The team roster across layouts: `migrate` (SQLite → PostgreSQL) carries the roster, team key
 * wraps, used invitations, pending join requests, checkpoints, team roles/removals, revoked
 * devices and enrollment tokens, and reads back the same through the storage port; a team file
 * or schema from before the roster (layout 1) still migrates / opens and is upgraded in place.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateSqliteToPg } from '../../../sync-server/migrate.js';
import { LAYOUT_VERSION, teamSchema } from '../../../sync-server/storage/postgres/ddl.js';
import { openPgStorage } from '../../../sync-server/storage/postgres/index.js';
import { createSqliteStorage, teamFileName } from '../../../sync-server/storage/sqlite/index.js';
import type { RelayStorage, RosterEffects, TeamStore } from '../../../sync-server/storage/types.js';
import { tempDir } from '../relay/helpers/relay-harness.js';
import { checkpoint, entry, founding, id, inviteOp, joinOp, person, sig, wrap, type Person } from '../relay/helpers/roster-rows.js';
import { createDatabase, withClient } from './helpers/pg-db.js';

const NONE: RosterEffects = { setRoles: [], removed: [], revokedDevices: [], joined: [] };
const NOW = 1_700_000_000_000;
const FAR = 8_000_000_000_000;

interface Team { team: string; owner: Person; people: Person[] }

/** A team with every kind of roster row: a member whose device was revoked, a removed member, a pending join, checkpoints, two epochs. */
async function populate(storage: RelayStorage): Promise<Team> {
  const team = id();
  const owner = person();
  const o = owner.account.id;
  const f = founding(team, owner);
  expect(await storage.createTeam(team, owner.account, owner.device, f.roster, f.wraps, NOW)).toBe(true);
  const store = (await storage.openTeam(team))!;
  const [b, c, d] = [person(), person(), person()];
  let at = 2;
  const append = async (op: Parameters<typeof entry>[3], wraps: ReturnType<typeof wrap>[] = [], fx: Partial<RosterEffects> = {}) => {
    expect(await store.appendRoster(at, [entry(team, at, o, op)], wraps, { ...NONE, ...fx })).toEqual({ ok: true, length: at + 1 });
    at++;
  };
  for (const p of [b, c]) {
    const inv = id();
    await append(inviteOp(inv));
    expect(await store.addJoinRequest(inv, p.account, p.device, 'YQ', 'A'.repeat(43), NOW + at)).toBe('ok');
    await append(joinOp(p, inv), [wrap(p.account.id, 0)], { setRoles: [{ account: p.account.id, role: 'member' }], joined: [p.account.id] });
  }
  await append({ t: 'device.revoke', account: b.account.id, device: b.device.id, lost: false } as never, [], { revokedDevices: [{ device: b.device.id, index: at }] });
  await append({ t: 'remove', account: c.account.id, epoch: 1, keyCommit: 'A'.repeat(43) } as never, [wrap(o, 1), wrap(b.account.id, 1)], { removed: [c.account.id] });
  const inv = id();
  await append(inviteOp(inv));
  expect(await store.addJoinRequest(inv, d.account, d.device, 'ZA', 'A'.repeat(43), NOW + 99)).toBe('ok');
  await store.putCheckpoint(o, owner.device.id, checkpoint(team, o, owner.device.id, at), sig());
  await store.putCheckpoint(b.account.id, b.device.id, checkpoint(team, b.account.id, b.device.id, at - 2), sig());
  return { team, owner, people: [b, c, d] };
}

/** Everything the storage port answers about the team's roster side. */
async function view(store: TeamStore, t: Team) {
  const all = [t.owner, ...t.people];
  return {
    roster: await store.getRoster(0),
    accounts: await Promise.all(all.map((p) => store.getAccount(p.account.id))),
    devices: await Promise.all(all.map((p) => store.getDevice(p.device.id))),
    wraps: await Promise.all(all.map((p) => store.teamWraps(p.account.id))),
    checkpoints: await Promise.all(all.map((p) => store.checkpoints(p.account.id))),
    joins: await store.listJoinRequests(),
  };
}

describe('team roster across layouts (PostgreSQL)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  async function pgDb() {
    const db = await createDatabase();
    cleanup.push(() => db.drop());
    return db;
  }
  function dir() {
    const d = tempDir('roster-mig');
    cleanup.push(async () => rmSync(d, { recursive: true, force: true }));
    return d;
  }

  it('migrate copies every roster table and column and the enrollment tokens; the PG store answers the same', async () => {
    const src = dir();
    const sqlite = createSqliteStorage({ dir: src });
    const t = await populate(sqlite);
    await sqlite.addEnrollmentToken('tok-live', FAR, NOW);
    const before = await view((await sqlite.openTeam(t.team))!, t);
    await sqlite.close();
    expect(before.roster).toHaveLength(9);
    expect(before.accounts.map((a) => [a!.teamRole, a!.removed])).toEqual([['owner', false], ['member', false], [null, true], [null, false]]);

    const db = await pgDb();
    const sum = await migrateSqliteToPg({ from: `sqlite:${src}`, to: db.url });
    expect(sum.ok).toBe(true);
    const counts = Object.fromEntries(sum.tables.map((x) => [x.table, [x.source, x.target]]));
    expect(counts).toMatchObject({ roster: [9, 9], team_wraps: [4, 4], invite_uses: [3, 3], join_requests: [1, 1], checkpoints: [2, 2], accounts: [4, 4], devices: [4, 4], enrollment: [1, 1] });

    const pg = await openPgStorage({ url: db.url, poolSize: 2 });
    cleanup.push(() => pg.close());
    expect(await view((await pg.openTeam(t.team))!, t)).toEqual(before);
    expect(await pg.useEnrollmentToken('tok-live', NOW + 1)).toBe(true);
    expect(await pg.useEnrollmentToken('tok-live', NOW + 1)).toBe(false);
  });

  it('a SQLite team file and global file from before the roster still migrate (defaults for the new columns)', async () => {
    const src = dir();
    const sqlite = createSqliteStorage({ dir: src });
    const t = await populate(sqlite);
    await sqlite.close();
    const f = new Database(join(src, teamFileName(t.team)));
    f.exec(`DROP TABLE roster; DROP TABLE team_wraps; DROP TABLE invite_uses; DROP TABLE join_requests; DROP TABLE checkpoints;
      ALTER TABLE accounts DROP COLUMN team_role; ALTER TABLE accounts DROP COLUMN removed; ALTER TABLE devices DROP COLUMN revoked_at;`);
    f.close();
    const g = new Database(join(src, 'global.sqlite'));
    g.exec('DROP TABLE enrollment');
    g.close();

    const db = await pgDb();
    const sum = await migrateSqliteToPg({ from: `sqlite:${src}`, to: db.url });
    expect(sum.tables.filter((x) => !x.ok)).toEqual([]);
    expect(Object.fromEntries(sum.tables.map((x) => [x.table, x.target]))).toMatchObject({ accounts: 4, devices: 4, roster: 0, join_requests: 0, enrollment: 0 });
    const pg = await openPgStorage({ url: db.url, poolSize: 2 });
    cleanup.push(() => pg.close());
    const store = (await pg.openTeam(t.team))!;
    expect(await store.getRoster(0)).toEqual([]);
    expect(await store.getAccount(t.owner.account.id)).toMatchObject({ id: t.owner.account.id, teamRole: null, removed: false });
    expect(await store.getDevice(t.people[0]!.device.id)).toMatchObject({ revokedAt: null });
  });

  it('a team schema of layout 1 is upgraded in place when opened; its rows stay and the roster works', async () => {
    const db = await pgDb();
    let pg = await openPgStorage({ url: db.url, poolSize: 2 });
    const t = await populate(pg);
    await pg.close();
    const s = `"${teamSchema(t.team)}"`;
    await withClient(db.url, async (c) => {
      await c.query(`DROP TABLE ${s}.roster, ${s}.team_wraps, ${s}.invite_uses, ${s}.join_requests, ${s}.checkpoints;
        ALTER TABLE ${s}.accounts DROP COLUMN team_role, DROP COLUMN removed; ALTER TABLE ${s}.devices DROP COLUMN revoked_at;
        DROP TABLE truhe.enrollment; UPDATE truhe.meta SET v = 1 WHERE k = 'layout'`);
    });
    pg = await openPgStorage({ url: db.url, poolSize: 2 });
    cleanup.push(() => pg.close());
    expect(LAYOUT_VERSION).toBe(2);
    await withClient(db.url, async (c) => expect((await c.query("SELECT v FROM truhe.meta WHERE k = 'layout'")).rows[0].v).toBe('2'));
    const store = (await pg.openTeam(t.team))!;
    expect(await store.getAccount(t.owner.account.id)).toMatchObject({ authPk: t.owner.account.authPk, teamRole: null, removed: false });
    expect(await store.getDevice(t.owner.device.id)).toMatchObject({ active: true, revokedAt: null });
    const f = founding(t.team, t.owner);
    expect(await store.appendRoster(0, f.roster, f.wraps, { ...NONE, setRoles: [{ account: t.owner.account.id, role: 'owner' }] })).toEqual({ ok: true, length: 2 });
    expect(await store.getAccount(t.owner.account.id)).toMatchObject({ teamRole: 'owner' });
    expect(await store.teamWraps(t.owner.account.id)).toEqual(f.wraps);
    await pg.addEnrollmentToken('tok', FAR, NOW);
    expect(await pg.useEnrollmentToken('tok', NOW)).toBe(true);
    // a second instance opening the upgraded team finds nothing to do
    const other = await openPgStorage({ url: db.url, poolSize: 2 });
    cleanup.push(() => other.close());
    expect(await (await other.openTeam(t.team))!.getRoster(0)).toEqual(f.roster);
  });
});
