/**
 * Team operations (DESIGN.md §8) over the verified roster: people with names, invitations,
 * confirming joins (the MAC proves the keys are the invitee's), roles, removal, device
 * revocation (the signed wipe order), and checking a wipe order this device received.
 */
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { parseAccountId, parseDeviceId, parseInviteId, type AccountId } from '../ids.js';
import type { BoxPublicKey, SignPublicKey } from '../crypto/key-types.js';
import { verifyDetached } from '../crypto/sign.js';
import { canonicalBytes } from '../canonical.js';
import { safetyNumber } from '../model/fingerprint.js';
import { parseRosterEntry, type RosterState } from '../model/roster.js';
import { newTeamKey, openInviteSecret, openTeamText, sealInviteSecret, sealTeamText, teamKeyCommit, wrapTeamKey } from '../model/team-keys.js';
import {
  checkJoinMac, deriveInviteKeys, formatInviteCode, formatInviteLink, newTeamInvite, openJoinName, sealCard, type InviteId,
} from '../model/team-invite.js';
import { DEVICE_CERT_DOMAIN, deviceCertPayload, isTeamAdmin, Results, ROSTER_DOMAIN, TEAM_RANK, type RosterEntry, type TeamWrap } from '../../protocol/index.js';
import type { NewTeamInvitation, TeamInfo, TeamInvitationInfo, TeamPerson } from '../vault-api.js';
import { openDeviceName } from './identity.js';
import type { Session } from './session.js';

export async function teamInfo(s: Session): Promise<TeamInfo> {
  const st = await s.roster.current().catch((e: unknown) => { if (isVaultError(e, 'NOT_FOUND')) return null; throw e; });
  const me = st?.members.get(s.keys.account);
  const myRole = me?.active ? me.role : null;
  return { team: s.team, name: myRole ? await s.roster.teamName() : '', myRole, me: s.keys.account };
}

function requireTeamAdmin(s: Session, st: RosterState, fn: string): void {
  if (!isTeamAdmin(st, s.keys.account)) throw new VaultError('NOT_ALLOWED', `${fn}: only a team owner or admin may do this`);
}

export async function people(s: Session): Promise<TeamPerson[]> {
  const st = await s.roster.current();
  const admin = isTeamAdmin(st, s.keys.account);
  // Details (names, last seen) of devices come from the relay; who has which device from the roster.
  const details = new Map<string, { nameEnc: string; platform: string; lastSeenDay: string | null }>();
  if (s.conn.state === 'online') {
    for (const account of admin ? [...st.members.keys()] : [s.keys.account]) {
      const ans = Results['device.list'].safeParse(await s.conn.request({ type: 'device.list', account }).catch(() => null));
      if (ans.success) for (const d of ans.data.devices) details.set(d.id, { nameEnc: d.nameEnc, platform: d.platform, lastSeenDay: d.lastSeenDay });
    }
  }
  const out: TeamPerson[] = [];
  for (const m of st.members.values()) {
    const devices = [...st.devices.values()].filter((d) => d.account === m.account).map((d) => {
      const x = details.get(d.device);
      return {
        id: d.device, platform: x?.platform ?? 'other', active: d.active, current: d.device === s.keys.device?.id,
        name: x && m.account === s.keys.account ? openDeviceName(s.keys, d.device, x.nameEnc) : '',
        lastSeen: x?.lastSeenDay ? Date.parse(x.lastSeenDay) : null,
      };
    });
    out.push({
      account: m.account, name: await s.roster.nameOf(m.account), role: m.role, active: m.active, you: m.account === s.keys.account, devices,
      fingerprint: safetyNumber(parseAccountId(m.account), fromB64url(m.boxPk) as BoxPublicKey, fromB64url(m.signPk) as SignPublicKey),
    });
  }
  return out.sort((a, b) => Number(b.active) - Number(a.active) || TEAM_RANK[b.role] - TEAM_RANK[a.role] || a.name.localeCompare(b.name));
}

const HOUR = 3600_000;

