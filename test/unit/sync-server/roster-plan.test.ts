/**
 * The relay's roster planner (sync-server/roster.ts): the shared rules on a copy of the state,
 * entries only by the authenticated account, the table changes each op implies, and team key wraps
 * only for active members at known epochs. Uses the plain-object roster of the rule tests.
 */
import { describe, expect, it } from 'vitest';
import { cloneRoster, type RosterEntry, type RosterOp, type TeamWrap } from '../../../protocol/index.js';
import { refusal } from './refusal.js';
import { loadRoster, planRoster, rosterEntryHash } from '../../../sync-server/roster.js';
import type { TeamStore } from '../../../sync-server/storage/types.js';
import {
  ADMIN, ADMIN2, BASE_EPOCH, base, D, deviceAddOp, entry, EXMEMBER, genesisOp, hashOf, id, INV, inviteOp, joinOp, MEMBER, MEMBER2, NEWBIE, OWNER, removeOp, STRANGER,
} from '../protocol/roster-fixture.js';

const wrap = (account: string, epoch: number): TeamWrap => ({ account, epoch, wrapped: 'd3JhcHBlZA' }) as TeamWrap;

/** `n` entries by `author` chained on `s` (each on the state after the previous one), without applying them to `s`. */
function batch(s = base(), author: string, ops: RosterOp[]): RosterEntry[] {
  const work = cloneRoster(s);
  return ops.map((op) => {
    const e = entry(work, author, op);
    work.length += 1;
    work.lastHash = hashOf(e);
    return e;
  });
}


describe('relay roster: hashing and loading', () => {
  it('hashes entries exactly like the clients (SHA-256 of canonical JSON)', () => {
    const entries: RosterEntry[] = [];
    base(entries);
    for (const e of entries) expect(rosterEntryHash(e)).toBe(hashOf(e));
  });
  it('loadRoster replays the stored entries; a team without a roster has none', async () => {
    const entries: RosterEntry[] = [];
    const s = base(entries);
    const asked: number[] = [];
    const store = (list: RosterEntry[]) => ({ getRoster: async (from: number) => { asked.push(from); return list; } }) as unknown as TeamStore;
    expect(await loadRoster(store(entries))).toEqual(s);
    expect(await loadRoster(store([]))).toBeNull();
    expect(asked).toEqual([0, 0]);
  });
});

