/**
 * The relay's hand-written fast path for `push` frames (sync-server/push-frame.ts) must never
 * accept what the protocol schema refuses, and must return exactly the schema's value. Mutated
 * push frames (nasty values, extra/missing keys, prototype keys, out-of-range numbers, bad
 * base64url) are run through both; valid frames must take the fast path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClientObject, parseJsonObject } from '../../protocol/index.js';
import { fastPush } from '../../sync-server/push-frame.js';
import { b64, id, mutated, RUNS, SAMPLE_SHARE, type Json } from './common.js';

const rec = (o: Record<string, Json> = {}): Record<string, Json> => ({
  item: id(), version: 2, baseVersion: 1, kind: 'note', epoch: 0, author: { kind: 'account', id: id() }, body: b64(200), chunks: [], sig: b64(64), ...o,
});
const PUSHES: Record<string, Json>[] = [
  { type: 'push', id: 1, share: SAMPLE_SHARE, records: [rec()] },
  { type: 'push', id: 2 ** 31 - 1, share: SAMPLE_SHARE, records: [rec({ kind: 'file', chunks: [b64(32), b64(32)] }), rec({ kind: 'tombstone', body: '', version: 2 ** 31 })] },
  { type: 'push', id: 7, share: SAMPLE_SHARE, records: [rec({ author: { kind: 'code', id: id() }, version: 1, baseVersion: 0, epoch: 2 ** 31 })] },
];

/** Through JSON text, as the relay sees it. */
function obj(v: Json): (Record<string, unknown> & { type: string }) | null {
  const r = parseJsonObject(JSON.stringify(v), 1 << 22);
  return r.ok ? r.value : null;
}

describe('fuzz: relay push fast path agrees with the schema', () => {
  it('every valid push takes the fast path and yields the schema value', () => {
    for (const p of PUSHES) {
      const o = obj(p)!;
      const slow = parseClientObject(o);
      expect(slow.ok).toBe(true);
      expect(fastPush(o)).toEqual(slow.ok ? slow.value : null);
    }
  });

  it('mutated push frames: the fast path accepts only what the schema accepts, with the same value', () => {
    let fast = 0;
    let refused = 0;
    fc.assert(fc.property(mutated(PUSHES), (m) => {
      const o = obj(m);
      if (!o) return;
      const f = fastPush(o);
      const slow = parseClientObject(o);
      if (!slow.ok) refused++;
      if (f === null) return;
      fast++;
      expect(slow.ok, JSON.stringify(m).slice(0, 300)).toBe(true);
      if (slow.ok) expect(f).toEqual(slow.value);
    }), { numRuns: RUNS * 4 });
    expect(refused).toBeGreaterThan(0);
    expect(fast).toBeGreaterThan(0);
  });
});
