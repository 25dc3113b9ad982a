/**
 * The team roster (DESIGN.md §8): a hash-chained log of signed entries rooted in the founding
 * owner's keys. Both ends apply THE SAME rules (`applyRosterEntry`): the relay to refuse what the
 * rules forbid before it stores anything, every client (which also checks each signature and
 * device certificate) to refuse a roster the relay invented, reordered or rewrote.
 */
import { z } from 'zod';
import { AccountId, Blob64, DeviceId, Hash, Millis, PublicKey32, Signature, TeamId } from './primitives.js';

export const InviteId = z.string().regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, 'invite id: 16 bytes base64url').brand<'InviteId'>();
export type InviteId = z.infer<typeof InviteId>;

export const TeamRole = z.enum(['owner', 'admin', 'member']);
export type TeamRole = z.infer<typeof TeamRole>;
/** owner 2 > admin 1 > member 0. */
export const TEAM_RANK: Record<TeamRole, number> = { owner: 2, admin: 1, member: 0 };
/** A role an invitation or a role change may give (there is one owner: the founder). */
export const GrantableRole = z.enum(['admin', 'member']);

const Epoch = z.int().min(0).max(2 ** 31);
const NameEnc = Blob64(1024);

export const RosterOp = z.discriminatedUnion('t', [
  /** Entry 0: the founder, its keys, its name and the team's name (both under team key epoch 0). */
  z.strictObject({ t: z.literal('genesis'), owner: AccountId, boxPk: PublicKey32, signPk: PublicKey32, nameEnc: NameEnc, teamNameEnc: NameEnc, epoch: z.literal(0), keyCommit: Hash }),
  /**
   * An invitation: `verifierPk` is the Ed25519 key derived from the invitation secret (the relay
   * checks team.join against it); `secretEnc` is that secret under team key `epoch` (so any admin
   * can confirm later); `cardEnc` the team and inviter names under a key from the secret.
   */
  z.strictObject({ t: z.literal('invite'), invite: InviteId, verifierPk: PublicKey32, role: GrantableRole, expiresAt: Millis, epoch: Epoch, secretEnc: Blob64(256), cardEnc: Blob64(2048), labelEnc: NameEnc.optional() }),
  z.strictObject({ t: z.literal('invite.revoke'), invite: InviteId }),
  /**
   * An admin confirms a join request after checking `mac` (keyed by the invitation secret) over
   * the newcomer's keys and name: the keys are the invitee's, not the relay's. `nameEnc` under
   * team key `nameEpoch`.
   */
  z.strictObject({ t: z.literal('join'), account: AccountId, boxPk: PublicKey32, signPk: PublicKey32, nameEnc: NameEnc, nameEpoch: Epoch, invite: InviteId, role: GrantableRole, mac: Hash }),
  z.strictObject({ t: z.literal('role'), account: AccountId, role: GrantableRole }),
  /** Removes a member; starts team key `epoch` (wrapped to everyone else). */
  z.strictObject({ t: z.literal('remove'), account: AccountId, epoch: Epoch, keyCommit: Hash }),
  /** A device of `account`, certified by the account's signing key (`cert`, DEVICE_CERT_DOMAIN). */
  z.strictObject({ t: z.literal('device.add'), account: AccountId, device: DeviceId, signPk: PublicKey32, cert: Signature }),
  /** The signed wipe order: by the device's own account or a team admin. `lost`: wipe without offering an export. */
  z.strictObject({ t: z.literal('device.revoke'), account: AccountId, device: DeviceId, lost: z.boolean() }),
]);
export type RosterOp = z.infer<typeof RosterOp>;

export const RosterEntry = z.strictObject({
  team: TeamId,
  index: z.int().min(0).max(2 ** 31),
  /** SHA-256 (base64url) of the previous entry's canonical JSON; 32 zero bytes at index 0. */
  prev: Hash,
  ts: Millis,
  author: AccountId,
  op: RosterOp,
  /** Ed25519 by the author's account key over ROSTER_DOMAIN ‖ canonicalJson(entry without sig). */
  sig: Signature,
});
export type RosterEntry = z.infer<typeof RosterEntry>;

export const ROSTER_DOMAIN = 'truhe/roster/v1';
export const DEVICE_CERT_DOMAIN = 'truhe/device-cert/v1';
/** What a device certificate signs: canonicalJson of this. */
export function deviceCertPayload(team: string, account: string, device: string, signPk: string) {
  return { team, account, device, signPk };
}

/** A team key of one epoch wrapped (sealed box) for a member account. */
export const TeamWrap = z.strictObject({ epoch: Epoch, account: AccountId, wrapped: Blob64(1024) });
export type TeamWrap = z.infer<typeof TeamWrap>;

