/**
 * Pre-auth: hello → challenge → auth (device | code | account) | team.create | account.kdf.
 * A failed authentication is counted per source (keyed hash of the address) for rate limiting.
 */
import { randomBytes } from 'node:crypto';
import {
  AUTH_DOMAIN, authPayload, b64urlEncode, canonicalBytes, PROTOCOL_VERSION, ROLE_RANK,
  type ClientMessage, type Role, type SessionAs,
} from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { hmac, sha256b64url, verifyEd25519 } from './crypto.js';
import { broadcast } from './fanout/events.js';
import { loadRoster, planRoster } from './roster.js';
import { Refusal } from './access.js';
import type { Session } from './session.js';
import type { TeamStore } from './storage/types.js';

type PreAuth = Extract<ClientMessage, { type: 'hello' | 'auth' | 'team.create' | 'team.join' | 'account.kdf' | 'invite.get' }>;

const signed = (s: Session, team: string, method: Parameters<typeof authPayload>[2], id: string) =>
  canonicalBytes(authPayload(s.nonce, team, method, id), AUTH_DOMAIN);

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function fail(ctx: RelayContext, s: Session, method: string): Promise<void> {
  ctx.metrics.auth(method, 'fail');
  ctx.log.info({ event: 'auth_failed', method }, 'authentication failed');
  await ctx.storage.recordAuthFailure(s.sourceKey, ctx.clock.now(), ctx.rateLimit);
  s.error('AUTH_FAILED', 'authentication failed');
  s.close(4001, 'auth failed');
}

/** True if the source is in backoff/blocked; then the session is refused with 4008. */
async function limited(ctx: RelayContext, s: Session, method: string): Promise<boolean> {
  const st = await ctx.storage.authFailureState(s.sourceKey);
  if (!st || st.blockedUntil <= ctx.clock.now()) return false;
  ctx.metrics.auth(method, 'limited');
  s.error('RATE_LIMITED', 'too many failed authentications; retry later');
  s.close(4008, 'rate limited');
  return true;
}

/** Highest role of the account over its shares (null if none), and the share list. */
async function deviceView(store: TeamStore, account: string): Promise<{ role: Role | null; shares: string[] }> {
  const ms = await store.memberships(account);
  let role: Role | null = null;
  for (const m of ms) if (role === null || ROLE_RANK[m.role] > ROLE_RANK[role]) role = m.role;
  return { role, shares: ms.map((m) => m.share) };
}

/** Makes `s` an authenticated session and sends welcome. A pending join (no team role yet) sees no share. */
export async function becomeDevice(ctx: RelayContext, s: Session, store: TeamStore, account: string, device: string): Promise<SessionAs> {
  const acc = await store.getAccount(account);
  const team = acc?.teamRole ?? null;
  const v = team === null ? { role: null, shares: [] } : await deviceView(store, account);
  await store.touchDevice(device, utcDay(ctx.clock.now()));
  return enter(ctx, s, store, { kind: 'device', account: account as never, device: device as never, role: v.role, team }, v.shares);
}

/** A removed member's sessions end with 4011 (a clear "you were removed" on the client), whatever key it proves. */
function removed(ctx: RelayContext, s: Session, method: string): void {
  ctx.metrics.auth(method, 'fail');
  s.error('MEMBER_REMOVED', 'this account was removed from the team');
  s.close(4011, 'removed from the team');
}

/** team.create: an enrollment token (unless open), the founder's genesis + device.add under the shared rules. */
async function teamCreate(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'team.create' }>): Promise<void> {
  const method = 'team.create';
  if (!verifyEd25519(msg.device.signPk, signed(s, msg.team, 'team.create', msg.device.id), msg.sig)) return fail(ctx, s, method);
  if (!ctx.openEnrollment) {
    if (!msg.enrollment || !(await ctx.storage.useEnrollmentToken(sha256b64url(new TextEncoder().encode(msg.enrollment)), ctx.clock.now()))) {
      ctx.metrics.auth(method, 'fail');
      await ctx.storage.recordAuthFailure(s.sourceKey, ctx.clock.now(), ctx.rateLimit);
      return s.error('ENROLLMENT_REQUIRED', 'team.create: this relay needs a valid enrollment token from its operator');
    }
  }
  const [genesis, dev] = msg.roster;
  try {
    if (genesis!.team !== msg.team || genesis!.op.t !== 'genesis' || genesis!.op.owner !== msg.account.id) throw new Refusal('BAD_FIELD', 'team.create: roster must start with the founder\'s genesis');
    if (genesis!.op.signPk !== msg.account.signPk || genesis!.op.boxPk !== msg.account.boxPk) throw new Refusal('BAD_FIELD', 'team.create: genesis keys differ from the account');
    if (dev!.op.t !== 'device.add' || dev!.op.device !== msg.device.id || dev!.op.signPk !== msg.device.signPk) throw new Refusal('BAD_FIELD', 'team.create: the second entry must add this device');
    planRoster(null, msg.account.id, msg.roster, msg.wraps);
  } catch (e) {
    if (e instanceof Refusal) return s.error(e.code, e.message);
    throw e;
  }
  if (!(await ctx.storage.createTeam(msg.team, msg.account, msg.device, msg.roster, msg.wraps, ctx.clock.now()))) {
    return s.error('NOT_ALLOWED', 'team.create: team or ids exist');
  }
  const store = (await ctx.storage.openTeam(msg.team))!;
  ctx.metrics.auth(method, 'ok');
  await becomeDevice(ctx, s, store, msg.account.id, msg.device.id);
}

/**
 * team.join: proof of the invitation secret (signature by its verifier key), the invitation live,
 * unexpired and unused; then the account and device wait as a join request for an admin.
 */
