/**
 * One version shown in the history dialog before it is restored: a note's text with a line
 * diff against the current text, or a file version's preview (image, PDF, text). Plaintext in
 * memory only; dropped when the history closes and on lock.
 */
import { create } from 'zustand';
import type { Preview } from './vault-data.js';
import type { DiffLine } from './line-diff.js';
import { onLock } from './session-store.js';

export type VersionShown =
  | { kind: 'note'; item: string; version: number; current: boolean; title: string; body: string; diff: DiffLine[] }
  | { kind: 'file'; item: string; version: number; current: boolean; preview: Preview };

export const useVersionView = create<{ shown: VersionShown | null; loading: number | null }>()(() => ({ shown: null, loading: null }));

/** Forgets the shown version (revoking an image's object URL). */
export function closeVersionView(): void {
  const s = useVersionView.getState().shown;
  if (s?.kind === 'file' && s.preview.url) URL.revokeObjectURL(s.preview.url);
  useVersionView.setState({ shown: null, loading: null });
}

onLock(closeVersionView);
