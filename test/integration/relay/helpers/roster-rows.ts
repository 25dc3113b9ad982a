/**
 * Well-formed roster entries, registrations and checkpoints for storage-level tests. The storage
 * layer checks no signature, so keys, hashes and signatures are random bytes of the right
 * length; every entry is parsed with the protocol schema, so the shapes are the real ones.
 */
import { randomBytes } from 'node:crypto';
import { RosterEntry, TeamWrap, type AccountRegistration, type CheckpointBody, type DeviceRegistration, type RosterOp } from '../../../../protocol/index.js';

export const id = () => randomBytes(16).toString('base64url');
export const key = () => randomBytes(32).toString('base64url');
export const sig = () => randomBytes(64).toString('base64url');
const blob = (n: number) => randomBytes(n).toString('base64url');

export interface Person { account: AccountRegistration; device: DeviceRegistration }
export function person(): Person {
  return {
    account: { id: id(), signPk: key(), boxPk: key(), authPk: key(), kdf: { alg: 'argon2id13', salt: id(), opslimit: 3, memlimit: 268435456 }, keyBlob: blob(120) } as AccountRegistration,
    device: { id: id(), signPk: key(), cert: sig(), platform: 'linux', nameEnc: blob(30) } as DeviceRegistration,
  };
}

export function entry(team: string, index: number, author: string, op: RosterOp): RosterEntry {
  return RosterEntry.parse({ team, index, prev: index === 0 ? 'A'.repeat(43) : key(), ts: 1_700_000_000_000 + index, author, op, sig: sig() });
}
export function wrap(account: string, epoch: number): TeamWrap {
  return TeamWrap.parse({ account, epoch, wrapped: blob(80) });
}

/** genesis + the founder's device.add, and the epoch-0 team key wrap: what team.create carries. */
export function founding(team: string, owner: Person): { roster: RosterEntry[]; wraps: TeamWrap[] } {
  const a = owner.account.id;
  return {
    roster: [
      entry(team, 0, a, { t: 'genesis', owner: a, boxPk: owner.account.boxPk, signPk: owner.account.signPk, nameEnc: blob(30), teamNameEnc: blob(30), epoch: 0, keyCommit: key() } as RosterOp),
      entry(team, 1, a, { t: 'device.add', account: a, device: owner.device.id, signPk: owner.device.signPk, cert: owner.device.cert } as RosterOp),
    ],
    wraps: [wrap(a, 0)],
  };
}

export const inviteOp = (invite: string): RosterOp => ({ t: 'invite', invite, verifierPk: key(), role: 'member', expiresAt: 1_800_000_000_000, epoch: 0, secretEnc: blob(60), cardEnc: blob(100) }) as RosterOp;
export const joinOp = (p: Person, invite: string): RosterOp =>
  ({ t: 'join', account: p.account.id, boxPk: p.account.boxPk, signPk: p.account.signPk, nameEnc: blob(30), nameEpoch: 0, invite, role: 'member', mac: key() }) as RosterOp;

export function checkpoint(team: string, account: string, device: string, length: number): CheckpointBody {
  return { team, account, device, ts: 1_700_000_000_000 + length, roster: { length, hash: key() }, shares: [{ share: id(), length: 3, hash: key() }] } as CheckpointBody;
}
