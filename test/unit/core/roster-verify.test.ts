/**
 * The client's roster verifier (core/model/roster.ts) with real libsodium: every signature by the
 * author's roster key, every device certificate by the account key, the founder and head pins,
 * re-served entries, and that the state it starts from is never modified.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newSignKeyPair } from '../../../core/crypto/keys.js';
import { signDetached } from '../../../core/crypto/sign.js';
import { canonicalBytes } from '../../../core/canonical.js';
import { toB64url } from '../../../core/encoding.js';
import { newId } from '../../../core/ids.js';
import type { SignKeyPair } from '../../../core/crypto/key-types.js';
import {
  deviceCert, nextRosterEntry, parseRosterEntry, rosterEntryHash, signRosterEntry, verifyRoster,
  type RosterEntry, type RosterOp, type RosterState,
} from '../../../core/model/roster.js';
import { applyRosterEntry, cloneRoster, DEVICE_CERT_DOMAIN, ROSTER_DOMAIN } from '../../../protocol/roster.js';
import { expectCode } from './helpers.js';

const b64 = (b: Uint8Array) => toB64url(b);
const fill = (n: number, c: string) => c.repeat(n);
const ZERO = 'A'.repeat(43);

interface Person { id: string; sign: SignKeyPair; box: string }
let team: string;
let owner: Person, admin: Person, member: Person, stranger: Person;
let ownerDevice: SignKeyPair, memberDevice: SignKeyPair;
let devO: string, devM: string;
/** The signed roster: genesis, invite+join admin, owner device, invite (by admin)+join member, member device. */
let chain: RosterEntry[];

function person(): Person {
  return { id: newId(), sign: newSignKeyPair(), box: b64(newSignKeyPair().publicKey) };
}
const pk = (p: Person) => b64(p.sign.publicKey);
const genesis = (p: Person): RosterOp => ({ t: 'genesis', owner: p.id, boxPk: p.box, signPk: pk(p), nameEnc: 'bmFtZQ', teamNameEnc: 'dGVhbQ', epoch: 0, keyCommit: fill(43, 'C') }) as RosterOp;
const invite = (inv: string, role: 'admin' | 'member', epoch = 0): RosterOp =>
  ({ t: 'invite', invite: inv, verifierPk: fill(43, 'V'), role, expiresAt: 9e12, epoch, secretEnc: 'c2Vj', cardEnc: 'Y2Fy' }) as RosterOp;
const join = (p: Person, inv: string, role: 'admin' | 'member'): RosterOp =>
  ({ t: 'join', account: p.id, boxPk: p.box, signPk: pk(p), nameEnc: 'bmFtZQ', nameEpoch: 0, invite: inv, role, mac: fill(43, 'M') }) as RosterOp;
const addDevice = (acc: Person, dev: string, devKey: SignKeyPair, certBy: SignKeyPair = acc.sign): RosterOp =>
  ({ t: 'device.add', account: acc.id, device: dev, signPk: b64(devKey.publicKey), cert: deviceCert(certBy.secretKey, team, acc.id, dev, b64(devKey.publicKey)) }) as RosterOp;

/** Appends signed entries to `entries` on top of the state they lead to. */
function extend(entries: RosterEntry[], steps: Array<[Person, RosterOp, SignKeyPair?]>): RosterEntry[] {
  let s: RosterState | null = entries.length ? verifyRoster(team, entries, null).state : null;
  const out = [...entries];
  for (const [author, op, key] of steps) {
    const e = nextRosterEntry(team, s, author.id, op, 1_000 + out.length, (key ?? author.sign).secretKey);
    s = applyRosterEntry(s, e, rosterEntryHash(e));
    out.push(e);
  }
  return out;
}

/** One more signed entry after `entries` WITHOUT applying the rules (for entries the rules refuse). */
function appendRaw(entries: RosterEntry[], author: Person, op: RosterOp, key: SignKeyPair = author.sign): RosterEntry[] {
  const last = entries.at(-1)!;
  return [...entries, signRosterEntry({ team, index: entries.length, prev: rosterEntryHash(last), ts: 1_000 + entries.length, author: author.id, op } as never, key.secretKey)];
}

/** A copy of `e` with `patch` over its op, re-signed by `key` (or left with its old signature). */
function patched(e: RosterEntry, patch: Record<string, unknown>, key?: SignKeyPair): RosterEntry {
  const { sig: _sig, ...unsigned } = { ...e, op: { ...e.op, ...patch } as RosterOp };
  return key ? signRosterEntry(unsigned, key.secretKey) : { ...unsigned, sig: e.sig };
}

