/**
 * Becoming an authenticated session, and the refusals every pre-auth path shares (counted per
 * source for rate limiting).
 */
import { AUTH_DOMAIN, authPayload, canonicalBytes, ROLE_RANK, type ClientMessage, type Role, type RosterEntry, type SessionAs } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { isLimited, rateLimitKey } from './rate-limit.js';
import type { Session } from './session.js';
import type { TeamStore } from './storage/types.js';

export type PreAuth = Extract<ClientMessage, { type: 'hello' | 'auth' | 'team.create' | 'team.join' | 'account.kdf' | 'invite.get' }>;

export const signed = (s: Session, team: string, method: Parameters<typeof authPayload>[2], id: string) =>
  canonicalBytes(authPayload(s.nonce, team, method, id), AUTH_DOMAIN);

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The rate-limit key of the attempt being handled: (source network, team, credential), see rate-limit.ts. */
function limitKey(ctx: RelayContext, s: Session): string {
  return s.attempt ? rateLimitKey(ctx.secret, s.network, s.attempt.team, s.attempt.credential) : s.sourceKey;
}

/** Counts a failed attempt (wrong key, unusable invitation or enrollment token) for rate limiting. */
export async function recordFailure(ctx: RelayContext, s: Session): Promise<void> {
  await ctx.storage.recordAuthFailure(limitKey(ctx, s), ctx.clock.now(), ctx.rateLimit);
}

export async function fail(ctx: RelayContext, s: Session, method: string): Promise<void> {
  ctx.metrics.auth(method, 'fail');
  ctx.log.info({ event: 'auth_failed', method }, 'authentication failed');
  await recordFailure(ctx, s);
  s.error('AUTH_FAILED', 'authentication failed');
  s.close(4001, 'auth failed');
}

/** True if the source is in backoff/blocked; then the session is refused with 4008. */
export async function limited(ctx: RelayContext, s: Session, method: string): Promise<boolean> {
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

/** Makes `s` an authenticated session and sends welcome. A pending join (no team role yet) sees no share. */
export async function becomeDevice(ctx: RelayContext, s: Session, store: TeamStore, account: string, device: string): Promise<SessionAs> {
  const acc = await store.getAccount(account);
  const team = acc?.teamRole ?? null;
  const v = team === null ? { role: null, shares: [] } : await deviceView(store, account);
  await store.touchDevice(device, utcDay(ctx.clock.now()));
  return enter(ctx, s, store, { kind: 'device', account: account as never, device: device as never, role: v.role, team }, v.shares);
}

/** A removed member's sessions end with 4012 (a clear "you were removed" on the client), whatever key it proves. */
export function removed(ctx: RelayContext, s: Session, method: string): void {
  ctx.metrics.auth(method, 'fail');
  s.error('MEMBER_REMOVED', 'this account was removed from the team');
  s.close(4012, 'removed from the team');
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

/** The signed order that revoked `dev` (sent with `wipe`), if the roster holds one. */
export async function revokeOrder(store: TeamStore, dev: { revokedAt: number | null }): Promise<RosterEntry | undefined> {
  const order = dev.revokedAt === null ? undefined : (await store.getRoster(dev.revokedAt))[0];
  return order?.op.t === 'device.revoke' ? order : undefined;
}
