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
import { hmac, verifyEd25519 } from './crypto.js';
import { isLimited, rateLimitKey } from './rate-limit.js';
import type { Session } from './session.js';
import type { TeamStore } from './storage/types.js';

type PreAuth = Extract<ClientMessage, { type: 'hello' | 'auth' | 'team.create' | 'account.kdf' }>;

const signed = (s: Session, team: string, method: Parameters<typeof authPayload>[2], id: string) =>
  canonicalBytes(authPayload(s.nonce, team, method, id), AUTH_DOMAIN);

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The rate-limit key of the attempt being handled: (source network, team, credential), see rate-limit.ts. */
function limitKey(ctx: RelayContext, s: Session): string {
  return s.attempt ? rateLimitKey(ctx.secret, s.network, s.attempt.team, s.attempt.credential) : s.sourceKey;
}

async function fail(ctx: RelayContext, s: Session, method: string): Promise<void> {
  ctx.metrics.auth(method, 'fail');
  ctx.log.info({ event: 'auth_failed', method }, 'authentication failed');
  await ctx.storage.recordAuthFailure(limitKey(ctx, s), ctx.clock.now(), ctx.rateLimit);
  s.error('AUTH_FAILED', 'authentication failed');
  s.close(4001, 'auth failed');
}

/** True if the source is in backoff/blocked; then the session is refused with 4008. */
async function limited(ctx: RelayContext, s: Session, method: string): Promise<boolean> {
  if (!isLimited(await ctx.storage.authFailureState(limitKey(ctx, s)), ctx.clock.now())) return false;
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

/** Makes `s` an authenticated session and sends welcome. */
export async function becomeDevice(ctx: RelayContext, s: Session, store: TeamStore, account: string, device: string): Promise<SessionAs> {
  const v = await deviceView(store, account);
  await store.touchDevice(device, utcDay(ctx.clock.now()));
  return enter(ctx, s, store, { kind: 'device', account: account as never, device: device as never, role: v.role }, v.shares);
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
  const method = msg.type === 'auth' ? msg.method : 'team.create';
  if (await limited(ctx, s, method)) return;
  if (msg.type === 'team.create') {
    if (!verifyEd25519(msg.device.signPk, signed(s, msg.team, 'team.create', msg.device.id), msg.sig)) return fail(ctx, s, method);
    if (!(await ctx.storage.createTeam(msg.team, msg.account, msg.device, ctx.clock.now()))) {
      return s.error('NOT_ALLOWED', 'team.create: team or ids exist');
    }
    const store = (await ctx.storage.openTeam(msg.team))!;
    ctx.metrics.auth(method, 'ok');
    await becomeDevice(ctx, s, store, msg.account.id, msg.device.id);
    return;
  }
  const store = await ctx.storage.openTeam(msg.team);
  if (!store) return fail(ctx, s, method);
  if (msg.method === 'device') {
    const dev = await store.getDevice(msg.device);
    if (!dev || !verifyEd25519(dev.signPk, signed(s, msg.team, 'device', msg.device), msg.sig)) return fail(ctx, s, method);
    if (!dev.active) {
      ctx.metrics.auth(method, 'wipe');
      return s.wipe();
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