beforeAll(ready);
// Built before each test, not once: Stryker's per-test coverage then sees the signing helpers run
// inside a test (code run in beforeAll counts as "static" and is not mutation-tested per test).
beforeEach(() => {
  team = newId();
  [owner, admin, member, stranger] = [person(), person(), person(), person()];
  ownerDevice = newSignKeyPair();
  memberDevice = newSignKeyPair();
  devO = newId();
  devM = newId();
  const invA = newId(), invM = newId();
  chain = extend([], [
    [owner, genesis(owner)],
    [owner, invite(invA, 'admin')], [owner, join(admin, invA, 'admin')],
    [owner, addDevice(owner, devO, ownerDevice)],
    [admin, invite(invM, 'member')], [admin, join(member, invM, 'member')],
    [member, addDevice(member, devM, memberDevice)],
  ]);
});

describe('verifyRoster: a valid roster', () => {
  it('verifies from the genesis and returns the state and every entry hash', () => {
    const { state, hashes } = verifyRoster(team, chain, null, [{ kind: 'founder', account: owner.id, signPk: pk(owner), boxPk: owner.box }]);
    expect(hashes).toEqual(chain.map(rosterEntryHash));
    expect(state.length).toBe(chain.length);
    expect(state.lastHash).toBe(hashes.at(-1));
    expect([...state.members.keys()]).toEqual([owner.id, admin.id, member.id]);
    expect(state.devices.get(devM)).toMatchObject({ account: member.id, signPk: b64(memberDevice.publicKey), active: true });
  });
  it('verifies in steps: the later part on top of the earlier state gives the same state', () => {
    const all = verifyRoster(team, chain, null);
    const first = verifyRoster(team, chain.slice(0, 3), null);
    const rest = verifyRoster(team, chain.slice(3), first.state, [{ kind: 'head', length: chain.length, hash: all.hashes.at(-1)! }], first.hashes);
    expect(rest.state).toEqual(all.state);
    expect(rest.hashes).toEqual(all.hashes);
  });
  it('entries are signed with ROSTER_DOMAIN over canonicalJson(entry without sig); certs with DEVICE_CERT_DOMAIN', () => {
    const { sig, ...unsigned } = chain[1]!;
    expect(sig).toBe(b64(signDetached(owner.sign.secretKey, ROSTER_DOMAIN, canonicalBytes(unsigned))));
    const op = chain[3]!.op as Extract<RosterOp, { t: 'device.add' }>;
    expect(op.cert).toBe(b64(signDetached(owner.sign.secretKey, DEVICE_CERT_DOMAIN, canonicalBytes({ team, account: owner.id, device: devO, signPk: op.signPk }))));
    expect(chain[0]).toMatchObject({ index: 0, prev: ZERO, team, author: owner.id });
    expect(chain[4]).toMatchObject({ index: 4, prev: rosterEntryHash(chain[3]!) });
  });
});

