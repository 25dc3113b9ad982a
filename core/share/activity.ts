/**
 * The verified membership log as the UI's activity list (signed entries only, oldest first).
 * Data only (who, what, to whom, role, epoch, access): the renderer words each entry.
 */
import { parseShareId } from '../ids.js';
import type { ActivityEntry, Role } from '../vault-api.js';
import type { LogEntry } from '../vault/membership.js';
import { personRef, type PersonSource } from '../vault/person.js';
import type { Session } from '../vault/session.js';

const WHAT: Record<string, ActivityEntry['what']> = {
  create: 'created', add: 'member-added', role: 'role-changed', block: 'member-blocked',
  'code.create': 'code-created', 'code.rotate': 'code-rotated', 'code.revoke': 'code-revoked', epoch: 'epoch-rotated',
};
const ROLES: readonly string[] = ['owner', 'admin', 'editor', 'viewer'];

/** One log entry as data; exported for unit tests. */
export function describeEntry(s: PersonSource, e: LogEntry): ActivityEntry {
  const op = e.op as Record<string, unknown>;
  const out: ActivityEntry = { index: e.index, at: e.ts, by: personRef(s, { kind: 'account', id: e.author }), what: WHAT[e.op.t] ?? 'epoch-rotated' };
  if (typeof op.account === 'string') out.member = personRef(s, { kind: 'account', id: op.account });
  else if (typeof op.code === 'string') out.code = op.code;
  if (typeof op.role === 'string' && ROLES.includes(op.role)) out.role = op.role as Role;
  if (typeof op.epoch === 'number' && e.index > 0) out.epoch = op.epoch;
  if ((op.t === 'code.create' || op.t === 'code.rotate') && typeof op.readOnly === 'boolean') out.readOnly = op.readOnly;
  return out;
}

export async function activity(s: Session, shareIn: string): Promise<ActivityEntry[]> {
  const share = parseShareId(shareIn);
  const state = s.conn.state === 'online' ? await s.syncLog(share) : await s.shareState(share);
  if (!s.guest) await s.roster.warmNames();
  return state.entries.map((e) => describeEntry(s, e));
}
