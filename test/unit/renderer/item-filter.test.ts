/** The item list's search, tag filter and sort (renderer/state/vault-data.ts), pure functions. */
import { describe, expect, it } from 'vitest';
import { filterItems, sortItems, visibleItems } from '../../../renderer/state/vault-data.js';
import type { ItemSummary } from '../../../core/vault-api.js';

const item = (id: string, title: string, updatedAt: number, extra: Partial<ItemSummary> = {}): ItemSummary =>
  ({ id, share: 's', kind: 'note', title, tags: [], updatedAt, author: { kind: 'account', id: 'acc-me', name: '', isMe: true }, version: 1, ...extra });

const items = [
  item('a', 'Akte 2 Müller', 30, { text: 'akte 2 müller\nvertragsentwurf liegt bei', tags: ['Frist'] }),
  item('b', 'Akte 10 Schmidt', 10, { text: 'akte 10 schmidt\ntelefonat' }),
  item('c', 'Scan.PDF', 20, { kind: 'file' }),
];

describe('item search and sort', () => {
  it('matches words of a note body, not only titles', () => {
    expect(visibleItems(items, 'Vertragsentwurf', '', 'updated').map((i) => i.id)).toEqual(['a']);
  });
  it('is case-insensitive on titles of files (no text) and trims the query', () => {
    expect(visibleItems(items, '  scan.pdf ', '', 'updated').map((i) => i.id)).toEqual(['c']);
  });
  it('combines the query with the tag filter', () => {
    expect(visibleItems(items, 'akte', 'Frist', 'updated').map((i) => i.id)).toEqual(['a']);
  });
  it('sorts by last change, by title with numbers in order, by kind', () => {
    expect(sortItems(items, 'updated').map((i) => i.id)).toEqual(['a', 'c', 'b']);
    expect(sortItems(items, 'title').map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(sortItems(items, 'kind').map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });
  it('an empty query and no tag return the sorted array itself (nothing to re-render)', () => {
    const sorted = sortItems(items, 'updated');
    expect(filterItems(sorted, '  ', '')).toBe(sorted);
  });
});