describe('verifyRoster: signatures and certificates', () => {
  it('an entry signed by a key other than its author\'s → BAD_SIGNATURE', async () => {
    const forged = extend(chain, [[admin, invite(newId(), 'member'), member.sign]]);
    const err = await expectCode(() => verifyRoster(team, forged, null), 'BAD_SIGNATURE');
    expect(err.message).toContain(ROSTER_DOMAIN);
    // The same entry signed by the admin's key passes.
    expect(verifyRoster(team, extend(chain, [[admin, invite(newId(), 'member')]]), null).state.invites.size).toBe(3);
  });
  it('a genesis signed by a key other than the one it names → BAD_SIGNATURE', async () => {
    await expectCode(() => verifyRoster(team, extend([], [[owner, genesis(owner), stranger.sign]]), null), 'BAD_SIGNATURE');
  });
  it('an entry signed under another domain (a device certificate signature) → BAD_SIGNATURE', async () => {
    const { sig: _s, ...unsigned } = chain[1]!;
    const wrongDomain = { ...unsigned, sig: b64(signDetached(owner.sign.secretKey, DEVICE_CERT_DOMAIN, canonicalBytes(unsigned))) } as RosterEntry;
    await expectCode(() => verifyRoster(team, [chain[0]!, wrongDomain], null), 'BAD_SIGNATURE');
  });
  it('a field changed after signing → BAD_SIGNATURE', async () => {
    const tampered = patched(chain[4]!, { role: 'admin' });
    await expectCode(() => verifyRoster(team, [...chain.slice(0, 4), tampered, ...chain.slice(5)], null), 'BAD_SIGNATURE');
  });
  it('an entry re-signed by its author after a field change: valid alone, but the next entry no longer links → LOG_FORKED', async () => {
    const resigned = patched(chain[4]!, { role: 'admin' }, admin.sign);
    const prefix = [...chain.slice(0, 4), resigned];
    expect(verifyRoster(team, prefix, null).state.invites.get((resigned.op as { invite: string }).invite)!.role).toBe('admin');
    const err = await expectCode(() => verifyRoster(team, [...prefix, ...chain.slice(5)], null), 'LOG_FORKED');
    expect(err.message).toContain('does not extend the roster head 5');
    // and against a head pin of the honest roster it is a fork at the pinned entry
    const honest = verifyRoster(team, chain.slice(0, 5), null);
    await expectCode(() => verifyRoster(team, prefix, null, [{ kind: 'head', length: 5, hash: honest.hashes[4]! }]), 'LOG_FORKED');
  });
  it('a device certificate by the device key instead of the account key → BAD_SIGNATURE', async () => {
    const bad = extend(chain, [[member, addDevice(member, newId(), memberDevice, memberDevice)]]);
    const err = await expectCode(() => verifyRoster(team, bad, null), 'BAD_SIGNATURE');
    expect(err.message).toContain(DEVICE_CERT_DOMAIN);
  });
  it("an admin adding a member's device must carry the member's certificate, not the admin's", async () => {
    const dev = newId(), devKey = newSignKeyPair();
    await expectCode(() => verifyRoster(team, extend(chain, [[admin, addDevice(member, dev, devKey, admin.sign)]]), null), 'BAD_SIGNATURE');
    expect(verifyRoster(team, extend(chain, [[admin, addDevice(member, dev, devKey)]]), null).state.devices.get(dev)!.account).toBe(member.id);
  });
  it('a certificate for another device id (re-signed entry, old cert) → BAD_SIGNATURE', async () => {
    const last = chain.at(-1)!;
    const moved = patched(last, { device: newId() }, member.sign);
    await expectCode(() => verifyRoster(team, [...chain.slice(0, -1), moved], null), 'BAD_SIGNATURE');
  });
});

describe('verifyRoster: pins', () => {
  const founder = () => ({ kind: 'founder' as const, account: owner.id, signPk: pk(owner), boxPk: owner.box });
  it('a genesis that does not pin the founder this device knows → LOG_FORKED (account, sign key or box key)', async () => {
    expect(verifyRoster(team, chain, null, [founder()]).state.owner).toBe(owner.id);
    for (const over of [{ account: stranger.id }, { signPk: pk(stranger) }, { boxPk: stranger.box }]) {
      const err = await expectCode(() => verifyRoster(team, chain, null, [{ ...founder(), ...over }]), 'LOG_FORKED');
      expect(err.message).toContain('does not pin the founder');
    }
  });
  it('a relay-made genesis naming the founder with other keys passes alone but fails the founder pin', async () => {
    const fake = signRosterEntry({ team, index: 0, prev: ZERO, ts: 1, author: owner.id, op: { ...genesis(stranger), owner: owner.id } } as never, stranger.sign.secretKey);
    expect(verifyRoster(team, [fake], null).state.owner).toBe(owner.id);
    await expectCode(() => verifyRoster(team, [fake], null, [founder()]), 'LOG_FORKED');
  });
  it('a head pin longer than the roster served → LOG_ROLLED_BACK', async () => {
    const { hashes } = verifyRoster(team, chain, null);
    const pin = { kind: 'head' as const, length: chain.length, hash: hashes.at(-1)! };
    expect(verifyRoster(team, chain, null, [pin]).state.length).toBe(chain.length);
    const err = await expectCode(() => verifyRoster(team, chain.slice(0, -1), null, [pin]), 'LOG_ROLLED_BACK');
    expect(err.message).toContain(`has ${chain.length - 1} entries, this device has seen ${chain.length}`);
  });
  it('a head pin whose entry differs → LOG_FORKED; a pin inside a longer roster holds', async () => {
    const { hashes } = verifyRoster(team, chain, null);
    expect(verifyRoster(team, chain, null, [{ kind: 'head', length: 3, hash: hashes[2]! }]).state.length).toBe(chain.length);
    const err = await expectCode(() => verifyRoster(team, chain, null, [{ kind: 'head', length: 3, hash: hashes[3]! }]), 'LOG_FORKED');
    expect(err.message).toContain('entry 2 differs from the pinned one');
    await expectCode(() => verifyRoster(team, chain, null, [{ kind: 'head', length: 1, hash: hashes[1]! }]), 'LOG_FORKED');
  });
  it('a pin of length 0 pins nothing', () => {
    expect(verifyRoster(team, chain, null, [{ kind: 'head', length: 0, hash: ZERO }]).state.length).toBe(chain.length);
  });
  it('every pin must hold (one good pin does not excuse a bad one)', async () => {
    const { hashes } = verifyRoster(team, chain, null);
    await expectCode(() => verifyRoster(team, chain, null, [founder(), { kind: 'head', length: 2, hash: hashes[0]! }]), 'LOG_FORKED');
    await expectCode(() => verifyRoster(team, chain, null, [{ kind: 'head', length: 2, hash: hashes[1]! }, { ...founder(), boxPk: stranger.box }]), 'LOG_FORKED');
  });
});