async function teamJoin(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'team.join' }>): Promise<void> {
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
async function inviteGet(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'invite.get' }>): Promise<void> {
  if (await limited(ctx, s, 'invite.get')) return;
  const store = await ctx.storage.openTeam(msg.team);
  const inv = store ? (await loadRoster(store))?.invites.get(msg.invite) : undefined;
  if (!inv) {
    await ctx.storage.recordAuthFailure(s.sourceKey, ctx.clock.now(), ctx.rateLimit);
    return s.error('INVITE_INVALID', 'invite.get: no such invitation', msg.id);
  }
  if (inv.state !== 'live') return s.error('INVITE_INVALID', 'invite.get: this invitation was used or revoked', msg.id);
  if (inv.expiresAt <= ctx.clock.now()) return s.error('INVITE_EXPIRED', 'invite.get: this invitation expired', msg.id);
  s.send({ type: 'ok', id: msg.id, cardEnc: inv.cardEnc, expiresAt: inv.expiresAt, role: inv.role });
}

export function enter(ctx: RelayContext, s: Session, store: TeamStore, as: SessionAs, shares: string[]): SessionAs {
  const wasAuthed = s.state === 'authed';
  s.store = store;
  s.team = store.team;
  s.as = as;
  s.shares = new Set(shares);
  s.state = 'authed';
  if (!wasAuthed) {
    ctx.registry.add(s);
    ctx.metrics.sessions.inc();
  }
  s.send({ type: 'welcome', as, shares });
  return as;
}

/** Closes a code session when its code expires (also checked on every request). */
export function armExpiry(ctx: RelayContext, s: Session, expiresAt: number | null): void {
  if (expiresAt === null) return;
  const delay = expiresAt - ctx.clock.now();
  if (delay > 2 ** 31 - 1) return;
  s.expiryTimer = setTimeout(() => s.close(4004, 'code expired'), Math.max(0, delay));
  s.expiryTimer.unref();
}

export async function handlePreAuth(ctx: RelayContext, s: Session, msg: PreAuth): Promise<void> {
  if (s.state === 'new') {
    if (msg.type !== 'hello') return s.error('NOT_AUTHENTICATED', 'send hello first');
    if (msg.protocol !== PROTOCOL_VERSION) {
      s.error('PROTOCOL_MISMATCH', `relay speaks protocol ${PROTOCOL_VERSION}`);
      return s.close(4007, 'protocol version mismatch');
    }
    s.nonce = b64urlEncode(randomBytes(32));
    s.state = 'challenged';
    return s.send({ type: 'challenge', nonce: s.nonce });
  }
  if (msg.type === 'hello') return s.error('BAD_FIELD', 'hello was already sent');
  if (msg.type === 'account.kdf') return accountKdf(ctx, s, msg);
  if (msg.type === 'invite.get') return inviteGet(ctx, s, msg);
  const method = msg.type === 'auth' ? msg.method : msg.type;
  if (await limited(ctx, s, method)) return;
  if (msg.type === 'team.create') return teamCreate(ctx, s, msg);
  if (msg.type === 'team.join') return teamJoin(ctx, s, msg);
  const store = await ctx.storage.openTeam(msg.team);
  if (!store) return fail(ctx, s, method);
  if (msg.method === 'device') {
    const dev = await store.getDevice(msg.device);
    if (!dev || !verifyEd25519(dev.signPk, signed(s, msg.team, 'device', msg.device), msg.sig)) return fail(ctx, s, method);
    const acc = await store.getAccount(dev.account);
    if (!acc || acc.removed) return removed(ctx, s, method);
    if (!dev.active) {
      ctx.metrics.auth(method, 'wipe');
      const order = dev.revokedAt === null ? undefined : (await store.getRoster(dev.revokedAt))[0];
      return s.wipe(order?.op.t === 'device.revoke' ? order : undefined);
    }
    ctx.metrics.auth(method, 'ok');
    await becomeDevice(ctx, s, store, dev.account, dev.id);
  } else if (msg.method === 'code') {
    const code = await store.getCode(msg.code);
    if (!code || !verifyEd25519(code.verifierPk, signed(s, msg.team, 'code', msg.code), msg.sig)) return fail(ctx, s, method);
    if (code.expiresAt !== null && code.expiresAt <= ctx.clock.now()) {
      ctx.metrics.auth(method, 'expired');
      s.error('CODE_EXPIRED', 'access code expired');
      return s.close(4004, 'code expired');
    }
    ctx.metrics.auth(method, 'ok');
    enter(ctx, s, store, { kind: 'code', code: code.code as never, share: code.share as never, readOnly: code.readOnly }, [code.share]);
    armExpiry(ctx, s, code.expiresAt);
  } else {
    const acc = await store.getAccount(msg.account);
    if (!acc || !verifyEd25519(acc.authPk, signed(s, msg.team, 'account', msg.account), msg.sig)) return fail(ctx, s, method);
    if (acc.removed) return removed(ctx, s, method);
    ctx.metrics.auth(method, 'ok');
    enter(ctx, s, store, { kind: 'account', account: acc.id as never }, []);
  }
}

/** KDF params of an account; for unknown accounts a stable fake (keyed by the relay secret) so ids cannot be probed. */
async function accountKdf(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'account.kdf' }>): Promise<void> {
  const store = await ctx.storage.openTeam(msg.team);
  const acc = store ? await store.getAccount(msg.account) : null;
  const kdf = acc?.kdf ?? {
    alg: 'argon2id13' as const,
    salt: b64urlEncode(hmac(ctx.secret, 'kdf', msg.team, msg.account).subarray(0, 16)),
    opslimit: 3,
    memlimit: 256 * 1024 * 1024,
  };
  s.send({ type: 'ok', id: msg.id, kdf });
}
