/**
 * Who may author a record at an epoch (DESIGN.md §3: readers verify every record against the
 * verified membership log). A member: not blocked at that epoch (checked in Session). An
 * access code (read-write guest): the code must have been live and not read-only at that epoch.
 */
import { VaultError } from '../errors.js';
import type { CodeState, ShareState } from '../vault/membership.js';

/** True if `code` held write access to the share at `epoch`. */
export function codeMayWrite(c: CodeState | undefined, epoch: number): boolean {
  return c !== undefined && !c.readOnly && c.fromEpoch <= epoch && (c.untilEpoch === undefined || epoch < c.untilEpoch);
}

/** Throws NOT_ALLOWED unless a record by code `id` at `epoch` may be accepted. */
export function checkCodeAuthor(state: ShareState, id: string, epoch: number): void {
  const c = state.codes.get(id);
  if (!codeMayWrite(c, epoch)) {
    throw new VaultError('NOT_ALLOWED', `checkCodeAuthor: code ${id} could not write to share ${state.share} at epoch ${epoch}${c?.readOnly ? ' (read-only)' : ''}`);
  }
}
