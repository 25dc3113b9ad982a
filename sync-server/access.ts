/** Access checks for authenticated sessions. A share the session cannot see is NOT_FOUND (no existence oracle). */
import { ROLE_RANK, TEAM_RANK, type RelayErrorCode, type Role, type TeamRole } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import type { Session } from './session.js';

export class Refusal {
  constructor(readonly code: RelayErrorCode, readonly message: string) {}
}

export function deviceOf(s: Session): { account: string; device: string } {
  if (s.as?.kind !== 'device') throw new Refusal('NOT_ALLOWED', 'needs a device session');
  return { account: s.as.account, device: s.as.device };
}

/** Throws Refusal unless the session may read `share`; returns the device role (null for code sessions). */
export async function canRead(ctx: RelayContext, s: Session, share: string): Promise<{ role: Role | null; readOnly: boolean }> {
  const store = s.store!;
  if (s.as?.kind === 'device') {
    const role = await store.role(share, s.as.account);
    if (!role) throw new Refusal('NOT_FOUND', 'no such share');
    return { role, readOnly: ROLE_RANK[role] < ROLE_RANK.editor };
  }
  if (s.as?.kind === 'code') {
    if (s.as.share !== share) throw new Refusal('NOT_FOUND', 'no such share');
    const code = await store.getCode(s.as.code);
    if (!code) {
      s.close(4003, 'code revoked');
      throw new Refusal('NOT_ALLOWED', 'code no longer valid');
    }
    if (code.expiresAt !== null && code.expiresAt <= ctx.clock.now()) {
      s.close(4004, 'code expired');
      throw new Refusal('CODE_EXPIRED', 'access code expired');
    }
    return { role: null, readOnly: code.readOnly };
  }
  throw new Refusal('NOT_FOUND', 'no such share');
}

export async function canWrite(ctx: RelayContext, s: Session, share: string): Promise<void> {
  const r = await canRead(ctx, s, share);
  if (r.readOnly) throw new Refusal(s.as?.kind === 'code' ? 'READ_ONLY' : 'NOT_ALLOWED', 'no write access to this share');
}

/** The record/log author the session may sign as. */
export function authorOf(s: Session): { kind: 'account' | 'code'; id: string } {
  if (s.as?.kind === 'device') return { kind: 'account', id: s.as.account };
  if (s.as?.kind === 'code') return { kind: 'code', id: s.as.code };
  throw new Refusal('NOT_ALLOWED', 'needs a device or code session');
}

/**
 * A device session of an account that is an active member of the team's roster, re-read from
 * storage on every call (a role change or removal on another instance counts at once). A code
 * session, an account session, a join still awaiting confirmation and a removed member are all
 * refused: team powers belong to team roles (DESIGN.md §8), never to "admin of some share".
 */
export async function memberOf(s: Session): Promise<{ account: string; device: string; role: TeamRole }> {
  const { account, device } = deviceOf(s);
  const a = await s.store!.getAccount(account);
  if (!a || a.removed) throw new Refusal('MEMBER_REMOVED', 'not a member of this team');
  if (a.teamRole === null) throw new Refusal('JOIN_PENDING', 'the join awaits confirmation by a team admin');
  const dev = await s.store!.getDevice(device);
  if (!dev || !dev.active) throw new Refusal('NOT_ALLOWED', 'this device was revoked');
  return { account, device, role: a.teamRole };
}

/** memberOf, and the role is owner or admin. */
export async function teamAdmin(s: Session): Promise<{ account: string; device: string; role: TeamRole }> {
  const me = await memberOf(s);
  if (TEAM_RANK[me.role] < TEAM_RANK.admin) throw new Refusal('NOT_ALLOWED', 'only a team owner or admin may do this');
  return me;
}
