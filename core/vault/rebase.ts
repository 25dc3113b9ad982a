/**
 * What the vault does when a push meets a newer head (policy documented in core/sync/merge.ts):
 *   note vs note   → three-way merge; clean: one merged version on top of the head;
 *                    not clean: the head stays, the local edit becomes a conflicted copy.
 *   file vs file   → the local version is re-sealed on top of the head; if the head is the later
 *                    one, its content is re-sealed once more on top, so the later version wins
 *                    and both stay in the history.
 *   edit vs delete → the local edit survives as a conflicted copy (a new item).
 *   delete vs edit → the delete is dropped; the other device's edit stays (reported).
 */
import { VaultError } from '../errors.js';
import { newId, type ItemId, type ShareId } from '../ids.js';
import { openFileRecord } from '../model/file.js';
import { openRecord, sealRecord, signTombstone, type RecordEnvelope } from '../model/item.js';
import { openNote, sealNote, type NoteContent } from '../model/note.js';
import { wipe } from '../crypto/wipe.js';
import { conflictedCopyTitle, laterFileWins, mergeNotes } from '../sync/merge.js';
import type { SealingPort, VaultParts } from './ports.js';

/** What reconciling a stale push takes: open and seal, the local history, the clock, the status line. */
export type RebasePorts = SealingPort & Pick<VaultParts, 'store' | 'status' | 'clock'>;

type RebaseResult = { item: RecordEnvelope[]; copies: RecordEnvelope[]; replaceLocal: boolean };

/**
 * A record's exact payload as another version (`version` on `baseVersion`): the SAME item key
 * and the same chunks, only the envelope is sealed anew (under the share's current epoch), so a
 * file's chunks stay valid and nothing is uploaded again. Not a re-encryption: content that must
 * no longer open with an older epoch's key goes through `resealUnderNewestEpoch`
 * (core/share/reencrypt.ts, fresh item and file keys) instead.
 */
async function resealKeepingItemKey(s: RebasePorts, share: ShareId, env: RecordEnvelope, version: number, baseVersion: number): Promise<RecordEnvelope> {
  const { payload, itemKey } = await openRecord(s.openCtx(share), env, env.kind);
  try {
    return sealRecord(await s.sealCtx(share, env.item, version, baseVersion), env.kind, payload, env.chunks, itemKey);
  } finally {
    wipe(itemKey);
  }
}

/** The last version of the item both sides knew: the newest locally stored version with a relay seq. */
async function baseNote(s: RebasePorts, share: ShareId, item: ItemId, below: number): Promise<NoteContent | null> {
  const all = [...(await s.store.history(share, item)), ...[await s.store.getRecord(share, item)].filter((r) => r !== undefined)];
  const synced = all.filter((r) => r.seq !== undefined && r.envelope.version < below && r.envelope.kind === 'note').sort((a, b) => b.envelope.version - a.envelope.version)[0];
  return synced ? (await openNote(s.openCtx(share), synced.envelope)).note : null;
}

async function copyOf(s: RebasePorts, share: ShareId, note: NoteContent, of: string): Promise<RecordEnvelope> {
  const now = s.clock.now();
  return sealNote(await s.sealCtx(share, newId<ItemId>(), 1, 0), { ...note, title: conflictedCopyTitle(note.title, now), updatedAt: now, conflictOf: of });
}

export function rebaseHook(s: RebasePorts) {
  return async (share: ShareId, local: RecordEnvelope, head: RecordEnvelope): Promise<RebaseResult> => {
    const next = head.version + 1;
    // Deleted on both sides (e.g. two devices deleting again after a relay restore): nothing to do.
    if (local.kind === 'tombstone' && head.kind === 'tombstone') return { item: [], copies: [], replaceLocal: true };
    if (local.kind === 'tombstone') {
      // Someone edited what we deleted: keep their edit; our delete is dropped, and said so.
      s.status.setError(new VaultError('STALE_VERSION', `rebase: item ${local.item} was changed elsewhere; the delete was not applied`));
      return { item: [], copies: [], replaceLocal: true };
    }
    if (head.kind === 'tombstone') {
      if (local.kind !== 'note') return { item: [], copies: [], replaceLocal: true };
      const mine = (await openNote(s.openCtx(share), local)).note;
      s.status.setError(new VaultError('CONFLICT_COPY', `rebase: ${local.item} was deleted elsewhere; the edit was kept as a conflicted copy`));
      return { item: [], copies: [await copyOf(s, share, mine, local.item)], replaceLocal: true };
    }
    if (local.kind === 'note' && head.kind === 'note') {
      const mine = (await openNote(s.openCtx(share), local)).note;
      const theirs = (await openNote(s.openCtx(share), head)).note;
      const merged = mergeNotes(await baseNote(s, share, local.item, local.version), mine, theirs);
      if (merged.clean) {
        const note = { ...merged.note, updatedAt: Math.max(s.clock.now(), mine.updatedAt, theirs.updatedAt), conflictOf: theirs.conflictOf ?? mine.conflictOf };
        return { item: [sealNote(await s.sealCtx(share, local.item, next, head.version), note)], copies: [], replaceLocal: true };
      }
      s.status.setError(new VaultError('CONFLICT_COPY', `rebase: ${local.item} changed elsewhere (${merged.reason}); the edit was kept as a conflicted copy`));
      return { item: [], copies: [await copyOf(s, share, mine, local.item)], replaceLocal: true };
    }
    if (local.kind === 'file' && head.kind === 'file') {
      const mine = await openFileRecord(s.openCtx(share), local);
      const theirs = await openFileRecord(s.openCtx(share), head);
      wipe(mine.fileKey, theirs.fileKey);
      const first = await resealKeepingItemKey(s, share, local, next, head.version);
      if (laterFileWins(mine.meta.updatedAt, theirs.meta.updatedAt) === 'mine') return { item: [first], copies: [], replaceLocal: true };
      return { item: [first, await resealKeepingItemKey(s, share, head, next + 1, next)], copies: [], replaceLocal: true };
    }
    throw new VaultError('BAD_FORMAT', `rebase: cannot reconcile a ${local.kind} with a ${head.kind}`);
  };
}

/**
 * The relay went back in time and lacks `local` (core/sync/rollback.ts). If the relay's head is
 * an ancestor this device also holds (same version and signature), the local head's exact payload
 * is re-sealed on top of it; a local head authored by someone else is re-sealed the same way (its
 * author's device may never come back). If the relay's head went elsewhere meanwhile, the usual
 * stale-push policy applies (merge, or a conflicted copy).
 */
export function reuploadHook(s: RebasePorts) {
  const rebase = rebaseHook(s);
  return async (share: ShareId, local: RecordEnvelope, head: RecordEnvelope | null): Promise<RecordEnvelope[]> => {
    if (!head) return [await resealKeepingItemKey(s, share, local, 1, 0)];
    const mineAt = [...(await s.store.history(share, local.item)), { share, envelope: local }].find((r) => r.envelope.version === head.version);
    if (head.version < local.version && mineAt?.envelope.sig === head.sig) return [await resealKeepingItemKey(s, share, local, head.version + 1, head.version)];
    const r = await rebase(share, local, head);
    return [...r.item, ...r.copies];
  };
}

/**
 * The relay went back in time and holds `head` alive although this device saw the item deleted
 * at a later version (core/sync/rollback.ts): a tombstone on top of it, like a local delete.
 */
export function redeleteHook(s: RebasePorts) {
  return async (share: ShareId, head: RecordEnvelope): Promise<RecordEnvelope> => {
    return signTombstone(await s.sealCtx(share, head.item, head.version + 1, head.version));
  };
}