describe('relay roster: planRoster', () => {
  it('plans the genesis of a new team', () => {
    const g = entry(null, OWNER, genesisOp());
    const { next, fx } = planRoster(null, OWNER, [g], [wrap(OWNER, 0)]);
    expect(next).toMatchObject({ owner: OWNER, length: 1, lastHash: hashOf(g), epoch: 0 });
    expect(fx).toEqual({ setRoles: [], removed: [], revokedDevices: [], joined: [] });
  });
  it('applies a batch on a copy: the given state is untouched', () => {
    const s = base();
    const before = cloneRoster(s);
    const entries = batch(s, ADMIN, [inviteOp(INV.fresh, 'member', BASE_EPOCH), removeOp(MEMBER, BASE_EPOCH + 1)]);
    const { next } = planRoster(s, ADMIN, entries, []);
    expect(next.length).toBe(s.length + 2);
    expect(next.members.get(MEMBER)!.active).toBe(false);
    expect(s).toEqual(before);
  });
  it('refuses an entry by anyone but the authenticated account (NOT_ALLOWED), even if the rules would allow it', () => {
    const s = base();
    const [e] = batch(s, OWNER, [inviteOp(INV.fresh, 'member', BASE_EPOCH)]);
    expect(planRoster(s, OWNER, [e!], []).next.invites.has(INV.fresh)).toBe(true);
    const r = refusal(() => planRoster(s, ADMIN, [e!], []));
    expect([r.code, r.message]).toEqual(['NOT_ALLOWED', 'roster: entry author is not the authenticated account']);
  });
  it('turns a rule error into a Refusal with the same code and message', () => {
    const s = base();
    const cases: Array<[RosterEntry, string, string]> = [
      [batch(s, MEMBER, [inviteOp(INV.fresh, 'member', BASE_EPOCH)])[0]!, 'NOT_ALLOWED', 'only an owner or admin invites'],
      [batch(s, ADMIN, [inviteOp(INV.fresh, 'member', 0)])[0]!, 'BAD_FIELD', 'current team key'],
      [{ ...batch(s, ADMIN, [inviteOp(INV.fresh, 'member', BASE_EPOCH)])[0]!, index: s.length + 3 }, 'LOG_CONFLICT', 'does not extend the roster head'],
    ];
    for (const [e, code, msg] of cases) {
      const r = refusal(() => planRoster(s, e.author, [e], []));
      expect(r.code).toBe(code);
      expect(r.message).toContain(msg);
      expect(r.message).toMatch(/^roster entry \d+: /);
    }
  });
  it('lets any other error through unchanged (a bug, not a refusal)', () => {
    const s = base();
    const e = { ...batch(s, ADMIN, [inviteOp(INV.fresh, 'member', BASE_EPOCH)])[0]!, op: null } as unknown as RosterEntry;
    expect(() => planRoster(s, ADMIN, [e], [])).toThrow(TypeError);
  });
  it('lists the table changes of join, role, remove and device.revoke; invite and device.add change no row listed', () => {
    const s = base();
    const ops: RosterOp[] = [
      inviteOp(INV.fresh, 'member', BASE_EPOCH),
      joinOp(NEWBIE, INV.liveMember, 'member', BASE_EPOCH),
      { t: 'role', account: MEMBER2, role: 'admin' } as RosterOp,
      deviceAddOp(ADMIN2, D.fresh),
      { t: 'device.revoke', account: ADMIN2, device: D.admin2, lost: true } as RosterOp,
      removeOp(MEMBER, BASE_EPOCH + 1),
    ];
    const entries = batch(s, OWNER, ops);
    const { fx } = planRoster(s, OWNER, entries, []);
    expect(fx).toEqual({
      setRoles: [{ account: NEWBIE, role: 'member' }, { account: MEMBER2, role: 'admin' }],
      joined: [NEWBIE],
      removed: [MEMBER],
      // the explicit revoke, then the removed member's one active device (not its older revoked one)
      revokedDevices: [{ device: D.admin2, index: entries[4]!.index }, { device: D.member, index: entries[5]!.index }],
    });
  });
  it('a remove of a member without active devices revokes none', () => {
    const s = base();
    const entries = batch(s, MEMBER2, [{ t: 'device.revoke', account: MEMBER2, device: D.member2, lost: false } as RosterOp]);
    const first = planRoster(s, MEMBER2, entries, []).next;
    const { fx } = planRoster(first, OWNER, batch(first, OWNER, [removeOp(MEMBER2, BASE_EPOCH + 1)]), []);
    expect(fx.revokedDevices).toEqual([]);
    expect(fx.removed).toEqual([MEMBER2]);
  });
  it('accepts wraps for active members at the current or an older epoch, including one who joined in the batch', () => {
    const s = base();
    const entries = batch(s, ADMIN, [joinOp(NEWBIE, INV.liveMember, 'member', BASE_EPOCH), removeOp(MEMBER, BASE_EPOCH + 1)]);
    const wraps = [wrap(NEWBIE, BASE_EPOCH + 1), wrap(OWNER, BASE_EPOCH + 1), wrap(ADMIN2, 0)];
    expect(planRoster(s, ADMIN, entries, wraps).next.epoch).toBe(BASE_EPOCH + 1);
  });
  it('refuses a wrap for a non-member, a removed member, or a future epoch (BAD_FIELD)', () => {
    const s = base();
    const entries = batch(s, ADMIN, [removeOp(MEMBER, BASE_EPOCH + 1)]);
    const cases: Array<[TeamWrap, string]> = [
      [wrap(STRANGER, BASE_EPOCH + 1), 'roster: team key wrapped for a non-member'],
      [wrap(MEMBER, BASE_EPOCH + 1), 'roster: team key wrapped for a non-member'],
      [wrap(EXMEMBER, BASE_EPOCH), 'roster: team key wrapped for a non-member'],
      [wrap(OWNER, BASE_EPOCH + 2), 'roster: team key wrap for a future epoch'],
    ];
    for (const [w, msg] of cases) {
      const r = refusal(() => planRoster(s, ADMIN, entries, [wrap(OWNER, BASE_EPOCH + 1), w]));
      expect([r.code, r.message]).toEqual(['BAD_FIELD', msg]);
    }
  });
  it('an empty batch plans nothing and keeps the state', () => {
    const s = base();
    const { next, fx } = planRoster(s, ADMIN, [], [wrap(ADMIN, BASE_EPOCH)]);
    expect(next).toEqual(s);
    expect(next).not.toBe(s);
    expect(fx).toEqual({ setRoles: [], removed: [], revokedDevices: [], joined: [] });
    expect(id('x')).toHaveLength(22);
  });
});