export async function inviteColleague(s: Session, opts: { role: 'admin' | 'member'; expiresInHours: number; label?: string }): Promise<NewTeamInvitation> {
  if (opts.role !== 'admin' && opts.role !== 'member') throw new VaultError('BAD_FORMAT', 'inviteColleague: role must be admin or member');
  if (!Number.isFinite(opts.expiresInHours) || opts.expiresInHours <= 0 || opts.expiresInHours > 24 * 30) throw new VaultError('BAD_FORMAT', 'inviteColleague: expiry must be between 1 hour and 30 days');
  const inv = newTeamInvite();
  const keys = deriveInviteKeys(s.team, inv);
  const expiresAt = s.clock.now() + Math.round(opts.expiresInHours * HOUR);
  const myName = await s.roster.nameOf(s.keys.account);
  const teamName = await s.roster.teamName();
  const st = await s.roster.append('inviteColleague', async (state) => {
    requireTeamAdmin(s, state, 'inviteColleague');
    const key = await s.roster.teamKey(state.epoch);
    const card = sealCard(keys, s.team, inv.id, { teamName, inviter: s.keys.account, inviterName: myName, role: opts.role, roster: { length: state.length, hash: state.lastHash } });
    return {
      ops: [{
        t: 'invite', invite: inv.id as never, verifierPk: toB64url(keys.verifier.publicKey), role: opts.role, expiresAt, epoch: state.epoch,
        secretEnc: sealInviteSecret(key, s.team, inv.id, state.epoch, inv.secret), cardEnc: card,
        ...(opts.label?.trim() ? { labelEnc: sealTeamText(key, 'invite-label', s.team, inv.id, state.epoch, opts.label.trim()) } : {}),
      }],
      wraps: [],
    };
  });
  const info = await invitationInfo(s, st, inv.id, myName);
  return { info, link: formatInviteLink({ relay: s.relayUrl, team: s.team, invite: inv }), code: formatInviteCode(inv) };
}

async function invitationInfo(s: Session, st: RosterState, id: string, by: string): Promise<TeamInvitationInfo> {
  const i = st.invites.get(id)!;
  let label = '';
  if (i.labelEnc) label = await s.roster.teamKey(i.epoch).then((k) => openTeamText(k, 'invite-label', s.team, id, i.epoch, i.labelEnc!)).catch(() => '');
  return { id, label, role: i.role, expiresAt: i.expiresAt, by, at: i.at, state: i.state === 'live' && i.expiresAt <= s.clock.now() ? 'expired' : i.state };
}

export async function teamInvitations(s: Session): Promise<TeamInvitationInfo[]> {
  const st = await s.roster.current();
  const out: TeamInvitationInfo[] = [];
  for (const i of st.invites.values()) out.push(await invitationInfo(s, st, i.invite, await s.roster.nameOf(i.by)));
  return out.sort((a, b) => b.at - a.at);
}

export async function revokeTeamInvitation(s: Session, id: string): Promise<void> {
  const invite = parseInviteId(id);
  await s.roster.append('revokeTeamInvitation', (st) => {
    requireTeamAdmin(s, st, 'revokeTeamInvitation');
    if (st.invites.get(invite)?.state !== 'live') throw new VaultError('NOT_FOUND', `revokeTeamInvitation: no live invitation ${invite}`);
    return { ops: [{ t: 'invite.revoke', invite: invite as never }], wraps: [] as TeamWrap[] };
  });
}

/**
 * Admin: checks every waiting join request and confirms the good ones ([join, device.add] with
 * every team key this admin holds, wrapped to the newcomer's roster-bound key). A request whose
 * MAC fails (a relay that swapped the keys) is rejected on the relay and reported. Only
 * invitations sealed under the current team key are confirmed: a member removed since could
 * know the secret of an older one.
 */
export async function confirmJoins(s: Session): Promise<number> {
  let st = await s.roster.sync();
  if (!isTeamAdmin(st, s.keys.account)) return 0;
  const ans = Results['join.list'].safeParse(await s.conn.request({ type: 'join.list' }));
  if (!ans.success) throw new VaultError('BAD_FORMAT', 'confirmJoins: bad join.list answer');
  let joined = 0;
  for (const r of ans.data.requests) {
    const inv = st.invites.get(r.invite);
    if (!inv || inv.state !== 'live' || inv.epoch !== st.epoch) continue;
    const secret = openInviteSecret(await s.roster.teamKey(inv.epoch), s.team, inv.invite, inv.epoch, inv.secretEnc);
    const keys = deriveInviteKeys(s.team, { id: inv.invite as InviteId, secret });
    let name: string;
    try {
      checkJoinMac(keys, { team: s.team, invite: inv.invite, account: r.account.id, boxPk: r.account.boxPk, signPk: r.account.signPk, device: r.device.id, deviceSignPk: r.device.signPk, nameEnc: r.nameEnc }, r.mac);
      name = openJoinName(keys, s.team, inv.invite, r.account.id, r.nameEnc);
      // The device certificate must be by the key the MAC bound (checked again by every reader).
      verifyDetached(fromB64url(r.account.signPk) as SignPublicKey, DEVICE_CERT_DOMAIN, canonicalBytes(deviceCertPayload(s.team, r.account.id, r.device.id, r.device.signPk)), fromB64url(r.device.cert));
    } catch (e) {
      await s.conn.request({ type: 'join.reject', account: r.account.id }).catch(() => undefined);
      s.status.setError(new VaultError('KEY_CHANGED', `confirmJoins: a join request failed its check and was refused (${isVaultError(e) ? e.code : 'invalid'})`));
      continue;
    }
    try {
      st = await s.roster.append('confirmJoins', async (state) => {
        const keysByEpoch = await s.roster.allTeamKeys();
        const wraps: TeamWrap[] = [...keysByEpoch].map(([epoch, k]) => ({ epoch, account: r.account.id, wrapped: wrapTeamKey(k, fromB64url(r.account.boxPk) as BoxPublicKey) }) as TeamWrap);
        return {
          ops: [
            { t: 'join', account: r.account.id, boxPk: r.account.boxPk, signPk: r.account.signPk, nameEnc: sealTeamText(keysByEpoch.get(state.epoch)!, 'name', s.team, r.account.id, state.epoch, name), nameEpoch: state.epoch, invite: inv.invite as never, role: inv.role, mac: r.mac },
            { t: 'device.add', account: r.account.id, device: r.device.id, signPk: r.device.signPk, cert: r.device.cert as never },
          ],
          wraps,
        };
      });
    } catch (e) {
      // Another admin's client confirmed it first: nothing left to do for this request.
      st = await s.roster.sync();
      if (st.members.has(r.account.id)) continue;
      throw e;
    }
    joined++;
  }
  return joined;
}

