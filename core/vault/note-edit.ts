/**
 * Saving what an editor shows (issue 14: no edit is ever lost). The editor remembers the text it
 * last loaded or saved (`base`). While the user typed, the note may have changed underneath —
 * pulled from another device, or replaced by a rebase of this device's own push. Writing the
 * editor's text straight on top would silently throw that change away, so a save whose base is
 * no longer the head merges three ways (core/sync/merge.ts policy):
 *   clean       → one merged version on top of the head (the editor then shows the merged text);
 *   not clean   → the head stays and the editor's text becomes a conflicted copy (a new item);
 *   head gone   → (deleted elsewhere) the editor's text becomes a conflicted copy too.
 */
import { VaultError, isVaultError } from '../errors.js';
import { newId, parseItemId, parseShareId, type ItemId, type ShareId } from '../ids.js';
import { openNote, sealNote, type NoteContent } from '../model/note.js';
import { conflictedCopyTitle, mergeNotes } from '../sync/merge.js';
import type { Note, NoteSaved } from '../vault-api.js';
import { saveNote, saveNoteOn } from './items.js';
import type { Session } from './session.js';

function same(a: Note, b: Note): boolean {
  return a.title === b.title && a.body === b.body && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

/** A new note holding `mine`, titled "<title> (conflicted copy …)", split from `of`. Returns its id. */
export async function writeConflictCopy(s: Session, share: ShareId, mine: Note, of: string): Promise<ItemId> {
  const now = s.clock.now();
  const item = newId<ItemId>();
  const content: NoteContent = { title: conflictedCopyTitle(mine.title, now), body: mine.body, tags: [...mine.tags], updatedAt: now, conflictOf: of };
  const env = sealNote(await s.sealCtx(share, item, 1, 0), content);
  const id = await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item, version: 1 });
  await s.afterLocalChange(share, { id, envelope: env });
  return item;
}

/**
 * Save the editor's `note`. `item` null creates a note. `base`: the content the editor started
 * from (what it last loaded or saved); without it the text is written on top as is.
 * Throws NOT_FOUND if `item` is not a note.
 */
export async function saveNoteEdit(s: Session, shareIn: string, note: Note, item: string | null, base?: Note): Promise<NoteSaved> {
  if (item === null) return { item: await saveNote(s, shareIn, note), note, outcome: 'saved' };
  const share = parseShareId(shareIn);
  const id = parseItemId(item);
  // The decision is made against the head read here; if sync replaces that head before the
  // write, the write is refused (STALE_VERSION) and the decision is made again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await saveOnce(s, share, id, note, base);
    } catch (e) {
      if (!isVaultError(e, 'STALE_VERSION') || attempt >= 20) throw e;
    }
  }
}

async function saveOnce(s: Session, share: ShareId, item: ItemId, note: Note, base?: Note): Promise<NoteSaved> {
  const cur = await s.store.getRecord(share, item);
  if (cur?.envelope.kind === 'tombstone' || (!cur && base)) {
    const copy = await writeConflictCopy(s, share, note, item);
    s.status.setError(new VaultError('CONFLICT_COPY', `saveNote: ${item} was deleted elsewhere; the edit was kept as a conflicted copy`));
    return { item: copy, note: { ...note }, outcome: 'conflict' };
  }
  if (!cur || cur.envelope.kind !== 'note') throw new VaultError('NOT_FOUND', `saveNote: no note ${item}`);
  if (base) {
    const head = (await openNote(s.openCtx(share), cur.envelope)).note;
    if (!same(head, base)) {
      if (same(note, base)) return { item, note: { title: head.title, body: head.body, tags: head.tags }, outcome: 'merged' };
      const merged = mergeNotes(base, note, head);
      if (!merged.clean) {
        const copy = await writeConflictCopy(s, share, note, item);
        s.status.setError(new VaultError('CONFLICT_COPY', `saveNote: ${item} changed elsewhere (${merged.reason}); the edit was kept as a conflicted copy`));
        return { item: copy, note: { ...note }, outcome: 'conflict' };
      }
      const out: Note = { title: merged.note.title, body: merged.note.body, tags: merged.note.tags };
      return { item: await saveNoteOn(s, share, out, item, cur, true), note: out, outcome: 'merged' };
    }
  }
  return { item: await saveNoteOn(s, share, note, item, cur, true), note, outcome: 'saved' };
}
