/**
 * Pre-auth messages of the team (DESIGN.md §8): team.create (enrollment token + the founder's
 * roster), team.join (proof of the invitation secret; the account waits for an admin) and
 * invite.get (the sealed invitation card).
 */
import type { RelayContext } from './context.js';
import { Refusal } from './access.js';
import { becomeDevice, fail, recordFailure, signed, type PreAuth } from './session-entry.js';
import { sha256b64url, verifyEd25519 } from './crypto.js';
import { broadcast } from './fanout/events.js';
import { checkRosterSignatures, loadRoster, planRoster } from './roster.js';
import type { Session } from './session.js';

/** team.create: an enrollment token (unless open), the founder's genesis + device.add under the shared rules. */
export async function teamCreate(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'team.create' }>): Promise<void> {
  const method = 'team.create';
  if (!verifyEd25519(msg.device.signPk, signed(s, msg.team, 'team.create', msg.device.id), msg.sig)) return fail(ctx, s, method);
  // Before the token is used up: a full relay keeps the firm's token valid for later.
  if (!ctx.caps.roomForTeam()) return s.error('RELAY_FULL', 'team.create: this relay holds its operator\'s maximum of teams');
  if (!ctx.openEnrollment) {
    if (!msg.enrollment || !(await ctx.storage.useEnrollmentToken(sha256b64url(new TextEncoder().encode(msg.enrollment)), ctx.clock.now()))) {
      ctx.metrics.auth(method, 'fail');
      await recordFailure(ctx, s);
      return s.error('ENROLLMENT_REQUIRED', 'team.create: this relay needs a valid enrollment token from its operator');
    }
  }
  const [genesis, dev] = msg.roster;
  try {
    if (genesis!.team !== msg.team || genesis!.op.t !== 'genesis' || genesis!.op.owner !== msg.account.id) throw new Refusal('BAD_FIELD', 'team.create: roster must start with the founder\'s genesis');
    if (genesis!.op.signPk !== msg.account.signPk || genesis!.op.boxPk !== msg.account.boxPk) throw new Refusal('BAD_FIELD', 'team.create: genesis keys differ from the account');
    if (dev!.op.t !== 'device.add' || dev!.op.device !== msg.device.id || dev!.op.signPk !== msg.device.signPk) throw new Refusal('BAD_FIELD', 'team.create: the second entry must add this device');
    planRoster(null, msg.account.id, msg.roster, msg.wraps);
    checkRosterSignatures(null, msg.roster);
  } catch (e) {
    if (e instanceof Refusal) return s.error(e.code, e.message);
    throw e;
  }
  const made = await ctx.storage.createTeam(msg.team, msg.account, msg.device, msg.roster, msg.wraps, ctx.clock.now(), ctx.limits.maxTeams);
  if (made === 'full') return s.error('RELAY_FULL', 'team.create: this relay holds its operator\'s maximum of teams');
  if (!made) return s.error('NOT_ALLOWED', 'team.create: team or ids exist');
  const store = (await ctx.storage.openTeam(msg.team))!;
  ctx.metrics.auth(method, 'ok');
  await becomeDevice(ctx, s, store, msg.account.id, msg.device.id);
}

/**
 * team.join: proof of the invitation secret (signature by its verifier key), the invitation live,
 * unexpired and unused; then the account and device wait as a join request for an admin.
 */
export async function teamJoin(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'team.join' }>): Promise<void> {
  const method = 'team.join';
  const store = await ctx.storage.openTeam(msg.team);
  const roster = store ? await loadRoster(store) : null;
  const inv = roster?.invites.get(msg.invite);
  if (!store || !inv || !verifyEd25519(inv.verifierPk, signed(s, msg.team, 'team.join', msg.invite), msg.sig)) return fail(ctx, s, method);
  if (inv.state !== 'live') return s.error('INVITE_INVALID', 'team.join: this invitation was used or revoked');
  if (inv.expiresAt <= ctx.clock.now()) return s.error('INVITE_EXPIRED', 'team.join: this invitation expired');
  const out = await store.addJoinRequest(msg.invite, msg.account, msg.device, msg.nameEnc, msg.mac, ctx.clock.now());
  if (out === 'used') return s.error('INVITE_INVALID', 'team.join: this invitation was used');
  if (out === 'exists') return s.error('NOT_ALLOWED', 'team.join: account or device id exists');
  ctx.metrics.auth(method, 'ok');
  await becomeDevice(ctx, s, store, msg.account.id, msg.device.id);
  broadcast(ctx, { t: 'joinrequest', team: msg.team });
}

/** Pre-auth: the sealed card of a live invitation; anything else is one answer (no oracle beyond "not usable"). */
export async function inviteGet(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'invite.get' }>): Promise<void> {
  const store = await ctx.storage.openTeam(msg.team);
  const inv = store ? (await loadRoster(store))?.invites.get(msg.invite) : undefined;
  if (!inv) {
    await recordFailure(ctx, s);
    return s.error('INVITE_INVALID', 'invite.get: no such invitation', msg.id);
  }
  if (inv.state !== 'live') return s.error('INVITE_INVALID', 'invite.get: this invitation was used or revoked', msg.id);
  if (inv.expiresAt <= ctx.clock.now()) return s.error('INVITE_EXPIRED', 'invite.get: this invitation expired', msg.id);
  s.send({ type: 'ok', id: msg.id, cardEnc: inv.cardEnc, expiresAt: inv.expiresAt, role: inv.role });
}
