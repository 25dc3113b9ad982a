/**
 * Authorization matrix of the shared roster rules (protocol/roster.ts applyRosterEntry): for every
 * rule check one entry that breaks exactly that rule (it differs from a passing entry in one
 * field, checked by `contrast`), with the RosterRuleError code and the words of the message;
 * plus what each op does to the state when it passes. A refused entry leaves the state as it was.
 */
import { describe, expect, it } from 'vitest';
import { applyRosterEntry, cloneRoster, isTeamAdmin, RosterEntry as RosterEntrySchema, type RosterOp, type RosterState } from '../../../protocol/roster.js';
import {
  accept, ADMIN, ADMIN2, BASE_EPOCH, base, build, contrast, D, deviceAddOp, entry, EXADMIN, EXMEMBER, genesisOp, hashOf, id, INV, inviteOp,
  joinOp, key, MEMBER, MEMBER2, NEWBIE, OTHER_TEAM, OWNER, reject, removeOp, STRANGER, TEAM, withOp, ZERO,
} from './roster-fixture.js';

const revokeOp = (account: string, device: string, lost = false) => ({ t: 'device.revoke', account, device, lost }) as RosterOp;
const roleOp = (account: string, role: string) => ({ t: 'role', account, role }) as RosterOp;
const inviteRevokeOp = (invite: string) => ({ t: 'invite.revoke', invite }) as RosterOp;

/** Base roster where OWNER made ADMIN2 an 'owner' by role (schema-invalid, rule-valid): a non-owner who outranks admins. */
/**
 * A state with a second owner. No entry can make one (there is one owner, the founder), so the
 * state is set by hand: it exercises the rank checks that stay as a second line of defence.
 */
function withSecondOwner(): RosterState {
  const s = base();
  expect(() => accept(cloneRoster(s), entry(s, OWNER, roleOp(ADMIN2, 'owner' as 'admin')))).toThrow(/there is one owner, the founder/);
  s.members.get(ADMIN2)!.role = 'owner';
  return s;
}

describe('roster rules: genesis', () => {
  it('a genesis by its owner founds the roster', () => {
    const e = entry(null, OWNER, genesisOp());
    const s = applyRosterEntry(null, e, hashOf(e));
    expect(s).toEqual({
      team: TEAM, owner: OWNER, length: 1, lastHash: hashOf(e), epoch: 0, keyCommits: new Map([[0, key('commit-0')]]), teamNameEnc: 'dGVhbQ',
      members: new Map([[OWNER, { account: OWNER, role: 'owner', active: true, boxPk: key(`box-${OWNER}`), signPk: key(`sign-${OWNER}`), nameEnc: 'bmFtZQ', nameEpoch: 0, joinedAt: 0 }]]),
      invites: new Map(), devices: new Map(),
    });
  });
  it('not at index 0', () => {
    const good = entry(null, OWNER, genesisOp());
    contrast(null, good, { ...good, index: 1 }, 'index', 'LOG_CONFLICT', 'the roster starts with entry 0');
  });
  it('prev is not the zero hash', () => {
    const good = entry(null, OWNER, genesisOp());
    contrast(null, good, { ...good, prev: key('x') }, 'prev', 'LOG_CONFLICT', 'the roster starts with entry 0');
  });
  it('entry 0 is not a genesis', () => {
    const good = entry(null, OWNER, genesisOp());
    contrast(null, good, { ...good, op: inviteOp(INV.fresh, 'member', 0) }, 'op', 'BAD_FIELD', 'entry 0 must be the genesis');
  });
  it('the owner is not the author', () => {
    const good = entry(null, OWNER, genesisOp());
    contrast(null, good, { ...good, author: STRANGER as typeof good.author }, 'author', 'NOT_ALLOWED', 'the genesis must be signed by the owner');
  });
});