export interface RosterMember {
  account: string;
  role: TeamRole;
  active: boolean;
  boxPk: string;
  signPk: string;
  nameEnc: string;
  nameEpoch: number;
  /** Index of the entry that made it a member, and of the one that removed it. */
  joinedAt: number;
  removedAt?: number;
}
export interface RosterInvite {
  invite: string;
  role: 'admin' | 'member';
  verifierPk: string;
  expiresAt: number;
  epoch: number;
  secretEnc: string;
  cardEnc: string;
  /** The inviter's note on whom it is for, under team key `epoch`. */
  labelEnc?: string;
  by: string;
  at: number;
  /** 'live' until joined with or revoked. */
  state: 'live' | 'used' | 'revoked';
}
export interface RosterDevice {
  device: string;
  account: string;
  signPk: string;
  cert: string;
  active: boolean;
  addedAt: number;
  /** Index of the device.revoke entry. */
  revokedAt?: number;
}
export interface RosterState {
  team: string;
  owner: string;
  /** Number of entries applied; `lastHash` is the hash of the last one. */
  length: number;
  lastHash: string;
  epoch: number;
  /** base64url key commitment per team key epoch. */
  keyCommits: Map<number, string>;
  teamNameEnc: string;
  members: Map<string, RosterMember>;
  invites: Map<string, RosterInvite>;
  devices: Map<string, RosterDevice>;
}

export type RosterRuleCode = 'NOT_ALLOWED' | 'BAD_FIELD' | 'LOG_CONFLICT';
/** A roster entry breaks a rule. `code`: NOT_ALLOWED (who may), BAD_FIELD (what), LOG_CONFLICT (where in the chain). */
export class RosterRuleError extends Error {
  override readonly name = 'RosterRuleError';
  constructor(readonly code: RosterRuleCode, message: string) {
    super(message);
  }
}

/** base64url of 32 zero bytes. */
const ZERO = 'A'.repeat(43);

function rule(ok: boolean, code: RosterRuleCode, message: string): void {
  if (!ok) throw new RosterRuleError(code, message);
}

export function cloneRoster(s: RosterState): RosterState {
  return {
    ...s, keyCommits: new Map(s.keyCommits),
    members: new Map([...s.members].map(([k, v]) => [k, { ...v }])),
    invites: new Map([...s.invites].map(([k, v]) => [k, { ...v }])),
    devices: new Map([...s.devices].map(([k, v]) => [k, { ...v }])),
  };
}

/** The active member `account` (throws NOT_ALLOWED naming `what` otherwise). */
function activeMember(s: RosterState, account: string, what: string): RosterMember {
  const m = s.members.get(account);
  rule(m !== undefined && m.active, 'NOT_ALLOWED', `${what}: ${account} is not an active member`);
  return m!;
}

/**
 * Applies one entry to `state` (null before the genesis) IN PLACE and returns the state.
 * `hash` is the SHA-256 (base64url) of the entry's canonical JSON, computed by the caller's own
 * crypto. Checks: team, index and `prev` continuity, the author's standing and role, and every
 * op's rule. Does NOT check signatures or certificates (the client does; the relay cannot know
 * the keys are honest, only who is authenticated). Throws RosterRuleError.
 */