describe('verifyRoster: re-served entries and the starting state', () => {
  it('a re-served entry identical to the verified one is skipped; a different one → LOG_FORKED', async () => {
    const first = verifyRoster(team, chain.slice(0, 5), null);
    const same = verifyRoster(team, chain, first.state, [], first.hashes);
    expect(same.state.length).toBe(chain.length);
    const other = patched(chain[4]!, { role: 'admin' }, admin.sign);
    const err = await expectCode(() => verifyRoster(team, [other, ...chain.slice(5)], first.state, [], first.hashes), 'LOG_FORKED');
    expect(err.message).toContain('entry 4 differs from the one already verified');
  });
  it('an old entry is not re-checked when its hash is not known (only compared when it is)', () => {
    const first = verifyRoster(team, chain.slice(0, 5), null);
    const other = patched(chain[2]!, { nameEpoch: 0, nameEnc: 'b3RoZXI' });
    expect(verifyRoster(team, [other, ...chain.slice(5)], first.state, [], []).state.length).toBe(chain.length);
  });
  it('without `hashes`, nothing before `from` is compared (the default is no known hash)', () => {
    const first = verifyRoster(team, chain.slice(0, 5), null);
    const other = patched(chain[0]!, { nameEnc: 'b3RoZXI' });
    expect(verifyRoster(team, [other, ...chain.slice(5)], first.state).state.length).toBe(chain.length);
  });
  it('`from` and `hashes` are never modified, whether verification passes or fails', async () => {
    const first = verifyRoster(team, chain.slice(0, 4), null);
    const snapshot = cloneRoster(first.state);
    const hashes = [...first.hashes];
    const ok = verifyRoster(team, extend(chain, [[owner, { t: 'remove', account: member.id, epoch: 1, keyCommit: fill(43, 'D') } as RosterOp]]).slice(4), first.state, [], first.hashes);
    expect(ok.state.members.get(member.id)!.active).toBe(false);
    expect(ok.state).not.toBe(first.state);
    expect(first.state).toEqual(snapshot);
    expect(first.hashes).toEqual(hashes);
    // A failure after some entries applied (the bad one is last) leaves `from` as well.
    const bad = extend(chain, [[admin, invite(newId(), 'member'), member.sign]]).slice(4);
    await expectCode(() => verifyRoster(team, bad, first.state, [], first.hashes), 'BAD_SIGNATURE');
    expect(first.state).toEqual(snapshot);
    expect(first.hashes).toEqual(hashes);
    // The members' records themselves are not shared with the result.
    expect(ok.state.members.get(member.id)).not.toBe(first.state.members.get(member.id));
  });
});

