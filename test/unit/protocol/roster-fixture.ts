/**
 * A roster built from plain objects for the rule tests (applyRosterEntry needs no crypto: the
 * hash is sha256(canonicalJson(entry)) computed here with node:crypto, the signatures are fixed
 * well-formed placeholders). Every entry of the base roster is schema-valid.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { canonicalJson } from '../../../protocol/canonical.js';
import {
  applyRosterEntry, cloneRoster, RosterEntry as RosterEntrySchema, RosterRuleError,
  type RosterEntry, type RosterOp, type RosterRuleCode, type RosterState,
} from '../../../protocol/roster.js';

const bytes = (name: string, n: number) => {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 32) createHash('sha256').update(`${name}/${i}`).digest().copy(out, i);
  return out;
};
/** 16-byte id (22 chars), 32-byte key/hash (43 chars), 64-byte signature (86 chars), base64url. */
export const id = (name: string) => bytes(name, 16).toString('base64url');
export const key = (name: string) => bytes(name, 32).toString('base64url');
export const sig = (name: string) => bytes(name, 64).toString('base64url');
export const ZERO = 'A'.repeat(43);
export const hashOf = (e: RosterEntry) => createHash('sha256').update(canonicalJson(e)).digest('base64url');

export const TEAM = id('team');
export const OTHER_TEAM = id('other-team');
export const OWNER = id('owner');
export const ADMIN = id('admin');
export const ADMIN2 = id('admin2');
export const MEMBER = id('member');
export const MEMBER2 = id('member2');
/** An admin and a member that were removed (the base roster is at epoch 2 because of them). */
export const EXADMIN = id('exadmin');
export const EXMEMBER = id('exmember');
/** Never in the team. */
export const STRANGER = id('stranger');
export const NEWBIE = id('newbie');

/** Devices: one active per active member, dMemberOld revoked, dEx deactivated by EXMEMBER's removal. */
export const D = {
  owner: id('d-owner'), admin: id('d-admin'), admin2: id('d-admin2'), member: id('d-member'), member2: id('d-member2'),
  memberOld: id('d-member-old'), ex: id('d-ex'), fresh: id('d-fresh'),
};
/** Invitations: live ones at the current epoch, a revoked one, used ones (every join used one). */
export const INV = {
  liveMember: id('inv-live-member'), liveAdmin: id('inv-live-admin'), revoked: id('inv-revoked'), used: id('inv-member'),
  fresh: id('inv-fresh'), unknown: id('inv-unknown'),
};
export const BASE_EPOCH = 2;

export function genesisOp(owner = OWNER): RosterOp {
  return { t: 'genesis', owner, boxPk: key(`box-${owner}`), signPk: key(`sign-${owner}`), nameEnc: 'bmFtZQ', teamNameEnc: 'dGVhbQ', epoch: 0, keyCommit: key('commit-0') } as RosterOp;
}
export function inviteOp(invite: string, role: 'admin' | 'member', epoch: number): RosterOp {
  return { t: 'invite', invite, verifierPk: key(`verifier-${invite}`), role, expiresAt: 9e12, epoch, secretEnc: 'c2VjcmV0', cardEnc: 'Y2FyZA' } as RosterOp;
}
export function joinOp(account: string, invite: string, role: 'admin' | 'member', nameEpoch: number): RosterOp {
  return { t: 'join', account, boxPk: key(`box-${account}`), signPk: key(`sign-${account}`), nameEnc: 'bmFtZQ', nameEpoch, invite, role, mac: key(`mac-${account}`) } as RosterOp;
}
export function deviceAddOp(account: string, device: string): RosterOp {
  return { t: 'device.add', account, device, signPk: key(`sign-${device}`), cert: sig(`cert-${device}`) } as RosterOp;
}
export function removeOp(account: string, epoch: number): RosterOp {
  return { t: 'remove', account, epoch, keyCommit: key(`commit-${epoch}`) } as RosterOp;
}

/** The next entry after `s` (index and prev fit the head), with `over` replacing entry fields. */
export function entry(s: RosterState | null, author: string, op: RosterOp, over: Partial<RosterEntry> = {}): RosterEntry {
  return { team: TEAM, index: s ? s.length : 0, prev: s ? s.lastHash : ZERO, ts: 1_000 + (s ? s.length : 0), author, op, sig: sig('sig'), ...over } as RosterEntry;
}

/** Applies entries in turn, each built against the state before it. */
export function build(steps: Array<[author: string, op: RosterOp]>, from: RosterState | null = null, out: RosterEntry[] = []): RosterState {
  let s = from;
  for (const [author, op] of steps) {
    const e = entry(s, author, op);
    expect(RosterEntrySchema.safeParse(e).success, `fixture entry ${e.index} is schema-valid`).toBe(true);
    s = applyRosterEntry(s, e, hashOf(e));
    out.push(e);
  }
  return s!;
}

