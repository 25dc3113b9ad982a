/**
 * Resolving a stale push (DESIGN.md §5: no edit is ever lost).
 *
 * Notes merge three-way (base = the version both sides started from, mine = the local edit,
 * theirs = the relay's head):
 *   - body: diff3 on lines (node-diff3, false conflicts — both sides made the same change —
 *     count as clean);
 *   - title: a scalar — whichever side changed it wins; both changed it differently = conflict;
 *   - tags: a set merge — additions of either side kept, removals of either side applied.
 * If any part does not merge cleanly, BOTH versions are kept: the relay's head stays the item
 * (other devices already show it, so it does not flip under their feet) and the local edit
 * becomes a new note titled "<title> (conflicted copy <YYYY-MM-DD HH:MM>)" with
 * `conflictOf` = the original item id.
 *
 * Files: whole versions, no content merge. The version with the later `updatedAt` becomes
 * the head; the other is kept in the version history (see engine: both are pushed, the later
 * last).
 */
import { diff3Merge } from 'node-diff3';

export interface NoteFields {
  title: string;
  body: string;
  tags: string[];
}

export type NoteMerge =
  | { clean: true; note: NoteFields }
  | { clean: false; reason: 'body' | 'title' };

function lines(text: string): string[] {
  return text.split('\n');
}

/** Three-way merge of a text by lines; null when a region conflicts. */
export function mergeText(base: string, mine: string, theirs: string): string | null {
  if (mine === theirs) return mine;
  if (mine === base) return theirs;
  if (theirs === base) return mine;
  const regions = diff3Merge(lines(mine), lines(base), lines(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  for (const r of regions) {
    if (r.conflict) return null;
    if (r.ok) out.push(...r.ok);
  }
  return out.join('\n');
}

function mergeScalar<T>(base: T, mine: T, theirs: T): { ok: true; value: T } | { ok: false } {
  if (mine === theirs) return { ok: true, value: mine };
  if (mine === base) return { ok: true, value: theirs };
  if (theirs === base) return { ok: true, value: mine };
  return { ok: false };
}

/** Set merge of tags: keep every addition, apply every removal; order: theirs, then new of mine. */
export function mergeTags(base: string[], mine: string[], theirs: string[]): string[] {
  const b = new Set(base);
  const removed = new Set([...base.filter((t) => !mine.includes(t)), ...base.filter((t) => !theirs.includes(t))]);
  const out: string[] = [];
  for (const t of [...theirs, ...mine]) {
    if (removed.has(t) && b.has(t)) continue;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** Merge a note three ways. `base` null (unknown common ancestor) behaves like an empty note. */
export function mergeNotes(base: NoteFields | null, mine: NoteFields, theirs: NoteFields): NoteMerge {
  const b = base ?? { title: '', body: '', tags: [] };
  const title = mergeScalar(b.title, mine.title, theirs.title);
  if (!title.ok) return { clean: false, reason: 'title' };
  const body = mergeText(b.body, mine.body, theirs.body);
  if (body === null) return { clean: false, reason: 'body' };
  return { clean: true, note: { title: title.value, body, tags: mergeTags(b.tags, mine.tags, theirs.tags) } };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "<title> (conflicted copy 2026-05-04 13:07)" in UTC, so every device names it alike. */
export function conflictedCopyTitle(title: string, at: number): string {
  const d = new Date(at);
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${title || 'Untitled'} (conflicted copy ${stamp})`;
}

const CONFLICTED_COPY = /^([\s\S]*) \(conflicted copy (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)\)(\.[^.\s()]{1,16})?$/;

/**
 * The stored title of a conflicted copy taken apart as data: the original title ('' for
 * "Untitled") and when the copy was made (ms, UTC minute), so the UI words it in the user's
 * language. A file's copy keeps its extension after the marker (file-versions.ts conflictedCopyName:
 * "report (conflicted copy 2026-12-07 16:40).pdf"): `ext` is '.pdf' then, '' otherwise.
 * null when `title` is in neither form.
 */
export function parseConflictedCopyTitle(title: string): { title: string; at: number; ext: string } | null {
  const m = CONFLICTED_COPY.exec(title);
  if (!m) return null;
  const [, base = '', y, mo, d, h, mi, ext = ''] = m;
  return { title: base === 'Untitled' ? '' : base, at: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)), ext };
}

/** Files: which side's version ends as head. Ties go to the relay's (already visible) head. */
export function laterFileWins(mineUpdatedAt: number, theirsUpdatedAt: number): 'mine' | 'theirs' {
  return mineUpdatedAt > theirsUpdatedAt ? 'mine' : 'theirs';
}
