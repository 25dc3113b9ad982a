/** The verified membership log as the UI's activity list (signed entries only, oldest first). */
import { parseShareId } from '../ids.js';
import type { ActivityEntry } from '../vault-api.js';
import type { LogEntry } from '../vault/membership.js';
import type { Session } from '../vault/session.js';

const WHAT: Record<string, ActivityEntry['what']> = {
  create: 'created', add: 'member-added', role: 'role-changed', block: 'member-blocked',
  'code.create': 'code-created', 'code.rotate': 'code-rotated', 'code.revoke': 'code-revoked', epoch: 'epoch-rotated',
};

function describe(s: Session, e: LogEntry): ActivityEntry {
  const op = e.op as Record<string, unknown>;
  const label = (id: string) => (id === s.keys.account ? 'you' : s.roster.cachedName(id) || id.slice(0, 6));
  const out: ActivityEntry = { index: e.index, at: e.ts, by: label(e.author), what: WHAT[e.op.t] ?? 'epoch-rotated' };
  if (typeof op.account === 'string') out.subject = label(op.account);
  else if (typeof op.code === 'string') out.subject = `code ${op.code.slice(0, 6)}`;
  if (typeof op.role === 'string') out.detail = op.role;
  else if (typeof op.epoch === 'number' && e.index > 0) out.detail = `epoch ${op.epoch}`;
  if (op.t === 'code.create' || op.t === 'code.rotate') out.detail = [out.detail, op.readOnly ? 'read-only' : 'read-write'].filter(Boolean).join(', ');
  return out;
}

export async function activity(s: Session, shareIn: string): Promise<ActivityEntry[]> {
  const share = parseShareId(shareIn);
  const state = s.conn.state === 'online' ? await s.syncLog(share) : await s.shareState(share);
  if (!s.guest) await s.roster.warmNames();
  return state.entries.map((e) => describe(s, e));
}