describe('roster rules: chain and author', () => {
  const good = (s: RosterState) => entry(s, ADMIN, inviteOp(INV.fresh, 'member', BASE_EPOCH));
  it('wrong team', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), team: OTHER_TEAM as never }, 'team', 'BAD_FIELD', 'belongs to another team');
  });
  it('index gap', () => {
    const s = base();
    const err = contrast(s, good(s), { ...good(s), index: s.length + 1 }, 'index', 'LOG_CONFLICT', `does not extend the roster head ${s.length}`);
    expect(err.message).toBe(`roster entry ${s.length + 1}: does not extend the roster head ${s.length}`);
  });
  it('index already taken (a replay at the head - 1)', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), index: s.length - 1 }, 'index', 'LOG_CONFLICT', 'does not extend the roster head');
  });
  it('prev mismatch', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), prev: key('not-the-head') }, 'prev', 'LOG_CONFLICT', 'does not extend the roster head');
  });
  it('a second genesis', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), op: genesisOp(ADMIN) }, 'op', 'BAD_FIELD', 'a second genesis');
  });
  it('author not a member', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), author: STRANGER as never }, 'author', 'NOT_ALLOWED', `author: ${STRANGER} is not an active member`);
  });
  it('author removed', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), author: EXADMIN as never }, 'author', 'NOT_ALLOWED', `author: ${EXADMIN} is not an active member`);
  });
});

describe('roster rules: invite', () => {
  it('owner and admins invite (an admin may invite an admin); the invitation is recorded live', () => {
    const s = base();
    const e = entry(s, ADMIN, inviteOp(INV.fresh, 'admin', BASE_EPOCH));
    accept(s, e);
    expect(s.invites.get(INV.fresh)).toEqual({
      invite: INV.fresh, role: 'admin', verifierPk: key(`verifier-${INV.fresh}`), expiresAt: 9e12, epoch: BASE_EPOCH, secretEnc: 'c2VjcmV0', cardEnc: 'Y2FyZA', by: ADMIN, at: e.ts, state: 'live',
    });
    accept(s, entry(s, OWNER, inviteOp(id('inv-o'), 'member', BASE_EPOCH)));
    expect(s.invites.get(id('inv-o'))).toMatchObject({ by: OWNER, role: 'member', state: 'live' });
  });
  it('by a member', () => {
    const s = base();
    const good = entry(s, ADMIN, inviteOp(INV.fresh, 'member', BASE_EPOCH));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only an owner or admin invites');
  });
  it("to a role above the author's: an admin may invite 'admin' but not 'owner' (and the schema refuses 'owner' anyway)", () => {
    const s = base();
    const good = entry(s, ADMIN, inviteOp(INV.fresh, 'admin', BASE_EPOCH));
    const bad = withOp(good, { role: 'owner' });
    contrast(s, good, bad, 'op.role', 'NOT_ALLOWED', "cannot invite to a role above the author's");
    expect(RosterEntrySchema.safeParse(bad).success).toBe(false);
  });
  it('invitation id reuse (live, used or revoked)', () => {
    const s = base();
    const good = entry(s, ADMIN, inviteOp(INV.fresh, 'member', BASE_EPOCH));
    for (const taken of [INV.liveMember, INV.used, INV.revoked]) contrast(s, good, withOp(good, { invite: taken }), 'op.invite', 'NOT_ALLOWED', 'invitation id in use');
  });
  it('epoch other than the current one (older or newer)', () => {
    const s = base();
    const good = entry(s, ADMIN, inviteOp(INV.fresh, 'member', BASE_EPOCH));
    for (const epoch of [BASE_EPOCH - 1, BASE_EPOCH + 1]) {
      contrast(s, good, withOp(good, { epoch }), 'op.epoch', 'BAD_FIELD', 'the invitation secret must be sealed under the current team key');
    }
  });
});

