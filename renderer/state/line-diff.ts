/** A line diff between two texts for the history preview (node-diff3's LCS; pure). */
import { diffComm } from 'node-diff3';

export interface DiffLine {
  /** 'same' in both; 'removed' only in `from`; 'added' only in `to`. */
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Lines of `from` → `to` in order, removals before additions within a changed block. */
export function lineDiff(from: string, to: string): DiffLine[] {
  const out: DiffLine[] = [];
  for (const block of diffComm(from.split('\n'), to.split('\n'))) {
    if ('common' in block && block.common) for (const text of block.common) out.push({ kind: 'same', text });
    else {
      const b = block as { buffer1: string[]; buffer2: string[] };
      for (const text of b.buffer1) out.push({ kind: 'removed', text });
      for (const text of b.buffer2) out.push({ kind: 'added', text });
    }
  }
  return out;
}
