/** Team requests: the roster, join requests, devices, checkpoints (DESIGN.md §8). */
import { TEAM_RANK, type RequestOf, type RosterEntry } from '../protocol/index.js';
import { deviceOf, memberOf, Refusal, teamAdmin } from './access.js';
import { becomeDevice } from './session-entry.js';
import type { RelayContext } from './context.js';
import { broadcast } from './fanout/events.js';
import { checkRosterSignatures, loadRoster, planRoster } from './roster.js';
import type { Session } from './session.js';
import type { Fail, RosterEffects } from './storage/types.js';

type Answer = Record<string, unknown>;

/** Who may read the roster: a device of the team (pending ones too: they wait for their join) or an account session. */
export async function rosterGet(_ctx: RelayContext, s: Session, m: RequestOf<'roster.get'>): Promise<Answer> {
  const account = s.account;
  if (!account) throw new Refusal('NOT_ALLOWED', 'roster.get needs a device or account session');
  const store = s.store!;
  return { entries: await store.getRoster(m.since), wraps: await store.teamWraps(account) };
}

/**
 * Inside the append transaction: a `join` must answer the pending request of that account for
 * that invitation with the very keys it registered; a `device.add` must name a device row of
 * that account with the same key (rows come only from team.create / team.join / device.register).
 */
function joinCheck(entries: RosterEntry[], pending: Map<string, { invite: string; signPk: string; boxPk: string }>, devices: Map<string, { account: string; signPk: string } | null>): () => Fail | null {
  return () => {
    for (const e of entries) {
      const op = e.op;
      if (op.t === 'join') {
        const p = pending.get(op.account);
        if (!p || p.invite !== op.invite) return { ok: false, code: 'NOT_ALLOWED', message: 'roster: no pending join of that account with that invitation' };
        if (p.signPk !== op.signPk || p.boxPk !== op.boxPk) return { ok: false, code: 'NOT_ALLOWED', message: 'roster: join keys differ from the request' };
      }
      if (op.t === 'device.add') {
        const d = devices.get(op.device);
        if (!d || d.account !== op.account || d.signPk !== op.signPk) return { ok: false, code: 'NOT_ALLOWED', message: 'roster: device.add names no registered device of that account' };
      }
    }
    return null;
  };
}

/** After a roster change: notices, removed members closed, revoked devices told (with the signed order). */
export function afterRoster(ctx: RelayContext, team: string, length: number, fx: RosterEffects, entries: RosterEntry[]): void {
  const orders = fx.revokedDevices.map((d) => ({ device: d.device, order: entries.find((e) => e.index === d.index)! }));
  // After the answer (the author may be the device it revokes).
  setImmediate(() => broadcast(ctx, { t: 'roster', team, length, removed: fx.removed, revoked: orders.filter((o) => o.order.op.t === 'device.revoke') }));
}

export async function rosterAppend(ctx: RelayContext, s: Session, m: RequestOf<'roster.append'>): Promise<Answer> {
  const { account } = await memberOf(s);
  const store = s.store!;
  const state = await loadRoster(store);
  if (!state) throw new Refusal('NOT_FOUND', 'this team has no roster');
  const { fx } = planRoster(state, account, m.entries, m.wraps);
  checkRosterSignatures(state, m.entries);
  const pending = new Map((await store.listJoinRequests()).map((r) => [r.account.id, { invite: r.invite, signPk: r.account.signPk, boxPk: r.account.boxPk }]));
  const devices = new Map<string, { account: string; signPk: string } | null>();
  for (const e of m.entries) if (e.op.t === 'device.add') devices.set(e.op.device, await store.getDevice(e.op.device));
  const out = await store.appendRoster(state.length, m.entries, m.wraps, fx, joinCheck(m.entries, pending, devices));
  if (!out.ok) throw new Refusal(out.code, out.code === 'LOG_CONFLICT' ? `${out.message}; head ${out.length}` : out.message);
  afterRoster(ctx, s.team, out.length, fx, m.entries);
  return { length: out.length };
}

export async function joinList(_ctx: RelayContext, s: Session): Promise<Answer> {
  await teamAdmin(s);
  return { requests: await s.store!.listJoinRequests() };
}

export async function joinReject(_ctx: RelayContext, s: Session, m: RequestOf<'join.reject'>): Promise<Answer> {
  await teamAdmin(s);
  if (!(await s.store!.rejectJoinRequest(m.account))) throw new Refusal('NOT_FOUND', 'no such join request');
  return {};
}

export async function deviceList(_ctx: RelayContext, s: Session, m: RequestOf<'device.list'>): Promise<Answer> {
  const me = await memberOf(s);
  const target = m.account ?? me.account;
  if (target !== me.account && TEAM_RANK[me.role] < TEAM_RANK.admin) throw new Refusal('NOT_ALLOWED', "only a team owner or admin lists another person's devices");
  return { devices: (await s.store!.listDevices(target)).map(({ revokedAt: _r, ...d }) => d) };
}

/** An account session (new device): registers the device with its signed roster entry, then becomes that device. */
export async function deviceRegister(ctx: RelayContext, s: Session, m: RequestOf<'device.register'>): Promise<Answer> {
  if (s.as?.kind !== 'account') throw new Refusal('NOT_ALLOWED', 'device.register needs an account session');
  const account = s.as.account;
  const store = s.store!;
  const acc = await store.getAccount(account);
  if (!acc || acc.teamRole === null || acc.removed) throw new Refusal('NOT_ALLOWED', 'device.register: the account is not a member of the team');
  const op = m.entry.op;
  if (op.t !== 'device.add' || op.account !== account || op.device !== m.device.id || op.signPk !== m.device.signPk || op.cert !== m.device.cert) {
    throw new Refusal('BAD_FIELD', 'device.register: entry must be the device.add of this device');
  }
  const state = await loadRoster(store);
  if (!state) throw new Refusal('NOT_FOUND', 'this team has no roster');
  planRoster(state, account, [m.entry], []);
  checkRosterSignatures(state, [m.entry]);
  const out = await store.addDeviceWithEntry(account, m.device, state.length, m.entry);
  if (!out.ok) throw new Refusal(out.code, out.message);
  afterRoster(ctx, s.team, out.length, { setRoles: [], removed: [], revokedDevices: [], joined: [] }, [m.entry]);
  return { as: await becomeDevice(ctx, s, store, account, m.device.id) };
}

export async function checkpointPut(_ctx: RelayContext, s: Session, m: RequestOf<'checkpoint.put'>): Promise<Answer> {
  const { account, device } = deviceOf(s);
  await memberOf(s);
  if (m.body.account !== account || m.body.device !== device || m.body.team !== s.team) throw new Refusal('BAD_FIELD', 'checkpoint.put: body names another account, device or team');
  await s.store!.putCheckpoint(account, device, m.body, m.sig);
  return {};
}
