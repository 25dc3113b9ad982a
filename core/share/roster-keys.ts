/**
 * Share keys are wrapped only to keys the verified team roster pinned (DESIGN.md §8): never to a
 * key from a relay answer. A share member whose keys differ from the roster's is a hard stop
 * (KEY_CHANGED, shown to the user), never a silent re-wrap; a member the team removed gets
 * nothing new.
 */
import { VaultError } from '../errors.js';
import type { RosterState } from '../../protocol/index.js';

/** 'ok' to wrap, 'removed' to leave out. Throws KEY_CHANGED / NOT_FOUND. */
export function rosterStanding(roster: RosterState | null, fn: string, account: string, keys: { boxPk: string; signPk: string }): 'ok' | 'removed' {
  const m = roster?.members.get(account);
  if (!m) throw new VaultError('NOT_FOUND', `${fn}: ${account} is not in the verified team roster`);
  if (m.boxPk !== keys.boxPk || m.signPk !== keys.signPk) {
    throw new VaultError('KEY_CHANGED', `${fn}: the keys of ${account} differ from the ones the team roster pinned; nothing was wrapped`);
  }
  return m.active ? 'ok' : 'removed';
}

/** The roster's keys of an active member (for adding it to a share). */
export function rosterKeysOf(roster: RosterState | null, fn: string, account: string): { boxPk: string; signPk: string } {
  const m = roster?.members.get(account);
  if (!m || !m.active) throw new VaultError('NOT_FOUND', `${fn}: ${account} is not an active member of the team`);
  return { boxPk: m.boxPk, signPk: m.signPk };
}
