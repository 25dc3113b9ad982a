/** Access checks for authenticated sessions. A share the session cannot see is NOT_FOUND (no existence oracle). */
import { ROLE_RANK, type RelayErrorCode, type Role } from '../protocol/index.js';
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

export async function isAdminSomewhere(s: Session, account: string): Promise<boolean> {
  return (await s.store!.memberships(account)).some((m) => ROLE_RANK[m.role] >= ROLE_RANK.admin);
}