describe('verifyRoster: structure and rule errors', () => {
  it('an entry of another team → BAD_FORMAT', async () => {
    const err = await expectCode(() => verifyRoster(newId(), chain, null), 'BAD_FORMAT');
    expect(err.message).toContain('entry 0 belongs to another team');
  });
  it('no roster at all → NOT_FOUND', async () => {
    expect((await expectCode(() => verifyRoster(team, [], null), 'NOT_FOUND')).message).toBe(`verifyRoster: team ${team} has no roster`);
  });
  it('an author who is not a member → NOT_ALLOWED (before any signature check)', async () => {
    const head = chain.at(-1)!;
    const byStranger = signRosterEntry({ team, index: chain.length, prev: rosterEntryHash(head), ts: 9, author: stranger.id, op: invite(newId(), 'member') } as never, stranger.sign.secretKey);
    const err = await expectCode(() => verifyRoster(team, [...chain, byStranger], null), 'NOT_ALLOWED');
    expect(err.message).toContain('author is not a member');
  });
  it('a first entry that is not a genesis → NOT_ALLOWED (no key to check it with)', async () => {
    const e = nextRosterEntry(team, null, owner.id, invite(newId(), 'member'), 1, owner.sign.secretKey);
    await expectCode(() => verifyRoster(team, [e], null), 'NOT_ALLOWED');
  });
  it('a first entry that is not a genesis but names a signing key (device.add) is still refused as NOT_ALLOWED', async () => {
    const devKey = newSignKeyPair();
    const e = nextRosterEntry(team, null, owner.id, addDevice(owner, newId(), devKey), 1, devKey.secretKey);
    expect((await expectCode(() => verifyRoster(team, [e], null), 'NOT_ALLOWED')).message).toContain('author is not a member');
  });
  it('rule codes map: LOG_CONFLICT → LOG_FORKED, BAD_FIELD → BAD_FORMAT, NOT_ALLOWED → NOT_ALLOWED', async () => {
    const s = verifyRoster(team, chain, null).state;
    const gap = signRosterEntry({ team, index: s.length + 1, prev: s.lastHash, ts: 9, author: admin.id, op: invite(newId(), 'member') } as never, admin.sign.secretKey);
    expect((await expectCode(() => verifyRoster(team, [...chain, gap], null), 'LOG_FORKED')).message).toMatch(/^verifyRoster: roster entry \d+: does not extend/);
    const epoch = appendRaw(chain, admin, invite(newId(), 'member', 5));
    expect((await expectCode(() => verifyRoster(team, epoch, null), 'BAD_FORMAT')).message).toContain('current team key');
    const byMember = appendRaw(chain, member, invite(newId(), 'member'));
    expect((await expectCode(() => verifyRoster(team, byMember, null), 'NOT_ALLOWED')).message).toContain('only an owner or admin invites');
  });
  it('an entry whose op is not an object (signed all the same) → BAD_FORMAT naming the entry, not a crash', async () => {
    const broken = signRosterEntry({ team, index: chain.length, prev: rosterEntryHash(chain.at(-1)!), ts: 9, author: admin.id, op: null } as never, admin.sign.secretKey);
    const err = await expectCode(() => verifyRoster(team, [...chain, broken], null), 'BAD_FORMAT');
    expect(err.message).toMatch(new RegExp(`^verifyRoster: entry ${chain.length}: \\S`));
    expect(err.message).toContain('null');
    expect(err.message).not.toContain('invalid');
  });
  it('a removed member\'s later entry is refused although its signature is good', async () => {
    const removed = appendRaw(extend(chain, [[owner, { t: 'remove', account: admin.id, epoch: 1, keyCommit: fill(43, 'D') } as RosterOp]]), admin, invite(newId(), 'member', 1));
    expect((await expectCode(() => verifyRoster(team, removed, null), 'NOT_ALLOWED')).message).toContain('is not an active member');
  });
});

describe('roster entry helpers', () => {
  it('parseRosterEntry takes an object or JSON text and refuses the rest with BAD_FORMAT', async () => {
    expect(parseRosterEntry(chain[2])).toEqual(chain[2]);
    expect(parseRosterEntry(JSON.stringify(chain[2]))).toEqual(chain[2]);
    const notJson = await expectCode(() => parseRosterEntry('{not json'), 'BAD_FORMAT');
    expect(notJson.message).toBe('parseRosterEntry: not JSON');
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    expect((await expectCode(() => parseRosterEntry({ ...chain[2], extra: 1 }), 'BAD_FORMAT')).message).toMatch(/^parseRosterEntry: .*extra/);
    expect((await expectCode(() => parseRosterEntry({ ...chain[2], team: 'x' }), 'BAD_FORMAT')).message).toBe('parseRosterEntry: team: team id: 16 bytes base64url');
    await expectCode(() => parseRosterEntry(JSON.stringify({ ...chain[1], op: { ...chain[1]!.op, role: 'owner' } })), 'BAD_FORMAT');
  });
  it('rosterEntryHash is SHA-256 of the canonical JSON (stable under key order)', () => {
    const e = chain[3]!;
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as RosterEntry;
    expect(rosterEntryHash(reordered)).toBe(rosterEntryHash(e));
    expect(rosterEntryHash(e)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rosterEntryHash({ ...e, ts: e.ts + 1 })).not.toBe(rosterEntryHash(e));
  });
});
