/**
 * The relay's team access rules (DESIGN.md §8), one rule per test, on every storage backend:
 * guests are not members, team powers belong to team roles (not to "admin of some share"),
 * invitations are single use and expire, joins bind the requested keys, removed members are
 * refused everywhere, a revoked device gets its signed order, team creation needs enrollment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, newKeys } from '../relay/helpers/client.js';
import {
  addCode, addTeamMember, append, connectCode, connectDevice, createShare, createTeam, invite, newMember, record, requestJoin, rosterAppend, type Team,
} from '../relay/helpers/fixtures.js';
import { backends, startInProcess } from '../relay/helpers/relay-harness.js';
import { b64 } from '../relay/helpers/client.js';
import { issueEnrollmentToken } from '../../../sync-server/enrollment.js';

describe.each(backends)('relay team access ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backend); });
  afterAll(async () => { await r.stop(); });

  describe('guests (code sessions) are not members', () => {
    for (const readOnly of [true, false]) {
      it(`a ${readOnly ? 'read-only' : 'read-write'} code session cannot register, list, create shares, touch the roster or revoke devices`, async () => {
        const t = await createTeam(r.url);
        const log = await createShare(t.c, t.owner);
        const code = await addCode(t.c, log, t.owner, { readOnly });
        const g = await connectCode(r.url, t.team, code.code, code.verifier);
        expect(g.first).toMatchObject({ type: 'welcome', as: { kind: 'code' } });
        const b = newMember();
        expect(await g.c.request({ type: 'account.register', account: {}, device: {} })).toMatchObject({ type: 'error', code: 'UNKNOWN_TYPE' });
        expect(await g.c.request({ type: 'device.list', account: t.owner.account })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        expect(await g.c.request({ type: 'device.list' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        expect(await g.c.request({ type: 'roster.get', since: 0 })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        expect(await g.c.request({ type: 'join.list' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        const share = newId();
        expect(await g.c.request({ type: 'share.create', share, entry: { share, index: 0, prev: 'A'.repeat(43), ts: 1, author: b.account, op: { t: 'create', owner: b.account, boxPk: b.boxPk, signPk: b.sign.pk, epoch: 0, keyCommit: b64(32) }, sig: b64(64) }, wraps: [] }))
          .toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        const revoke = { team: t.team, index: t.roster.entries.length, prev: t.roster.prev, ts: 1, author: t.owner.account, op: { t: 'device.revoke', account: t.owner.account, device: t.owner.device, lost: true }, sig: b64(64) };
        expect(await g.c.request({ type: 'roster.append', entries: [revoke], wraps: [] })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
        // the owner's device still works
        const o = await connectDevice(r.url, t.team, t.owner);
        expect(o.first).toMatchObject({ type: 'welcome', as: { kind: 'device', team: 'owner' } });
        o.c.close(); g.c.close(); t.c.close();
      });
    }
  });

  describe('team powers need a team role', () => {
    let t: Team;
    let member: Awaited<ReturnType<typeof addTeamMember>>;
    beforeAll(async () => {
      t = await createTeam(r.url);
      member = await addTeamMember(r.url, t, 'member');
    });

    it('a member lists its own devices but not another person\'s', async () => {
      expect((await member.c.request({ type: 'device.list' })).devices.map((d: { id: string }) => d.id)).toEqual([member.m.device]);
      expect(await member.c.request({ type: 'device.list', account: t.owner.account })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    });

    it('an owner lists another person\'s devices', async () => {
      expect((await t.c.request({ type: 'device.list', account: member.m.account })).devices.map((d: { id: string }) => d.id)).toEqual([member.m.device]);
    });

    it('a member who administers a share is still not a team admin: no listing, no revoking, no join requests', async () => {
      const log = await createShare(member.c, member.m);
      expect(log.entries).toHaveLength(1);
      expect(await member.c.request({ type: 'device.list', account: t.owner.account })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      expect(await rosterAppend(member.c, t.roster, member.m, [{ t: 'device.revoke', account: t.owner.account, device: t.owner.device, lost: true }])).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      expect(await member.c.request({ type: 'join.list' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      expect(await rosterAppend(member.c, t.roster, member.m, [{ t: 'invite', invite: newId(), verifierPk: newKeys().pk, role: 'member', expiresAt: Date.now() + 1e6, epoch: 0, secretEnc: b64(40), cardEnc: b64(80) }])).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    });

    it('a member may revoke its own device (the signed order reaches that device)', async () => {
      const second = await addTeamMember(r.url, t, 'member');
      const r2 = await rosterAppend(second.c, t.roster, second.m, [{ t: 'device.revoke', account: second.m.account, device: second.m.device, lost: false }]);
      expect(r2).toMatchObject({ type: 'ok' });
      const w = await second.c.next((m) => m.type === 'wipe');
      expect(w.order).toMatchObject({ op: { t: 'device.revoke', device: second.m.device }, author: second.m.account });
    });

    it('an author field that is not the session is refused', async () => {
      expect(await rosterAppend(member.c, t.roster, t.owner, [{ t: 'role', account: member.m.account, role: 'admin' }])).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    });
  });

  describe('revoking a device is a signed order', () => {
    it('the revoked device is sent the order at once and again on every reconnect; other devices keep working', async () => {
      const t = await createTeam(r.url);
      const m = await addTeamMember(r.url, t, 'member');
      expect(await rosterAppend(t.c, t.roster, t.owner, [{ t: 'device.revoke', account: m.m.account, device: m.m.device, lost: true }])).toMatchObject({ type: 'ok' });
      const order = t.roster.entries.at(-1);
      expect((await m.c.next((x) => x.type === 'wipe')).order).toEqual(order);
      expect((await m.c.closed).code).toBe(4006);
      const again = await connectDevice(r.url, t.team, m.m);
      expect(again.first).toEqual({ type: 'wipe', order });
      const o = await connectDevice(r.url, t.team, t.owner);
      expect(o.first).toMatchObject({ type: 'welcome' });
      o.c.close(); t.c.close();
    });
  });

  describe('removing a member', () => {
    it('closes its sessions (4012) and refuses it everywhere afterwards', async () => {
      const t = await createTeam(r.url);
      const m = await addTeamMember(r.url, t, 'member');
      expect(await rosterAppend(t.c, t.roster, t.owner, [{ t: 'remove', account: m.m.account, epoch: 1, keyCommit: b64(32) }], [{ epoch: 1, account: t.owner.account, wrapped: b64(80) }])).toMatchObject({ type: 'ok' });
      t.roster.epoch = 1;
      expect((await m.c.closed).code).toBe(4012);
      const again = await connectDevice(r.url, t.team, m.m);
      expect(again.first).toMatchObject({ type: 'error', code: 'MEMBER_REMOVED' });
      expect((await again.c.closed).code).toBe(4012);
      // and no share may add it back
      const log = await createShare(t.c, t.owner);
      expect(await append(t.c, log, t.owner, { t: 'add', account: m.m.account, boxPk: m.m.boxPk, signPk: m.m.sign.pk, role: 'editor' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      t.c.close();
    });
  });

  describe('shares add only team members, with their roster keys', () => {
    it('an account outside the team, or the right account with other keys, is refused', async () => {
      const t = await createTeam(r.url);
      const m = await addTeamMember(r.url, t, 'member');
      const log = await createShare(t.c, t.owner);
      const stranger = newMember();
      expect(await append(t.c, log, t.owner, { t: 'add', account: stranger.account, boxPk: stranger.boxPk, signPk: stranger.sign.pk, role: 'editor' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      expect(await append(t.c, log, t.owner, { t: 'add', account: m.m.account, boxPk: newKeys().pk, signPk: m.m.sign.pk, role: 'editor' })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      expect(await append(t.c, log, t.owner, { t: 'add', account: m.m.account, boxPk: m.m.boxPk, signPk: m.m.sign.pk, role: 'editor' })).toMatchObject({ type: 'ok' });
      expect(await m.c.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: m.m.account })] })).toMatchObject({ type: 'ok' });
      t.c.close(); m.c.close();
    });
  });

  describe('invitations', () => {
    let t: Team;
    beforeAll(async () => { t = await createTeam(r.url); });

    it('team.join without the secret (a signature by another key) fails authentication', async () => {
      const inv = await invite(t);
      const j = await requestJoin(r.url, t.team, { id: inv.id, verifier: newKeys() });
      expect(j.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    });

    it('an invitation is single use', async () => {
      const inv = await invite(t);
      expect((await requestJoin(r.url, t.team, inv)).first).toMatchObject({ type: 'welcome', as: { kind: 'device', team: null } });
      expect((await requestJoin(r.url, t.team, inv)).first).toMatchObject({ type: 'error', code: 'INVITE_INVALID' });
    });

    it('an expired invitation is refused', async () => {
      const inv = await invite(t, 'member', { expiresAt: Date.now() - 1 });
      expect((await requestJoin(r.url, t.team, inv)).first).toMatchObject({ type: 'error', code: 'INVITE_EXPIRED' });
    });

    it('a revoked invitation is refused', async () => {
      const inv = await invite(t);
      expect(await rosterAppend(t.c, t.roster, t.owner, [{ t: 'invite.revoke', invite: inv.id }])).toMatchObject({ type: 'ok' });
      expect((await requestJoin(r.url, t.team, inv)).first).toMatchObject({ type: 'error', code: 'INVITE_INVALID' });
    });

    it('a pending join reads the roster but creates no share and sees no other devices', async () => {
      const inv = await invite(t);
      const j = await requestJoin(r.url, t.team, inv);
      expect((await j.c.request({ type: 'roster.get', since: 0 })).entries.length).toBe(t.roster.entries.length);
      const share = newId();
      expect(await j.c.request({ type: 'share.create', share, entry: { share, index: 0, prev: 'A'.repeat(43), ts: 1, author: j.m.account, op: { t: 'create', owner: j.m.account, boxPk: j.m.boxPk, signPk: j.m.sign.pk, epoch: 0, keyCommit: b64(32) }, sig: b64(64) }, wraps: [] }))
        .toMatchObject({ type: 'error', code: 'JOIN_PENDING' });
      expect(await j.c.request({ type: 'device.list' })).toMatchObject({ type: 'error', code: 'JOIN_PENDING' });
    });

    it('a join must carry the keys of the request (a relay-swapped key cannot be confirmed)', async () => {
      const inv = await invite(t);
      const j = await requestJoin(r.url, t.team, inv);
      const other = newKeys().pk;
      const bad = await rosterAppend(t.c, t.roster, t.owner, [{ t: 'join', account: j.m.account, boxPk: other, signPk: j.m.sign.pk, nameEnc: b64(40), nameEpoch: 0, invite: inv.id, role: 'member', mac: b64(32) }]);
      expect(bad).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
      const good = await rosterAppend(t.c, t.roster, t.owner, [{ t: 'join', account: j.m.account, boxPk: j.m.boxPk, signPk: j.m.sign.pk, nameEnc: b64(40), nameEpoch: 0, invite: inv.id, role: 'member', mac: b64(32) }]);
      expect(good).toMatchObject({ type: 'ok' });
    });

    it('a rejected request is gone and cannot be confirmed afterwards', async () => {
      const inv = await invite(t);
      const j = await requestJoin(r.url, t.team, inv);
      expect(await t.c.request({ type: 'join.reject', account: j.m.account })).toMatchObject({ type: 'ok' });
      expect(await rosterAppend(t.c, t.roster, t.owner, [{ t: 'join', account: j.m.account, boxPk: j.m.boxPk, signPk: j.m.sign.pk, nameEnc: b64(40), nameEpoch: 0, invite: inv.id, role: 'member', mac: b64(32) }]))
        .toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    });
  });

  describe('enrollment', () => {
    let closed: Awaited<ReturnType<typeof startInProcess>>;
    beforeAll(async () => { closed = await startInProcess(backend, { openEnrollment: false }); });
    afterAll(async () => { await closed.stop(); });

    it('team.create needs a token the operator issued; a token works once', async () => {
      await expect(createTeam(closed.url)).rejects.toThrow(/ENROLLMENT_REQUIRED/);
      await expect(createTeam(closed.url, newMember(), newId(), 'x'.repeat(32))).rejects.toThrow(/ENROLLMENT_REQUIRED/);
      const token = await issueEnrollmentToken(closed.storage, Date.now(), 3600_000);
      const t = await createTeam(closed.url, newMember(), newId(), token);
      expect(t.team).toBeTruthy();
      await expect(createTeam(closed.url, newMember(), newId(), token)).rejects.toThrow(/ENROLLMENT_REQUIRED/);
      const expired = await issueEnrollmentToken(closed.storage, Date.now() - 7200_000, 3600_000);
      await expect(createTeam(closed.url, newMember(), newId(), expired)).rejects.toThrow(/ENROLLMENT_REQUIRED/);
      t.c.close();
    });
  });
});