export async function setTeamRole(s: Session, accountIn: string, role: 'admin' | 'member'): Promise<void> {
  const account = parseAccountId(accountIn);
  if (role !== 'admin' && role !== 'member') throw new VaultError('BAD_FORMAT', 'setTeamRole: role must be admin or member');
  await s.roster.append('setTeamRole', (st) => {
    requireTeamAdmin(s, st, 'setTeamRole');
    return { ops: [{ t: 'role', account, role }], wraps: [] as TeamWrap[] };
  });
}

/** Removes a member: optional wipe orders for their devices, a new team key for everyone else, then blocks in our shares. */
export async function removeFromTeam(s: Session, accountIn: string, opts: { wipeDevices?: boolean } = {}): Promise<void> {
  const account = parseAccountId(accountIn);
  await s.roster.append('removeFromTeam', (st) => {
    requireTeamAdmin(s, st, 'removeFromTeam');
    const m = st.members.get(account);
    if (!m || !m.active) throw new VaultError('NOT_FOUND', `removeFromTeam: ${account} is not an active member`);
    const epoch = st.epoch + 1;
    const key = newTeamKey();
    const revokes = opts.wipeDevices ? [...st.devices.values()].filter((d) => d.account === account && d.active)
      .map((d) => ({ t: 'device.revoke' as const, account, device: d.device as never, lost: false })) : [];
    const wraps = [...st.members.values()].filter((x) => x.active && x.account !== account)
      .map((x) => ({ epoch, account: x.account, wrapped: wrapTeamKey(key, fromB64url(x.boxPk) as BoxPublicKey) }) as TeamWrap);
    return { ops: [...revokes, { t: 'remove', account, epoch, keyCommit: teamKeyCommit(key, s.team, epoch) }], wraps };
  });
  await s.blockRemovedInShares();
}

export async function revokeDevice(s: Session, deviceIn: string, opts: { lost?: boolean } = {}): Promise<void> {
  const device = parseDeviceId(deviceIn);
  await s.roster.append('revokeDevice', (st) => {
    const d = st.devices.get(device);
    if (!d || !d.active) throw new VaultError('NOT_FOUND', `revokeDevice: no active device ${device}`);
    if (d.account !== s.keys.account) requireTeamAdmin(s, st, 'revokeDevice');
    return { ops: [{ t: 'device.revoke', account: d.account as never, device, lost: opts.lost === true }], wraps: [] as TeamWrap[] };
  });
}

/**
 * A wipe order is honoured only if it is a `device.revoke` of THIS device in THIS team, signed
 * (valid Ed25519 over the roster domain) by this account or by someone the locally verified
 * roster holds as an active owner/admin. Anything else: undefined (lock, report, delete nothing).
 */
export function verifyWipeOrder(s: Session, raw: unknown): { by: AccountId; lost: boolean } | undefined {
  if (raw === undefined || raw === null) return undefined;
  let e: RosterEntry;
  try {
    e = parseRosterEntry(raw);
  } catch {
    return undefined;
  }
  const st = s.roster.state;
  if (!st || String(e.team) !== String(s.team) || e.op.t !== 'device.revoke' || String(e.op.device) !== String(s.keys.device?.id) || String(e.op.account) !== String(s.keys.account)) return undefined;
  const signer = st.members.get(e.author);
  if (!signer || !signer.active) return undefined;
  if (String(e.author) !== String(s.keys.account) && !isTeamAdmin(st, e.author)) return undefined;
  const { sig, ...unsigned } = e;
  try {
    verifyDetached(fromB64url(signer.signPk) as SignPublicKey, ROSTER_DOMAIN, canonicalBytes(unsigned), fromB64url(sig));
  } catch {
    return undefined;
  }
  return { by: String(e.author) as AccountId, lost: e.op.lost };
}