export function applyRosterEntry(state: RosterState | null, e: RosterEntry, hash: string): RosterState {
  const at = `roster entry ${e.index}`;
  if (state === null) {
    rule(e.index === 0 && e.prev === ZERO, 'LOG_CONFLICT', `${at}: the roster starts with entry 0`);
    rule(e.op.t === 'genesis', 'BAD_FIELD', `${at}: entry 0 must be the genesis`);
    const op = e.op as Extract<RosterOp, { t: 'genesis' }>;
    rule(op.owner === e.author, 'NOT_ALLOWED', `${at}: the genesis must be signed by the owner`);
    const owner: RosterMember = { account: op.owner, role: 'owner', active: true, boxPk: op.boxPk, signPk: op.signPk, nameEnc: op.nameEnc, nameEpoch: 0, joinedAt: 0 };
    return {
      team: e.team, owner: op.owner, length: 1, lastHash: hash, epoch: 0, keyCommits: new Map([[0, op.keyCommit]]),
      teamNameEnc: op.teamNameEnc, members: new Map([[op.owner, owner]]), invites: new Map(), devices: new Map(),
    };
  }
  rule(e.team === state.team, 'BAD_FIELD', `${at}: belongs to another team`);
  rule(e.index === state.length && e.prev === state.lastHash, 'LOG_CONFLICT', `${at}: does not extend the roster head ${state.length}`);
  rule(e.op.t !== 'genesis', 'BAD_FIELD', `${at}: a second genesis`);
  const author = activeMember(state, e.author, `${at}: author`);
  const rank = TEAM_RANK[author.role];
  const admin = rank >= TEAM_RANK.admin;
  const op = e.op;
  switch (op.t) {
    case 'invite': {
      rule(admin, 'NOT_ALLOWED', `${at}: only an owner or admin invites`);
      rule(TEAM_RANK[op.role] <= rank, 'NOT_ALLOWED', `${at}: cannot invite to a role above the author's`);
      rule(!state.invites.has(op.invite), 'NOT_ALLOWED', `${at}: invitation id in use`);
      rule(op.epoch === state.epoch, 'BAD_FIELD', `${at}: the invitation secret must be sealed under the current team key`);
      state.invites.set(op.invite, {
        invite: op.invite, role: op.role, verifierPk: op.verifierPk, expiresAt: op.expiresAt, epoch: op.epoch,
        secretEnc: op.secretEnc, cardEnc: op.cardEnc, ...(op.labelEnc ? { labelEnc: op.labelEnc } : {}), by: e.author, at: e.ts, state: 'live',
      });
      break;
    }
    case 'invite.revoke': {
      rule(admin, 'NOT_ALLOWED', `${at}: only an owner or admin revokes an invitation`);
      const inv = state.invites.get(op.invite);
      rule(inv !== undefined && inv.state === 'live', 'NOT_ALLOWED', `${at}: no live invitation ${op.invite}`);
      inv!.state = 'revoked';
      break;
    }
    case 'join': {
      rule(admin, 'NOT_ALLOWED', `${at}: only an owner or admin confirms a join`);
      const inv = state.invites.get(op.invite);
      rule(inv !== undefined && inv.state === 'live', 'NOT_ALLOWED', `${at}: no live invitation ${op.invite}`);
      rule(op.role === inv!.role, 'NOT_ALLOWED', `${at}: the role differs from the invitation's`);
      rule(TEAM_RANK[op.role] <= rank, 'NOT_ALLOWED', `${at}: cannot admit to a role above the author's`);
      rule(!state.members.has(op.account), 'NOT_ALLOWED', `${at}: account ${op.account} was already in the team`);
      rule(op.nameEpoch <= state.epoch, 'BAD_FIELD', `${at}: name sealed under a future team key`);
      inv!.state = 'used';
      state.members.set(op.account, {
        account: op.account, role: op.role, active: true, boxPk: op.boxPk, signPk: op.signPk, nameEnc: op.nameEnc, nameEpoch: op.nameEpoch, joinedAt: e.index,
      });
      break;
    }
    case 'role': {
      rule(admin, 'NOT_ALLOWED', `${at}: only an owner or admin changes roles`);
      const m = activeMember(state, op.account, at);
      rule(m.account !== state.owner, 'NOT_ALLOWED', `${at}: the owner's role cannot change`);
      rule(m.account !== e.author, 'NOT_ALLOWED', `${at}: cannot change one's own role`);
      rule(TEAM_RANK[op.role] <= rank, 'NOT_ALLOWED', `${at}: cannot grant a role above the author's`);
      rule(TEAM_RANK[m.role] <= rank, 'NOT_ALLOWED', `${at}: the member outranks the author`);
      m.role = op.role;
      break;
    }
    case 'remove': {
      rule(admin, 'NOT_ALLOWED', `${at}: only an owner or admin removes a member`);
      const m = activeMember(state, op.account, at);
      rule(m.account !== state.owner, 'NOT_ALLOWED', `${at}: the owner cannot be removed`);
      rule(m.account !== e.author, 'NOT_ALLOWED', `${at}: cannot remove oneself`);
      rule(TEAM_RANK[m.role] <= rank, 'NOT_ALLOWED', `${at}: the member outranks the author`);
      rule(op.epoch === state.epoch + 1, 'BAD_FIELD', `${at}: team key epochs must increase by one`);
      m.active = false;
      m.removedAt = e.index;
      state.epoch = op.epoch;
      state.keyCommits.set(op.epoch, op.keyCommit);
      for (const d of state.devices.values()) {
        if (d.account === op.account && d.active) { d.active = false; d.revokedAt = e.index; }
      }
      break;
    }
    case 'device.add': {
      activeMember(state, op.account, at);
      rule(op.account === e.author || admin, 'NOT_ALLOWED', `${at}: only the account itself or an admin adds its device`);
      rule(!state.devices.has(op.device), 'NOT_ALLOWED', `${at}: device id in use`);
      state.devices.set(op.device, { device: op.device, account: op.account, signPk: op.signPk, cert: op.cert, active: true, addedAt: e.index });
      break;
    }
    case 'device.revoke': {
      const d = state.devices.get(op.device);
      rule(d !== undefined && d.active && d.account === op.account, 'NOT_ALLOWED', `${at}: no active device ${op.device} of ${op.account}`);
      if (op.account !== e.author) {
        rule(admin, 'NOT_ALLOWED', `${at}: only the account itself or a team admin revokes a device`);
        const owner = state.members.get(op.account);
        rule(owner === undefined || TEAM_RANK[owner.role] <= rank, 'NOT_ALLOWED', `${at}: the device's account outranks the author`);
      }
      d!.active = false;
      d!.revokedAt = e.index;
      break;
    }
  }
  state.length = e.index + 1;
  state.lastHash = hash;
  return state;
}

/** True if `account` is an active owner/admin of the roster. */
export function isTeamAdmin(s: RosterState, account: string): boolean {
  const m = s.members.get(account);
  return m !== undefined && m.active && TEAM_RANK[m.role] >= TEAM_RANK.admin;
}
