/**
 * The storage port's team roster (DESIGN.md §8), the same on every backend: a roster append is
 * all-or-nothing against the expected length and the caller's in-transaction check, applies its
 * effects to accounts/devices/wraps/join requests; an invitation answers one join request;
 * enrollment tokens are single-use and expire. On PostgreSQL, two relay instances (two pools on
 * one database) racing for the same roster slot, invitation or token: exactly one wins.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPgStorage } from '../../../sync-server/storage/postgres/index.js';
import type { Fail, RelayStorage, RosterEffects, TeamStore } from '../../../sync-server/storage/types.js';
import { dbNameFor, urlOf, withClient } from '../relay-pg/helpers/pg-db.js';
import { backends, tempDir, type Backend } from './helpers/relay-harness.js';
import { checkpoint, entry, founding, id, inviteOp, joinOp, person, sig, wrap } from './helpers/roster-rows.js';

const NONE: RosterEffects = { setRoles: [], removed: [], revokedDevices: [], joined: [] };
const NOW = 1_700_000_000_000;

describe.each(backends)('team roster storage ($name)', (backend: Backend) => {
  const opened: { storage: RelayStorage; dir: string }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      await o.storage.close();
      rmSync(o.dir, { recursive: true, force: true });
      await backend.drop?.(o.dir);
    }
  });

  /** A fresh backend with one team: owner + device, roster [genesis, device.add], the owner's epoch-0 wrap. */
  async function setup() {
    const dir = tempDir('roster');
    const storage = await backend.make(dir);
    opened.push({ storage, dir });
    const team = id();
    const owner = person();
    const f = founding(team, owner);
    expect(await storage.createTeam(team, owner.account, owner.device, f.roster, f.wraps, NOW)).toBe(true);
    const store = (await storage.openTeam(team))!;
    return { dir, storage, store, team, owner, o: owner.account.id, founding: f };
  }
  /** Appends an invitation by the owner at `index`; returns its id. */
  async function invite(store: TeamStore, team: string, owner: string, index: number): Promise<string> {
    const inv = id();
    expect(await store.appendRoster(index, [entry(team, index, owner, inviteOp(inv))], [], NONE)).toEqual({ ok: true, length: index + 1 });
    return inv;
  }

  it('createTeam stores the founder as owner, the roster and the team key wrap; a second createTeam is refused', async () => {
    const { storage, store, team, owner, o, founding: f } = await setup();
    expect(await store.getRoster(0)).toEqual(f.roster);
    expect(await store.getRoster(1)).toEqual([f.roster[1]]);
    expect(await store.getRoster(2)).toEqual([]);
    expect(await store.teamWraps(o)).toEqual(f.wraps);
    expect(await store.getAccount(o)).toMatchObject({ id: o, teamRole: 'owner', removed: false, signPk: owner.account.signPk });
    expect(await store.getDevice(owner.device.id)).toMatchObject({ account: o, active: true, revokedAt: null });
    const other = person();
    const g = founding(team, other);
    expect(await storage.createTeam(team, other.account, other.device, g.roster, g.wraps, NOW)).toBe(false);
    expect(await store.getRoster(0)).toEqual(f.roster);
    expect(await store.getAccount(other.account.id)).toBeNull();
  });

  it('a stale expected length is LOG_CONFLICT with the real length, and nothing is written or applied', async () => {
    const { store, team, owner, o, founding: f } = await setup();
    const e = entry(team, 1, o, { t: 'device.revoke', account: o, device: owner.device.id, lost: true } as never);
    const check = vi.fn(() => null);
    const out = await store.appendRoster(1, [e], [wrap(o, 1)], { setRoles: [{ account: o, role: 'member' }], removed: [o], revokedDevices: [{ device: owner.device.id, index: 1 }], joined: [] }, check);
    expect(out).toMatchObject({ ok: false, code: 'LOG_CONFLICT', length: 2 });
    expect(check).not.toHaveBeenCalled();
    expect(await store.getRoster(0)).toEqual(f.roster);
    expect(await store.teamWraps(o)).toEqual(f.wraps);
    expect(await store.getAccount(o)).toMatchObject({ teamRole: 'owner', removed: false });
    expect(await store.getDevice(owner.device.id)).toMatchObject({ active: true, revokedAt: null });
  });

  it("a refusing check() is answered as is (with the length), and nothing is written or applied", async () => {
    const { store, team, owner, o, founding: f } = await setup();
    const e = entry(team, 2, o, { t: 'device.revoke', account: o, device: owner.device.id, lost: false } as never);
    const refusal: Fail = { ok: false, code: 'NOT_ALLOWED', message: 'roster: no pending join of that account with that invitation' };
    const check = vi.fn(() => refusal);
    const out = await store.appendRoster(2, [e], [wrap(o, 1)], { ...NONE, revokedDevices: [{ device: owner.device.id, index: 2 }], removed: [o] }, check);
    expect(out).toEqual({ ...refusal, length: 2 });
    expect(check).toHaveBeenCalledTimes(1);
    expect(await store.getRoster(0)).toEqual(f.roster);
    expect(await store.teamWraps(o)).toEqual(f.wraps);
    expect(await store.getAccount(o)).toMatchObject({ teamRole: 'owner', removed: false });
    expect(await store.getDevice(owner.device.id)).toMatchObject({ active: true, revokedAt: null });
    // a passing check lets the same append through
    expect(await store.appendRoster(2, [e], [], { ...NONE, revokedDevices: [{ device: owner.device.id, index: 2 }] }, () => null)).toEqual({ ok: true, length: 3 });
    expect(await store.getDevice(owner.device.id)).toMatchObject({ active: false, revokedAt: 2 });
  });

  it('join, device revoke and remove apply their effects: role, join request gone, wraps, device revoked, removed', async () => {
    const { store, team, o } = await setup();
    const inv = await invite(store, team, o, 2);
    const b = person();
    expect(await store.addJoinRequest(inv, b.account, b.device, 'bmFtZQ', 'A'.repeat(43), NOW + 5)).toBe('ok');
    expect(await store.getAccount(b.account.id)).toMatchObject({ teamRole: null, removed: false, authPk: b.account.authPk });
    expect(await store.listJoinRequests()).toEqual([{
      account: { id: b.account.id, signPk: b.account.signPk, boxPk: b.account.boxPk },
      device: { id: b.device.id, signPk: b.device.signPk, cert: b.device.cert, platform: 'linux', nameEnc: b.device.nameEnc },
      invite: inv, nameEnc: 'bmFtZQ', mac: 'A'.repeat(43), at: NOW + 5,
    }]);
    const join = entry(team, 3, o, joinOp(b, inv));
    expect(await store.appendRoster(3, [join], [wrap(b.account.id, 0)], { ...NONE, setRoles: [{ account: b.account.id, role: 'member' }], joined: [b.account.id] })).toEqual({ ok: true, length: 4 });
    expect(await store.getAccount(b.account.id)).toMatchObject({ teamRole: 'member', removed: false });
    expect(await store.listJoinRequests()).toEqual([]);
    expect((await store.teamWraps(b.account.id)).map((w) => w.epoch)).toEqual([0]);

    const revoke = entry(team, 4, o, { t: 'device.revoke', account: b.account.id, device: b.device.id, lost: true } as never);
    expect(await store.appendRoster(4, [revoke], [], { ...NONE, revokedDevices: [{ device: b.device.id, index: 4 }] })).toEqual({ ok: true, length: 5 });
    expect(await store.getDevice(b.device.id)).toMatchObject({ active: false, revokedAt: 4 });
    // a second revoke of an inactive device keeps the first index
    const again = entry(team, 5, o, { t: 'role', account: b.account.id, role: 'admin' } as never);
    expect(await store.appendRoster(5, [again], [], { ...NONE, setRoles: [{ account: b.account.id, role: 'admin' }], revokedDevices: [{ device: b.device.id, index: 5 }] })).toEqual({ ok: true, length: 6 });
    expect(await store.getDevice(b.device.id)).toMatchObject({ active: false, revokedAt: 4 });
    expect(await store.getAccount(b.account.id)).toMatchObject({ teamRole: 'admin' });

    // remove: new epoch wrapped to the owner; the removed account's wraps go; a wrap re-sent for (account, epoch) replaces the old one
    const remove = entry(team, 6, o, { t: 'remove', account: b.account.id, epoch: 1, keyCommit: 'A'.repeat(43) } as never);
    const w1 = wrap(o, 1);
    const w1b = wrap(o, 1);
    expect(await store.appendRoster(6, [remove], [w1, w1b], { ...NONE, removed: [b.account.id] })).toEqual({ ok: true, length: 7 });
    expect(await store.getAccount(b.account.id)).toMatchObject({ teamRole: null, removed: true });
    expect(await store.teamWraps(b.account.id)).toEqual([]);
    expect((await store.teamWraps(o)).map((w) => [w.epoch, w.wrapped])).toEqual([[0, expect.any(String)], [1, w1b.wrapped]]);
    expect((await store.getRoster(2)).map((e) => e.op.t)).toEqual(['invite', 'join', 'device.revoke', 'role', 'remove']);
    expect(await store.getRoster(3)).toEqual([join, revoke, again, remove]);
  });

  it("an invitation answers one join request ('used'); a taken account or device id is 'exists' and leaves the invitation unused", async () => {
    const { store, team, owner, o } = await setup();
    const inv = await invite(store, team, o, 2);
    const b = person();
    const c = person();
    expect(await store.addJoinRequest(inv, b.account, b.device, 'YQ', 'A'.repeat(43), NOW)).toBe('ok');
    expect(await store.addJoinRequest(inv, c.account, c.device, 'Yw', 'A'.repeat(43), NOW)).toBe('used');
    expect(await store.getAccount(c.account.id)).toBeNull();
    expect(await store.getDevice(c.device.id)).toBeNull();

    const inv2 = await invite(store, team, o, 3);
    // b's account id again (fresh device): exists; the owner's device id (fresh account): exists
    expect(await store.addJoinRequest(inv2, { ...c.account, id: b.account.id }, c.device, 'Yw', 'A'.repeat(43), NOW)).toBe('exists');
    expect(await store.getDevice(c.device.id)).toBeNull();
    expect(await store.addJoinRequest(inv2, c.account, { ...c.device, id: owner.device.id }, 'Yw', 'A'.repeat(43), NOW)).toBe('exists');
    expect(await store.getAccount(c.account.id)).toBeNull();
    expect(await store.getAccount(b.account.id)).toMatchObject({ authPk: b.account.authPk });
    // inv2 was not used up by the refused requests
    expect(await store.addJoinRequest(inv2, c.account, c.device, 'Yw', 'A'.repeat(43), NOW + 1)).toBe('ok');
    expect((await store.listJoinRequests()).map((r) => [r.account.id, r.invite])).toEqual([[b.account.id, inv], [c.account.id, inv2]]);
  });

  it('rejectJoinRequest removes the pending account and device; the invitation stays used', async () => {
    const { store, team, o } = await setup();
    const inv = await invite(store, team, o, 2);
    const b = person();
    expect(await store.addJoinRequest(inv, b.account, b.device, 'YQ', 'A'.repeat(43), NOW)).toBe('ok');
    expect(await store.rejectJoinRequest(b.account.id)).toBe(true);
    expect(await store.getAccount(b.account.id)).toBeNull();
    expect(await store.getDevice(b.device.id)).toBeNull();
    expect(await store.listJoinRequests()).toEqual([]);
    expect(await store.rejectJoinRequest(b.account.id)).toBe(false);
    expect(await store.rejectJoinRequest(o)).toBe(false);
    expect(await store.getAccount(o)).toMatchObject({ teamRole: 'owner' });
    const c = person();
    expect(await store.addJoinRequest(inv, c.account, c.device, 'YQ', 'A'.repeat(43), NOW)).toBe('used');
    // the rejected ids are free again under another invitation
    const inv2 = await invite(store, team, o, 3);
    expect(await store.addJoinRequest(inv2, b.account, b.device, 'YQ', 'A'.repeat(43), NOW)).toBe('ok');
  });

  it('addDeviceWithEntry: device row + entry together; a stale length or a taken device id writes nothing', async () => {
    const { store, team, owner, o } = await setup();
    const d = person().device;
    const add = entry(team, 2, o, { t: 'device.add', account: o, device: d.id, signPk: d.signPk, cert: d.cert } as never);
    expect(await store.addDeviceWithEntry(o, d, 1, add)).toMatchObject({ ok: false, code: 'LOG_CONFLICT', length: 2 });
    expect(await store.getDevice(d.id)).toBeNull();
    expect(await store.getRoster(2)).toEqual([]);
    expect(await store.addDeviceWithEntry(o, { ...d, id: owner.device.id }, 2, add)).toMatchObject({ ok: false, code: 'NOT_ALLOWED', length: 2 });
    expect(await store.getRoster(2)).toEqual([]);
    expect(await store.addDeviceWithEntry(o, d, 2, add)).toEqual({ ok: true, length: 3 });
    expect(await store.getDevice(d.id)).toMatchObject({ account: o, signPk: d.signPk, active: true, revokedAt: null });
    expect(await store.getRoster(2)).toEqual([add]);
    expect((await store.listDevices(o)).map((x) => x.id).sort()).toEqual([owner.device.id, d.id].sort());
  });

  it('checkpoints: one per device (replaced), listed per account; deleteAccount purges team wraps, checkpoints and a join request', async () => {
    const { store, team, owner, o } = await setup();
    const d2 = id();
    const c1 = checkpoint(team, o, owner.device.id, 2);
    const s1 = sig();
    await store.putCheckpoint(o, owner.device.id, checkpoint(team, o, owner.device.id, 1), sig());
    await store.putCheckpoint(o, owner.device.id, c1, s1);
    const c2 = checkpoint(team, o, d2, 2);
    const s2 = sig();
    await store.putCheckpoint(o, d2, c2, s2);
    const got = await store.checkpoints(o);
    expect(got).toHaveLength(2);
    expect(got).toEqual(expect.arrayContaining([{ body: c1, sig: s1 }, { body: c2, sig: s2 }]));
    expect(got.map((x) => x.body.device)).toEqual([owner.device.id, d2].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(await store.checkpoints(id())).toEqual([]);

    const inv = await invite(store, team, o, 2);
    const b = person();
    expect(await store.addJoinRequest(inv, b.account, b.device, 'YQ', 'A'.repeat(43), NOW)).toBe('ok');
    await store.putCheckpoint(b.account.id, b.device.id, checkpoint(team, b.account.id, b.device.id, 3), sig());
    expect(await store.appendRoster(3, [entry(team, 3, o, { t: 'invite.revoke', invite: id() } as never)], [wrap(b.account.id, 0)], NONE)).toMatchObject({ ok: true });
    await store.deleteAccount(b.account.id);
    expect(await store.getAccount(b.account.id)).toBeNull();
    expect(await store.teamWraps(b.account.id)).toEqual([]);
    expect(await store.checkpoints(b.account.id)).toEqual([]);
    expect(await store.listJoinRequests()).toEqual([]);
    expect(await store.checkpoints(o)).toHaveLength(2);
  });

  it('enrollment tokens are single-use and expire', async () => {
    const { storage } = await setup();
    await storage.addEnrollmentToken('tok-a', NOW + 1000, NOW);
    await storage.addEnrollmentToken('tok-b', NOW + 1000, NOW);
    await storage.addEnrollmentToken('tok-c', NOW + 50, NOW);
    expect(await storage.useEnrollmentToken('tok-a', NOW + 1)).toBe(true);
    expect(await storage.useEnrollmentToken('tok-a', NOW + 2)).toBe(false);
    expect(await storage.useEnrollmentToken('nope', NOW + 2)).toBe(false);
    // at its expiry instant a token is no longer valid, and it is gone for good
    expect(await storage.useEnrollmentToken('tok-c', NOW + 50)).toBe(false);
    expect(await storage.useEnrollmentToken('tok-c', NOW)).toBe(false);
    expect(await storage.useEnrollmentToken('tok-b', NOW + 999)).toBe(true);
    expect(await storage.useEnrollmentToken('tok-b', NOW + 999)).toBe(false);
  });

  describe.runIf(backend.name === 'postgres')('two relay instances on one database', () => {
    async function twoInstances() {
      const s = await setup();
      const other = await openPgStorage({ url: urlOf(dbNameFor(s.dir)), poolSize: 4 });
      opened.unshift({ storage: other, dir: tempDir('roster-b') });
      return { ...s, storeB: (await other.openTeam(s.team))!, other };
    }

    it('two appends with the same expected length: exactly one succeeds, the other is LOG_CONFLICT', async () => {
      const { dir, store, storeB, team, o } = await twoInstances();
      // Hold the roster's append lock from outside so both appends are queued behind it at once.
      await withClient(urlOf(dbNameFor(dir)), async (c) => {
        for (let round = 0; round < 5; round++) {
          const at = 2 + round;
          const a = entry(team, at, o, inviteOp(id()));
          const b = entry(team, at, o, inviteOp(id()));
          await c.query('BEGIN');
          const schema = (await c.query('SELECT schema FROM truhe.teams WHERE id = $1', [team])).rows[0].schema as string;
          await c.query(`LOCK TABLE "${schema}".roster IN EXCLUSIVE MODE`);
          const racing = Promise.all([store.appendRoster(at, [a], [wrap(o, at)], NONE), storeB.appendRoster(at, [b], [wrap(o, at)], NONE)]);
          await new Promise((r) => setTimeout(r, 100));
          await c.query('COMMIT');
          const outs = await racing;
          expect(outs.filter((x) => x.ok)).toEqual([{ ok: true, length: at + 1 }]);
          expect(outs.filter((x) => !x.ok)).toMatchObject([{ ok: false, code: 'LOG_CONFLICT', length: at + 1 }]);
          const stored = await store.getRoster(at);
          expect(stored).toEqual([outs[0]!.ok ? a : b]);
        }
      });
      expect(await store.getRoster(0)).toHaveLength(7);
    });

    it('concurrent join requests: one invitation answers one; one account id is taken once', async () => {
      const { store, storeB, team, o } = await twoInstances();
      for (let round = 0; round < 5; round++) {
        const inv = await invite(store, team, o, 2 + round * 3);
        const [x, y] = [person(), person()];
        const outs = await Promise.all([store.addJoinRequest(inv, x.account, x.device, 'YQ', 'A'.repeat(43), NOW), storeB.addJoinRequest(inv, y.account, y.device, 'YQ', 'A'.repeat(43), NOW)]);
        expect(outs.sort()).toEqual(['ok', 'used']);
        // same account id under two fresh invitations: one 'ok', one 'exists'; the loser's invitation stays unused
        const [i1, i2] = [await invite(store, team, o, 3 + round * 3), await invite(store, team, o, 4 + round * 3)];
        const z = person();
        const zDev2 = person().device;
        const both = await Promise.all([store.addJoinRequest(i1, z.account, z.device, 'YQ', 'A'.repeat(43), NOW), storeB.addJoinRequest(i2, z.account, zDev2, 'YQ', 'A'.repeat(43), NOW)]);
        expect([...both].sort()).toEqual(['exists', 'ok']);
        const free = both[0] === 'ok' ? i2 : i1;
        const w = person();
        expect(await store.addJoinRequest(free, w.account, w.device, 'YQ', 'A'.repeat(43), NOW)).toBe('ok');
      }
      expect(await store.listJoinRequests()).toHaveLength(15);
    });

    it('a token used through two instances at once is used once', async () => {
      const { storage, other } = await twoInstances();
      for (let i = 0; i < 10; i++) await storage.addEnrollmentToken(`t${i}`, NOW + 1000, NOW);
      for (let i = 0; i < 10; i++) {
        const outs = await Promise.all([storage.useEnrollmentToken(`t${i}`, NOW + 1), other.useEnrollmentToken(`t${i}`, NOW + 1)]);
        expect(outs.filter(Boolean)).toHaveLength(1);
      }
    });
  });
});
