/**
 * Pure planner for membership log entries: given the share's current state and new entries,
 * checks index continuity, the `prev` hash chain, the author and the author's role, and returns
 * the effects to apply — or an error. Every storage backend calls it inside its transaction.
 * Signatures are verified by clients, not here.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, ROLE_RANK, ZERO_HASH, type LogEntry, type Role, type Wrap } from '../protocol/index.js';

export interface ShareLogState {
  exists: boolean;
  length: number;
  /** base64url SHA-256 of the last entry (ZERO_HASH if none). */
  lastHash: string;
  epoch: number;
  members: Map<string, Role>;
  /** Live codes of the share. */
  codes: Set<string>;
}

export interface CodeInsert {
  code: string;
  verifierPk: string;
  readOnly: boolean;
  expiresAt: number | null;
}
export interface LogEffects {
  setMembers: { account: string; role: Role }[];
  removedMembers: string[];
  addedCodes: CodeInsert[];
  removedCodes: { code: string; reason: 'rotated' | 'revoked' }[];
  epoch: number;
  lastHash: string;
  length: number;
}

export type PlanResult = { ok: true; effects: LogEffects } | { ok: false; code: 'LOG_CONFLICT' | 'NOT_ALLOWED' | 'BAD_FIELD'; message: string };

/** base64url SHA-256 of the entry's canonical JSON: what the next entry's `prev` must be. */
export function entryHash(entry: LogEntry): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('base64url');
}

const rank = (r: Role | undefined) => (r === undefined ? -1 : ROLE_RANK[r]);

export function planLogEntries(state: ShareLogState, share: string, author: string, entries: LogEntry[], wraps: Wrap[]): PlanResult {
  const members = new Map(state.members);
  const codes = new Set(state.codes);
  const fx: LogEffects = { setMembers: [], removedMembers: [], addedCodes: [], removedCodes: [], epoch: state.epoch, lastHash: state.lastHash, length: state.length };
  const deny = (message: string): PlanResult => ({ ok: false, code: 'NOT_ALLOWED', message });
  for (const e of entries) {
    if (e.share !== share) return { ok: false, code: 'BAD_FIELD', message: 'entry.share differs from the request' };
    if (e.author !== author) return deny('entry.author is not the authenticated account');
    if (e.index !== fx.length) return { ok: false, code: 'LOG_CONFLICT', message: `expected index ${fx.length}` };
    if (e.prev !== fx.lastHash) return { ok: false, code: 'LOG_CONFLICT', message: 'prev does not match the log head' };
    const op = e.op;
    const myRank = rank(members.get(author));
    if (op.t === 'create') {
      if (e.index !== 0) return { ok: false, code: 'LOG_CONFLICT', message: 'create must be entry 0' };
      if (op.owner !== author) return deny('create: owner must be the author');
      members.set(author, 'owner');
      fx.setMembers.push({ account: author, role: 'owner' });
      fx.epoch = 0;
    } else {
      if (e.index === 0) return { ok: false, code: 'BAD_FIELD', message: 'entry 0 must be create' };
      if (myRank < ROLE_RANK.admin) return deny(`${op.t}: author is not owner or admin`);
      switch (op.t) {
        case 'add':
        case 'role': {
          if (rank(op.role) > myRank) return deny(`${op.t}: cannot grant a role above the author's`);
          if (op.t === 'add' && members.has(op.account)) return deny('add: already a member');
          if (op.t === 'role' && !members.has(op.account)) return deny('role: not a member');
          if (rank(members.get(op.account)) > myRank) return deny(`${op.t}: target outranks the author`);
          members.set(op.account, op.role);
          fx.setMembers.push({ account: op.account, role: op.role });
          break;
        }
        case 'block': {
          if (!members.has(op.account)) return deny('block: not a member');
          if (op.account === author) return deny('block: cannot block oneself');
          if (rank(members.get(op.account)) > myRank) return deny('block: target outranks the author');
          members.delete(op.account);
          fx.removedMembers.push(op.account);
          break;
        }
        case 'code.create':
        case 'code.rotate': {
          if (op.t === 'code.rotate') {
            if (!codes.delete(op.old)) return deny('code.rotate: no such code');
            fx.removedCodes.push({ code: op.old, reason: 'rotated' });
          }
          if (codes.has(op.code)) return deny('code exists');
          codes.add(op.code);
          fx.addedCodes.push({ code: op.code, verifierPk: op.verifierPk, readOnly: op.readOnly, expiresAt: op.expiresAt });
          break;
        }
        case 'code.revoke': {
          if (!codes.delete(op.code)) return deny('code.revoke: no such code');
          fx.removedCodes.push({ code: op.code, reason: 'revoked' });
          break;
        }
        case 'epoch':
          break;
      }
      if ('epoch' in op) {
        if (op.epoch !== fx.epoch + 1) return { ok: false, code: 'LOG_CONFLICT', message: `expected epoch ${fx.epoch + 1}` };
        fx.epoch = op.epoch;
      }
    }
    fx.lastHash = entryHash(e);
    fx.length += 1;
  }
  for (const w of wraps) {
    if (w.epoch > fx.epoch) return { ok: false, code: 'BAD_FIELD', message: 'wrap for a future epoch' };
    if (w.to.kind === 'account' ? !members.has(w.to.id) : !codes.has(w.to.id)) {
      return { ok: false, code: 'BAD_FIELD', message: 'wrap addressed to a non-member or unknown code' };
    }
  }
  return { ok: true, effects: fx };
}