describe('roster rules: invite.revoke', () => {
  it('an admin revokes a live invitation made by someone else', () => {
    const s = base();
    expect(s.invites.get(INV.liveAdmin)!.by).toBe(OWNER);
    accept(s, entry(s, ADMIN, inviteRevokeOp(INV.liveAdmin)));
    expect(s.invites.get(INV.liveAdmin)!.state).toBe('revoked');
    expect(s.invites.get(INV.liveMember)!.state).toBe('live');
  });
  it('by a member', () => {
    const s = base();
    const good = entry(s, OWNER, inviteRevokeOp(INV.liveMember));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only an owner or admin revokes an invitation');
  });
  it('of an unknown, used or already revoked invitation', () => {
    const s = base();
    const good = entry(s, ADMIN, inviteRevokeOp(INV.liveMember));
    for (const inv of [INV.unknown, INV.used, INV.revoked]) contrast(s, good, withOp(good, { invite: inv }), 'op.invite', 'NOT_ALLOWED', `no live invitation ${inv}`);
  });
});

describe('roster rules: join', () => {
  const good = (s: RosterState, author = ADMIN) => entry(s, author, joinOp(NEWBIE, INV.liveMember, 'member', BASE_EPOCH));
  it('an admin confirms a join: the invitation is used, the account a member', () => {
    const s = base();
    const e = good(s);
    accept(s, e);
    expect(s.invites.get(INV.liveMember)!.state).toBe('used');
    expect(s.members.get(NEWBIE)).toEqual({
      account: NEWBIE, role: 'member', active: true, boxPk: key(`box-${NEWBIE}`), signPk: key(`sign-${NEWBIE}`), nameEnc: 'bmFtZQ', nameEpoch: BASE_EPOCH, joinedAt: e.index,
    });
  });
  it('an admin confirms an admin invitation (same rank); a name under an older epoch is fine', () => {
    const s = base();
    accept(s, entry(s, ADMIN2, joinOp(NEWBIE, INV.liveAdmin, 'admin', 0)));
    expect(s.members.get(NEWBIE)).toMatchObject({ role: 'admin', active: true, nameEpoch: 0 });
  });
  it('by a member', () => {
    const s = base();
    contrast(s, good(s), { ...good(s), author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only an owner or admin confirms a join');
  });
  it('with an unknown, revoked or used invitation', () => {
    const s = base();
    for (const inv of [INV.unknown, INV.revoked, INV.used]) contrast(s, good(s), withOp(good(s), { invite: inv }), 'op.invite', 'NOT_ALLOWED', `no live invitation ${inv}`);
  });
  it("with a role other than the invitation's", () => {
    const s = base();
    contrast(s, good(s), withOp(good(s), { role: 'admin' }), 'op.role', 'NOT_ALLOWED', "the role differs from the invitation's");
    const toAdmin = entry(s, ADMIN, joinOp(NEWBIE, INV.liveAdmin, 'admin', BASE_EPOCH));
    contrast(s, toAdmin, withOp(toAdmin, { role: 'member' }), 'op.role', 'NOT_ALLOWED', "the role differs from the invitation's");
  });
  it("to a role above the confirming admin's (only reachable with an 'owner' invitation the schema refuses)", () => {
    const s = base();
    accept(s, entry(s, OWNER, inviteOp(INV.fresh, 'admin', BASE_EPOCH)));
    s.invites.get(INV.fresh)!.role = 'owner' as 'admin'; // no entry can make an owner invitation (see below)
    const byOwner = entry(s, OWNER, joinOp(NEWBIE, INV.fresh, 'owner' as 'admin', BASE_EPOCH));
    reject(s, { ...byOwner, author: ADMIN as never }, 'NOT_ALLOWED', "cannot admit to a role above the author's");
    reject(s, byOwner, 'NOT_ALLOWED', 'there is one owner, the founder');
  });
  it('of an account already in the team (active or removed)', () => {
    const s = base();
    for (const acc of [MEMBER, ADMIN2, EXMEMBER, OWNER]) {
      contrast(s, good(s), withOp(good(s), { account: acc }), 'op.account', 'NOT_ALLOWED', `account ${acc} was already in the team`);
    }
  });
  it('with the name sealed under a future epoch', () => {
    const s = base();
    contrast(s, good(s), withOp(good(s), { nameEpoch: BASE_EPOCH + 1 }), 'op.nameEpoch', 'BAD_FIELD', 'name sealed under a future team key');
  });
});

describe('roster rules: role', () => {
  it('the owner promotes, an admin demotes an admin (same rank) and promotes a member', () => {
    const s = base();
    accept(s, entry(s, OWNER, roleOp(MEMBER, 'admin')));
    accept(s, entry(s, ADMIN, roleOp(ADMIN2, 'member')));
    accept(s, entry(s, ADMIN, roleOp(MEMBER2, 'admin')));
    expect([MEMBER, ADMIN2, MEMBER2, ADMIN].map((a) => s.members.get(a)!.role)).toEqual(['admin', 'member', 'admin', 'admin']);
  });
  it('by a member', () => {
    const s = base();
    const good = entry(s, ADMIN, roleOp(MEMBER2, 'admin'));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only an owner or admin changes roles');
  });
  it('of a non-member or a removed member', () => {
    const s = base();
    const good = entry(s, ADMIN, roleOp(MEMBER2, 'admin'));
    for (const acc of [STRANGER, EXMEMBER]) contrast(s, good, withOp(good, { account: acc }), 'op.account', 'NOT_ALLOWED', `${acc} is not an active member`);
  });
  it("on the owner", () => {
    const s = base();
    const good = entry(s, ADMIN, roleOp(ADMIN2, 'admin'));
    contrast(s, good, withOp(good, { account: OWNER }), 'op.account', 'NOT_ALLOWED', "the owner's role cannot change");
  });
  it('own role', () => {
    const s = base();
    const good = entry(s, ADMIN, roleOp(ADMIN2, 'member'));
    contrast(s, good, withOp(good, { account: ADMIN }), 'op.account', 'NOT_ALLOWED', "cannot change one's own role");
  });
  it("granting above the author's rank (the schema refuses 'owner' too)", () => {
    const s = base();
    const good = entry(s, ADMIN, roleOp(MEMBER, 'admin'));
    contrast(s, good, withOp(good, { role: 'owner' }), 'op.role', 'NOT_ALLOWED', "cannot grant a role above the author's");
  });
  it('a target that outranks the author', () => {
    const s = withSecondOwner();
    const good = entry(s, ADMIN, roleOp(MEMBER, 'admin'));
    contrast(s, good, withOp(good, { account: ADMIN2 }), 'op.account', 'NOT_ALLOWED', 'the member outranks the author');
  });
});

describe('roster rules: remove', () => {
  it('removes the member, starts the next epoch and deactivates exactly its active devices', () => {
    const s = base();
    const e = entry(s, ADMIN, removeOp(MEMBER, BASE_EPOCH + 1));
    accept(s, e);
    expect(s.members.get(MEMBER)).toMatchObject({ active: false, removedAt: e.index, role: 'member' });
    expect(s.epoch).toBe(BASE_EPOCH + 1);
    expect(s.keyCommits.get(BASE_EPOCH + 1)).toBe(key(`commit-${BASE_EPOCH + 1}`));
    expect(s.keyCommits.get(BASE_EPOCH)).toBe(key(`commit-${BASE_EPOCH}`));
    expect(s.devices.get(D.member)).toMatchObject({ active: false, revokedAt: e.index });
    const oldRevoke = s.devices.get(D.memberOld)!;
    expect(oldRevoke.active).toBe(false);
    expect(oldRevoke.revokedAt).toBeLessThan(e.index);
    for (const d of [D.owner, D.admin, D.admin2, D.member2]) {
      expect(s.devices.get(d)!.active).toBe(true);
      expect('revokedAt' in s.devices.get(d)!).toBe(false);
    }
  });
  it('an admin removes another admin (same rank); the owner removes an admin', () => {
    const s = base();
    accept(s, entry(s, ADMIN, removeOp(ADMIN2, BASE_EPOCH + 1)));
    accept(s, entry(s, OWNER, removeOp(ADMIN, BASE_EPOCH + 2)));
    expect([ADMIN, ADMIN2].map((a) => s.members.get(a)!.active)).toEqual([false, false]);
    expect(isTeamAdmin(s, ADMIN)).toBe(false);
  });
  it('by a member', () => {
    const s = base();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only an owner or admin removes a member');
  });
  it('of a non-member or an already removed member', () => {
    const s = base();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    for (const acc of [STRANGER, EXMEMBER]) contrast(s, good, withOp(good, { account: acc }), 'op.account', 'NOT_ALLOWED', `${acc} is not an active member`);
  });
  it('of the owner', () => {
    const s = base();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    contrast(s, good, withOp(good, { account: OWNER }), 'op.account', 'NOT_ALLOWED', 'the owner cannot be removed');
  });
  it('of oneself', () => {
    const s = base();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    contrast(s, good, withOp(good, { account: ADMIN }), 'op.account', 'NOT_ALLOWED', 'cannot remove oneself');
  });
  it('of a target that outranks the author', () => {
    const s = withSecondOwner();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    contrast(s, good, withOp(good, { account: ADMIN2 }), 'op.account', 'NOT_ALLOWED', 'the member outranks the author');
  });
  it('with an epoch that is not the current + 1', () => {
    const s = base();
    const good = entry(s, ADMIN, removeOp(MEMBER2, BASE_EPOCH + 1));
    for (const epoch of [BASE_EPOCH, BASE_EPOCH + 2, 0]) contrast(s, good, withOp(good, { epoch }), 'op.epoch', 'BAD_FIELD', 'team key epochs must increase by one');
  });
});

describe('roster rules: device.add', () => {
  it('a member adds its own device; an admin adds one for a member', () => {
    const s = base();
    const e = entry(s, MEMBER, deviceAddOp(MEMBER, D.fresh));
    accept(s, e);
    expect(s.devices.get(D.fresh)).toEqual({ device: D.fresh, account: MEMBER, signPk: key(`sign-${D.fresh}`), cert: (e.op as { cert: string }).cert, active: true, addedAt: e.index });
    accept(s, entry(s, ADMIN, deviceAddOp(MEMBER2, id('d-2'))));
    expect(s.devices.get(id('d-2'))).toMatchObject({ account: MEMBER2, active: true });
  });
  it('for a non-member or a removed member', () => {
    const s = base();
    const good = entry(s, ADMIN, deviceAddOp(MEMBER, D.fresh));
    for (const acc of [STRANGER, EXMEMBER]) contrast(s, good, withOp(good, { account: acc }), 'op.account', 'NOT_ALLOWED', `${acc} is not an active member`);
  });
  it('by another member who is not an admin', () => {
    const s = base();
    const good = entry(s, MEMBER2, deviceAddOp(MEMBER2, D.fresh));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only the account itself or an admin adds its device');
  });
  it('device id reuse (active or revoked)', () => {
    const s = base();
    const good = entry(s, MEMBER, deviceAddOp(MEMBER, D.fresh));
    for (const dev of [D.member, D.memberOld, D.owner]) contrast(s, good, withOp(good, { device: dev }), 'op.device', 'NOT_ALLOWED', 'device id in use');
  });
});

describe('roster rules: device.revoke', () => {
  it('the account itself, an admin (of a member, of another admin), and the owner (of an admin) revoke', () => {
    const s = base();
    const e = entry(s, MEMBER, revokeOp(MEMBER, D.member, true));
    accept(s, e);
    expect(s.devices.get(D.member)).toMatchObject({ active: false, revokedAt: e.index });
    accept(s, entry(s, ADMIN, revokeOp(MEMBER2, D.member2)));
    accept(s, entry(s, ADMIN, revokeOp(ADMIN2, D.admin2)));
    accept(s, entry(s, OWNER, revokeOp(ADMIN, D.admin)));
    expect([D.member2, D.admin2, D.admin, D.owner].map((d) => s.devices.get(d)!.active)).toEqual([false, false, false, true]);
  });
  it('of an unknown device, an inactive one, or one of another account', () => {
    const s = base();
    const good = entry(s, ADMIN, revokeOp(MEMBER, D.member));
    for (const dev of [D.fresh, D.memberOld, D.member2]) contrast(s, good, withOp(good, { device: dev }), 'op.device', 'NOT_ALLOWED', `no active device ${dev} of ${MEMBER}`);
    contrast(s, good, withOp(good, { account: MEMBER2 }), 'op.account', 'NOT_ALLOWED', `no active device ${D.member} of ${MEMBER2}`);
  });
  it("by a non-admin for someone else's device", () => {
    const s = base();
    const good = entry(s, MEMBER2, revokeOp(MEMBER2, D.member2));
    contrast(s, good, { ...good, author: MEMBER as never }, 'author', 'NOT_ALLOWED', 'only the account itself or a team admin revokes a device');
  });
  it("a device whose account the roster does not know (not reachable by the rules) is revocable by an admin", () => {
    const s = base();
    s.devices.set(D.fresh, { device: D.fresh, account: STRANGER, signPk: key('x'), cert: 'c', active: true, addedAt: 1 });
    accept(s, entry(s, ADMIN, revokeOp(STRANGER, D.fresh)));
    expect(s.devices.get(D.fresh)!.active).toBe(false);
  });
  it("by an admin, of the owner's device", () => {
    const s = base();
    const good = entry(s, OWNER, revokeOp(OWNER, D.owner));
    contrast(s, good, { ...good, author: ADMIN as never }, 'author', 'NOT_ALLOWED', "the device's account outranks the author");
  });
});

describe('roster state helpers', () => {
  it('RosterRuleError carries its name, code and message', () => {
    const err = reject(null, { ...entry(null, OWNER, genesisOp()), index: 1 }, 'LOG_CONFLICT', 'starts');
    expect([err.name, err.code, err.message]).toEqual(['RosterRuleError', 'LOG_CONFLICT', 'roster entry 1: the roster starts with entry 0']);
    expect(err).toBeInstanceOf(Error);
  });
  it('isTeamAdmin: active owner and admins only', () => {
    const s = base();
    expect([OWNER, ADMIN, ADMIN2, MEMBER, EXADMIN, EXMEMBER, STRANGER].map((a) => isTeamAdmin(s, a))).toEqual([true, true, true, false, false, false, false]);
  });
  it('cloneRoster copies every map and record: changing the clone leaves the original', () => {
    const s = base();
    const c = cloneRoster(s);
    expect(c).toEqual(s);
    accept(c, entry(c, ADMIN, removeOp(MEMBER, BASE_EPOCH + 1)));
    accept(c, entry(c, ADMIN, inviteRevokeOp(INV.liveMember)));
    expect(c.members.get(MEMBER)!.active).toBe(false);
    expect(s.members.get(MEMBER)!.active).toBe(true);
    expect(s.devices.get(D.member)!.active).toBe(true);
    expect(s.invites.get(INV.liveMember)!.state).toBe('live');
    expect(s.keyCommits.has(BASE_EPOCH + 1)).toBe(false);
    expect([s.epoch, s.length]).toEqual([BASE_EPOCH, c.length - 2]);
  });
  it('the base roster is what the rules say', () => {
    const s = base();
    expect(s.epoch).toBe(BASE_EPOCH);
    expect(s.members.get(EXADMIN)).toMatchObject({ active: false, role: 'admin' });
    expect(s.devices.get(D.ex)).toMatchObject({ active: false });
    expect(s.invites.get(INV.used)!.state).toBe('used');
    expect(s.invites.get(INV.revoked)!.state).toBe('revoked');
    // build() refuses nothing silently: an entry replayed on the built state fails.
    const again = entry(null, OWNER, genesisOp());
    reject(s, { ...again, index: s.length, prev: s.lastHash }, 'BAD_FIELD', 'a second genesis');
    expect(build([[OWNER, genesisOp()]]).length).toBe(1);
    expect(ZERO).toHaveLength(43);
  });
});

describe('roster rules: there is one owner', () => {
  it('the owner cannot invite, admit or promote anyone to owner', () => {
    const s = base();
    reject(s, entry(s, OWNER, inviteOp(INV.fresh, 'owner' as 'admin', BASE_EPOCH)), 'NOT_ALLOWED', 'there is one owner, the founder');
    reject(s, entry(s, OWNER, roleOp(ADMIN2, 'owner' as 'admin')), 'NOT_ALLOWED', 'there is one owner, the founder');
  });
});
