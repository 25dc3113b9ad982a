/**
 * The vault-data slice: the decrypted shares, pending invitations, item summaries, the open note, running uploads
 * and the open preview — all plaintext, in memory only, and all dropped on lock (`onLock`).
 * Search runs over these decrypted titles and note texts here; nothing is written to storage.
 */
import { create } from 'zustand';
import type { Invitation, ItemSummary, Note, ShareSummary, VersionInfo } from '../../core/vault-api.js';
import { onLock } from './session-store.js';

export type SortKey = 'updated' | 'title' | 'kind';
export type SaveState = 'saved' | 'dirty' | 'saving';

export interface OpenNote {
  /** Which editor session this is (one per opened or new note): a pending save attaches only to its own draft. */
  draft: number;
  share: string;
  /** null until the first save created the item. */
  item: string | null;
  title: string;
  body: string;
  tags: string;
  save: SaveState;
  /** The text the editor last loaded or saved (null for a new note): a save merges from it if the note changed meanwhile. */
  base: Note | null;
}

export interface Upload {
  id: number;
  name: string;
  done: number;
  total: number;
  /** A new version of an existing file ("Replace with new version…"), not a new item. */
  replacing?: boolean;
  /** Waiting for its turn: a few files are encrypted at once (core/vault/import-slots.ts). */
  waiting?: boolean;
}

export interface Preview {
  item: string;
  name: string;
  mime: string;
  kind: 'image' | 'pdf' | 'text' | 'none';
  /** Object URL of an image blob; revoked when the preview closes or the vault locks. */
  url?: string;
  text?: string;
  bytes?: Uint8Array;
}

interface VaultDataState {
  shares: ShareSummary[];
  /** Shares other accounts added this one to, not yet accepted or declined on this device. */
  invitations: Invitation[];
  items: ItemSummary[];
  selected: string | null;
  note: OpenNote | null;
  uploads: Upload[];
  preview: Preview | null;
  query: string;
  sort: SortKey;
  tag: string;
  /** Versions of the selected item while the history panel is open. */
  history: VersionInfo[] | null;
}

const empty: VaultDataState = { shares: [], invitations: [], items: [], selected: null, note: null, uploads: [], preview: null, history: null, query: '', sort: 'updated', tag: '' };

export const useVaultData = create<VaultDataState>()(() => ({ ...empty }));

/** Revokes the preview's object URL (if any) and forgets its plaintext. */
export function closePreview(): void {
  const p = useVaultData.getState().preview;
  if (p?.url) URL.revokeObjectURL(p.url);
  useVaultData.setState({ preview: null });
}

/** Clears every decrypted value; called on lock and when a share is left. */
export function clearVaultData(): void {
  closePreview();
  useVaultData.setState({ ...empty });
}

onLock(clearVaultData);

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byKey: Record<SortKey, (a: ItemSummary, b: ItemSummary) => number> = {
  updated: (a, b) => b.updatedAt - a.updatedAt,
  title: (a, b) => collator.compare(a.title, b.title),
  kind: (a, b) => a.kind.localeCompare(b.kind) || collator.compare(a.title, b.title),
};

/** The items in display order (a new array; pure). Sorting is kept apart from filtering so a keystroke only filters. */
export function sortItems(items: ItemSummary[], sort: SortKey): ItemSummary[] {
  return [...items].sort(byKey[sort]);
}

/** Search (title and note text, case-insensitive) and tag filter over already sorted items; keeps their order. Pure. */
export function filterItems(sorted: ItemSummary[], query: string, tag: string): ItemSummary[] {
  const q = query.trim().toLowerCase();
  if (!q && !tag) return sorted;
  return sorted.filter((i) => (!q || (i.text ?? i.title.toLowerCase()).includes(q)) && (!tag || i.tags.includes(tag)));
}

/** Items of the current view: search over decrypted titles and note bodies, tag filter, sort. Pure. */
export function visibleItems(items: ItemSummary[], query: string, tag: string, sort: SortKey): ItemSummary[] {
  return filterItems(sortItems(items, sort), query, tag);
}

/** Every tag used in the share, sorted. */
export function allTags(items: ItemSummary[]): string[] {
  return [...new Set(items.flatMap((i) => i.tags))].sort((a, b) => a.localeCompare(b));
}

/** "a, b ,c" → ['a','b','c'] without empties or duplicates. */
export function parseTags(input: string): string[] {
  return [...new Set(input.split(',').map((t) => t.trim()).filter(Boolean))];
}
