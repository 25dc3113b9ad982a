import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { conflictedCopyTitle, mergeNotes, mergeTags, mergeText } from '../../../core/sync/merge.js';

const base = 'line 1\nline 2\nline 3\nline 4\nline 5';

describe('mergeText', () => {
  it('merges edits on different lines', () => {
    const mine = 'line 1 MINE\nline 2\nline 3\nline 4\nline 5';
    const theirs = 'line 1\nline 2\nline 3\nline 4\nline 5 THEIRS';
    expect(mergeText(base, mine, theirs)).toBe('line 1 MINE\nline 2\nline 3\nline 4\nline 5 THEIRS');
  });
  it('reports a conflict on the same line', () => {
    expect(mergeText(base, base.replace('line 3', 'A'), base.replace('line 3', 'B'))).toBeNull();
  });
  it('treats the same change on both sides as clean', () => {
    const both = base.replace('line 3', 'same');
    expect(mergeText(base, both, both)).toBe(both);
  });
  it('keeps every line of both sides when they edit different, non-adjacent lines (property)', () => {
    // Lines are made distinct (as in real notes): with many identical lines diff3's alignment
    // is ambiguous and a conflict (→ conflicted copy, nothing lost) is the correct answer.
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }).filter((s) => !s.includes('\n')), { minLength: 6, maxLength: 20 }), fc.nat(), fc.nat(), (raw, i, j) => {
      const ls = raw.map((l, k) => `${k}:${l}`);
      const n = ls.length;
      const a = i % n;
      let b = j % n;
      if (Math.abs(a - b) < 2) b = (a + 3) % n;
      if (Math.abs(a - b) < 2) return;
      const mine = [...ls]; mine[a] = `MINE-${a}`;
      const theirs = [...ls]; theirs[b] = `THEIRS-${b}`;
      const merged = mergeText(ls.join('\n'), mine.join('\n'), theirs.join('\n'));
      expect(merged).not.toBeNull();
      expect(merged).toContain(`MINE-${a}`);
      expect(merged).toContain(`THEIRS-${b}`);
    }), { numRuns: 200 });
  });
});

describe('mergeNotes', () => {
  const b = { title: 'T', body: base, tags: ['a', 'b'] };
  it('takes the changed title and merges tags as sets', () => {
    const r = mergeNotes(b, { ...b, title: 'T2', tags: ['a', 'b', 'c'] }, { ...b, tags: ['b'] });
    expect(r).toEqual({ clean: true, note: { title: 'T2', body: base, tags: ['b', 'c'] } });
  });
  it('conflicts when both change the title differently', () => {
    expect(mergeNotes(b, { ...b, title: 'X' }, { ...b, title: 'Y' })).toEqual({ clean: false, reason: 'title' });
  });
  it('conflicts on the same body line', () => {
    expect(mergeNotes(b, { ...b, body: 'x' }, { ...b, body: 'y' })).toEqual({ clean: false, reason: 'body' });
  });
  it('tags: union of additions, removals applied', () => {
    expect(mergeTags(['a', 'b'], ['a', 'b', 'x'], ['a', 'y'])).toEqual(['a', 'y', 'x']);
  });
  it('names a conflicted copy with a UTC timestamp', () => {
    expect(conflictedCopyTitle('Plan', Date.UTC(2026, 4, 4, 13, 7))).toBe('Plan (conflicted copy 2026-05-04 13:07)');
    expect(conflictedCopyTitle('', 0)).toBe('Untitled (conflicted copy 1970-01-01 00:00)');
  });
});