/**
 * The base roster: owner OWNER; admins ADMIN, ADMIN2; members MEMBER, MEMBER2; EXADMIN and
 * EXMEMBER removed (epoch 2); invitations liveMember (by ADMIN), liveAdmin (by OWNER) live at
 * epoch 2, `revoked` revoked, `used` used by MEMBER's join.
 */
export function base(out: RosterEntry[] = []): RosterState {
  return build([
    [OWNER, genesisOp()],
    [OWNER, inviteOp(id('inv-admin'), 'admin', 0)], [OWNER, joinOp(ADMIN, id('inv-admin'), 'admin', 0)],
    [OWNER, inviteOp(id('inv-admin2'), 'admin', 0)], [ADMIN, joinOp(ADMIN2, id('inv-admin2'), 'admin', 0)],
    [ADMIN, inviteOp(INV.used, 'member', 0)], [ADMIN, joinOp(MEMBER, INV.used, 'member', 0)],
    [ADMIN, inviteOp(id('inv-member2'), 'member', 0)], [OWNER, joinOp(MEMBER2, id('inv-member2'), 'member', 0)],
    [OWNER, inviteOp(id('inv-exadmin'), 'admin', 0)], [OWNER, joinOp(EXADMIN, id('inv-exadmin'), 'admin', 0)],
    [ADMIN, inviteOp(id('inv-exmember'), 'member', 0)], [ADMIN, joinOp(EXMEMBER, id('inv-exmember'), 'member', 0)],
    [OWNER, deviceAddOp(OWNER, D.owner)], [ADMIN, deviceAddOp(ADMIN, D.admin)], [ADMIN2, deviceAddOp(ADMIN2, D.admin2)],
    [MEMBER, deviceAddOp(MEMBER, D.member)], [MEMBER2, deviceAddOp(MEMBER2, D.member2)],
    [MEMBER, deviceAddOp(MEMBER, D.memberOld)], [MEMBER, { t: 'device.revoke', account: MEMBER, device: D.memberOld, lost: false } as RosterOp],
    [EXMEMBER, deviceAddOp(EXMEMBER, D.ex)],
    [OWNER, removeOp(EXADMIN, 1)], [ADMIN, removeOp(EXMEMBER, 2)],
    [ADMIN, inviteOp(INV.liveMember, 'member', BASE_EPOCH)], [OWNER, inviteOp(INV.liveAdmin, 'admin', BASE_EPOCH)],
    [OWNER, inviteOp(INV.revoked, 'member', BASE_EPOCH)], [ADMIN2, { t: 'invite.revoke', invite: INV.revoked } as RosterOp],
  ], null, out);
}

/** Applies `e` to `s` and checks the head moved (in place, same object returned). */
export function accept(s: RosterState, e: RosterEntry): RosterState {
  const h = hashOf(e);
  const out = applyRosterEntry(s, e, h);
  expect(out).toBe(s);
  expect(s.length).toBe(e.index + 1);
  expect(s.lastHash).toBe(h);
  return s;
}

/** Expects `e` refused with `code` and a message containing `msg`; `s` is left exactly as it was. */
export function reject(s: RosterState | null, e: RosterEntry, code: RosterRuleCode, msg: string): RosterRuleError {
  const before = s ? cloneRoster(s) : null;
  let caught: unknown;
  try {
    applyRosterEntry(s, e, hashOf(e));
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected RosterRuleError ${code} (${msg})`).toBeInstanceOf(RosterRuleError);
  const err = caught as RosterRuleError;
  expect({ code: err.code, hasMsg: err.message.includes(msg), message: err.message }).toMatchObject({ code, hasMsg: true });
  expect(err.message.startsWith(`roster entry ${e.index}`)).toBe(true);
  expect(s).toEqual(before);
  return err;
}

/** Leaf paths where `a` and `b` differ (an op of another kind counts as the one path `op`). */
export function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  const obj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (obj(a) && obj(b) && a.t === b.t) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return canonicalJson(a ?? null) === canonicalJson(b ?? null) && (a === undefined) === (b === undefined) ? [] : [path];
}

/**
 * The core pattern of the matrix: `good` passes on (a copy of) `s`; `bad` differs from it in
 * exactly the one field `field` and is refused with `code` / `msg`.
 */
export function contrast(s: RosterState | null, good: RosterEntry, bad: RosterEntry, field: string, code: RosterRuleCode, msg: string): RosterRuleError {
  expect(diffPaths(good, bad)).toEqual([field]);
  if (s) accept(cloneRoster(s), good);
  else applyRosterEntry(null, good, hashOf(good));
  return reject(s, bad, code, msg);
}

/** `op` with `patch` over it (the entry keeps everything else). */
export function withOp(e: RosterEntry, patch: Record<string, unknown>): RosterEntry {
  return { ...e, op: { ...e.op, ...patch } as RosterOp };
}
