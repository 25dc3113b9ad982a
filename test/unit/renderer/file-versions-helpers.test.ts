/** Issue 17's pure helpers: names for "Keep both", the same-named file a replace targets, the history line diff. */
import { describe, expect, it } from 'vitest';
import { distinctName, sameNamed } from '../../../renderer/state/file-names.js';
import { lineDiff } from '../../../renderer/state/line-diff.js';
import { conflictedCopyName } from '../../../core/vault/file-versions.js';

describe('distinctName', () => {
  it('keeps a free name as is', () => {
    expect(distinctName('report.pdf', new Set(['other.pdf']))).toBe('report.pdf');
  });
  it('numbers before the extension, skipping taken numbers, case-insensitively', () => {
    expect(distinctName('report.pdf', new Set(['report.pdf']))).toBe('report (2).pdf');
    expect(distinctName('report.pdf', new Set(['report.pdf', 'REPORT (2).PDF']))).toBe('report (3).pdf');
  });
  it('counts on from a numbered name instead of nesting numbers', () => {
    expect(distinctName('report (2).pdf', new Set(['report.pdf', 'report (2).pdf']))).toBe('report (3).pdf');
  });
  it('handles names without an extension and dot-files', () => {
    expect(distinctName('Makefile', new Set(['Makefile']))).toBe('Makefile (2)');
    expect(distinctName('.env', new Set(['.env']))).toBe('.env (2)');
    expect(distinctName('archiv.tar.gz', new Set(['archiv.tar.gz']))).toBe('archiv.tar (2).gz');
  });
});

describe('sameNamed', () => {
  it('picks the newest item of exactly that name, or none', () => {
    const items = [{ id: 'a', title: 'x.pdf', updatedAt: 1 }, { id: 'b', title: 'x.pdf', updatedAt: 5 }, { id: 'c', title: 'X.pdf', updatedAt: 9 }];
    expect(sameNamed(items, 'x.pdf')?.id).toBe('b');
    expect(sameNamed(items, 'y.pdf')).toBeUndefined();
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines in order, common lines as same', () => {
    expect(lineDiff('eins\nzwei\ndrei', 'eins\nZWEI\ndrei\nvier')).toEqual([
      { kind: 'same', text: 'eins' },
      { kind: 'removed', text: 'zwei' },
      { kind: 'added', text: 'ZWEI' },
      { kind: 'same', text: 'drei' },
      { kind: 'added', text: 'vier' },
    ]);
  });
  it('equal texts are all same lines', () => {
    expect(lineDiff('a\nb', 'a\nb').every((d) => d.kind === 'same')).toBe(true);
  });
});

describe('conflictedCopyName', () => {
  it('puts the mark before the extension (UTC stamp)', () => {
    expect(conflictedCopyName('vertrag.pdf', Date.UTC(2026, 11, 7, 16, 5))).toBe('vertrag (conflicted copy 2026-12-07 16:05).pdf');
    expect(conflictedCopyName('README', Date.UTC(2026, 0, 2, 3, 4))).toBe('README (conflicted copy 2026-01-02 03:04)');
  });
});
